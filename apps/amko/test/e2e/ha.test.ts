// AMKO HA on real clusters: two instances elect a leader on Lease amko-lease-lock in the leader namespace. The
// standby keeps warm caches and writes nothing; when the leader stops, the standby takes over without one write
// (controller writes counted from its /metrics, leader-cluster objects by resourceVersion); a leader that can no
// longer confirm its lease (taken by another holder) writes nothing more and gives up.
import * as k8s from '@kubernetes/client-node';
import { applyGdp, controllerWrites, createGslbConfig, createMemberIngress, eventually, GROUP, gslbService, harness, membersOf, setMemberIngressVip, type Harness } from './harness.js';

let h: Harness;
const host = () => `ha.${h.ns}.example.com`;
const election = (identity: string) => ({ identity, leaseDurationSeconds: 4, renewDeadlineSeconds: 3, retryPeriodSeconds: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await harness('amko-ha');
  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
  await createMemberIngress(h.members[0]!, 'web', host(), '10.24.0.1');
  await createMemberIngress(h.members[1]!, 'web', host(), '10.34.0.1');
}, 180000);

afterAll(async () => {
  await h?.close();
});

/** resourceVersions of the leader-side AMKO objects (a status or annotation write changes them). */
async function leaderVersions(): Promise<string[]> {
  const get = (plural: string, version: string, name: string) =>
    h.custom.getNamespacedCustomObject({ group: GROUP, version, namespace: h.ns, plural, name }) as Promise<{ metadata: { resourceVersion: string } }>;
  return [(await get('gslbconfigs', 'v1alpha1', 'gc-1')).metadata.resourceVersion, (await get('globaldeploymentpolicies', 'v1alpha2', 'global-gdp')).metadata.resourceVersion];
}

test('the standby writes nothing; it takes over from a stopped leader with zero writes, then follows changes', async () => {
  const a = await h.start({ leaderElection: election('amko-a') });
  await eventually('a leads', async () => a.leading, (v) => v);
  await a.ready;
  await eventually('GslbService', () => gslbService(h, host()), (g) => Object.values(membersOf(g)).flat().length === 2);
  await a.idle();

  const b = await h.start({ leaderElection: election('amko-b') });
  await b.warm;
  expect(b.leading).toBe(false);
  // Both member clusters are connected on the standby (its caches are warm).
  expect(b.members.states().map((m) => `${m.name}:${m.state}${m.error ?? ""}`).sort()).toEqual(['c2:synced', 'c3:synced']);
  const writes = await controllerWrites(h);
  const versions = await leaderVersions();
  await sleep(2500);
  expect(await controllerWrites(h)).toBe(writes);

  const lease = await h.kc.makeApiClient(k8s.CoordinationV1Api).readNamespacedLease({ name: 'amko-lease-lock', namespace: h.ns });
  expect(lease.spec?.holderIdentity).toBe('amko-a');

  await a.stop();
  await eventually('b leads', async () => b.leading, (v) => v, 20000);
  const summary = await b.ready;
  await b.idle();
  expect(summary).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  expect(await controllerWrites(h)).toBe(writes);
  expect(await leaderVersions()).toEqual(versions);

  await setMemberIngressVip(h.members[1]!, 'web', host(), '10.34.0.2');
  const gs = await eventually('VIP change by b', () => gslbService(h, host()), (g) => (membersOf(g)['10'] ?? []).includes('10.34.0.2:1'));
  expect(membersOf(gs)).toEqual({ '10': ['10.24.0.1:1', '10.34.0.2:1'] });
  await b.stop();
}, 120000);

test('a leader whose lease another holder took writes nothing more and gives up', async () => {
  let lost = false;
  const c = await h.start({ leaderElection: election('amko-c'), onLostLeadership: () => (lost = true) });
  await eventually('c leads', async () => c.leading, (v) => v, 20000);
  await c.ready;
  await c.idle();
  const writes = await controllerWrites(h);

  // Another holder takes the lease (as a partitioned leader sees it when its lease expired and was taken).
  // (Leases through the generic API: the apiserver wants MicroTime, six fractional digits.)
  const where = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: h.ns, name: 'amko-lease-lock' };
  const lease = (await h.custom.getNamespacedCustomObject(where)) as { spec: Record<string, unknown> };
  const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  await h.custom.replaceNamespacedCustomObject({ ...where, body: { ...lease, spec: { ...lease.spec, holderIdentity: 'someone-else', acquireTime: now, renewTime: now, leaseDurationSeconds: 60 } } });
  // A change c would write at once if it did not confirm the lease first.
  await setMemberIngressVip(h.members[0]!, 'web', host(), '10.24.0.9');
  await eventually('c gives up', async () => lost, (v) => v, 20000);
  await sleep(1000);
  expect(await controllerWrites(h)).toBe(writes);
  expect(membersOf(await gslbService(h, host()))['10']).not.toContain('10.24.0.9:1');
  await c.stop();
}, 120000);
