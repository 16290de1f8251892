// Ingress path and host semantics by the Kubernetes Ingress API (README "Differences from the Go AKO"), checked with
// real HTTP(S) requests through the avi-controller's data plane (which runs our shard datascript in Lua) against
// Ingresses AKO synced from a real kube-apiserver. The expected routing comes from the Ingress API documentation
// (networking.k8s.io/v1 HTTPIngressPath, IngressRule.host), not from our code.
import { request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { dnsDomainsSeed } from '@avi-k8s/testbed';
import { eventually, harness, nodePortBackend, type Harness } from './harness.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let h: Harness;
let ns: string;
let ca: CertificateAuthority;
const servers: Server[] = [];
/** A VIP network of its own (loopback), so this controller's listeners never clash with another test's. */
const net = `127.${150 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}`;

/** A backend answering with its name (which Ingress backend served the request). */
const backend = (name: string) => nodePortBackend(h, servers, { namespace: ns, name });

type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';
const path = (p: string, pathType: PathType, svc: string): k8s.V1HTTPIngressPath => ({ path: p, pathType, backend: { service: { name: svc, port: { number: 80 } } } });

function get(ip: string, p: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port: 80, path: p, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function getTls(ip: string, p: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: ip, port: 443, path: p, servername: host, headers: { host }, ca: ca.certPem, // The wildcard certificate covers one label: a.b.<suffix> is checked for routing, not for its name.
      checkServerIdentity: () => undefined }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What serves each request: the backend's name, or `<status>` when none does. */
async function served(ip: string, host: string, paths: readonly string[], tls = false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const r = tls ? await getTls(ip, p, host) : await get(ip, p, host);
    out[p] = r.status === 200 ? r.body : String(r.status);
  }
  return out;
}

async function vipOf(name: string): Promise<string> {
  const ing = await eventually(
    `Ingress ${name} status`,
    () => h.networking.readNamespacedIngress({ name, namespace: ns }),
    (i) => !!i.status?.loadBalancer?.ingress?.[0]?.ip,
  );
  return ing.status!.loadBalancer!.ingress![0]!.ip!;
}

beforeAll(async () => {
  const seedDir = mkdtempSync(join(tmpdir(), 'l7-sem-seed-'));
  const seed = join(seedDir, 'seed.json');
  const network = {
    type: 'network',
    data: {
      name: 'vip-network',
      dhcp_enabled: false,
      configured_subnets: [
        { prefix: { ip_addr: { addr: `${net}.0`, type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: `${net}.10`, type: 'V4' }, end: { addr: `${net}.250`, type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] },
      ],
    },
  };
  writeFileSync(seed, JSON.stringify({ objects: [dnsDomainsSeed(['example.com']), network] }));
  h = await harness('l7sem', 'c3', ['--dataplane', '--seed', seed]);
  ns = await h.appNamespace('l7sem-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  // Only this test's AKO selects this Node (nodePortSelector); it has no pod CIDR, so ClusterIP-mode AKOs add no route.
  const node = `l7sem-${h.clusterName}`;
  await h.core.createNode({ body: { metadata: { name: node, labels: { 'l7sem-node': h.clusterName } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  for (const b of ['exact', 'prefix', 'deep', 'impl', 'root', 'wild', 'hostless', 'fallback', 'secure', 'swild']) await backend(b);
  ca = await createCA('l7sem-ca');
  for (const [secret, names] of [
    ['secure-tls', ['secure.sem.example.com']],
    ['swild-tls', ['*.swild.sem.example.com']],
  ] as const) {
    const cert = await issueCertificate(ca, { commonName: names[0], dnsNames: [...names], usage: 'server' });
    await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: secret }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(cert.certPem).toString('base64'), 'tls.key': Buffer.from(cert.keyPem).toString('base64') } } });
  }
  const ako = await h.start({
    NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
    L7Settings: { serviceType: 'NodePort' },
    nodePortSelector: { key: 'l7sem-node', value: h.clusterName },
  });
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.core.deleteNode({ name: `l7sem-${h.clusterName}` }).catch(() => undefined);
  await h?.close();
  for (const s of servers) s.close();
});

test('plain HTTP shard host: Exact, Prefix by path element, case-sensitive, longest match, ImplementationSpecific as a plain prefix', async () => {
  const host = 'paths.sem.example.com';
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'paths' },
      spec: {
        ingressClassName: 'avi-lb',
        rules: [
          {
            host,
            http: {
              paths: [path('/exact', 'Exact', 'exact'), path('/foo/', 'Prefix', 'prefix'), path('/foo/bar', 'Prefix', 'deep'), path('/impl', 'ImplementationSpecific', 'impl'), path('/', 'Prefix', 'root')],
            },
          },
        ],
      },
    },
  });
  const ip = await vipOf('paths');
  const want = {
    '/exact': 'exact',
    '/exact/': 'root', // Exact: only the exact path
    '/exact/x': 'root',
    '/Exact': 'root', // case-sensitive
    '/foo': 'prefix', // Prefix /foo/ (trailing slash ignored) matches /foo, /foo/ and /foo/x
    '/foo/': 'prefix',
    '/foo/x': 'prefix',
    '/foobar': 'root', // not /foobar: by path element
    '/FOO': 'root',
    '/foo/bar': 'deep', // the longest match wins
    '/foo/bar/baz': 'deep',
    '/foo/barbaz': 'prefix',
    '/implant': 'impl', // ImplementationSpecific: a plain string prefix (the Go AKO's behaviour)
    '/other': 'root',
  };
  await eventually('routes', () => served(ip, host, Object.keys(want)), (s) => JSON.stringify(s) === JSON.stringify(want));
  expect(await served(ip, `${host.toUpperCase()}:80`, ['/foo/x', '/exact'])).toEqual({ '/foo/x': 'prefix', '/exact': 'exact' });
}, 60000);

test('Exact beats Prefix for the same path', async () => {
  const host = 'both.sem.example.com';
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'both' }, spec: { ingressClassName: 'avi-lb', rules: [{ host, http: { paths: [path('/a', 'Prefix', 'prefix')] } }] } },
  });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'both-exact' }, spec: { ingressClassName: 'avi-lb', rules: [{ host, http: { paths: [path('/a', 'Exact', 'exact')] } }] } },
  });
  const ip = await vipOf('both-exact');
  const want = { '/a': 'exact', '/a/b': 'prefix', '/ab': '404' };
  await eventually('routes', () => served(ip, host, Object.keys(want)), (s) => JSON.stringify(s) === JSON.stringify(want));
}, 60000);

test('wildcard host: exactly one more label, on HTTP and on HTTPS (SNI)', async () => {
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'wild' },
      spec: {
        ingressClassName: 'avi-lb',
        tls: [{ hosts: ['*.swild.sem.example.com'], secretName: 'swild-tls' }],
        rules: [
          { host: '*.wild.sem.example.com', http: { paths: [path('/', 'Prefix', 'wild')] } },
          { host: '*.swild.sem.example.com', http: { paths: [path('/', 'Prefix', 'swild')] } },
        ],
      },
    },
  });
  const ip = await vipOf('wild');
  const hosts = async (names: string[], tls: boolean) => Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await served(ip, n, ['/x'], tls).catch(() => ({ '/x': 'refused' })))['/x']!])));
  const plain = { 'a.wild.sem.example.com': 'wild', 'b.wild.sem.example.com': 'wild', 'wild.sem.example.com': '404', 'a.b.wild.sem.example.com': '404' };
  await eventually('HTTP wildcard', () => hosts(Object.keys(plain), false), (s) => JSON.stringify(s) === JSON.stringify(plain));
  const secure = { 'a.swild.sem.example.com': 'swild', 'a.b.swild.sem.example.com': '404' };
  await eventually('HTTPS wildcard', () => hosts(Object.keys(secure), true), (s) => JSON.stringify(s) === JSON.stringify(secure));
}, 60000);

test('host-less rules and defaultBackend serve what no host rule matches, on shard 0', async () => {
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'fallback' }, spec: { ingressClassName: 'avi-lb', defaultBackend: { service: { name: 'fallback', port: { number: 80 } } }, rules: [{ http: { paths: [path('/hl', 'Prefix', 'hostless')] } }] } },
  });
  const ip = await vipOf('fallback');
  const st = await h.networking.readNamespacedIngress({ name: 'fallback', namespace: ns });
  expect(st.status!.loadBalancer!.ingress).toEqual([{ ip }]);
  const want = { '/hl': 'hostless', '/hl/x': 'hostless', '/hlx': 'fallback', '/': 'fallback' };
  await eventually('fallback', () => served(ip, 'unknown.example.org', Object.keys(want)), (s) => JSON.stringify(s) === JSON.stringify(want));
  // A known host's own rules still come first (the "paths" Ingress is on its own shard; the fallback only on shard 0).
}, 60000);

test('a secure host routes its paths by the same rules (SNI child policies)', async () => {
  const host = 'secure.sem.example.com';
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'secure' },
      spec: { ingressClassName: 'avi-lb', tls: [{ hosts: [host], secretName: 'secure-tls' }], rules: [{ host, http: { paths: [path('/s/', 'Prefix', 'secure'), path('/e', 'Exact', 'exact'), path('/', 'Prefix', 'root')] } }] },
    },
  });
  const ip = await vipOf('secure');
  const want = { '/s': 'secure', '/s/x': 'secure', '/sx': 'root', '/e': 'exact', '/e/': 'root', '/E': 'root' };
  await eventually('routes', () => served(ip, host, Object.keys(want), true), (s) => JSON.stringify(s) === JSON.stringify(want));
}, 60000);
