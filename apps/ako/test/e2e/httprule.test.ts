// HTTPRule end to end on a real apiserver (the chart's ako.vmware.com CRDs) and the avi-controller: an accepted rule
// sets the pool algorithm, health monitor and persistence of its host/path, status Accepted; a rule with both a PKI
// profile and a destination CA is Rejected with the Go AKO's text and a Warning Event; removed, the pool goes back.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createSecureIngress, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;

const RR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'httprules' };
const host = 'a.rr.example.com';

const pool = () => h.avi.getByName('pool', `${h.clusterName}--${ns}-${host}_-a`, { includeName: true }) as Promise<AviBody | undefined>;
const httpRule = (name: string) => custom.getNamespacedCustomObject({ ...RR, namespace: ns, name }) as Promise<{ status?: { status?: string; error?: string } }>;
const createRule = (name: string, spec: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...RR, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HTTPRule', metadata: { name }, spec } });

beforeAll(async () => {
  h = await harness('rr');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('rr-apps');
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await createSecureIngress(h, ns, 'a', host);
  ako = await h.start();
  await ako.ready;
  await eventually('pool', pool, (p) => p !== undefined);
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('an accepted HTTPRule sets the algorithm, health monitor and persistence of its path; status Accepted', async () => {
  expect((await pool())!.lb_algorithm).not.toBe('LB_ALGORITHM_ROUND_ROBIN');
  await createRule('rr-a', {
    fqdn: host,
    paths: [{ target: '/', loadBalancerPolicy: { algorithm: 'LB_ALGORITHM_ROUND_ROBIN' }, healthMonitors: ['System-HTTP'], applicationPersistence: 'System-Persistence-Client-IP' }],
  });
  const p = await eventually('pool with the rule', pool, (x) => x?.lb_algorithm === 'LB_ALGORITHM_ROUND_ROBIN');
  expect((p!.health_monitor_refs as string[]).map((r) => r.split('#')[1])).toEqual(['System-HTTP']);
  expect(String(p!.application_persistence_profile_ref)).toMatch(/#System-Persistence-Client-IP$/);
  const r = await eventually('HTTPRule status', () => httpRule('rr-a'), (x) => x.status?.status === 'Accepted');
  expect(r.status).toEqual({ status: 'Accepted', error: '' });
});

test('an HTTPRule with both pkiProfile and destinationCA is Rejected with a Warning Event', async () => {
  await createRule('rr-bad', { fqdn: 'other.rr.example.com', paths: [{ target: '/', tls: { type: 'reencrypt', pkiProfile: 'x', destinationCA: 'y' } }] });
  const r = await eventually('HTTPRule status', () => httpRule('rr-bad'), (x) => x.status?.status === 'Rejected');
  expect(r.status).toEqual({ status: 'Rejected', error: 'PKIProfile and DestinationCA fields are set in the HTTPRule. Only one of the field should be set.' });
  await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'HTTPRule' && e.involvedObject.name === 'rr-bad'),
    (es) => es.some((e) => e.reason === 'Rejected' && e.type === 'Warning'),
  );
});

test('the HTTPRule removed, the pool goes back', async () => {
  await custom.deleteNamespacedCustomObject({ ...RR, namespace: ns, name: 'rr-a' });
  const p = await eventually('pool without the rule', pool, (x) => x !== undefined && x.lb_algorithm !== 'LB_ALGORITHM_ROUND_ROBIN');
  expect((p!.health_monitor_refs as string[]).map((r) => r.split('#')[1])).toEqual(['System-TCP']);
  expect(p!.application_persistence_profile_ref).toBeUndefined();
});
