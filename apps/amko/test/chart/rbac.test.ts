// The chart's RBAC on the real kube-apiserver: amko-sa (leader) can do everything AMKO does and nothing else, and the
// optional member identity can only read what AMKO watches on a member (access table in fixtures/access.yaml).
// Checked with SelfSubjectAccessReview and with real calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { installCrds } from '@avi-k8s/crds';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { rawKube } from '@avi-k8s/kube';
import { federateKind } from '../../src/operator/federate-kind.js';
import { FIXTURES, inOrder, RBAC_KINDS, render } from './chart.js';
import { applyManifests as apply } from '@avi-k8s/testbed';

interface Access {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}
type Table = { allowed: Access[]; denied: Access[] };
const table = parseYaml(readFileSync(join(FIXTURES, 'access.yaml'), 'utf8')) as { leader: Table; member: Table };
const describe_ = (a: Access) => `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in ${a.namespace}` : ' cluster-wide'}${a.name ? ` (${a.name})` : ''}`;
const GROUP = 'amko.vmware.com';
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const code = (p: Promise<unknown>) => p.then(() => 200, (err: { code?: number }) => err.code);

interface Identity {
  kc: k8s.KubeConfig;
  ns: string;
  other: string;
}
let leader: TestCluster;
let amko: Identity;
let member: Identity;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  leader = await testCluster('c1');
  const admin = leader.kubeConfig();
  await installCrds(admin, 'amko');
  const ns = await leader.newNamespace('amko-chart-rbac');
  const other = await leader.newNamespace('amko-chart-other');
  const docs = await render({ namespace: ns });
  cleanups.push(await apply(admin, inOrder(docs, RBAC_KINDS)));
  amko = { kc: await leader.serviceAccountKubeConfig(ns, 'amko-sa'), ns, other };

  const c2 = await testCluster('c2');
  await installCrds(c2.kubeConfig(), 'amko');
  const mns = await c2.newNamespace('amko-chart-member');
  const mother = await c2.newNamespace('amko-chart-apps');
  const memberDocs = await render({ namespace: mns, values: { memberRBAC: { enabled: true, memberOnly: true } } });
  cleanups.push(await apply(c2.kubeConfig(), inOrder(memberDocs, RBAC_KINDS)));
  member = { kc: await c2.serviceAccountKubeConfig(mns, 'amko-member'), ns: mns, other: mother };
}, 120000);

afterAll(async () => {
  for (const c of cleanups) await c();
});

async function allowed(who: Identity, a: Access): Promise<boolean> {
  const sub = (v?: string) => (v === '$amko' ? who.ns : v === '$other' ? who.other : v);
  const review = await who.kc.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { verb: a.verb, group: a.group ?? '', resource: a.resource, subresource: a.subresource, namespace: sub(a.namespace), name: sub(a.name) } } },
  });
  return review.status?.allowed === true;
}

test.each([
  ['amko-sa (leader)', 'leader'],
  ['amko-member (member)', 'member'],
] as const)('%s may do everything AMKO needs and nothing else', async (_label, which) => {
  const who = which === 'leader' ? amko : member;
  const refused = [];
  for (const a of table[which].allowed) if (!(await allowed(who, a))) refused.push(describe_(a));
  const granted = [];
  for (const a of table[which].denied) if (await allowed(who, a)) granted.push(describe_(a));
  expect({ refused, granted }).toEqual({ refused: [], granted: [] });
});

test('real calls as amko-sa: AMKO\'s reads and writes succeed, the rest is 403', async () => {
  const { ns, other } = amko;
  const adminKc = leader.kubeConfig();
  const adminCustom = adminKc.makeApiClient(k8s.CustomObjectsApi);
  const adminCore = adminKc.makeApiClient(k8s.CoreV1Api);
  const docs = await render({ namespace: ns, values: { configs: { gslbLeaderController: '10.10.10.10' } } });
  await apply(adminKc, docs.filter((d) => d.kind === 'GSLBConfig' || d.kind === 'GlobalDeploymentPolicy'));
  await adminCustom.createNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: other, plural: 'gslbhostrules', body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name: 'ghr-1' }, spec: { fqdn: 'a.example.com' } } });
  await adminCore.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'gslb-avi-secret' }, stringData: { username: 'u', password: 'p' } } });
  await adminCore.createNamespacedSecret({ namespace: other, body: { metadata: { name: 'elsewhere' }, stringData: { a: 'b' } } });

  const custom = amko.kc.makeApiClient(k8s.CustomObjectsApi);
  const core = amko.kc.makeApiClient(k8s.CoreV1Api);
  const gc = { group: GROUP, version: 'v1alpha1', namespace: ns, plural: 'gslbconfigs', name: 'gc-1' };
  const gdp = { group: GROUP, version: 'v1alpha2', namespace: ns, plural: 'globaldeploymentpolicies', name: 'global-gdp' };
  const ghr = { group: GROUP, version: 'v1alpha1', namespace: other, plural: 'gslbhostrules', name: 'ghr-1' };

  const gcs = (await custom.listNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: ns, plural: 'gslbconfigs' })) as { items: unknown[] };
  expect(gcs.items).toHaveLength(1);
  const ghrs = (await custom.listClusterCustomObject({ group: GROUP, version: 'v1alpha1', plural: 'gslbhostrules' })) as { items: { metadata: k8s.V1ObjectMeta }[] };
  expect(ghrs.items.some((i) => i.metadata.namespace === other)).toBe(true);
  expect((await core.listNamespacedSecret({ namespace: ns })).items.map((s) => s.metadata?.name)).toContain('gslb-avi-secret');
  const annotated = (await custom.patchNamespacedCustomObject({ ...gc, body: { metadata: { annotations: { 'amko.vmware.com/amko-uuid': 'b3923b8e-7bff-11ee-8972-a24a90367d8f' } } } }, mergePatch)) as { metadata: k8s.V1ObjectMeta };
  expect(annotated.metadata.annotations?.['amko.vmware.com/amko-uuid']).toBe('b3923b8e-7bff-11ee-8972-a24a90367d8f');
  expect(await code(custom.patchNamespacedCustomObjectStatus({ ...gc, body: { status: { state: 'success: gslb config accepted' } } }, mergePatch))).toBe(200);
  expect(await code(custom.patchNamespacedCustomObjectStatus({ ...gdp, body: { status: { errorStatus: 'success' } } }, mergePatch))).toBe(200);
  expect(await code(custom.patchNamespacedCustomObjectStatus({ ...ghr, body: { status: { status: 'Accepted', error: '' } } }, mergePatch))).toBe(200);
  const event = (namespace: string, name: string, kind: string) => ({ namespace, body: { metadata: { name: `${name}.chart` }, involvedObject: { kind, name, namespace }, reason: 'Accepted', message: 'm', type: 'Normal' } });
  expect(await code(core.createNamespacedEvent(event(ns, 'gc-1', 'GSLBConfig')))).toBe(200);
  expect(await code(core.createNamespacedEvent(event(other, 'ghr-1', 'GSLBHostRule')))).toBe(200);

  // Status on the objects themselves (what AMKO does where the installed CRD has no status subresource).
  expect(await code(custom.patchNamespacedCustomObject({ ...gdp, body: { status: { errorStatus: 'success' } } }, mergePatch))).toBe(200);
  expect(await code(custom.patchNamespacedCustomObject({ ...ghr, body: { status: { status: 'Accepted', error: '' } } }, mergePatch))).toBe(200);
  // Leader election (replicaCount 2): its Lease, created, read and renewed (generic API: MicroTime as the apiserver wants it).
  const lease = { group: 'coordination.k8s.io', version: 'v1', namespace: ns, plural: 'leases' };
  const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  expect(await code(custom.createNamespacedCustomObject({ ...lease, body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'amko-lease-lock' }, spec: { holderIdentity: 'amko-0', leaseDurationSeconds: 15, renewTime: now } } }))).toBe(200);
  const held = (await custom.getNamespacedCustomObject({ ...lease, name: 'amko-lease-lock' })) as Record<string, unknown>;
  expect(await code(custom.replaceNamespacedCustomObject({ ...lease, name: 'amko-lease-lock', body: held }))).toBe(200);
  expect(await code(custom.deleteNamespacedCustomObject({ ...lease, name: 'amko-lease-lock' }))).toBe(403);
  expect(await code(custom.deleteNamespacedCustomObject(gc))).toBe(403);
  expect(await code(core.readNamespacedSecret({ name: 'elsewhere', namespace: other }))).toBe(403);
  expect(await code(core.listNamespacedSecret({ namespace: other }))).toBe(403);
  expect(await code(core.deleteNamespacedSecret({ name: 'gslb-avi-secret', namespace: ns }))).toBe(403);
  expect(await code(core.listServiceForAllNamespaces())).toBe(403);
  expect(await code(core.listNamespacedPod({ namespace: ns }))).toBe(403);
});

test('real calls as amko-member: AMKO\'s member informers and probe succeed, writes are 403', async () => {
  const core = member.kc.makeApiClient(k8s.CoreV1Api);
  expect(await code(core.listNamespace({ limit: 1 }))).toBe(200);
  expect(await code(core.listServiceForAllNamespaces())).toBe(200);
  expect(await code(member.kc.makeApiClient(k8s.NetworkingV1Api).listIngressForAllNamespaces())).toBe(200);
  expect(await code(core.listSecretForAllNamespaces())).toBe(403);
  expect(await code(core.createNamespacedService({ namespace: member.other, body: { metadata: { name: 'x' }, spec: { ports: [{ port: 80 }] } } }))).toBe(403);
});

test('real calls as amko-member: a leader\'s federation (AMKOCluster list, GSLBConfig and GDP create, replace, delete) works in the release namespace only', async () => {
  const raw = rawKube(member.kc);
  const amkoClusters = (ns: string) => raw.request('GET', `/apis/${GROUP}/v1alpha1/namespaces/${ns}/amkoclusters`).then(() => 200, (err: { statusCode?: number }) => err.statusCode);
  expect(await amkoClusters(member.ns)).toBe(200);
  expect(await amkoClusters(member.other)).toBe(403);
  const gc = (spec: Record<string, unknown>) => ({ metadata: { name: 'gc-1', annotations: { 'amko.vmware.com/amko-uuid': 'b3923b8e-7bff-11ee-8972-a24a90367d8f' } }, spec });
  const gdp = { metadata: { name: 'global-gdp' }, spec: { matchClusters: [{ cluster: 'c2' }] } };
  expect(await federateKind(raw, 'GSLBConfig', member.ns, gc({ gslbLeader: { controllerIP: '10.0.0.1' } }), 'c2')).toEqual({ created: 1, updated: 0, deleted: 0 });
  expect(await federateKind(raw, 'GSLBConfig', member.ns, gc({ gslbLeader: { controllerIP: '10.0.0.2' } }), 'c2')).toEqual({ created: 0, updated: 1, deleted: 0 });
  expect(await federateKind(raw, 'GlobalDeploymentPolicy', member.ns, gdp, 'c2')).toEqual({ created: 1, updated: 0, deleted: 0 });
  expect(await federateKind(raw, 'GSLBConfig', member.ns, undefined, 'c2')).toEqual({ created: 0, updated: 0, deleted: 1 });
  await expect(federateKind(raw, 'GSLBConfig', member.other, gc({}), 'c2')).rejects.toThrow(/HTTP 403/);
  raw.close();
});
