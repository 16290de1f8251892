// One team's input never hurts another's (issue 11, deliver 1 and 2), on the real kube-apiserver and the
// avi-controller over HTTPS with its data plane:
//  - an Ingress whose paths carry `#`, `+` and `%xx` in one namespace: its pools are created under those names, and a
//    valid Ingress of another team, created after it on the same shard VS, converges and answers;
//  - a host hijack from another namespace (same plain HTTP host and path; the owner's TLS host with a certificate of
//    its own; the owner's TLS host with a garbage Secret): each attempt is rejected with a Warning Event and gets no
//    status, and the owner's HTTP and HTTPS traffic reaches only its own backend, with its own certificate.
import { request, type Server } from 'node:http';
import { connect } from 'node:tls';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { dnsDomainsSeed } from '@avi-k8s/testbed';
import type { AkoHandle } from '../../src/operator/run.js';
import { eventually, harness, nodePortBackend, type Harness } from './harness.js';

let h: Harness;
let ako: AkoHandle;
let ca: CertificateAuthority;
const ns: Record<'odd' | 'good' | 'victim' | 'attacker', string> = { odd: '', good: '', victim: '', attacker: '' };
const servers: Server[] = [];
const net = `127.${190 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}`;
const PLAIN = 'plain.own.example.com';
const SHOP = 'shop.own.example.com';
let victimCertPem = '';

const backend = (namespace: string, name: string) => nodePortBackend(h, servers, { namespace, name });

const rule = (host: string, paths: { path: string; service: string; pathType?: string }[]): k8s.V1IngressRule => ({
  host,
  http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service, port: { number: 80 } } } })) },
});

async function createIngress(namespace: string, name: string, rules: k8s.V1IngressRule[], tls?: { host: string; secret: string }): Promise<void> {
  await h.networking.createNamespacedIngress({
    namespace,
    body: { metadata: { name }, spec: { ingressClassName: 'avi-lb', ...(tls ? { tls: [{ hosts: [tls.host], secretName: tls.secret }] } : {}), rules } },
  });
}

async function tlsSecret(namespace: string, name: string, host: string): Promise<string> {
  const cert = await issueCertificate(ca, { commonName: host, dnsNames: [host], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace, body: { metadata: { name }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  return cert.certPem;
}

const statusOf = async (namespace: string, name: string) => (await h.networking.readNamespacedIngress({ name, namespace })).status?.loadBalancer?.ingress ?? [];
const vipOf = async (namespace: string, name: string): Promise<string> =>
  (await eventually(`Ingress ${namespace}/${name} status`, () => statusOf(namespace, name), (l) => !!l[0]?.ip))[0]!.ip!;

function get(ip: string, path: string, host: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: ip, port: 80, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? body : String(res.statusCode)));
    });
    req.on('error', (e) => resolve(`error ${e.message}`));
    req.end();
  });
}

/** An HTTPS GET: the backend's answer and the PEM of the certificate the VS presented. */
function getTls(ip: string, path: string, host: string): Promise<{ body: string; certPem: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port: 443, servername: host, ca: ca.certPem }, () => {
      const raw = socket.getPeerCertificate().raw;
      const certPem = `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => {
        const [head = '', ...rest] = data.split('\r\n\r\n');
        const status = /^HTTP\/1\.1 (\d+)/.exec(head)?.[1];
        const chunked = /transfer-encoding: chunked/i.test(head);
        const body = rest.join('\r\n\r\n');
        resolve({ body: status === '200' ? (chunked ? body.split('\r\n').filter((_l, i) => i % 2 === 1).join('') : body) : String(status), certPem });
      });
    });
    socket.on('error', (e) => resolve({ body: `error ${e.message}`, certPem: '' }));
  });
}

const warnings = async (namespace: string, name: string): Promise<string[]> =>
  (await h.core.listNamespacedEvent({ namespace })).items.filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === name && e.type === 'Warning').map((e) => e.message ?? '');

beforeAll(async () => {
  const seed = join(mkdtempSync(join(tmpdir(), 'own-seed-')), 'seed.json');
  const network = {
    type: 'network',
    data: {
      name: 'vip-network',
      dhcp_enabled: false,
      configured_subnets: [{ prefix: { ip_addr: { addr: `${net}.0`, type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: `${net}.10`, type: 'V4' }, end: { addr: `${net}.250`, type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] }],
    },
  };
  writeFileSync(seed, JSON.stringify({ objects: [dnsDomainsSeed(['example.com']), network] }));
  h = await harness('own', 'c3', ['--dataplane', '--seed', seed]);
  for (const k of Object.keys(ns) as (keyof typeof ns)[]) ns[k] = await h.appNamespace(`own-${k}`);
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  // The apiserver refuses loopback endpoints: NodePort mode, with a Node on 127.0.0.1 only this AKO selects.
  const node = `own-${h.clusterName}`;
  await h.core.createNode({ body: { metadata: { name: node, labels: { 'own-node': h.clusterName } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await backend(ns.odd, 'odd');
  await backend(ns.good, 'good');
  await backend(ns.victim, 'victim');
  await backend(ns.attacker, 'evil');
  ca = await createCA('own-ca');
  ako = await h.start({
    NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
    // One shard VS: every team's hosts share it, its pool group and its datascript.
    L7Settings: { serviceType: 'NodePort', shardVSSize: 'SMALL' },
    nodePortSelector: { key: 'own-node', value: h.clusterName },
  });
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.core.deleteNode({ name: `own-${h.clusterName}` }).catch(() => undefined);
  await h?.close();
  for (const s of servers) s.close();
});

test('paths with #, + and %xx in one namespace: their pools exist by those names, and another team created later answers on the same shard', async () => {
  const oddHost = 'odd.own.example.com';
  await createIngress(ns.odd, 'odd', [
    rule(oddHost, [
      { path: '/a#b', service: 'odd', pathType: 'ImplementationSpecific' },
      { path: '/c+d', service: 'odd', pathType: 'ImplementationSpecific' },
      { path: '/e%41', service: 'odd', pathType: 'ImplementationSpecific' },
    ]),
  ]);
  const ip = await vipOf(ns.odd, 'odd');
  const pools = ['/a#b', '/c+d', '/e%41'].map((p) => `${h.clusterName}--${oddHost}${p.replaceAll('/', '_')}-${ns.odd}-odd`);
  for (const p of pools) await eventually(`pool ${p}`, () => h.avi.getByName('pool', p), (x) => x !== undefined);
  // The shared pool group holds each of them: the controller resolved its members' refs (rendered `<url>#<name>`,
  // the name as it is).
  const pg = await h.avi.getByName('poolgroup', `${h.clusterName}--Shared-L7-0`, { includeName: true });
  const members = ((pg as { members?: { pool_ref?: string }[] } | undefined)?.members ?? []).map((m) => String(m.pool_ref).slice(String(m.pool_ref).indexOf('#') + 1));
  expect(members).toEqual(expect.arrayContaining(pools));
  // As the request arrives (raw path): `+` and `%41` as written.
  await eventually('odd routes', async () => [await get(ip, '/c+d', oddHost), await get(ip, '/e%41', oddHost)], (r) => r.join() === 'odd,odd');

  // Another team's Ingress, created while the odd one is on the shard: status, and it answers.
  await createIngress(ns.good, 'good', [rule('good.own.example.com', [{ path: '/', service: 'good' }])]);
  expect(await vipOf(ns.good, 'good')).toBe(ip);
  await eventually('good answers', () => get(ip, '/', 'good.own.example.com'), (b) => b === 'good');
  expect(await warnings(ns.good, 'good')).toEqual([]);
}, 120000);

test("a host hijack from another namespace is rejected with a Warning Event and no status; the owner's traffic and certificate are unchanged", async () => {
  victimCertPem = await tlsSecret(ns.victim, 'shop-tls', SHOP);
  await createIngress(ns.victim, 'site', [rule(PLAIN, [{ path: '/', service: 'victim' }])]);
  await createIngress(ns.victim, 'shop', [rule(SHOP, [{ path: '/', service: 'victim' }])], { host: SHOP, secret: 'shop-tls' });
  const ip = await vipOf(ns.victim, 'site');
  expect(await vipOf(ns.victim, 'shop')).toBe(ip);
  await eventually('victim HTTP', () => get(ip, '/', PLAIN), (b) => b === 'victim');
  await eventually('victim HTTPS', () => getTls(ip, '/', SHOP), (r) => r.body === 'victim');

  // creationTimestamp counts seconds (a tie goes to the namespace first by name, here the attacker's): claim later.
  await new Promise((r) => setTimeout(r, 1100));
  // The other namespace: the same plain host and path; the TLS host with a valid certificate of its own; the TLS
  // host with a garbage Secret.
  await tlsSecret(ns.attacker, 'shop-tls', SHOP);
  await h.core.createNamespacedSecret({ namespace: ns.attacker, body: { metadata: { name: 'garbage-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'garbage', 'tls.key': 'garbage' } } });
  await createIngress(ns.attacker, 'hijack-http', [rule(PLAIN, [{ path: '/', service: 'evil' }])]);
  await createIngress(ns.attacker, 'hijack-tls', [rule(SHOP, [{ path: '/', service: 'evil' }])], { host: SHOP, secret: 'shop-tls' });
  await createIngress(ns.attacker, 'hijack-garbage', [rule(SHOP, [{ path: '/x', service: 'evil' }])], { host: SHOP, secret: 'garbage-tls' });
  for (const [name, host, owner] of [
    ['hijack-http', PLAIN, 'site'],
    ['hijack-tls', SHOP, 'shop'],
    ['hijack-garbage', SHOP, 'shop'],
  ] as const) {
    const w = await eventually(`Warning Event on ${name}`, () => warnings(ns.attacker, name), (l) => l.length > 0);
    expect(w.join('\n')).toContain(`host ${host} belongs to namespace ${ns.victim} (Ingress ${ns.victim}/${owner} claimed it first): not served for Ingress ${ns.attacker}/${name}`);
  }
  await ako.idle();
  for (const name of ['hijack-http', 'hijack-tls', 'hijack-garbage']) expect([name, await statusOf(ns.attacker, name)]).toEqual([name, []]);

  // Every request still reaches the owner's backend only, HTTPS with the owner's certificate.
  const plain = await Promise.all([...Array(20).keys()].map(() => get(ip, '/', PLAIN)));
  expect(new Set(plain)).toEqual(new Set(['victim']));
  const secure = [];
  for (let i = 0; i < 10; i++) secure.push(await getTls(ip, i % 2 ? '/x' : '/', SHOP));
  expect(new Set(secure.map((r) => r.body))).toEqual(new Set(['victim']));
  expect(new Set(secure.map((r) => r.certPem.replace(/\s+/g, '')))).toEqual(new Set([victimCertPem.replace(/\s+/g, '')]));
  expect(await warnings(ns.victim, 'site')).toEqual([]);
  expect(await warnings(ns.victim, 'shop')).toEqual([]);
  expect((await statusOf(ns.victim, 'shop')).map((s) => s.hostname)).toEqual([SHOP]);
}, 120000);
