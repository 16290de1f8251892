// AMKO end to end on real clusters (c1 leader, c2/c3 members) and the avi-controller: the member-side objects are
// written here as AKO would leave them.
import type { AviBody } from '@avi-k8s/avi-sync';
import type { AmkoHandle } from '../../src/operator/run.js';
import {
  applyGdp,
  controllerWrites,
  createGslbConfig,
  createMemberIngress,
  createMemberService,
  eventually,
  getStatus,
  GROUP,
  gslbService,
  harness,
  membersKubeconfig,
  membersOf,
  setMemberIngressVip,
  setMembersSecret,
  type Harness,
} from './harness.js';

let h: Harness;
let amko: AmkoHandle;
const host = () => `app.${h.ns}.example.com`;

beforeAll(async () => {
  h = await harness('amko');
  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
  const [c2, c3] = h.members as [Harness['members'][0], Harness['members'][0]];
  await createMemberIngress(c2, 'web', host(), '10.20.0.1');
  await createMemberIngress(c3, 'web', host(), '10.30.0.1');
  // Not selected: one app label missing.
  await createMemberIngress(c2, 'other', `other.${h.ns}.example.com`, '10.20.0.2', { app: 'not-gslb' });
  amko = await h.start();
  await amko.ready;
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('an Ingress present in both members becomes one GslbService with two members and an AMKO health monitor', async () => {
  const gs = await eventually('GslbService', () => gslbService(h, host()), (g) => Object.values(membersOf(g)).flat().length === 2);
  expect(membersOf(gs)).toEqual({ '10': ['10.20.0.1:1', '10.30.0.1:1'] });
  const members = ((gs!.groups as AviBody[])[0]!.members as AviBody[]).map((m) => `${String(m.cluster_uuid)}/${String(m.vs_uuid)}`).sort();
  expect(members).toEqual(['cluster-c2/virtualservice-c2-web', 'cluster-c3/virtualservice-c3-web']);
  const gc = await getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1');
  expect(gc.state).toBe('success: gslb config accepted');
  expect(gs!.created_by).toMatch(/^amko-[0-9a-f-]{36}$/);
  const hmRefs = gs!.health_monitor_refs as string[];
  expect(hmRefs).toHaveLength(1);
  const hmName = hmRefs[0]!.split('#')[1]!;
  const hm = (await h.avi.getByName('healthmonitor', hmName)) as AviBody;
  expect(hm.is_federated).toBe(true);
  expect(hm.description).toBe(`created by: amko, gsname: ${host()}, path: /, protocol: http`);
  expect(await gslbService(h, `other.${h.ns}.example.com`)).toBeUndefined();
  expect((await getStatus(h, 'globaldeploymentpolicies', 'v1alpha2', 'global-gdp')).errorStatus).toBe('success');
});

test('trafficSplit weights and priorities become ratios and groups; a VIP change in a member updates the GslbService', async () => {
  await applyGdp(h, {
    matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } },
    matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }],
    trafficSplit: [{ cluster: 'c2', weight: 8, priority: 20 }, { cluster: 'c3', weight: 2, priority: 10 }],
    ttl: 30,
  });
  let gs = await eventually('split', () => gslbService(h, host()), (g) => membersOf(g)['20']?.length === 1);
  expect(membersOf(gs)).toEqual({ '20': ['10.20.0.1:8'], '10': ['10.30.0.1:2'] });
  expect(gs!.ttl).toBe(30);
  await setMemberIngressVip(h.members[1]!, 'web', host(), '10.30.0.9');
  gs = await eventually('VIP change', () => gslbService(h, host()), (g) => membersOf(g)['10']?.[0] === '10.30.0.9:2');
  expect(membersOf(gs)).toEqual({ '20': ['10.20.0.1:8'], '10': ['10.30.0.9:2'] });
  // What AMKO keeps of the objects it wrote (memory): identity, checksum and refs, never the whole body.
  await amko.idle();
  const kept = amko.reconciler.owned.filter((o) => o.type === 'gslbservice');
  expect(kept.map((o) => o.name)).toContain(host());
  for (const o of amko.reconciler.owned) expect(Object.keys(o.body ?? {}).filter((k) => !k.endsWith('_ref') && !k.endsWith('_refs'))).toEqual([]);
  expect(Object.keys(kept.find((o) => o.name === host())?.body ?? {}).sort()).toEqual(['health_monitor_refs', 'tenant_ref']);
});

test('a GSLBHostRule overrides the GDP for its FQDN; an invalid one is rejected with a reason', async () => {
  const create = (name: string, spec: Record<string, unknown>) =>
    h.custom.createNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbhostrules', body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name }, spec } });
  await create('ghr', { fqdn: host(), ttl: 5, trafficSplit: [{ cluster: 'c3', weight: 4, priority: 20 }] });
  await create('bad', { fqdn: `x.${h.ns}.example.com`, healthMonitorRefs: ['no-such-hm'] });
  const gs = await eventually('GHR override', () => gslbService(h, host()), (g) => g?.ttl === 5);
  expect(membersOf(gs)).toEqual({ '20': ['10.20.0.1:8', '10.30.0.9:4'] });
  const ok = await eventually('GHR status', () => getStatus(h, 'gslbhostrules', 'v1alpha1', 'ghr'), (s) => !!s.status);
  expect(ok.status).toBe('Accepted');
  const bad = await eventually('bad GHR status', () => getStatus(h, 'gslbhostrules', 'v1alpha1', 'bad'), (s) => !!s.status);
  expect(bad).toEqual({ status: 'Rejected', error: 'health monitor no-such-hm does not exist on the GSLB leader' });
  await h.custom.deleteNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbhostrules', name: 'ghr' });
  await eventually('GHR removed', () => gslbService(h, host()), (g) => g?.ttl === 30);
});

test('an invalid GDP edit is reported and keeps the GslbServices as they are', async () => {
  await applyGdp(h, {
    matchRules: { appSelector: { label: { app: 'gslb' } } },
    matchClusters: [{ cluster: 'c2' }, { cluster: 'c9' }],
  });
  const st = await eventually('GDP status', () => getStatus(h, 'globaldeploymentpolicies', 'v1alpha2', 'global-gdp'), (s) => s.errorStatus !== 'success');
  expect(st.errorStatus).toBe('cluster context c9 not present in GSLBConfig');
  const events = await eventually(
    'GDP event',
    () => h.core.listNamespacedEvent({ namespace: h.ns }),
    (l) => l.items.some((e) => e.involvedObject.kind === 'GlobalDeploymentPolicy' && e.reason === 'Rejected'),
  );
  expect(events.items.find((e) => e.involvedObject.name === 'global-gdp' && e.reason === 'Rejected')?.message).toBe('cluster context c9 not present in GSLBConfig');
  await amko.idle();
  expect(membersOf(await gslbService(h, host()))).toEqual({ '20': ['10.20.0.1:8'], '10': ['10.30.0.9:2'] });
  await applyGdp(h, {
    matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } },
    matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }],
  });
  await eventually('GDP fixed', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.20.0.1:1', '10.30.0.9:1'] }));
});

test('a restart with nothing changed writes nothing to the controller', async () => {
  await amko.idle();
  await amko.stop();
  const before = await controllerWrites(h);
  amko = await h.start();
  const summary = await amko.ready;
  await amko.idle();
  expect(summary.owned).toBeGreaterThan(0);
  expect(amko.last).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  expect(await controllerWrites(h)).toBe(before);
  expect((await fetch(`${amko.ops.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${amko.ops.url}/readyz`)).status).toBe(200);
  const metrics = await (await fetch(`${amko.ops.url}/metrics`)).text();
  expect(metrics).toMatch(/^amko_owned_objects\{type="gslbservice"\} 1$/m);
  expect(metrics).toMatch(/^amko_member_clusters\{state="synced"\} 2$/m);
});

test('stale objects are cleaned up at boot by created_by; objects AMKO does not own are left alone', async () => {
  await amko.stop();
  const mine = (await gslbService(h, host()))!.created_by as string;
  const base = { enabled: true, is_federated: true, groups: [{ name: 'g', priority: 10, members: [{ ip: { addr: '10.99.0.1', type: 'V4' }, ratio: 1, enabled: true }] }] };
  await h.avi.create('gslbservice', { ...base, name: `stale.${h.ns}.example.com`, domain_names: [`stale.${h.ns}.example.com`], created_by: mine } as never, { validate: false });
  await h.avi.create('gslbservice', { ...base, name: `user.${h.ns}.example.com`, domain_names: [`user.${h.ns}.example.com`], created_by: 'someone-else' } as never, { validate: false });
  amko = await h.start();
  await amko.ready;
  await amko.idle();
  expect(await gslbService(h, `stale.${h.ns}.example.com`)).toBeUndefined();
  expect(await gslbService(h, `user.${h.ns}.example.com`)).toBeDefined();
  expect(await gslbService(h, host())).toBeDefined();
});

test('an out-of-band edit of a GslbService is repaired by the periodic full sync', async () => {
  const patchGc = async (spec: Record<string, unknown>) =>
    h.custom.patchNamespacedCustomObject(
      { group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbconfigs', name: 'gc-1', body: { spec } },
      (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', (await import('@kubernetes/client-node')).PatchStrategy.MergePatch),
    );
  const gs = (await gslbService(h, host()))!;
  await h.avi.update('gslbservice', String(gs.uuid), { ...gs, ttl: 999 } as never, { validate: false });
  await patchGc({ refreshInterval: 1 });
  await eventually('repaired', () => gslbService(h, host()), (g) => g !== undefined && g.ttl !== 999, 20000);
  await patchGc({ refreshInterval: 1800 });
});

test('a member whose kubeconfig points at an unreachable server: reported, dropped until it syncs, the other member keeps working', async () => {
  const [c2, c3] = h.members;
  await setMembersSecret(h, membersKubeconfig(h.members, { c3: 'https://127.0.0.1:1' }));
  const st = await eventually('member problem', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state?.includes('c3: cluster healthcheck failed') === true);
  expect(st.state).toMatch(/^success: gslb config accepted; member cluster problems: c3: /);
  // The lost member's access was reconfigured: it contributes nothing until it syncs again; c2 still flows.
  await createMemberIngress(c2!, 'second', `second.${h.ns}.example.com`, '10.20.0.7');
  await eventually('c2 still synced', () => gslbService(h, `second.${h.ns}.example.com`), (g) => g !== undefined);
  await eventually('c3 member gone', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.20.0.1:1'] }));
  await setMembersSecret(h, membersKubeconfig(h.members));
  await eventually('c3 back', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.20.0.1:1', '10.30.0.9:1'] }));
  await eventually('status clean', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state === 'success: gslb config accepted');
  expect(c3).toBeDefined();
});

test('a member removed from GSLBConfig stops counting without a restart; a LoadBalancer Service gets a TCP monitor', async () => {
  await createMemberService(h.members[0]!, 'pg', `pg.${h.ns}.example.com`, '10.20.0.40');
  const pg = await eventually('service GS', () => gslbService(h, `pg.${h.ns}.example.com`), (g) => g !== undefined);
  const hmName = (pg!.health_monitor_refs as string[])[0]!.split('#')[1]!;
  expect(((await h.avi.getByName('healthmonitor', hmName)) as AviBody).type).toBe('HEALTH_MONITOR_TCP');
  await h.custom.patchNamespacedCustomObject(
    { group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbconfigs', name: 'gc-1', body: { spec: { memberClusters: [{ clusterContext: 'c2' }] } } },
    (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', (await import('@kubernetes/client-node')).PatchStrategy.MergePatch),
  );
  // c3 is no longer a member, so the GDP naming it is now invalid: everything is held as it is.
  const st = await eventually('GDP invalid', () => getStatus(h, 'globaldeploymentpolicies', 'v1alpha2', 'global-gdp'), (s) => s.errorStatus !== 'success');
  expect(st.errorStatus).toBe('cluster context c3 not present in GSLBConfig');
  // Held, not deleted (the Go AMKO deletes every GslbService after the restart it asks for): c3's member stays.
  expect(Object.values(membersOf(await gslbService(h, host()))).flat()).toHaveLength(2);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }] });
  await eventually('only c2', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.20.0.1:1'] }));
});

test('deleting the GDP deletes every GslbService and AMKO health monitor', async () => {
  await h.custom.deleteNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', name: 'global-gdp' });
  const left = await eventually('all of AMKO\'s gone', () => h.avi.list('gslbservice'), (l) => l.results.every((g) => (g as AviBody).created_by === 'someone-else'));
  expect(left.results.map((g) => (g as AviBody).name)).toEqual([`user.${h.ns}.example.com`]);
  // The monitors go after the GslbServices that name them (dependency order): wait for them too.
  const amkoMonitors = async () => (await h.avi.list('healthmonitor', { params: { 'name.contains': 'amko--' } })).results.filter((x) => String((x as AviBody).name).startsWith('amko--'));
  expect(await eventually('AMKO\'s monitors gone', amkoMonitors, (l) => l.length === 0)).toEqual([]);
});
