// HostRule tcpSettings, useRegex and applicationRootPath on a dedicated VS (shardVSSize DEDICATED) end to end: a real
// apiserver, the avi-controller with its data plane, AKO in NodePort mode. As the Go AKO's docs/crds/hostrule.md say:
// the dedicated VS listens on the rule's listeners at its loadBalancerIP, paths route by case-insensitive regex, `/`
// is redirected to the root path on the port it came on; the rule removed, the VS goes back to 80/443.
import { request as httpsRequest } from 'node:https';
import type { Server } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { dnsDomainsSeed } from '@avi-k8s/testbed';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, harness, nodePortBackend, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ca: CertificateAuthority;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
const servers: Server[] = [];
const net = `127.${230 + Math.floor(Math.random() * 20)}.${Math.floor(Math.random() * 250)}`;
const HR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' };

const hostRule = (namespace: string, name: string) => custom.getNamespacedCustomObject({ ...HR, namespace, name }) as Promise<{ status?: { status?: string; error?: string } }>;
const createRule = (namespace: string, name: string, virtualhost: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...HR, namespace, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { name }, spec: { virtualhost } } });
const deleteRule = (namespace: string, name: string) => custom.deleteNamespacedCustomObject({ ...HR, namespace, name });
const avi = (type: 'virtualservice' | 'vsvip' | 'httppolicyset' | 'stringgroup', name: string) => h.avi.getByName(type, name, { includeName: true }) as Promise<AviBody | undefined>;

function get(ip: string, port: number, p: string, host: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: ip, port, path: p, servername: host, headers: { host }, ca: ca.certPem }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What serves each path: the backend's name, `302 <location>`, or the status. */
async function served(ip: string, host: string, paths: readonly string[], port = 443): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const r = await get(ip, port, p, host).catch((e: Error) => ({ status: 0, body: e.message, location: undefined }));
    out[p] = r.status === 200 ? r.body : r.status === 302 ? `302 ${r.location}` : String(r.status);
  }
  return out;
}

async function secureIngress(name: string, host: string, paths: { path: string; pathType: string; svc: string }[]): Promise<void> {
  const cert = await issueCertificate(ca, { commonName: host, dnsNames: [host], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: `${name}-tls` }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        ingressClassName: 'avi-lb',
        tls: [{ hosts: [host], secretName: `${name}-tls` }],
        rules: [{ host, http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name: p.svc, port: { number: 80 } } } })) } }],
      },
    },
  });
}

async function vipOf(name: string, not?: string): Promise<string> {
  const ing = await eventually(
    `Ingress ${name} status`,
    () => h.networking.readNamespacedIngress({ name, namespace: ns }),
    (i) => !!i.status?.loadBalancer?.ingress?.[0]?.ip && i.status.loadBalancer.ingress[0].ip !== not,
  );
  return ing.status!.loadBalancer!.ingress![0]!.ip!;
}

beforeAll(async () => {
  const seedDir = mkdtempSync(join(tmpdir(), 'hr-tcp-seed-'));
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
  h = await harness('hrd', 'c3', ['--dataplane', '--seed', seed]);
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('hrd-apps');
  // AKO reads CRs of the namespaces it syncs only: its own namespace (where shared-VS HostRules live) is one.
  await h.core.patchNamespace(
    { name: h.akoNamespace, body: { metadata: { labels: { 'ako-test': h.clusterName } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  const node = `hrd-${h.clusterName}`;
  await h.core.createNode({ body: { metadata: { name: node, labels: { 'hrd-node': h.clusterName } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  for (const b of ['my-app-0', 'my-app-1']) await nodePortBackend(h, servers, { namespace: ns, name: b });
  ca = await createCA('hrd-ca');
  ako = await h.start({
    L7Settings: { serviceType: 'NodePort', shardVSSize: 'DEDICATED' },
    NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
    nodePortSelector: { key: 'hrd-node', value: h.clusterName },
  });
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.core.deleteNode({ name: `hrd-${h.clusterName}` }).catch(() => undefined);
  await h?.close();
  for (const s of servers) s.close();
});

test('a dedicated VS: the rule (before the VS) sets its listeners and VIP; paths route by regex, / redirects on the port it came on; removed, back to 80/443', async () => {
  const host = 'ded.hrd.example.com';
  const vsName = `${h.clusterName}--${host}-L7-dedicated`;
  const staticIp = `${net}.248`;
  await createRule(ns, 'ded', { fqdn: host, useRegex: true, applicationRootPath: '/app', tcpSettings: { listeners: [{ port: 8080 }, { port: 8443, enableSSL: true }], loadBalancerIP: staticIp } });
  expect((await eventually('status', () => hostRule(ns, 'ded'), (r) => r.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  await secureIngress('ded', host, [
    { path: '/', pathType: 'Exact', svc: 'my-app-1' },
    { path: '/v[0-9]+/.*', pathType: 'ImplementationSpecific', svc: 'my-app-0' },
  ]);
  expect(await vipOf('ded')).toBe(staticIp);
  expect((await avi('virtualservice', vsName))!.services).toEqual([
    { port: 8080, port_range_end: 8080, enable_ssl: false, enable_http2: false },
    { port: 8443, port_range_end: 8443, enable_ssl: true, enable_http2: false },
  ]);
  const want = { '/': `302 https://${host}:8443/app`, '/app': 'my-app-1', '/V2/x': 'my-app-0', '/v': '503' };
  await eventually('routes on 8443', () => served(staticIp, host, Object.keys(want), 8443), (s) => JSON.stringify(s) === JSON.stringify(want), 60000);
  await deleteRule(ns, 'ded');
  const back = await eventually('ports back', () => avi('virtualservice', vsName), (v) => (v?.services as { port: number }[] | undefined)?.[0]?.port === 80);
  expect(back!.services).toEqual([
    { port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false },
    { port: 443, port_range_end: 443, enable_ssl: true, enable_http2: false },
  ]);
  // Without the rule: no redirect, plain prefixes (nothing begins with the regex).
  const plain = { '/': 'my-app-1', '/V2/x': '503' };
  await eventually('routes on 443', () => served(staticIp, host, Object.keys(plain), 443), (s) => JSON.stringify(s) === JSON.stringify(plain), 60000);
}, 120000);
