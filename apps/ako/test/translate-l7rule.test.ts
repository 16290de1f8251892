/**
 * L7Rule (ako.vmware.com v1alpha2) through HostRule virtualhost.l7Rule, hand-written from the Go AKO's
 * docs/crds/l7rule.md (read through search; the sample's values are retyped below as our own YAML-equivalent
 * object) and the VirtualService swagger (field names): its fields land on the VS the HostRule applies to, the
 * HostRule's own fields win where both set one, hostNameXlate / performanceLimits / securityPolicyRef are not set on
 * an EVH child (doc: "not applied on child vs"); a missing L7Rule rejects the HostRule with the lister's NotFound
 * text; an L7Rule naming a missing Avi object is Rejected and applies nothing. The doc: "L7Rule is applicable only
 * when AKO is running in EVH mode": in SNI mode it is Accepted, applies nothing and gets a NotApplied Warning.
 */
import { translate } from '../src/index.js';
import { indexSnapshot, translateUnit, type AkoConfig } from '../src/translate/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';
import { L7RULE_DOC_SAMPLE as DOC_SAMPLE } from './fixtures/l7rule-docs/sample.js';

// The c21 inputs (an Ingress in namespace red with two TLS hosts hr1.par.test / hr2.par.test) without its HostRules.
const base = caseObjects('c21-hostrule').filter((o) => o.kind !== 'HostRule');
const sni = caseConfig('c21-hostrule');
const config: AkoConfig = { ...sni, enableEVH: true };
const hostRule = (virtualhost: Record<string, unknown>, ns = 'red'): K8sObject =>
  ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace: ns, name: 'hr' }, spec: { virtualhost: { fqdn: 'hr1.par.test', ...virtualhost } } }) as K8sObject;
const l7Rule = (spec: Record<string, unknown>, name = 'my-l7-rule', ns = 'red'): K8sObject => ({ apiVersion: 'ako.vmware.com/v1alpha2', kind: 'L7Rule', metadata: { namespace: ns, name }, spec }) as K8sObject;

const DOC_REFS = [
  'botdetectionpolicy/bot',
  'securitypolicy/secPolicy',
  'trafficcloneprofile/tcp',
  'analyticsprofile/my-analytics-profile',
  'applicationprofile/my-application-profile',
  'wafpolicy/my-waf-policy',
  'icapprofile/my-icap-profile',
  'errorpageprofile/my-error-page-profile',
  'httppolicyset/policy-set-1',
  'httppolicyset/policy-set-2',
  'wafpolicy/w1',
  'analyticsprofile/hr-analytics',
];

/** What the doc sample sets on an SNI child (VirtualService swagger names), written by hand. */
const DOC_ON_CHILD = {
  allow_invalid_client_cert: true,
  close_client_conn_on_config_update: false,
  ign_pool_net_reach: false,
  remove_listening_port_on_vs_down: false,
  ssl_sess_cache_avg_size: 1024,
  min_pools_up: 2,
  bot_policy_ref: '/api/botdetectionpolicy?name=bot',
  traffic_clone_profile_ref: '/api/trafficcloneprofile?name=tcp',
  analytics_profile_ref: '/api/analyticsprofile?name=my-analytics-profile',
  application_profile_ref: '/api/applicationprofile?name=my-application-profile',
  waf_policy_ref: '/api/wafpolicy?name=my-waf-policy',
  icap_request_profile_refs: ['/api/icapprofile?name=my-icap-profile'],
  error_page_profile_ref: '/api/errorpageprofile?name=my-error-page-profile',
  // throttle HIGH: 10 logs per second (an integer on the VS, swagger FullClientLogs).
  analytics_policy: { full_client_logs: { enabled: false, throttle: 10, duration: 0 }, all_headers: false },
  // overwrite: the rule's policy sets replace AKO's own, from HostRule's index 17.
  http_policies: [
    { http_policy_set_ref: '/api/httppolicyset?name=policy-set-1', index: 17 },
    { http_policy_set_ref: '/api/httppolicyset?name=policy-set-2', index: 18 },
  ],
};
const PARENT_ONLY = {
  host_name_xlate: 'host.com',
  performance_limits: { max_concurrent_connections: 2000, max_throughput: 3000 },
  security_policy_ref: '/api/securitypolicy?name=secPolicy',
};

const run = (objs: K8sObject[], refs = DOC_REFS, c = config) => translate({ ...snapshotOf([...base, ...objs]), aviRefs: refs }, c);
/** The EVH child of a host (its vh_matches name it). */
const evhChild = (r: ReturnType<typeof run>, host: string) =>
  r.objects.find((o) => o.type === 'virtualservice' && o.body.type === 'VS_TYPE_VH_CHILD' && JSON.stringify(o.body.vh_matches ?? []).includes(`"${host}"`))?.body as Record<string, unknown>;
const child = (r: ReturnType<typeof run>) => evhChild(r, 'hr1.par.test');
const verdict = (r: ReturnType<typeof run>, kind: string, name: string) => r.verdicts.find((v) => v.kind === kind && v.name === name);

test('the doc sample L7Rule named by a HostRule: its fields on the EVH child, Accepted; not the parent-only ones', () => {
  const r = run([hostRule({ l7Rule: 'my-l7-rule' }), l7Rule(DOC_SAMPLE)]);
  expect(verdict(r, 'L7Rule', 'my-l7-rule')).toMatchObject({ kind: 'L7Rule', namespace: 'red', name: 'my-l7-rule', accepted: true });
  expect(verdict(r, 'HostRule', 'hr')).toMatchObject({ accepted: true });
  expect(child(r)).toMatchObject(DOC_ON_CHILD);
  for (const k of Object.keys(PARENT_ONLY)) expect([k, child(r)[k]]).toEqual([k, undefined]);
  // The other host's child is untouched.
  const other = evhChild(r, 'hr2.par.test');
  expect(other.bot_policy_ref).toBeUndefined();
  expect(other.min_pools_up).toBe(1); // an EVH child's own (c27)
});

test.each([
  ['SNI', sni],
  ['DEDICATED', { ...sni, shardVSSize: 'DEDICATED' as const }],
])('in %s mode the doc sample applies nothing (as the Go AKO: EVH only): Accepted with a NotApplied Warning', (_n, c) => {
  const alone = run([hostRule({ wafPolicy: 'w1' })], DOC_REFS, c);
  const r = run([hostRule({ wafPolicy: 'w1', l7Rule: 'my-l7-rule' }), l7Rule(DOC_SAMPLE)], DOC_REFS, c);
  expect(verdict(r, 'L7Rule', 'my-l7-rule')).toMatchObject({ accepted: true });
  expect(verdict(r, 'HostRule', 'hr')).toMatchObject({ accepted: true });
  expect(r.objects.filter((o) => o.type === 'virtualservice').map((o) => o.body)).toEqual(alone.objects.filter((o) => o.type === 'virtualservice').map((o) => o.body));
  const unit = translateUnit(indexSnapshot({ ...snapshotOf([...base, hostRule({ l7Rule: 'my-l7-rule' }), l7Rule(DOC_SAMPLE)]), aviRefs: DOC_REFS }), c, 'L7Rule/red/my-l7-rule');
  expect(unit.warnings).toEqual([
    {
      kind: 'L7Rule',
      namespace: 'red',
      name: 'my-l7-rule',
      reason: 'NotApplied',
      message: 'L7Rule is applied in EVH mode only (as the Go AKO): nothing is set on the virtual service in SNI mode (AKOSettings.enableEVH false)',
    },
  ]);
});

test.each([
  ['wafPolicy', { wafPolicy: 'w1' }, { wafPolicy: { kind: 'AviRef', name: 'my-waf-policy' } }, { waf_policy_ref: '/api/wafpolicy?name=w1' }],
  ['analyticsProfile', { analyticsProfile: 'hr-analytics' }, { analyticsProfile: { name: 'my-analytics-profile' } }, { analytics_profile_ref: '/api/analyticsprofile?name=hr-analytics' }],
  [
    'analyticsPolicy',
    { analyticsPolicy: { fullClientLogs: { enabled: true, throttle: 'MEDIUM' }, logAllHeaders: true } },
    { analyticsPolicy: { fullClientLogs: { enabled: true, throttle: 'LOW' }, logAllHeaders: false } },
    // The HostRule's throttle level as Avi's integer too (MEDIUM: 30 logs per second).
    { analytics_policy: { full_client_logs: { enabled: true, throttle: 30 }, all_headers: true } },
  ],
  [
    'httpPolicy',
    { httpPolicy: { policySets: ['policy-set-2'], overwrite: true } },
    { httpPolicy: { policySets: ['policy-set-1'], overwrite: true } },
    { http_policies: [{ http_policy_set_ref: '/api/httppolicyset?name=policy-set-2', index: 17 }] },
  ],
  ['a field only the L7Rule sets', { wafPolicy: 'w1' }, { minPoolsUp: 3 }, { waf_policy_ref: '/api/wafpolicy?name=w1', min_pools_up: 3 }],
])('%s in both: the HostRule wins', (_n, hr, l7, expected) => {
  const r = run([hostRule({ l7Rule: 'x', ...hr }), l7Rule(l7, 'x')]);
  expect(child(r)).toMatchObject(expected);
  expect(verdict(r, 'L7Rule', 'x')).toMatchObject({ accepted: true });
});

test.each([
  ['botPolicyRef', { botPolicyRef: 'nope' }, 'botdetectionpolicy "nope" not found on controller'],
  ['securityPolicyRef', { securityPolicyRef: 'nope' }, 'securitypolicy "nope" not found on controller'],
  ['trafficCloneProfileRef', { trafficCloneProfileRef: 'nope' }, 'trafficcloneprofile "nope" not found on controller'],
  ['applicationProfile', { applicationProfile: { kind: 'AviRef', name: 'nope' } }, 'applicationprofile "nope" not found on controller'],
  ['a policy set', { httpPolicy: { policySets: ['nope'] } }, 'httppolicyset "nope" not found on controller'],
  ['a kind other than AviRef', { wafPolicy: { kind: 'Secret', name: 'my-waf-policy' } }, 'wafPolicy.kind Secret is not supported: only AviRef'],
])('an L7Rule naming a missing %s is Rejected and applies nothing; its HostRule still applies', (_n, bad, reason) => {
  // An accepted L7Rule setting nothing: the HostRule alone.
  const before = child(run([hostRule({ wafPolicy: 'w1', l7Rule: 'x' }), l7Rule({}, 'x')]));
  const r = run([hostRule({ wafPolicy: 'w1', l7Rule: 'x' }), l7Rule({ ...bad, minPoolsUp: 5 }, 'x')]);
  expect(verdict(r, 'L7Rule', 'x')).toEqual({ kind: 'L7Rule', namespace: 'red', name: 'x', accepted: false, reason });
  expect(verdict(r, 'HostRule', 'hr')).toMatchObject({ accepted: true });
  expect(child(r)).toMatchObject({ waf_policy_ref: '/api/wafpolicy?name=w1' });
  expect(child(r).min_pools_up).toBe(1); // the EVH child's own (c27), not the rejected rule's 5
  expect(child(r)).toEqual(before);
});

test.each([
  ['does not exist', []],
  ['is in another namespace', [l7Rule({ minPoolsUp: 2 }, 'x', 'blue')]],
])('a HostRule naming an L7Rule that %s is Rejected with the Go AKO message and changes nothing', (_n, extra) => {
  const before = child(run([]));
  const r = run([hostRule({ wafPolicy: 'w1', l7Rule: 'x' }), ...extra]);
  expect(verdict(r, 'HostRule', 'hr')).toEqual({ kind: 'HostRule', namespace: 'red', name: 'hr', accepted: false, reason: 'l7rule.ako.vmware.com "x" not found' });
  expect(child(r)).toEqual(before);
});

test('an L7Rule no HostRule names gets its status and changes nothing', () => {
  const before = child(run([]));
  const r = run([l7Rule(DOC_SAMPLE)]);
  expect(verdict(r, 'L7Rule', 'my-l7-rule')).toMatchObject({ accepted: true });
  expect(child(r)).toEqual(before);
});


