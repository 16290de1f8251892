// Bad inputs on the leader side: a missing credentials Secret, an unreachable member from the start, a second
// GSLBConfig, and a controller that is not the GSLB leader. AMKO reports each and never crashes.
import type { AviBody } from '@avi-k8s/avi-sync';
import type { AmkoHandle } from '../../src/operator/run.js';
import {
  applyGdp,
  controllerWrites,
  createCredentials,
  createGslbConfig,
  createMemberIngress,
  eventually,
  getStatus,
  GROUP,
  gslbService,
  harness,
  membersKubeconfig,
  membersOf,
  setMembersSecret,
  type Harness,
} from './harness.js';

let h: Harness;
let amko: AmkoHandle;
const host = () => `bad.${h.ns}.example.com`;
const gcState = () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1').then((s) => s.state ?? '');
const readyz = async () => (await fetch(`${amko.ops.url}/readyz`)).status;

beforeAll(async () => {
  h = await harness('amko-bad', { credentials: false });
  await setMembersSecret(h, membersKubeconfig(h.members, { c3: 'https://127.0.0.1:1' }));
  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
  await createMemberIngress(h.members[0]!, 'web', host(), '10.21.0.1');
  amko = await h.start();
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('a missing credentials Secret is reported on the GSLBConfig and AMKO stays not ready; creating it recovers', async () => {
  expect(await eventually('secret error', gcState, (s) => s !== '')).toBe("error: secret object doesn't exist gslb-avi-secret");
  expect(await readyz()).toBe(503);
  expect(await gslbService(h, host())).toBeUndefined();
  await createCredentials(h.core, h.ns, h.ctl);
  await amko.ready;
  expect(await readyz()).toBe(200);
});

test('an unreachable member is retried and reported while the other member is served', async () => {
  const gs = await eventually('GS from c2', () => gslbService(h, host()), (g) => g !== undefined);
  expect(membersOf(gs)).toEqual({ '10': ['10.21.0.1:1'] });
  const state = await eventually('c3 reported', gcState, (s) => s.includes('c3:'));
  expect(state).toMatch(/^success: gslb config accepted; member cluster problems: c3: cluster healthcheck failed: /);
  expect(amko.members.states().find((m) => m.name === 'c3')?.state).toBe('connecting');
});

test('a second GSLBConfig is rejected', async () => {
  await h.custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: h.ns,
    plural: 'gslbconfigs',
    body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBConfig', metadata: { name: 'gc-2' }, spec: { gslbLeader: { controllerIP: '192.0.2.1', credentials: 'x' } } },
  });
  const st = await eventually('gc-2 status', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-2'), (s) => !!s.state);
  expect(st.state).toBe("error: can't add another gslbconfig");
  expect(await gcState()).toMatch(/^success: gslb config accepted/);
});

test('a controller that is not the GSLB leader gets no writes', async () => {
  await amko.stop();
  const gslb = (await h.avi.list('gslb')).results[0] as AviBody;
  await h.avi.update('gslb', String(gslb.uuid), { ...gslb, leader_cluster_uuid: 'cluster-somewhere-else' } as never, { validate: false });
  await setMembersSecret(h, membersKubeconfig(h.members));
  await createMemberIngress(h.members[0]!, 'late', `late.${h.ns}.example.com`, '10.21.0.2');
  const before = await controllerWrites(h);
  amko = await h.start();
  expect(await eventually('not leader', gcState, (s) => s === 'error: controller not a leader')).toBe('error: controller not a leader');
  await amko.idle();
  expect(await readyz()).toBe(503);
  expect(await controllerWrites(h)).toBe(before);
  expect(await gslbService(h, `late.${h.ns}.example.com`)).toBeUndefined();
});
