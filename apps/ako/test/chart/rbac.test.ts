// The chart's RBAC on the real kube-apiserver: ako-sa can do everything AKO does and nothing else (access table in
// fixtures/access.yaml), checked with SelfSubjectAccessReview and with real calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { FIXTURES, RBAC_KINDS, render } from './chart.js';
import { applyManifests as apply } from '@avi-k8s/testbed';

interface Access {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}
const table = parseYaml(readFileSync(join(FIXTURES, 'access.yaml'), 'utf8')) as { allowed: Access[]; denied: Access[] };
const describe_ = (a: Access) => `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in ${a.namespace}` : ' cluster-wide'}${a.name ? ` (${a.name})` : ''}`;

let cluster: TestCluster;
let ns: string;
let other: string;
let sa: k8s.KubeConfig;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  cluster = await testCluster('c1');
  const admin = cluster.kubeConfig();
  ns = await cluster.newNamespace('chart-rbac');
  other = await cluster.newNamespace('chart-other');
  // A secondary AKO (primaryInstance false): its ClusterRole/Binding are named for the namespace, unique here.
  const docs = await render({ namespace: ns, values: { AKOSettings: { primaryInstance: false, clusterName: ns } } });
  cleanup = await apply(admin, docs.filter((d) => RBAC_KINDS.includes(d.kind!)));
  await apply(admin, docs.filter((d) => d.kind === 'ConfigMap'));
  sa = await cluster.serviceAccountKubeConfig(ns, 'ako-sa');
}, 120000);

afterAll(async () => {
  await cleanup();
});

async function allowed(a: Access): Promise<boolean> {
  const sub = (v?: string) => (v === '$ako' ? ns : v === '$other' ? other : v);
  const review = await sa.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      spec: {
        resourceAttributes: { verb: a.verb, group: a.group ?? '', resource: a.resource, subresource: a.subresource, namespace: sub(a.namespace), name: sub(a.name) },
      },
    },
  });
  return review.status?.allowed === true;
}

test('ako-sa may do everything AKO needs', async () => {
  const refused = [];
  for (const a of table.allowed) if (!(await allowed(a))) refused.push(describe_(a));
  expect(refused).toEqual([]);
});

test('ako-sa may do nothing else', async () => {
  const granted = [];
  for (const a of table.denied) if (await allowed(a)) granted.push(describe_(a));
  expect(granted).toEqual([]);
});

const code = (p: Promise<unknown>) => p.then(() => 200, (err: { code?: number }) => err.code);

test('real calls as ako-sa: AKO\'s reads and writes succeed, the rest is 403', async () => {
  const admin = cluster.kubeConfig().makeApiClient(k8s.CoreV1Api);
  await admin.createNamespacedService({ namespace: other, body: { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } });
  await admin.createNamespacedSecret({ namespace: other, body: { metadata: { name: 'web-tls' }, stringData: { a: 'b' } } });
  await admin.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'avi-secret' }, stringData: { username: 'u', password: 'p' } } });
  const core = sa.makeApiClient(k8s.CoreV1Api);
  const net = sa.makeApiClient(k8s.NetworkingV1Api);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

  expect((await core.listServiceForAllNamespaces()).items.some((s) => s.metadata?.namespace === other)).toBe(true);
  expect((await core.listSecretForAllNamespaces()).items.some((s) => s.metadata?.name === 'web-tls')).toBe(true);
  expect(await code(net.listIngressForAllNamespaces())).toBe(200);
  expect(await code(sa.makeApiClient(k8s.DiscoveryV1Api).listEndpointSliceForAllNamespaces())).toBe(200);
  expect((await core.readNamespacedConfigMap({ name: 'avi-k8s-config', namespace: ns })).data?.clusterName).toBe(ns);
  expect(Buffer.from((await core.readNamespacedSecret({ name: 'avi-secret', namespace: ns })).data!.username!, 'base64').toString()).toBe('u');
  const patched = await core.patchNamespacedServiceStatus({ name: 'web', namespace: other, body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } } }, mergePatch);
  expect(patched.status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual(['192.0.2.10']);
  expect(await code(core.patchNamespacedService({ name: 'web', namespace: other, body: { metadata: { annotations: { 'ako.vmware.com/tenant-name': 'admin' } } } }, mergePatch))).toBe(200);
  expect(await code(core.createNamespacedEvent({ namespace: other, body: { metadata: { name: 'web.chart' }, involvedObject: { kind: 'Service', name: 'web', namespace: other }, reason: 'Synced', message: 'm', type: 'Normal' } }))).toBe(200);

  expect(await code(core.deleteNamespacedService({ name: 'web', namespace: other }))).toBe(403);
  expect(await code(core.readNamespacedSecret({ name: 'web-tls', namespace: other }))).toBe(403);
  expect(await code(core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } }))).toBe(403);
  expect(await code(core.patchNamespacedConfigMap({ name: 'avi-k8s-config', namespace: ns, body: { data: { logLevel: 'DEBUG' } } }, mergePatch))).toBe(403);
  expect(await code(core.deleteNamespace({ name: other }))).toBe(403);
  expect(await code(core.listNamespacedConfigMap({ namespace: other }))).toBe(403);
  // Its own ConfigMap by name (as the live-keys informer lists it), no other one in its namespace.
  expect((await core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=avi-k8s-config' })).items.map((c) => c.metadata?.name)).toEqual(['avi-k8s-config']);
  expect(await code(core.listNamespacedConfigMap({ namespace: ns }))).toBe(403);
  expect(await code(core.readNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: ns }))).toBe(403);
  const leases = sa.makeApiClient(k8s.CoordinationV1Api);
  expect(await code(leases.readNamespacedLease({ name: 'other-lock', namespace: ns }))).toBe(403);
  expect(await code(sa.makeApiClient(k8s.CoordinationV1Api).listNamespacedLease({ namespace: other }))).toBe(403);
});
