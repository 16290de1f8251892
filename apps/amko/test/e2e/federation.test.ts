// AMKOCluster federation on the three real kube-apiservers: c1 runs the leader AMKO (isLeader true, clusters c1, c2,
// c3), c2 and c3 have follower AMKOClusters in a namespace of the same name. The federator copies GSLBConfig (with
// the amko-uuid annotation) and the GDP there, keeps them updated, deletes other-named and removed ones; a member of
// another version is skipped; a second leader stops federation and every Avi write until it is a follower again.
// Expected condition strings are the Go AMKO's (federator/controllers/status.go, spec amko.md §2.4), written here
// by hand.
import { isDeepStrictEqual } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { installCrds } from '@avi-k8s/crds';
import { AMKOCLUSTER_PLURAL } from '../../src/operator/amko-cluster.js';
import type { AmkoHandle } from '../../src/operator/run.js';
import { applyAmkoCluster, applyGdp, controllerWrites, createGslbConfig, createMemberIngress, eventually, GROUP, gslbService, harness, membersOf, type Harness } from './harness.js';

let h: Harness;
let amko: AmkoHandle;
const follower = (c: string, version = '0.1.0', isLeader = false) => ({ isLeader, clusterContext: c, version, clusters: ['c1', 'c2', 'c3'] });
const memberKc = (i: number) => h.members[i]!.kc;
const host = () => `fed.${h.ns}.example.com`;

type Obj = { metadata: k8s.V1ObjectMeta; spec?: Record<string, unknown>; status?: { conditions?: unknown[] } };
const list = async (kc: k8s.KubeConfig, plural: string, version: string) =>
  ((await kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({ group: GROUP, version, namespace: h.ns, plural })) as { items: Obj[] }).items;
const gcs = (kc: k8s.KubeConfig) => list(kc, 'gslbconfigs', 'v1alpha1');
const gdps = (kc: k8s.KubeConfig) => list(kc, 'globaldeploymentpolicies', 'v1alpha2');
const conditions = async () => (await list(h.kc, AMKOCLUSTER_PLURAL, 'v1alpha1'))[0]?.status?.conditions ?? [];
const names = (objs: Obj[]) => objs.map((o) => o.metadata.name).sort();

const GDP = () => ({ matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }], ttl: 10 });
const ALL_GOOD = [
  { type: 'current AMKOCluster Validation', status: 'valid AMKOCluster object' },
  { type: 'member cluster initialisation', status: 'all cluster clients fetched' },
  { type: 'member cluster validation', status: 'validated all member clusters' },
  { type: 'GSLBConfig Federation', status: 'federated to all valid clusters successfully' },
  { type: 'GDP Federation', status: 'federated to all valid clusters successfully' },
];

beforeAll(async () => {
  h = await harness('amko-fed', { amkoCluster: { isLeader: true, clusterContext: 'c1', version: '0.1.0', clusters: ['c1', 'c2', 'c3'] } });
  // The same namespace on the members, with a follower AMKOCluster each, and a stray GSLBConfig on c2.
  for (const [i, name] of [[0, 'c2'], [1, 'c3']] as const) {
    await installCrds(memberKc(i), 'amko');
    await memberKc(i).makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: h.ns } } });
    await applyAmkoCluster(memberKc(i), h.ns, follower(name));
  }
  await memberKc(0).makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: h.ns,
    plural: 'gslbconfigs',
    body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBConfig', metadata: { name: 'gc-stray' }, spec: { gslbLeader: { credentials: 'x', controllerIP: '192.0.2.1' } } },
  });
  await createGslbConfig(h);
  await applyGdp(h, GDP());
  // GSLBHostRules are not federated (as the Go federator): this one stays on the leader.
  await h.custom.createNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbhostrules', body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name: 'ghr-1' }, spec: { fqdn: host(), ttl: 5 } } });
  amko = await h.start({ federationRetryMs: 500 });
}, 180000);

afterAll(async () => {
  await h?.close();
  for (const i of [0, 1]) await memberKc(i)?.makeApiClient(k8s.CoreV1Api).deleteNamespace({ name: h.ns }).catch(() => undefined);
});

test('the leader copies GSLBConfig (spec + amko-uuid) and GDP to c2 and c3, as AMKO-Federator, and deletes other-named ones', async () => {
  await amko.ready;
  const [gc] = await eventually('uuid annotated on the leader', () => gcs(h.kc), (l) => !!l[0]?.metadata.annotations?.['amko.vmware.com/amko-uuid']);
  const uuid = gc!.metadata.annotations!['amko.vmware.com/amko-uuid'];
  for (const i of [0, 1]) {
    const copies = await eventually(`GSLBConfig on ${h.members[i]!.name}`, () => gcs(memberKc(i)), (l) => l.length === 1 && l[0]!.metadata.annotations?.['amko.vmware.com/amko-uuid'] === uuid);
    expect(names(copies)).toEqual(['gc-1']);
    expect(copies[0]!.spec).toEqual(gc!.spec);
    expect(copies[0]!.metadata.managedFields?.map((f) => f.manager)).toContain('AMKO-Federator');
    const policies = await eventually(`GDP on ${h.members[i]!.name}`, () => gdps(memberKc(i)), (l) => l.length === 1);
    expect(names(policies)).toEqual(['global-gdp']);
    expect(policies[0]!.spec).toEqual(GDP());
  }
  await eventually('AMKOCluster conditions', conditions, (c) => isDeepStrictEqual(c, ALL_GOOD));
  for (const i of [0, 1]) expect(await list(memberKc(i), 'gslbhostrules', 'v1alpha1')).toEqual([]);
});

test('a GDP edit reaches the members; a GDP deleted on the leader is deleted on the members', async () => {
  await applyGdp(h, { ...GDP(), ttl: 20 });
  for (const i of [0, 1]) await eventually(`ttl 20 on ${h.members[i]!.name}`, () => gdps(memberKc(i)), (l) => l[0]?.spec?.ttl === 20);
  // An other-named GDP appears on c3: the next run (any change on the leader) removes it.
  await memberKc(1).makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', body: { apiVersion: `${GROUP}/v1alpha2`, kind: 'GlobalDeploymentPolicy', metadata: { name: 'gdp-other' }, spec: { matchClusters: [{ cluster: 'c2' }] } } });
  await applyGdp(h, { ...GDP(), ttl: 30 });
  await eventually('only global-gdp on c3, ttl 30', () => gdps(memberKc(1)), (l) => names(l).join() === 'global-gdp' && l[0]!.spec?.ttl === 30);

  await h.custom.deleteNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', name: 'global-gdp' });
  for (const i of [0, 1]) await eventually(`no GDP on ${h.members[i]!.name}`, () => gdps(memberKc(i)), (l) => l.length === 0);
  expect(names(await gcs(memberKc(0)))).toEqual(['gc-1']);
  await applyGdp(h, GDP());
  for (const i of [0, 1]) await eventually(`GDP back on ${h.members[i]!.name}`, () => gdps(memberKc(i)), (l) => l.length === 1);
});

test('a member of another version is skipped, with the reason in the member validation condition', async () => {
  await applyAmkoCluster(memberKc(1), h.ns, follower('c3', '0.0.9'));
  await applyGdp(h, { ...GDP(), ttl: 40 });
  await eventually('c2 has ttl 40', () => gdps(memberKc(0)), (l) => l[0]?.spec?.ttl === 40);
  const c = await eventually('member validation condition', conditions, (cs) => (cs as { type: string }[]).some((x) => x.type === 'member cluster validation' && (x as { reason?: string }).reason !== undefined));
  expect(c).toContainEqual({ type: 'member cluster validation', status: 'error in validating some member clusters', reason: 'version mismatch, current AMKO: 0.1.0, AMKO in cluster c3: 0.0.9' });
  expect(c).toContainEqual({ type: 'GDP Federation', status: 'federated to all valid clusters successfully' });
  expect((await gdps(memberKc(1)))[0]?.spec?.ttl).toBe(10);

  // Same version again: the federator's retry brings c3 in line without another change on the leader.
  await applyAmkoCluster(memberKc(1), h.ns, follower('c3'));
  await eventually('c3 has ttl 40', () => gdps(memberKc(1)), (l) => l[0]?.spec?.ttl === 40);
  await eventually('all good again', conditions, (cs) => isDeepStrictEqual(cs, ALL_GOOD));
});

test('another leader aborts federation and every Avi write, with the reason; a follower again resumes both', async () => {
  await amko.idle();
  await applyAmkoCluster(memberKc(0), h.ns, follower('c2', '0.1.0', true));
  await applyGdp(h, { ...GDP(), ttl: 50 });
  const c = await eventually('conflict condition', conditions, (cs) => (cs as { type: string; status: string }[]).some((x) => x.type === 'member cluster validation' && x.status === 'member cluster clients invalid'));
  expect(c).toEqual([
    { type: 'current AMKOCluster Validation', status: 'valid AMKOCluster object' },
    { type: 'member cluster initialisation', status: 'all cluster clients fetched' },
    { type: 'member cluster validation', status: 'member cluster clients invalid', reason: 'AMKO in cluster c2 is also a leader, conflicting state' },
  ]);
  // Nothing is federated, and a new member Ingress makes no GslbService while two leaders exist.
  const writes = await controllerWrites(h);
  await createMemberIngress(h.members[1]!, 'fed', host(), '10.35.0.1');
  await new Promise((r) => setTimeout(r, 3000));
  await amko.idle();
  expect(amko.last?.held).toBe('AMKO in cluster c2 is also a leader, conflicting state');
  expect(await gslbService(h, host())).toBeUndefined();
  expect(await controllerWrites(h)).toBe(writes);
  expect((await gdps(memberKc(1)))[0]?.spec?.ttl).toBe(40);

  await applyAmkoCluster(memberKc(0), h.ns, follower('c2'));
  await eventually('GslbService once c2 follows', () => gslbService(h, host()), (g) => Object.values(membersOf(g)).flat().length === 1);
  await eventually('c3 has ttl 50', () => gdps(memberKc(1)), (l) => l[0]?.spec?.ttl === 50);
  await eventually('all good again', conditions, (cs) => isDeepStrictEqual(cs, ALL_GOOD));
});
