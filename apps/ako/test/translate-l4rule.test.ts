/**
 * L4Rule fields beyond the parity case c24 (hand-written expectations from the Go AKO's docs/crds/l4rule.md and its
 * L4Rule validation: loadBalancerIP, securityPolicyRef, networkSecurityPolicyRef, vsDatascriptRefs, analyticsPolicy,
 * and backendProperties' SSL/PKI/analytics fields) on the c24 inputs: Service red/web port 80 naming L4Rule l4r-1.
 * listenerProperties and SSL on L4: expectations from the Go AKO's L4Rule validation (ValidateL4RuleObj), getL4Rule
 * (listeners against the Service ports), buildWithL4Rule (System-L4-Application -> System-SSL-Application) and
 * ConstructAviL4PolPoolNodes (SSL: a default pool, no L4PolicySet), read through search.
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
  ['healthMonitorCrdRefs (not implemented)', {}, { healthMonitorCrdRefs: ['hm-crd'] }, 'backendProperties.healthMonitorCrdRefs is not supported by this AKO yet'],
])('%s rejects the rule; the VS, pool and VsVip are as without it', (_n, spec, backend, reason) => {
  const without = bare();
  const r = run({ securityPolicyRef: 'sp-1', loadBalancerIP: '10.50.0.7', ...spec }, backend);
  expect(r.verdict).toEqual({ kind: 'L4Rule', namespace: 'red', name: 'l4r-1', accepted: false, reason });
  expect([r.vs, r.pool, r.vsvip]).toEqual([without.vs, without.pool, without.vsvip]);
  expect(without.vs.security_policy_ref).toBeUndefined();
});

describe('listenerProperties and SSL on L4', () => {
  const SSL_REFS = [...ALL_REFS, 'applicationprofile/System-SSL-Application', 'networkprofile/System-TCP-Proxy', 'sslprofile/l4-ssl', 'sslkeyandcertificate/l4-cert'];
  /** The c24 Service (ports as given) and rule (spec merged), with the corpus config or the licence tier given. */
  function runL(spec: Record<string, unknown>, opts: { ports?: { name: string; port: number; protocol?: string }[]; licenseTier?: string; aviRefs?: string[]; aviRefTypes?: Record<string, string> } = {}) {
    const rule = { ...rule0, spec: { ...(rule0.spec as object), ...spec } } as K8sObject;
    const svc = { ...svc0, spec: { ...(svc0.spec as object), ...(opts.ports ? { ports: opts.ports.map((p) => ({ targetPort: 8080, protocol: 'TCP', ...p })) } : {}) } } as K8sObject;
    const r = translate({ ...snapshotOf([...others, svc, rule]), aviRefs: opts.aviRefs ?? SSL_REFS, ...(opts.aviRefTypes ? { aviRefTypes: opts.aviRefTypes } : {}) }, { ...config, ...(opts.licenseTier ? { licenseTier: opts.licenseTier } : {}) });
    const find = (type: string) => r.objects.find((o) => o.type === type)?.body;
    const warnings = (r.warnings ?? []).filter((w) => w.kind === 'Service' && w.reason !== 'BackendWarning').map((w) => `${w.reason}: ${w.message}`);
    return { verdict: r.verdicts.find((v) => v.kind === 'L4Rule'), vs: find('virtualservice')!, pools: r.objects.filter((o) => o.type === 'pool').map((o) => o.body), policySet: find('l4policyset'), warnings };
  }
  const sslListener = [{ port: 80, protocol: 'TCP', enableSsl: true }];

  test('a listener without SSL: the VS keeps its L4PolicySet and a plain listener, the rule applies', () => {
    const r = runL({ listenerProperties: [{ port: 80, protocol: 'TCP', enableSsl: false }] });
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs.services).toEqual([{ port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false }]);
    expect(r.vs.l4_policies).toEqual([{ l4_policy_set_ref: '/api/l4policyset/?name=par--red-web', index: 0 }]);
    expect(r.vs.pool_ref).toBeUndefined();
    expect(r.policySet).toBeDefined();
    expect(r.vs.performance_limits).toEqual({ max_concurrent_connections: 100, max_throughput: 50 });
  });

  test('an SSL listener with the default application profile: System-SSL-Application, an SSL listener, the pool as default pool, no L4PolicySet', () => {
    const r = runL({ listenerProperties: sslListener });
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs.application_profile_ref).toBe('/api/applicationprofile?name=System-SSL-Application');
    expect(r.vs.services).toEqual([{ port: 80, port_range_end: 80, enable_ssl: true, enable_http2: false }]);
    expect(r.vs.pool_ref).toBe('/api/pool/?name=par--red-web-TCP-80');
    expect(r.vs.l4_policies).toBeUndefined();
    expect(r.vs.remove_listening_port_on_vs_down).toBeUndefined();
    expect(r.policySet).toBeUndefined();
    // The pool still takes the rule's backendProperties.
    expect(r.pools[0]).toMatchObject({ name: 'par--red-web-TCP-80', min_servers_up: 1, health_monitor_refs: ['/api/healthmonitor?name=System-TCP'] });
    expect(r.warnings).toEqual([]);
  });

  test('an SSL application profile with the VS SSL profile and certificates', () => {
    const r = runL({ listenerProperties: sslListener, applicationProfileRef: 'System-SSL-Application', networkProfileRef: 'System-TCP-Proxy', sslProfileRef: 'l4-ssl', sslKeyAndCertificateRefs: ['l4-cert'] });
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs).toMatchObject({
      application_profile_ref: '/api/applicationprofile?name=System-SSL-Application',
      network_profile_ref: '/api/networkprofile?name=System-TCP-Proxy',
      ssl_profile_ref: '/api/sslprofile?name=l4-ssl',
      ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=l4-cert'],
      pool_ref: '/api/pool/?name=par--red-web-TCP-80',
    });
  });

  test('SSL listeners on a VS that is not a TCP proxy (not Enterprise): the VS fields are not applied, with a warning; the pool still takes backendProperties', () => {
    const r = runL({ listenerProperties: sslListener }, { licenseTier: 'ESSENTIALS' });
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs.application_profile_ref).toBe('/api/applicationprofile/?name=System-L4-Application');
    expect(r.vs.network_profile_ref).toBe('/api/networkprofile/?name=System-TCP-Fast-Path');
    expect(r.vs.performance_limits).toBeUndefined();
    expect(r.vs.services).toEqual([{ port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false }]);
    expect(r.policySet).toBeDefined();
    expect(r.pools[0]).toMatchObject({ min_servers_up: 1 });
    expect(r.warnings).toEqual(['NotApplied: L4Rule red/l4r-1 cannot be applied to the service as network profile is not equal to System-TCP-Proxy: its VS fields are not applied']);
  });

  test.each([
    ['two listeners for one port', { listenerProperties: [...sslListener, { port: 81, protocol: 'TCP' }] }, undefined, 'Number of port definitions in l4r-1 l4rule listener spec does not match with the port definitons in web service'],
    ['a listener on another port', { listenerProperties: [{ port: 81, protocol: 'TCP' }] }, undefined, 'Port 80 defined in web service definition is not present in l4r-1 l4rule listener spec'],
    [
      'SSL on a two-port Service',
      { listenerProperties: [{ port: 80, protocol: 'TCP', enableSsl: true }, { port: 81, protocol: 'TCP' }] },
      [{ name: 'http', port: 80 }, { name: 'alt', port: 81 }],
      'Port 80 requires enabling SSL for L4 but there are multiple ports defined in web service definition',
    ],
  ])('%s: the rule stays Accepted but is not applied to the Service, with a warning', (_n, spec, ports, why) => {
    const r = runL(spec, ports ? { ports } : {});
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs.performance_limits).toBeUndefined();
    expect(r.vs.network_profile_ref).toBe('/api/networkprofile/?name=System-TCP-Proxy');
    expect(r.pools.every((p) => p.min_servers_up === undefined)).toBe(true);
    expect(r.policySet).toBeDefined();
    expect(r.warnings).toEqual([`InvalidAnnotation: annotation ako.vmware.com/l4rule: L4Rule red/l4r-1: ${why}: served without it`]);
  });

  test.each([
    ['an SSL application profile without an SSL listener', { applicationProfileRef: 'System-SSL-Application' }, 'SSL is not enabled in l4rule listener Spec but App Profile System-SSL-Application is of type SSL'],
    ['sslProfileRef with an L4 application profile', { listenerProperties: sslListener, sslProfileRef: 'l4-ssl' }, 'App Profile System-L4-Application is not of type SSL but SslProfileRef is set'],
    ['sslKeyAndCertificateRefs with an L4 application profile', { sslKeyAndCertificateRefs: ['l4-cert'] }, 'App Profile System-L4-Application is not of type SSL but SslKeyAndCertificateRefs are set'],
    [
      'an SSL application profile on a fast-path network profile',
      { listenerProperties: sslListener, applicationProfileRef: 'System-SSL-Application' },
      'networkprofile "System-TCP-Fast-Path" found on controller is invalid, must be of type: PROTOCOL_TYPE_TCP_PROXY for L4 SSL support',
    ],
    [
      'a missing VS SSL profile',
      { listenerProperties: sslListener, applicationProfileRef: 'System-SSL-Application', networkProfileRef: 'System-TCP-Proxy', sslProfileRef: 'nope' },
      'sslprofile "nope" not found on controller',
    ],
    [
      'a missing VS certificate',
      { listenerProperties: sslListener, applicationProfileRef: 'System-SSL-Application', networkProfileRef: 'System-TCP-Proxy', sslKeyAndCertificateRefs: ['l4-cert', 'nope'] },
      'sslkeyandcertificate "nope" not found on controller',
    ],
  ])('%s rejects the rule and the VS is as without it', (_n, spec, reason) => {
    const without = bare();
    const r = runL(spec);
    expect(r.verdict).toEqual({ kind: 'L4Rule', namespace: 'red', name: 'l4r-1', accepted: false, reason });
    expect(r.vs).toEqual(without.vs);
    expect(r.policySet).toBeDefined();
  });

  /**
   * Custom profiles, with the types the operator read on the controller (Snapshot.aviRefTypes): the Go AKO's
   * checkForL4SSLAppProfile (`type` L4 or SSL) and checkForNetworkProfileTypeTCP (`profile.type` TCP proxy, for SSL).
   */
  const CUSTOM_REFS = [...SSL_REFS, 'applicationprofile/my-ssl-app', 'applicationprofile/my-l4-app', 'applicationprofile/my-http-app', 'applicationprofile/my-untyped-app', 'networkprofile/my-tcp-proxy', 'networkprofile/my-udp'];
  const CUSTOM_TYPES = {
    'applicationprofile/System-L4-Application': 'APPLICATION_PROFILE_TYPE_L4',
    'applicationprofile/System-SSL-Application': 'APPLICATION_PROFILE_TYPE_SSL',
    'applicationprofile/my-ssl-app': 'APPLICATION_PROFILE_TYPE_SSL',
    'applicationprofile/my-l4-app': 'APPLICATION_PROFILE_TYPE_L4',
    'applicationprofile/my-http-app': 'APPLICATION_PROFILE_TYPE_HTTP',
    'networkprofile/System-TCP-Proxy': 'PROTOCOL_TYPE_TCP_PROXY',
    'networkprofile/System-TCP-Fast-Path': 'PROTOCOL_TYPE_TCP_FAST_PATH',
    'networkprofile/my-tcp-proxy': 'PROTOCOL_TYPE_TCP_PROXY',
    'networkprofile/my-udp': 'PROTOCOL_TYPE_UDP_FAST_PATH',
  };
  const custom = (spec: Record<string, unknown>) => runL(spec, { aviRefs: CUSTOM_REFS, aviRefTypes: CUSTOM_TYPES });

  test.each([
    [
      'a custom SSL application profile on System-TCP-Proxy, with the VS SSL profile and certificate',
      { listenerProperties: sslListener, applicationProfileRef: 'my-ssl-app', networkProfileRef: 'System-TCP-Proxy', sslProfileRef: 'l4-ssl', sslKeyAndCertificateRefs: ['l4-cert'] },
      {
        application_profile_ref: '/api/applicationprofile?name=my-ssl-app',
        network_profile_ref: '/api/networkprofile?name=System-TCP-Proxy',
        ssl_profile_ref: '/api/sslprofile?name=l4-ssl',
        ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=l4-cert'],
        services: [{ port: 80, port_range_end: 80, enable_ssl: true, enable_http2: false }],
        pool_ref: '/api/pool/?name=par--red-web-TCP-80',
      },
    ],
    [
      'a custom SSL application profile on a custom TCP proxy network profile',
      { listenerProperties: sslListener, applicationProfileRef: 'my-ssl-app', networkProfileRef: 'my-tcp-proxy' },
      { application_profile_ref: '/api/applicationprofile?name=my-ssl-app', network_profile_ref: '/api/networkprofile?name=my-tcp-proxy', pool_ref: '/api/pool/?name=par--red-web-TCP-80' },
    ],
    [
      'a custom L4 application profile without SSL',
      { applicationProfileRef: 'my-l4-app' },
      { application_profile_ref: '/api/applicationprofile?name=my-l4-app', l4_policies: [{ l4_policy_set_ref: '/api/l4policyset/?name=par--red-web', index: 0 }] },
    ],
  ])('%s: Accepted and applied', (_n, spec, want) => {
    const r = custom(spec);
    expect(r.verdict).toMatchObject({ accepted: true });
    expect(r.vs).toMatchObject(want);
  });

  test.each([
    [
      'a custom application profile of type HTTP',
      { applicationProfileRef: 'my-http-app' },
      'applicationprofile "my-http-app" found on controller is invalid, must be of type: APPLICATION_PROFILE_TYPE_L4 or APPLICATION_PROFILE_TYPE_SSL',
    ],
    [
      'a custom application profile whose type was not read',
      { applicationProfileRef: 'my-untyped-app' },
      'applicationprofile "my-untyped-app" found on controller is invalid, must be of type: APPLICATION_PROFILE_TYPE_L4 or APPLICATION_PROFILE_TYPE_SSL',
    ],
    ['a custom application profile not on the controller', { applicationProfileRef: 'no-app' }, 'applicationprofile "no-app" not found on controller'],
    ['a custom L4 application profile with an SSL listener', { listenerProperties: sslListener, applicationProfileRef: 'my-l4-app' }, 'SSL is enabled in l4rule listener Spec but App Profile my-l4-app is not of type SSL'],
    ['a custom SSL application profile without an SSL listener', { applicationProfileRef: 'my-ssl-app', networkProfileRef: 'System-TCP-Proxy' }, 'SSL is not enabled in l4rule listener Spec but App Profile my-ssl-app is of type SSL'],
    [
      'a custom SSL application profile on a UDP network profile',
      { listenerProperties: sslListener, applicationProfileRef: 'my-ssl-app', networkProfileRef: 'my-udp' },
      'networkprofile "my-udp" found on controller is invalid, must be of type: PROTOCOL_TYPE_TCP_PROXY for L4 SSL support',
    ],
    ['a custom SSL application profile on a network profile not on the controller', { listenerProperties: sslListener, applicationProfileRef: 'my-ssl-app', networkProfileRef: 'no-net' }, 'networkprofile "no-net" not found on controller'],
    ['a custom L4 application profile with sslProfileRef', { applicationProfileRef: 'my-l4-app', sslProfileRef: 'l4-ssl' }, 'App Profile my-l4-app is not of type SSL but SslProfileRef is set'],
  ])('%s rejects the rule and the VS is as without it', (_n, spec, reason) => {
    const without = bare();
    const r = custom(spec);
    expect(r.verdict).toEqual({ kind: 'L4Rule', namespace: 'red', name: 'l4r-1', accepted: false, reason });
    expect(r.vs).toEqual(without.vs);
  });
});
