// The Go AKO's docs sample HostRule, HTTPRule and L4Rule (test/fixtures/crd-docs: docs/crds/*.md values, retyped)
// applied on a real apiserver (the chart's CRDs) with the Avi objects they name on the avi-controller, and acted on:
// each changes the Avi objects as the docs say (or is Rejected with the reason, changing nothing, for what it needs
// that is missing or not implemented), with its CR status. The L7Rule and AviInfraSetting samples: e2e/l7rule.test.ts,
// e2e/aviinfrasetting.test.ts.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { createLbService, createSecureIngress, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';
import { hostRuleDocsSample, httpRuleDocsSample, l4RuleDocsSample } from '../fixtures/crd-docs/samples.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
let destinationCA: string;

const crd = (plural: string, version: string) => ({ group: 'ako.vmware.com', version, plural });
const HR = crd('hostrules', 'v1beta1');
const RR = crd('httprules', 'v1beta1');
const L4R = crd('l4rules', 'v1alpha2');
const L7R = crd('l7rules', 'v1alpha2');
type Cr = { status?: { status?: string; error?: string } };
const read = (c: typeof HR, name: string) => custom.getNamespacedCustomObject({ ...c, namespace: ns, name }) as Promise<Cr>;
const create = (c: typeof HR, kind: string, name: string, spec: unknown) =>
  custom.createNamespacedCustomObject({ ...c, namespace: ns, body: { apiVersion: `${c.group}/${c.version}`, kind, metadata: { name }, spec } });
const statusOf = async (c: typeof HR, name: string, want: string) => (await eventually(`${name} ${want}`, () => read(c, name), (r) => r.status?.status === want)).status;
const avi = (type: 'virtualservice' | 'pool' | 'pkiprofile' | 'vsvip', name: string) => h.avi.getByName(type, name, { includeName: true }) as Promise<AviBody | undefined>;
/** A stored ref's name (`https://.../api/<type>/<uuid>#<name>`). */
const refName = (ref: unknown): string => String(ref).replace(/^.*#/, '');
const events = async (kind: string, name: string) => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);

beforeAll(async () => {
  h = await harness('docs');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('docs-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  const ca = await createCA('docs-ca');
  destinationCA = ca.certPem;
  const cert = await issueCertificate(ca, { commonName: 'avi.example.com', dnsNames: ['avi.example.com'], usage: 'server' });
  const certBody = (name: string) => ({ name, type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE', certificate: { certificate: cert.certPem }, key: cert.keyPem });
  // The Avi objects the samples name, made on the controller by its admin (as a team switching from the Go AKO has them).
  const objects: [string, Record<string, unknown>][] = [
    ['sslkeyandcertificate', certBody('avi-ssl-key-cert')],
    ['sslkeyandcertificate', certBody('avi-ssl-key-cert2')],
    ['sslprofile', { name: 'avi-ssl-profile' }],
    ['httppolicyset', { name: 'avi-secure-policy-ref' }],
    ['vsdatascriptset', { name: 'avi-datascript-redirect-app1' }],
    ['wafpolicy', { name: 'avi-waf-policy' }],
    ['applicationprofile', { name: 'avi-app-ref', type: 'APPLICATION_PROFILE_TYPE_HTTP', http_profile: {} }],
    ['networksecuritypolicy', { name: 'avi-network-security-policy-ref' }],
    ['icapprofile', { name: 'avi-icap-ref' }],
    ['analyticsprofile', { name: 'avi-analytics-ref' }],
    ['errorpageprofile', { name: 'avi-errorpage-ref' }],
    ['applicationpersistenceprofile', { name: 'cookie-userid-persistence', persistence_type: 'PERSISTENCE_TYPE_HTTP_COOKIE' }],
    ['healthmonitor', { name: 'my-health-monitor-1', type: 'HEALTH_MONITOR_HTTP' }],
    ['healthmonitor', { name: 'my-health-monitor-2', type: 'HEALTH_MONITOR_TCP' }],
    ['analyticsprofile', { name: 'Custom-Analytics-Profile' }],
    ['applicationprofile', { name: 'Custom-L4-Application-Profile', type: 'APPLICATION_PROFILE_TYPE_L4' }],
    ['networkprofile', { name: 'Custom-Network-Profile', profile: { type: 'PROTOCOL_TYPE_TCP_PROXY' } }],
    ['networksecuritypolicy', { name: 'Custom-Network-Security-Policy' }],
    ['securitypolicy', { name: 'Custom-Security-Policy' }],
    ['vsdatascriptset', { name: 'Custom-DS-01' }],
    ['vsdatascriptset', { name: 'Custom-DS-02' }],
    ['applicationpersistenceprofile', { name: 'Custom-Application-Persistence-Profile', persistence_type: 'PERSISTENCE_TYPE_CLIENT_IP_ADDRESS' }],
    ['healthmonitor', { name: 'Custom-HM-01', type: 'HEALTH_MONITOR_TCP' }],
    ['healthmonitor', { name: 'Custom-HM-02', type: 'HEALTH_MONITOR_TCP' }],
    ['sslprofile', { name: 'Custom-SSL-Profile' }],
    ['sslkeyandcertificate', certBody('Custom-Key-And-Certificate')],
    ['pkiprofile', { name: 'Custom-PKI-Profile' }],
  ];
  for (const [type, body] of objects) await h.avi.request('POST', `/api/${type}`, { body });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  ako = await h.start();
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('the HostRule docs sample: Rejected while its L7Rule is missing; then Accepted, setting its fields on the SNI child (not tcpSettings nor networkSecurityPolicy there, with a NotApplied Warning each)', async () => {
  const host = hostRuleDocsSample.fqdn;
  await createSecureIngress(h, ns, 'hr', host);
  const childName = `${h.clusterName}--${host}`;
  const before = await eventually('SNI child', () => avi('virtualservice', childName), (v) => v !== undefined);
  await create(HR, 'HostRule', 'my-host-rule', { virtualhost: hostRuleDocsSample });
  expect(await statusOf(HR, 'my-host-rule', 'Rejected')).toEqual({ status: 'Rejected', error: 'l7rule.ako.vmware.com "my-l7-rule-name" not found' });
  await ako.idle();
  expect((await avi('virtualservice', childName))!._last_modified).toBe(before!._last_modified);

  await create(L7R, 'L7Rule', 'my-l7-rule-name', {});
  expect(await statusOf(HR, 'my-host-rule', 'Accepted')).toEqual({ status: 'Accepted', error: '' });
  const vs = (await eventually('child with the rule', () => avi('virtualservice', childName), (v) => v?.waf_policy_ref !== undefined))!;
  expect({
    certs: (vs.ssl_key_and_certificate_refs as string[]).map(refName),
    ssl: refName(vs.ssl_profile_ref),
    waf: refName(vs.waf_policy_ref),
    app: refName(vs.application_profile_ref),
    analytics: refName(vs.analytics_profile_ref),
    errorPage: refName(vs.error_page_profile_ref),
    icap: (vs.icap_request_profile_refs as string[]).map(refName),
    policies: (vs.http_policies as { http_policy_set_ref: string; index: number }[]).map((p) => [refName(p.http_policy_set_ref), p.index]).filter(([n]) => n === 'avi-secure-policy-ref'),
    datascripts: (vs.vs_datascripts as { vs_datascript_set_ref: string }[]).map((d) => refName(d.vs_datascript_set_ref)),
    domains: vs.vh_domain_name,
    enabled: vs.enabled,
    // The fields AKO sends (the controller adds its defaults to the rest).
    analyticsPolicy: { full_client_logs: (vs.analytics_policy as Record<string, unknown>).full_client_logs, all_headers: (vs.analytics_policy as Record<string, unknown>).all_headers },
    nsp: vs.network_security_policy_ref,
  }).toEqual({
    certs: ['avi-ssl-key-cert', 'avi-ssl-key-cert2'],
    ssl: 'avi-ssl-profile',
    waf: 'avi-waf-policy',
    app: 'avi-app-ref',
    analytics: 'avi-analytics-ref',
    errorPage: 'avi-errorpage-ref',
    icap: ['avi-icap-ref'],
    policies: [['avi-secure-policy-ref', 17]],
    datascripts: ['avi-datascript-redirect-app1'],
    // The host, its aliases and the GSLB FQDN.
    domains: ['bar.example.com', 'baz.example.com', 'foo.example.com', host],
    enabled: true,
    // throttle HIGH is 10 logs/s (docs: DISABLED 0, LOW 50, MEDIUM 30, HIGH 10).
    analyticsPolicy: { full_client_logs: { enabled: true, throttle: 10, duration: 30 }, all_headers: true },
    nsp: undefined,
  });
  const warned = await eventually('NotApplied Events', () => events('HostRule', 'my-host-rule'), (es) => es.filter((e) => e.reason === 'NotApplied').length >= 2);
  expect(warned.filter((e) => e.reason === 'NotApplied').map((e) => e.message).sort()).toEqual([
    `networkSecurityPolicy applies to a shared or dedicated virtual service only: not applied to the child virtual service of ${host}`,
    `tcpSettings applies to a shared or dedicated virtual service only: not applied to the child virtual service of ${host}`,
  ]);
}, 120000);

test('the HTTPRule docs sample: Accepted; the /foo pool gets its algorithm and hash, health monitors, persistence and re-encryption with a PKI profile of its destinationCA; removed, the pool goes back', async () => {
  const host = 'foo.avi.example.com';
  await createSecureIngress(h, ns, 'rr', host);
  await h.networking.patchNamespacedIngress(
    { name: 'rr', namespace: ns, body: [{ op: 'replace', path: '/spec/rules/0/http/paths/0/path', value: '/foo' }] },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
  );
  const poolName = `${h.clusterName}--${ns}-${host}_foo-rr`;
  const before = (await eventually('pool', () => avi('pool', poolName), (p) => p !== undefined))!;
  expect(before.lb_algorithm).not.toBe('LB_ALGORITHM_CONSISTENT_HASH');
  await create(RR, 'HTTPRule', 'my-http-rule', httpRuleDocsSample(destinationCA));
  expect(await statusOf(RR, 'my-http-rule', 'Accepted')).toEqual({ status: 'Accepted', error: '' });
  const pool = (await eventually('pool with the rule', () => avi('pool', poolName), (p) => p?.lb_algorithm === 'LB_ALGORITHM_CONSISTENT_HASH'))!;
  expect({
    hash: pool.lb_algorithm_hash,
    monitors: (pool.health_monitor_refs as string[]).map(refName),
    persistence: refName(pool.application_persistence_profile_ref),
    sni: pool.sni_enabled,
    ssl: refName(pool.ssl_profile_ref),
    pki: refName(pool.pki_profile_ref),
  }).toEqual({
    hash: 'LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS',
    monitors: ['my-health-monitor-1', 'my-health-monitor-2'],
    persistence: 'cookie-userid-persistence',
    sni: true,
    ssl: 'avi-ssl-profile',
    pki: `${poolName}-pkiprofile`,
  });
  const pki = (await avi('pkiprofile', `${poolName}-pkiprofile`))!;
  expect((pki.ca_certs as { certificate: string }[])[0]!.certificate.trim()).toBe(destinationCA.trim());
  await custom.deleteNamespacedCustomObject({ ...RR, namespace: ns, name: 'my-http-rule' });
  const back = (await eventually('pool without the rule', () => avi('pool', poolName), (p) => p !== undefined && p.lb_algorithm !== 'LB_ALGORITHM_CONSISTENT_HASH'))!;
  expect(back.sni_enabled).toBe(false);
  expect(back.application_persistence_profile_ref).toBeUndefined();
}, 120000);

test('the L4Rule docs sample: Accepted, every field set on the VS, VsVip and pool as the Go AKO sets them; removed, the VS and pool go back', async () => {
  // The rule first: a preferred VIP is set when the VsVip is made (Avi refuses a new one on an allocated VIP).
  await create(L4R, 'L4Rule', 'my-l4-rule', l4RuleDocsSample);
  expect(await statusOf(L4R, 'my-l4-rule', 'Accepted')).toEqual({ status: 'Accepted', error: '' });
  await createLbService(h, ns, 'my-service', [{ port: 80, targetPort: 9376 }], ['10.244.7.10'], {}, { 'ako.vmware.com/l4rule': 'my-l4-rule' });
  // The same Service without the rule: what the rule's VS and pool go back to.
  await createLbService(h, ns, 'plain', [{ port: 80, targetPort: 9376 }], ['10.244.7.11']);
  const vsName = `${h.clusterName}--${ns}-my-service`;
  const poolName = `${h.clusterName}--${ns}-my-service-TCP-80`;
  const before = (await eventually('plain L4 VS', () => avi('virtualservice', `${h.clusterName}--${ns}-plain`), (v) => v !== undefined))!;
  expect(refName(before.network_profile_ref)).not.toBe('Custom-Network-Profile');
  const vs = (await eventually('VS with the rule', () => avi('virtualservice', vsName), (v) => refName(v?.network_profile_ref) === 'Custom-Network-Profile'))!;
  expect({
    app: refName(vs.application_profile_ref),
    analytics: refName(vs.analytics_profile_ref),
    limits: vs.performance_limits,
    nsp: refName(vs.network_security_policy_ref),
    sp: refName(vs.security_policy_ref),
    datascripts: (vs.vs_datascripts as { vs_datascript_set_ref: string; index: number }[]).map((d) => [d.index, refName(d.vs_datascript_set_ref)]),
    logs: (vs.analytics_policy as { full_client_logs?: unknown }).full_client_logs,
  }).toEqual({
    app: 'Custom-L4-Application-Profile',
    analytics: 'Custom-Analytics-Profile',
    limits: { max_concurrent_connections: 105, max_throughput: 100 },
    nsp: 'Custom-Network-Security-Policy',
    sp: 'Custom-Security-Policy',
    datascripts: [
      [0, 'Custom-DS-01'],
      [1, 'Custom-DS-02'],
    ],
    logs: { enabled: true, duration: 0, throttle: 30 },
  });
  // The rule's loadBalancerIP is the VsVip's preferred VIP (the Service sets none).
  const vip = (await avi('vsvip', `${h.clusterName}--${ns}-my-service`))!;
  expect((vip.vip as { ip_address?: { addr?: string } }[])[0]!.ip_address?.addr).toBe(l4RuleDocsSample.loadBalancerIP);
  const pool = (await eventually('pool with the rule', () => avi('pool', poolName), (p) => p?.lb_algorithm === 'LB_ALGORITHM_CONSISTENT_HASH'))!;
  expect({
    enabled: pool.enabled,
    hash: pool.lb_algorithm_hash,
    hdr: pool.lb_algorithm_consistent_hash_hdr,
    monitors: (pool.health_monitor_refs as string[]).map(refName),
    persistence: refName(pool.application_persistence_profile_ref),
    minUp: pool.min_servers_up,
    ssl: refName(pool.ssl_profile_ref),
    cert: refName(pool.ssl_key_and_certificate_ref),
    pki: refName(pool.pki_profile_ref),
    realtime: (pool.analytics_policy as { enable_realtime_metrics?: boolean }).enable_realtime_metrics,
  }).toEqual({
    enabled: true,
    hash: 'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER',
    hdr: 'custom-string',
    monitors: ['Custom-HM-01', 'Custom-HM-02'],
    persistence: 'Custom-Application-Persistence-Profile',
    minUp: 1,
    ssl: 'Custom-SSL-Profile',
    cert: 'Custom-Key-And-Certificate',
    pki: 'Custom-PKI-Profile',
    realtime: true,
  });

  // Removed: the VS and pool are as before the rule (a Service naming a missing L4Rule is served without it).
  await custom.deleteNamespacedCustomObject({ ...L4R, namespace: ns, name: 'my-l4-rule' });
  const back = (await eventually('VS without the rule', () => avi('virtualservice', vsName), (v) => v !== undefined && v.security_policy_ref === undefined && v.vs_datascripts === undefined))!;
  expect({ np: refName(back.network_profile_ref), app: refName(back.application_profile_ref), nsp: back.network_security_policy_ref, limits: back.performance_limits }).toEqual({
    np: refName(before.network_profile_ref),
    app: refName(before.application_profile_ref),
    nsp: undefined,
    limits: before.performance_limits,
  });
  const poolBack = (await eventually('pool without the rule', () => avi('pool', poolName), (p) => p !== undefined && p.lb_algorithm !== 'LB_ALGORITHM_CONSISTENT_HASH'))!;
  expect({ ssl: poolBack.ssl_profile_ref, pki: poolBack.pki_profile_ref, cert: poolBack.ssl_key_and_certificate_ref, monitors: (poolBack.health_monitor_refs as string[]).map(refName) }).toEqual({
    ssl: undefined,
    pki: undefined,
    cert: undefined,
    monitors: ['System-TCP'],
  });
}, 120000);
