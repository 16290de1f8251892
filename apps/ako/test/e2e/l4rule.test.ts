// L4Rule end to end on a real apiserver (the chart's ako.vmware.com CRDs) and the avi-controller: a LoadBalancer
// Service naming an accepted rule gets its network profile, limits and pool algorithm, the rule's status says
// Accepted; a rule naming a missing Avi object is Rejected with a Warning Event; the rule removed, the VS goes back.
// An SSL listener (listenerProperties enableSsl) makes an L4 SSL VS: System-SSL-Application, an SSL listener, the pool
// as default pool and no L4PolicySet (expectations from the Go AKO's L4Rule code, read through search). Custom
// application profiles created on the controller are checked for their `type` as the Go AKO's checkForL4SSLAppProfile
// does: an SSL one with an SSL listener is Accepted and applied, an HTTP one is Rejected with the Go AKO's text.
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
  await createLbService(h, ns, 'tls', [{ port: 443, targetPort: 8443 }], ['10.244.9.3'], {}, { 'ako.vmware.com/l4rule': 'l4ssl' });
  await createLbService(h, ns, 'tls-custom', [{ port: 8443, targetPort: 8443 }], ['10.244.9.4'], {}, { 'ako.vmware.com/l4rule': 'custom-ssl' });
  await createLbService(h, ns, 'http-custom', [{ port: 8080, targetPort: 8080 }], ['10.244.9.5'], {}, { 'ako.vmware.com/l4rule': 'custom-http' });
  // Custom application profiles, as a user makes them on the controller, through the SDK.
  await h.avi.request('POST', '/api/applicationprofile', { body: { name: 'l4r-custom-ssl', type: 'APPLICATION_PROFILE_TYPE_SSL' } });
  await h.avi.request('POST', '/api/applicationprofile', { body: { name: 'l4r-custom-http', type: 'APPLICATION_PROFILE_TYPE_HTTP' } });
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

test('an SSL listener makes an L4 SSL VS: System-SSL-Application, enable_ssl, the pool as default pool, the L4PolicySet gone; removed, the VS goes back', async () => {
  const name = `${h.clusterName}--${ns}-tls`;
  const tlsVs = () => h.avi.getByName('virtualservice', name, { includeName: true }) as Promise<AviBody | undefined>;
  const policySet = () => h.avi.getByName('l4policyset', name, { includeName: true }) as Promise<AviBody | undefined>;
  await eventually('the VS with its L4PolicySet first', tlsVs, (v) => Array.isArray(v?.l4_policies) && (v.l4_policies as unknown[]).length === 1);
  await createRule('l4ssl', { listenerProperties: [{ port: 443, protocol: 'TCP', enableSsl: true }] });
  const v = await eventually('L4 SSL VS', tlsVs, (x) => String(x?.application_profile_ref ?? '').endsWith('#System-SSL-Application'));
  expect(v!.services).toMatchObject([{ port: 443, enable_ssl: true }]);
  expect(String(v!.pool_ref)).toMatch(new RegExp(`#${name}-TCP-443$`));
  expect(v!.l4_policies ?? []).toEqual([]);
  await eventually('the L4PolicySet deleted', policySet, (p) => p === undefined);
  const r = await eventually('L4Rule status', () => rule('l4ssl'), (x) => x.status?.status === 'Accepted');
  expect(r.status).toEqual({ status: 'Accepted', error: '' });

  await custom.deleteNamespacedCustomObject({ ...L4R, namespace: ns, name: 'l4ssl' });
  const back = await eventually('VS without the rule', tlsVs, (x) => String(x?.application_profile_ref ?? '').endsWith('#System-L4-Application') && Array.isArray(x?.l4_policies) && (x.l4_policies as unknown[]).length === 1);
  expect(back!.services).toMatchObject([{ port: 443, enable_ssl: false }]);
  await eventually('the L4PolicySet back', policySet, (p) => p !== undefined);
}, 120000);

test('a custom SSL application profile (type read on the controller) with an SSL listener is Accepted and applied: the VS is an L4 SSL VS on it', async () => {
  const name = `${h.clusterName}--${ns}-tls-custom`;
  const customVs = () => h.avi.getByName('virtualservice', name, { includeName: true }) as Promise<AviBody | undefined>;
  await eventually('the VS first', customVs, (v) => v !== undefined);
  await createRule('custom-ssl', { applicationProfileRef: 'l4r-custom-ssl', listenerProperties: [{ port: 8443, protocol: 'TCP', enableSsl: true }] });
  const r = await eventually('L4Rule status', () => rule('custom-ssl'), (x) => x.status?.status !== undefined);
  expect(r.status).toEqual({ status: 'Accepted', error: '' });
  const v = await eventually('L4 SSL VS on the custom profile', customVs, (x) => String(x?.application_profile_ref ?? '').endsWith('#l4r-custom-ssl'));
  expect(v!.services).toMatchObject([{ port: 8443, enable_ssl: true }]);
  expect(String(v!.pool_ref)).toMatch(new RegExp(`#${name}-TCP-8443$`));
}, 120000);

test('a custom application profile of type HTTP is Rejected with the Go AKO text, and its Service keeps System-L4-Application', async () => {
  await createRule('custom-http', { applicationProfileRef: 'l4r-custom-http' });
  const r = await eventually('L4Rule status', () => rule('custom-http'), (x) => x.status?.status !== undefined);
  expect(r.status).toEqual({
    status: 'Rejected',
    error: 'applicationprofile "l4r-custom-http" found on controller is invalid, must be of type: APPLICATION_PROFILE_TYPE_L4 or APPLICATION_PROFILE_TYPE_SSL',
  });
  const v = (await h.avi.getByName('virtualservice', `${h.clusterName}--${ns}-http-custom`, { includeName: true })) as AviBody;
  expect(String(v.application_profile_ref)).toMatch(/#System-L4-Application$/);
}, 120000);
