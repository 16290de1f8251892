/**
 * ako.vmware.com CRs beyond the parity corpus, hand-written: HostRule FQDN matching (Wildcard, Contains), fields this
 * AKO does not implement rejecting the rule (never accepted and ignored), L4Rule unsupported fields, and the CRs not
 * implemented at all rejected with the reason (none left: L7Rule is translate-l7rule.test.ts). AviInfraSetting: translate-infra-setting.test.ts.
 */
import { translate } from '../src/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

// The c21 inputs (an Ingress with two TLS hosts hr1.par.test / hr2.par.test) without its HostRules.
const base = caseObjects('c21-hostrule').filter((o) => o.kind !== 'HostRule');
const config = caseConfig('c21-hostrule');
const hostRule = (name: string, virtualhost: Record<string, unknown>): K8sObject => ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace: 'red', name }, spec: { virtualhost } }) as K8sObject;
const run = (...extra: K8sObject[]) => translate({ ...snapshotOf([...base, ...extra]), aviRefs: ['wafpolicy/w1'] }, config);
const vs = (r: ReturnType<typeof run>, host: string) => r.objects.find((o) => o.type === 'virtualservice' && o.name === `par--${host}`)!.body;
const verdict = (r: ReturnType<typeof run>, kind: string, name: string) => r.verdicts.find((v) => v.kind === kind && v.name === name);

test.each([
  ['Wildcard', '*.par.test', ['hr1.par.test', 'hr2.par.test']],
  ['Contains', 'hr2', ['hr2.par.test']],
  ['Exact', 'hr1.par.test', ['hr1.par.test']],
])('fqdnType %s %s applies to %j', (fqdnType, fqdn, hosts) => {
  const r = run(hostRule('r', { fqdn, fqdnType, wafPolicy: 'w1' }));
  for (const h of ['hr1.par.test', 'hr2.par.test']) expect([h, vs(r, h).waf_policy_ref]).toEqual([h, hosts.includes(h) ? '/api/wafpolicy?name=w1' : undefined]);
  expect(verdict(r, 'HostRule', 'r')).toMatchObject({ accepted: true });
});

test.each([
  ['tcpSettings listeners without SSL', { tcpSettings: { listeners: [{ port: 8443 }] } }, 'Hosting parent virtualservice must have SSL enabled'],
  ['a missing L7Rule', { l7Rule: 'x' }, 'l7rule.ako.vmware.com "x" not found'],
  ['a missing Avi object', { wafPolicy: 'nope' }, 'wafpolicy "nope" not found on controller'],
  ['an alias equal to the FQDN', { aliases: ['hr1.par.test'] }, 'Duplicate entry found. Aliases field has same entry as the FQDN field'],
])('a HostRule with %s is rejected and changes nothing', (_n, extra, reason) => {
  const before = vs(run(), 'hr1.par.test');
  const r = run(hostRule('r', { fqdn: 'hr1.par.test', wafPolicy: 'w1', ...extra }));
  expect(verdict(r, 'HostRule', 'r')).toEqual({ kind: 'HostRule', namespace: 'red', name: 'r', accepted: false, reason });
  expect(vs(r, 'hr1.par.test')).toEqual(before);
});

test('the older of two HostRules for one FQDN wins; the other is rejected naming it', () => {
  const old = { ...hostRule('a-old', { fqdn: 'hr1.par.test', wafPolicy: 'w1' }), metadata: { namespace: 'red', name: 'z-old', creationTimestamp: '2026-01-01T00:00:00Z' } } as K8sObject;
  const young = { ...hostRule('b-new', { fqdn: 'hr1.par.test' }), metadata: { namespace: 'red', name: 'a-new', creationTimestamp: '2026-02-01T00:00:00Z' } } as K8sObject;
  const r = run(old, young);
  expect(verdict(r, 'HostRule', 'a-new')).toMatchObject({ accepted: false, reason: 'duplicate fqdn hr1.par.test found in red/z-old' });
  expect(vs(r, 'hr1.par.test').waf_policy_ref).toBe('/api/wafpolicy?name=w1');
});

test.each([
  ['a blocked namespace', { blockedNamespaces: ['blue'] }, {}],
  ['a namespace the selector leaves out', { namespaceSelector: { labelKey: 'team', labelValue: 'red' } }, { team: 'blue' }],
])('a HostRule in %s is not read: no verdict, nothing applied (as the Go AKO drops its events)', (_n, extra, labels) => {
  const ns = (name: string, l: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: l } }) as K8sObject;
  const blue = { ...hostRule('other-team', { fqdn: 'hr1.par.test', wafPolicy: 'w1' }), metadata: { namespace: 'blue', name: 'other-team' } } as K8sObject;
  const objs = [...base.filter((o) => o.kind !== 'Namespace'), ns('red', { team: 'red' }), ns('blue', labels), blue];
  const r = translate({ ...snapshotOf(objs), aviRefs: ['wafpolicy/w1'] }, { ...config, ...extra });
  expect(verdict(r, 'HostRule', 'other-team')).toBeUndefined();
  expect(vs(r, 'hr1.par.test').waf_policy_ref).toBeUndefined();
  // The same rule in the synced namespace applies.
  const red = translate({ ...snapshotOf([...objs, hostRule('mine', { fqdn: 'hr1.par.test', wafPolicy: 'w1' })]), aviRefs: ['wafpolicy/w1'] }, { ...config, ...extra });
  expect(vs(red, 'hr1.par.test').waf_policy_ref).toBe('/api/wafpolicy?name=w1');
});

test('an L4Rule with a field not implemented yet is rejected', () => {
  const svc = caseObjects('c24-l4rule');
  const rule = svc.find((o) => o.kind === 'L4Rule')!;
  const r = translate(snapshotOf([...svc.filter((o) => o !== rule), { ...rule, spec: { ...(rule.spec as object), backendProperties: [{ port: 80, protocol: 'TCP', healthMonitorCrdRefs: ['hm'] }] } } as K8sObject]), caseConfig('c24-l4rule'));
  expect(verdict(r, 'L4Rule', 'l4r-1')).toMatchObject({ accepted: false, reason: 'backendProperties.healthMonitorCrdRefs is not supported by this AKO yet' });
  const vsBody = r.objects.find((o) => o.type === 'virtualservice')!.body;
  expect(vsBody.network_profile_ref).toBe('/api/networkprofile/?name=System-TCP-Proxy');
});
