// The test bed of the HostRule tcpSettings/useRegex/applicationRootPath e2e files (hostrule-tcp-regex, with one
// shard VS, and hostrule-dedicated, with dedicated VSes): a harness cluster and controller with its data plane on a
// random /24 VIP network, the CRDs, an app namespace with two NodePort backends (my-app-0, my-app-1) on a test Node,
// a CA for the Ingresses' certificates, AKO in NodePort mode; and the helpers both files use. Each jest file has its
// own module registry, so `bed` is that file's.
import { request as httpsRequest } from 'node:https';
import type { Server } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { dnsDomainsSeed, randomLoopbackNet, vipNetworkSeed, writeSeedFile } from '@avi-k8s/testbed';
import { eventually, harness, nodePortBackend, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

export interface HostRuleBed {
  h: Harness;
  /** The app namespace (the backends', the Ingresses'). */
  ns: string;
  ca: CertificateAuthority;
  ako: AkoHandle;
  custom: k8s.CustomObjectsApi;
  /** The VIP network's first three octets. */
  net: string;
  servers: Server[];
  prefix: string;
}

export const bed = {} as HostRuleBed;
const HR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' };
export const hostRule = (namespace: string, name: string) => bed.custom.getNamespacedCustomObject({ ...HR, namespace, name }) as Promise<{ status?: { status?: string; error?: string } }>;
export const createRule = (namespace: string, name: string, virtualhost: Record<string, unknown>) =>
  bed.custom.createNamespacedCustomObject({ ...HR, namespace, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { name }, spec: { virtualhost } } });
export const deleteRule = (namespace: string, name: string) => bed.custom.deleteNamespacedCustomObject({ ...HR, namespace, name });
export const avi = (type: 'virtualservice' | 'vsvip' | 'httppolicyset' | 'stringgroup', name: string) => bed.h.avi.getByName(type, name, { includeName: true }) as Promise<AviBody | undefined>;

function get(ip: string, port: number, p: string, host: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: ip, port, path: p, servername: host, headers: { host }, ca: bed.ca.certPem }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What serves each path: the backend's name, `302 <location>`, or the status. */
export async function served(ip: string, host: string, paths: readonly string[], port = 443): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const r = await get(ip, port, p, host).catch((e: Error) => ({ status: 0, body: e.message, location: undefined }));
    out[p] = r.status === 200 ? r.body : r.status === 302 ? `302 ${r.location}` : String(r.status);
  }
  return out;
}

export async function secureIngress(name: string, host: string, paths: { path: string; pathType: string; svc: string }[]): Promise<void> {
  const cert = await issueCertificate(bed.ca, { commonName: host, dnsNames: [host], usage: 'server' });
  await bed.h.core.createNamespacedSecret({ namespace: bed.ns, body: { metadata: { name: `${name}-tls` }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await bed.h.networking.createNamespacedIngress({
    namespace: bed.ns,
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

export async function vipOf(name: string, not?: string): Promise<string> {
  const ing = await eventually(
    `Ingress ${name} status`,
    () => bed.h.networking.readNamespacedIngress({ name, namespace: bed.ns }),
    (i) => !!i.status?.loadBalancer?.ingress?.[0]?.ip && i.status.loadBalancer.ingress[0].ip !== not,
  );
  return ing.status!.loadBalancer!.ingress![0]!.ip!;
}

/**
 * Starts the bed: `prefix` names the cluster, namespace, node and CA; the VIP network is 127.<second>.<random>.0/24
 * with <second> in [secondFrom, secondFrom + secondSpan), so that the files running at once do not overlap.
 */
export async function startBed(prefix: string, secondFrom: number, secondSpan: number, shardVSSize: 'SMALL' | 'DEDICATED'): Promise<HostRuleBed> {
  const net = randomLoopbackNet(secondFrom, secondSpan);
  Object.assign(bed, { net, prefix, servers: [] });
  const seed = writeSeedFile([dnsDomainsSeed(['example.com']), vipNetworkSeed(net)]);
  const h = (bed.h = await harness(prefix, 'c3', ['--dataplane', '--seed', seed]));
  await installCrds(h.kc, 'ako');
  bed.custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  bed.ns = await h.appNamespace(`${prefix}-apps`);
  // AKO reads CRs of the namespaces it syncs only: its own namespace (where shared-VS HostRules live) is one.
  await h.core.patchNamespace(
    { name: h.akoNamespace, body: { metadata: { labels: { 'ako-test': h.clusterName } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  const node = `${prefix}-${h.clusterName}`;
  await h.core.createNode({ body: { metadata: { name: node, labels: { [`${prefix}-node`]: h.clusterName } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  for (const b of ['my-app-0', 'my-app-1']) await nodePortBackend(h, bed.servers, { namespace: bed.ns, name: b });
  bed.ca = await createCA(`${prefix}-ca`);
  bed.ako = await h.start({
    L7Settings: { serviceType: 'NodePort', shardVSSize },
    NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
    nodePortSelector: { key: `${prefix}-node`, value: h.clusterName },
  });
  await bed.ako.ready;
  return bed;
}

export async function closeBed(): Promise<void> {
  await bed.h?.core.deleteNode({ name: `${bed.prefix}-${bed.h.clusterName}` }).catch(() => undefined);
  await bed.h?.close();
  for (const s of bed.servers ?? []) s.close();
}
