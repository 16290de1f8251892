// L4Rule end to end on a real apiserver (the chart's ako.vmware.com CRDs) and the avi-controller: a LoadBalancer
// Service naming an accepted rule gets its network profile, limits and pool algorithm, the rule's status says
// Accepted; a rule naming a missing Avi object is Rejected with a Warning Event; the rule removed, the VS goes back.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;

const L4R = { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'l4rules' };
const vs = () => h.avi.getByName('virtualservice', `${h.clusterName}--${ns}-web`, { includeName: true }) as Promise<AviBody | undefined>;
const pool = () => h.avi.getByName('pool', `${h.clusterName}--${ns}-web-TCP-80`, { includeName: true }) as Promise<AviBody | undefined>;
const rule = (name: string) => custom.getNamespacedCustomObject({ ...L4R, namespace: ns, name }) as Promise<{ status?: { status?: string; error?: string } }>;
const createRule = (name: string, spec: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...L4R, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1alpha2', kind: 'L4Rule', metadata: { name }, spec } });

beforeAll(async () => {
  h = await harness('l4r');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('l4r-apps');
  await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }], ['10.244.9.1'], {}, { 'ako.vmware.com/l4rule': 'fast' });
  await createLbService(h, ns, 'db', [{ port: 5432, targetPort: 5432 }], ['10.244.9.2'], {}, { 'ako.vmware.com/l4rule': 'broken' });
  ako = await h.start();
  await ako.ready;
  await eventually('L4 VS', vs, (v) => v !== undefined);
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('an accepted L4Rule sets the network profile, limits and the pool algorithm; status Accepted', async () => {
  expect(String((await vs())!.network_profile_ref)).toMatch(/#System-TCP-Proxy$/);
  await createRule('fast', {
    networkProfileRef: 'System-TCP-Fast-Path',
    performanceLimits: { maxConcurrentConnections: 100 },
    backendProperties: [{ port: 80, protocol: 'TCP', lbAlgorithm: 'LB_ALGORITHM_ROUND_ROBIN', minServersUp: 1 }],
  });
  const v = await eventually('VS with the rule', vs, (x) => String(x?.network_profile_ref ?? '').endsWith('#System-TCP-Fast-Path'));
  expect(v!.performance_limits).toMatchObject({ max_concurrent_connections: 100 });
  const p = await eventually('pool with the rule', pool, (x) => x?.lb_algorithm === 'LB_ALGORITHM_ROUND_ROBIN');
  expect(p!.min_servers_up).toBe(1);
  const r = await eventually('L4Rule status', () => rule('fast'), (x) => x.status?.status === 'Accepted');
  expect(r.status).toEqual({ status: 'Accepted', error: '' });
});

test('an L4Rule naming a missing Avi object is Rejected with a Warning Event, and its Service keeps the defaults', async () => {
  await createRule('broken', { applicationProfileRef: 'no-such-profile' });
  const r = await eventually('L4Rule status', () => rule('broken'), (x) => x.status?.status === 'Rejected');
  expect(r.status).toEqual({ status: 'Rejected', error: 'applicationprofile "no-such-profile" not found on controller' });
  await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'L4Rule' && e.involvedObject.name === 'broken'),
    (es) => es.some((e) => e.reason === 'Rejected' && e.type === 'Warning'),
  );
  const db = (await h.avi.getByName('virtualservice', `${h.clusterName}--${ns}-db`, { includeName: true })) as AviBody;
  expect(String(db.application_profile_ref)).toMatch(/#System-L4-Application$/);
});

test('the L4Rule removed, the VS and pool go back to the defaults', async () => {
  await custom.deleteNamespacedCustomObject({ ...L4R, namespace: ns, name: 'fast' });
  await eventually('VS without the rule', vs, (x) => String(x?.network_profile_ref ?? '').endsWith('#System-TCP-Proxy') && x?.performance_limits === undefined);
  const p = await eventually('pool without the rule', pool, (x) => x?.lb_algorithm !== 'LB_ALGORITHM_ROUND_ROBIN');
  expect(p!.min_servers_up).toBeUndefined();
});
