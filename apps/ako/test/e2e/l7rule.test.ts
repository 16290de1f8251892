// L7Rule end to end on a real apiserver (the chart's ako.vmware.com CRDs, which default the L7Rule's booleans and
// sslSessCacheAvgSize) and the avi-controller: the upstream doc sample L7Rule (docs/crds/l7rule.md values, retyped)
// named by an accepted HostRule changes the EVH child's fields (AKO in EVH mode: the Go AKO applies L7Rules there
// only; SNI mode is covered by translate-l7rule.test.ts), status Accepted; a change of the L7Rule re-translates;
// an L7Rule naming an Avi object the controller lacks is Rejected with a Warning Event and changes nothing; the
// L7Rule removed, its HostRule is Rejected as the Go AKO words it and the VS goes back.
import { createHash } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createSecureIngress, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';
import { L7RULE_DOC_SAMPLE as DOC_SAMPLE } from '../fixtures/l7rule-docs/sample.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
/** host A's EVH child as the Ingress alone makes it. */
let initialA: AviBody;

const HR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' };
const L7 = { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'l7rules' };
const hostA = 'a.l7r.example.com';
const hostB = 'b.l7r.example.com';

type Status = { status?: { status?: string; error?: string } };
/** The EVH child VS of a host: `<cluster>--` + sha1 of `<cluster>--<host>` (the Go AKO's Encode). */
const childName = (host: string): string => `${h.clusterName}--${createHash('sha1').update(`${h.clusterName}--${host}`).digest('hex')}`;
const child = (host: string) => h.avi.getByName('virtualservice', childName(host), { includeName: true }) as Promise<AviBody | undefined>;
const getCr = (r: typeof HR, name: string) => custom.getNamespacedCustomObject({ ...r, namespace: ns, name }) as Promise<Status>;
const createHostRule = (name: string, virtualhost: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...HR, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { name }, spec: { virtualhost } } });
const createL7Rule = (name: string, spec: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...L7, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1alpha2', kind: 'L7Rule', metadata: { name }, spec } });
const refName = (v: unknown): string => /#(.*)$/.exec(String(v ?? ''))?.[1] ?? '';

beforeAll(async () => {
  h = await harness('l7r');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('l7r-apps');
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  // The Avi objects the doc sample names, made on the controller by its admin.
  for (const [type, body] of [
    ['botdetectionpolicy', { name: 'bot' }],
    ['securitypolicy', { name: 'secPolicy' }],
    ['trafficcloneprofile', { name: 'tcp' }],
    ['analyticsprofile', { name: 'my-analytics-profile' }],
    ['applicationprofile', { name: 'my-application-profile', type: 'APPLICATION_PROFILE_TYPE_HTTP', http_profile: {} }],
    ['wafpolicy', { name: 'my-waf-policy' }],
    ['icapprofile', { name: 'my-icap-profile' }],
    ['errorpageprofile', { name: 'my-error-page-profile' }],
    ['httppolicyset', { name: 'policy-set-1' }],
    ['httppolicyset', { name: 'policy-set-2' }],
  ] as const) {
    await h.avi.request('POST', `/api/${type}`, { body });
  }
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await createSecureIngress(h, ns, 'a', hostA);
  await createSecureIngress(h, ns, 'b', hostB);
  ako = await h.start({ AKOSettings: { enableEVH: true } });
  await ako.ready;
  await eventually('EVH children', async () => [await child(hostA), await child(hostB)], (l) => l.every((v) => v !== undefined));
  initialA = (await child(hostA))!;
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('the doc sample L7Rule named by an accepted HostRule sets its fields on the EVH child; status Accepted', async () => {
  const before = (await child(hostA))!;
  expect(before.bot_policy_ref).toBeUndefined();
  await createL7Rule('my-l7-rule', DOC_SAMPLE);
  await createHostRule('hr-a', { fqdn: hostA, fqdnType: 'Exact', l7Rule: 'my-l7-rule' });
  const vs = (await eventually('VS with the L7Rule', () => child(hostA), (v) => refName(v?.bot_policy_ref) === 'bot'))!;
  expect(vs).toMatchObject({ allow_invalid_client_cert: true, close_client_conn_on_config_update: false, ign_pool_net_reach: false, remove_listening_port_on_vs_down: false, ssl_sess_cache_avg_size: 1024, min_pools_up: 2 });
  expect(
    [vs.traffic_clone_profile_ref, vs.analytics_profile_ref, vs.application_profile_ref, vs.waf_policy_ref, vs.error_page_profile_ref, ...((vs.icap_request_profile_refs as string[]) ?? [])].map(refName),
  ).toEqual(['tcp', 'my-analytics-profile', 'my-application-profile', 'my-waf-policy', 'my-error-page-profile', 'my-icap-profile']);
  // overwrite: the rule's policy sets in place of AKO's own.
  expect((vs.http_policies as { http_policy_set_ref: string; index: number }[]).map((p) => [refName(p.http_policy_set_ref), p.index])).toEqual([
    ['policy-set-1', 17],
    ['policy-set-2', 18],
  ]);
  expect(vs.analytics_policy).toMatchObject({ full_client_logs: { enabled: false, throttle: 10 }, all_headers: false });
  // Not applied on a child VS (doc: hostNameXlate, performanceLimits, securityPolicyRef).
  expect([vs.host_name_xlate, vs.performance_limits, vs.security_policy_ref]).toEqual([undefined, undefined, undefined]);
  const l7 = await eventually('L7Rule status', () => getCr(L7, 'my-l7-rule'), (r) => r.status?.status === 'Accepted');
  expect(l7.status).toEqual({ status: 'Accepted', error: '' });
  const hr = await eventually('HostRule status', () => getCr(HR, 'hr-a'), (r) => r.status?.status === 'Accepted');
  expect(hr.status).toEqual({ status: 'Accepted', error: '' });
});

test('a change of the L7Rule re-translates the VS', async () => {
  await custom.patchNamespacedCustomObject({ ...L7, namespace: ns, name: 'my-l7-rule', body: [{ op: 'replace', path: '/spec/minPoolsUp', value: 4 }] });
  const vs = await eventually('VS with minPoolsUp 4', () => child(hostA), (v) => v?.min_pools_up === 4);
  expect(refName(vs!.bot_policy_ref)).toBe('bot');
});

test('an L7Rule naming an Avi object the controller lacks is Rejected with a Warning Event and changes nothing', async () => {
  const before = (await child(hostB))!;
  await createL7Rule('l7-bad', { botPolicyRef: 'no-such-bot', minPoolsUp: 3 });
  const l7 = await eventually('L7Rule status', () => getCr(L7, 'l7-bad'), (r) => r.status?.status === 'Rejected');
  expect(l7.status).toEqual({ status: 'Rejected', error: 'botdetectionpolicy "no-such-bot" not found on controller' });
  const events = await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'L7Rule' && e.involvedObject.name === 'l7-bad'),
    (es) => es.some((e) => e.reason === 'Rejected'),
  );
  expect(events.find((e) => e.reason === 'Rejected')!.type).toBe('Warning');
  await ako.idle();
  expect((await child(hostB))!._last_modified).toBe(before._last_modified);
  // A HostRule naming it is Accepted (as the Go AKO) and applies its own fields only.
  await createHostRule('hr-b', { fqdn: hostB, l7Rule: 'l7-bad' });
  await eventually('HostRule status', () => getCr(HR, 'hr-b'), (r) => r.status?.status === 'Accepted');
  await ako.idle();
  const after = (await child(hostB))!;
  expect([after.bot_policy_ref, after.min_pools_up]).toEqual([undefined, 1]); // the EVH child's own min_pools_up (c27)
});

test('the L7Rule removed: its HostRule is Rejected as the Go AKO words it and the EVH child goes back', async () => {
  await custom.deleteNamespacedCustomObject({ ...L7, namespace: ns, name: 'my-l7-rule' });
  const hr = await eventually('HostRule status', () => getCr(HR, 'hr-a'), (r) => r.status?.status === 'Rejected');
  expect(hr.status).toEqual({ status: 'Rejected', error: 'l7rule.ako.vmware.com "my-l7-rule" not found' });
  const vs = (await eventually('VS without the L7Rule', () => child(hostA), (v) => v !== undefined && v.bot_policy_ref === undefined))!;
  const fields = (v: AviBody) => [v.min_pools_up, v.waf_policy_ref, v.allow_invalid_client_cert, v.traffic_clone_profile_ref, v.application_profile_ref];
  expect(fields(vs)).toEqual(fields(initialA));
  expect(vs.waf_policy_ref).toBeUndefined();
});
