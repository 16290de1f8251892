/**
 * L4Rule fields beyond the parity case c24 (hand-written expectations from the Go AKO's docs/crds/l4rule.md and its
 * L4Rule validation: loadBalancerIP, securityPolicyRef, networkSecurityPolicyRef, vsDatascriptRefs, analyticsPolicy,
 * and backendProperties' SSL/PKI/analytics fields) on the c24 inputs: Service red/web port 80 naming L4Rule l4r-1.
 */
import { translate } from '../src/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const objs = caseObjects('c24-l4rule');
const rule0 = objs.find((o) => o.kind === 'L4Rule')!;
const svc0 = objs.find((o) => o.kind === 'Service')!;
const others = objs.filter((o) => o !== rule0 && o !== svc0);
const config = caseConfig('c24-l4rule');
const backend0 = (rule0.spec as { backendProperties: Record<string, unknown>[] }).backendProperties[0]!;

/** Every Avi object the rules below name, as the operator would have found them on the controller. */
const ALL_REFS = [
  'applicationprofile/System-L4-Application',
  'networkprofile/System-TCP-Fast-Path',
  'analyticsprofile/System-Analytics-Profile',
  'healthmonitor/System-TCP',
  'applicationpersistenceprofile/System-Persistence-Client-IP',
  'securitypolicy/sp-1',
  'networksecuritypolicy/nsp-1',
  'vsdatascriptset/ds-1',
  'vsdatascriptset/ds-2',
  'sslprofile/ssl-1',
  'pkiprofile/pki-1',
  'sslkeyandcertificate/cert-1',
];

function run(spec: Record<string, unknown>, backend: Record<string, unknown> = {}, svcExtra: { annotations?: Record<string, string>; loadBalancerIP?: string } = {}, aviRefs = ALL_REFS) {
  const rule = { ...rule0, spec: { ...(rule0.spec as object), ...spec, backendProperties: [{ ...backend0, ...backend }] } } as K8sObject;
  const meta = svc0.metadata as { annotations: Record<string, string> };
  const svc = {
    ...svc0,
    metadata: { ...meta, annotations: { ...meta.annotations, ...(svcExtra.annotations ?? {}) } },
    spec: { ...(svc0.spec as object), ...(svcExtra.loadBalancerIP ? { loadBalancerIP: svcExtra.loadBalancerIP } : {}) },
  } as K8sObject;
  const r = translate({ ...snapshotOf([...others, svc, rule]), aviRefs }, config);
  const body = (type: string) => r.objects.find((o) => o.type === type)!.body;
  return { verdict: r.verdicts.find((v) => v.kind === 'L4Rule'), vs: body('virtualservice'), pool: body('pool'), vsvip: body('vsvip') };
}

/** The c24 objects without the L4Rule (the Service names a rule that does not exist: served without it). */
function bare() {
  const r = translate({ ...snapshotOf([...others, svc0]), aviRefs: ALL_REFS }, config);
  const body = (type: string) => r.objects.find((o) => o.type === type)!.body;
  return { vs: body('virtualservice'), pool: body('pool'), vsvip: body('vsvip') };
}

test.each([
  ['securityPolicyRef', { securityPolicyRef: 'sp-1' }, { security_policy_ref: '/api/securitypolicy?name=sp-1' }],
  ['networkSecurityPolicyRef', { networkSecurityPolicyRef: 'nsp-1' }, { network_security_policy_ref: '/api/networksecuritypolicy?name=nsp-1' }],
  [
    'vsDatascriptRefs, in the rule order from index 0',
    { vsDatascriptRefs: ['ds-2', 'ds-1'] },
    { vs_datascripts: [{ index: 0, vs_datascript_set_ref: '/api/vsdatascriptset?name=ds-2' }, { index: 1, vs_datascript_set_ref: '/api/vsdatascriptset?name=ds-1' }] },
  ],
  ['analyticsPolicy as given', { analyticsPolicy: { fullClientLogs: { enabled: true, duration: 0, throttle: 30 } } }, { analytics_policy: { full_client_logs: { enabled: true, duration: 0, throttle: 30 } } }],
  ['analyticsPolicy with the CRD defaults (throttle 10, duration 30)', { analyticsPolicy: { fullClientLogs: { enabled: false } } }, { analytics_policy: { full_client_logs: { enabled: false, duration: 30, throttle: 10 } } }],
])('the VS takes %s', (_n, spec, want) => {
  const r = run(spec);
  expect(r.verdict).toMatchObject({ accepted: true });
  expect(r.vs).toMatchObject(want);
});

test.each([
  ['sslProfileRef', { sslProfileRef: 'ssl-1' }, { ssl_profile_ref: '/api/sslprofile?name=ssl-1' }],
  ['pkiProfileRef', { pkiProfileRef: 'pki-1' }, { pki_profile_ref: '/api/pkiprofile?name=pki-1' }],
  ['sslKeyAndCertificateRef', { sslKeyAndCertificateRef: 'cert-1' }, { ssl_key_and_certificate_ref: '/api/sslkeyandcertificate?name=cert-1' }],
  ['analyticsPolicy', { analyticsPolicy: { enableRealtimeMetrics: true } }, { analytics_policy: { enable_realtime_metrics: true } }],
])('the pool of the backend takes %s', (_n, backend, want) => {
  const r = run({}, backend);
  expect(r.verdict).toMatchObject({ accepted: true });
  expect(r.pool).toMatchObject(want);
});

test('without the fields, none of them is on the VS or pool', () => {
  const r = run({});
  for (const f of ['security_policy_ref', 'network_security_policy_ref', 'vs_datascripts', 'analytics_policy']) expect([f, r.vs[f]]).toEqual([f, undefined]);
  for (const f of ['ssl_profile_ref', 'pki_profile_ref', 'ssl_key_and_certificate_ref', 'analytics_policy']) expect([f, r.pool[f]]).toEqual([f, undefined]);
  expect((r.vsvip.vip as { ip_address?: unknown }[])[0]!.ip_address).toBeUndefined();
});

test.each([
  ['the rule alone', {}, '10.50.0.7'],
  ['the Service spec.loadBalancerIP over the rule', { loadBalancerIP: '10.50.0.8' }, '10.50.0.8'],
  ['the annotation ako.vmware.com/load-balancer-ip over the rule', { annotations: { 'ako.vmware.com/load-balancer-ip': '10.50.0.9' } }, '10.50.0.9'],
])('loadBalancerIP: the VsVip asks for the IP of %s', (_n, svcExtra, ip) => {
  const r = run({ loadBalancerIP: '10.50.0.7' }, {}, svcExtra);
  expect(r.verdict).toMatchObject({ accepted: true });
  expect((r.vsvip.vip as { ip_address?: unknown }[])[0]!.ip_address).toEqual({ addr: ip, type: 'V4' });
});

test.each([
  ['an invalid loadBalancerIP', { loadBalancerIP: '10.50.0' }, {}, 'loadBalancerIP 10.50.0 is not valid'],
  ['a missing security policy', { securityPolicyRef: 'nope' }, {}, 'securitypolicy "nope" not found on controller'],
  ['a missing network security policy', { networkSecurityPolicyRef: 'nope' }, {}, 'networksecuritypolicy "nope" not found on controller'],
  ['a missing datascript', { vsDatascriptRefs: ['ds-1', 'nope'] }, {}, 'vsdatascriptset "nope" not found on controller'],
  ['a missing backend SSL profile', {}, { sslProfileRef: 'nope' }, 'sslprofile "nope" not found on controller'],
  ['a missing backend PKI profile', {}, { pkiProfileRef: 'nope' }, 'pkiprofile "nope" not found on controller'],
  ['a missing backend certificate', {}, { sslKeyAndCertificateRef: 'nope' }, 'sslkeyandcertificate "nope" not found on controller'],
  ['consistent hash without a hash', {}, { lbAlgorithm: 'LB_ALGORITHM_CONSISTENT_HASH' }, 'lbAlgorithmHash must be specified when lbAlgorithm is "LB_ALGORITHM_CONSISTENT_HASH"'],
  [
    'a custom header hash without the header',
    {},
    { lbAlgorithm: 'LB_ALGORITHM_CONSISTENT_HASH', lbAlgorithmHash: 'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER' },
    'lbAlgorithmConsistentHashHdr must be specified when lbAlgorithmHash is "LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER"',
  ],
  ['a hash with another algorithm', {}, { lbAlgorithmHash: 'LB_ALGORITHM_CONSISTENT_HASH_URI' }, 'lbAlgorithmHash must not be specified when lbAlgorithm is "LB_ALGORITHM_LEAST_CONNECTIONS"'],
  ['SSL listeners (not implemented)', { listenerProperties: [{ port: 80, protocol: 'TCP', enableSsl: true }] }, {}, 'listenerProperties is not supported by this AKO yet'],
])('%s rejects the rule; the VS, pool and VsVip are as without it', (_n, spec, backend, reason) => {
  const without = bare();
  const r = run({ securityPolicyRef: 'sp-1', loadBalancerIP: '10.50.0.7', ...spec }, backend);
  expect(r.verdict).toEqual({ kind: 'L4Rule', namespace: 'red', name: 'l4r-1', accepted: false, reason });
  expect([r.vs, r.pool, r.vsvip]).toEqual([without.vs, without.pool, without.vsvip]);
  expect(without.vs.security_policy_ref).toBeUndefined();
});
