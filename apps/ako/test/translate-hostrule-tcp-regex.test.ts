/**
 * HostRule tcpSettings, useRegex and applicationRootPath, hand-written cases (expected values from the Go AKO's
 * docs/crds/hostrule.md and its crd_translator/validator as read upstream; SHA-1 values computed with `sha1sum`):
 * on the c21 inputs (secure hosts hr1.par.test on shard par--Shared-L7-7, hr2.par.test on par--Shared-L7-4).
 */
import { emptyShard, indexSnapshot, translate } from '../src/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const base = caseObjects('c21-hostrule').filter((o) => o.kind !== 'HostRule');
const config = caseConfig('c21-hostrule');
const hostRule = (name: string, virtualhost: Record<string, unknown>, namespace = 'avi-system'): K8sObject =>
  ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace, name }, spec: { virtualhost } }) as K8sObject;
const run = (extra: K8sObject[] = [], cfg = config) => translate(snapshotOf([...base, ...extra]), cfg);
type R = ReturnType<typeof run>;
const obj = (r: R, type: string, name: string) => r.objects.find((o) => o.type === type && o.name === name)?.body;
const verdict = (r: R, name: string) => r.verdicts.find((v) => v.kind === 'HostRule' && v.name === name);

const SHARD7 = 'par--Shared-L7-7';
const SHARD7_FQDN = 'par--Shared-L7-7.admin.avi.internal';
const http = (port: number, ssl = false) => ({ port, port_range_end: port, enable_ssl: ssl, enable_http2: false });

describe('tcpSettings', () => {
  test.each([
    ['the shard FQDN (Exact)', { fqdn: SHARD7_FQDN }],
    ['the shard name (Contains)', { fqdn: 'Shared-L7-7', fqdnType: 'Contains' }],
  ])('a rule of AKO namespace matching %s sets the listeners and the VIP of that shard only', (_n, match) => {
    const before = run();
    const r = run([hostRule('tcp', { ...match, tcpSettings: { listeners: [{ port: 80 }, { port: 8081 }, { port: 6443, enableSSL: true }], loadBalancerIP: '10.10.10.1' } })]);
    expect(verdict(r, 'tcp')).toMatchObject({ accepted: true });
    expect(obj(r, 'virtualservice', SHARD7)!.services).toEqual([http(80), http(8081), http(6443, true)]);
    expect((obj(r, 'vsvip', SHARD7)!.vip as Record<string, unknown>[])[0]!.ip_address).toEqual({ addr: '10.10.10.1', type: 'V4' });
    expect(JSON.parse(obj(r, 'virtualservice', SHARD7)!.service_metadata as string).crd_status).toEqual({ type: 'HostRule', value: 'avi-system/tcp', status: 'ACTIVE' });
    // The other shard and the SNI children are as before.
    expect(obj(r, 'virtualservice', 'par--Shared-L7-4')).toEqual(obj(before, 'virtualservice', 'par--Shared-L7-4'));
    expect(obj(r, 'vsvip', 'par--Shared-L7-4')).toEqual(obj(before, 'vsvip', 'par--Shared-L7-4'));
    expect(obj(r, 'virtualservice', 'par--hr1.par.test')).toEqual(obj(before, 'virtualservice', 'par--hr1.par.test'));
  });

  test('loadBalancerIP alone keeps ports 80 and 443', () => {
    const r = run([hostRule('ip', { fqdn: SHARD7_FQDN, tcpSettings: { loadBalancerIP: '10.10.10.7' } })]);
    expect(obj(r, 'virtualservice', SHARD7)!.services).toEqual([http(80), http(443, true)]);
    expect((obj(r, 'vsvip', SHARD7)!.vip as Record<string, unknown>[])[0]!.ip_address).toEqual({ addr: '10.10.10.7', type: 'V4' });
  });

  test('a rule of another namespace for a shard is not applied, with a NotApplied warning', () => {
    const before = run();
    const r = run([hostRule('team', { fqdn: SHARD7_FQDN, tcpSettings: { loadBalancerIP: '10.10.10.1' } }, 'red')]);
    expect(obj(r, 'vsvip', SHARD7)).toEqual(obj(before, 'vsvip', SHARD7));
    expect(r.warnings).toContainEqual({
      kind: 'HostRule', namespace: 'red', name: 'team', reason: 'NotApplied',
      message: `the shared virtual service ${SHARD7} (${SHARD7_FQDN}) takes a HostRule of AKO's namespace avi-system only`,
    });
  });

  test('on a dedicated VS: listeners replace its ports, loadBalancerIP is its VIP', () => {
    const cfg = { ...config, shardVSSize: 'DEDICATED' as const };
    const r = run([hostRule('ded', { fqdn: 'hr1.par.test', tcpSettings: { listeners: [{ port: 8443, enableSSL: true }], loadBalancerIP: '10.10.10.9' } }, 'red')], cfg);
    const name = 'par--hr1.par.test-L7-dedicated';
    expect(obj(r, 'virtualservice', name)!.services).toEqual([http(8443, true)]);
    expect((obj(r, 'vsvip', name)!.vip as Record<string, unknown>[])[0]!.ip_address).toEqual({ addr: '10.10.10.9', type: 'V4' });
    expect(obj(run([], cfg), 'virtualservice', name)!.services).toEqual([http(80), http(443, true)]);
  });

  test.each([
    ['an invalid loadBalancerIP', { fqdn: SHARD7_FQDN, tcpSettings: { loadBalancerIP: '10.10.10' } }, 'loadBalancerIP 10.10.10 is not a valid IP'],
    ['listeners without SSL', { fqdn: SHARD7_FQDN, tcpSettings: { listeners: [{ port: 8080 }] } }, 'Hosting parent virtualservice must have SSL enabled'],
    ['useRegex on a shared VS', { fqdn: SHARD7_FQDN, useRegex: true }, `hostrule useRegex with fqdn ${SHARD7_FQDN} cannot be applied to shared virtualservices`],
    ['applicationRootPath on a shared VS', { fqdn: SHARD7_FQDN, applicationRootPath: '/foo' }, `hostrule applicationRootPath with fqdn ${SHARD7_FQDN} cannot be applied to shared virtualservices`],
    ['a listener without a port', { fqdn: SHARD7_FQDN, tcpSettings: { listeners: [{ port: 80 }, { enableSSL: true }] } }, 'tcpSettings.listeners[1] has no port'],
    ['a port listed twice', { fqdn: SHARD7_FQDN, tcpSettings: { listeners: [{ port: 443 }, { port: 443, enableSSL: true }] } }, 'tcpSettings.listeners: port 443 is listed twice'],
    ['an applicationRootPath not starting with /', { fqdn: 'hr1.par.test', applicationRootPath: 'foo' }, 'applicationRootPath foo must be a path starting with / other than /'],
  ])('%s is Rejected as the Go AKO words it, and nothing changes', (_n, vh, reason) => {
    const before = run();
    const r = run([hostRule('bad', vh)]);
    expect(verdict(r, 'bad')).toEqual({ kind: 'HostRule', namespace: 'avi-system', name: 'bad', accepted: false, reason });
    expect(r.objects).toEqual(before.objects);
  });
});

describe('useRegex and applicationRootPath (SNI child)', () => {
  const HPS = 'par--red-hr1.par.test';
  const rules = (r: R) => (obj(r, 'httppolicyset', HPS)!.http_request_policy as { rules: unknown[] }).rules;

  test('useRegex: the path rule matches its string group, case-insensitive; pool and pool group named by SHA-1', () => {
    const r = run([hostRule('rx', { fqdn: 'hr1.par.test', useRegex: true }, 'red')]);
    const sg = 'ako-par-0817add61eafccfbabaf5f6e37da2b6e64873ca6';
    const pg = 'par--9db97b252b9b61cd68911fe2448246febefbda12';
    expect(rules(r)).toEqual([
      {
        name: `${HPS}-0`, index: 0, enable: true,
        match: { path: { match_criteria: 'REGEX_MATCH', match_case: 'INSENSITIVE', string_group_refs: [`/api/stringgroup?name=${sg}`] } },
        switching_action: { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: `/api/poolgroup/?name=${pg}` },
      },
    ]);
    expect(obj(r, 'stringgroup', sg)).toEqual({
      name: sg, tenant_ref: '/api/tenant/?name=admin', type: 'SG_TYPE_STRING', longest_match: true, kv: [{ key: '/' }],
      markers: [{ key: 'clustername', values: ['par'] }, { key: 'created_by', values: ['ako-par'] }],
    });
    expect(obj(r, 'pool', pg)).toBeDefined();
    expect(obj(r, 'poolgroup', pg)!.members).toEqual([{ pool_ref: `/api/pool?name=${pg}`, ratio: 100 }]);
    expect(obj(r, 'pool', 'par--red-hr1.par.test_-hr')).toBeUndefined();
  });

  test('applicationRootPath: the / rule matches the root path, and / is redirected there per port', () => {
    const r = run([hostRule('root', { fqdn: 'hr1.par.test', applicationRootPath: '/foo' }, 'red')]);
    const sw = { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: '/api/poolgroup/?name=par--red-hr1.par.test_-hr' };
    const redirect = (i: number, port: number, protocol: string) => ({
      name: `${HPS}-${i}`, index: i, enable: true,
      match: { path: { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/'] }, vs_port: { match_criteria: 'IS_IN', ports: [port] } },
      redirect_action: { protocol, port, status_code: 'HTTP_REDIRECT_STATUS_CODE_302', path: { type: 'URI_PARAM_TYPE_TOKENIZED', tokens: [{ type: 'URI_TOKEN_TYPE_STRING', str_value: 'foo' }] } },
    });
    expect(rules(r)).toEqual([
      { name: `${HPS}-0`, index: 0, enable: true, match: { path: { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/foo'] } }, switching_action: sw },
      { name: `${HPS}-1`, index: 1, enable: true, match: { path: { match_criteria: 'BEGINS_WITH', match_case: 'SENSITIVE', match_str: ['/foo/'] } }, switching_action: sw },
      redirect(2, 80, 'HTTP'),
      redirect(3, 443, 'HTTPS'),
    ]);
  });

  test('both together: the root path is the regex of its string group', () => {
    const r = run([hostRule('both', { fqdn: 'hr1.par.test', useRegex: true, applicationRootPath: '/foo' }, 'red')]);
    const sg = 'ako-par-bb4b15cb4c5cbe4e8c13c8f55fce6c01063a763e';
    expect((rules(r)[0] as { match: unknown }).match).toEqual({ path: { match_criteria: 'REGEX_MATCH', match_case: 'INSENSITIVE', string_group_refs: [`/api/stringgroup?name=${sg}`] } });
    expect(obj(r, 'stringgroup', sg)!.kv).toEqual([{ key: '/foo' }]);
    expect(rules(r)).toHaveLength(3);
  });

  test('with httpPolicy overwrite neither applies (as the Go AKO)', () => {
    const r = run([hostRule('ow', { fqdn: 'hr1.par.test', useRegex: true, applicationRootPath: '/foo', httpPolicy: { policySets: ['p1'], overwrite: true } }, 'red')]);
    expect(r.objects.filter((o) => o.type === 'stringgroup')).toEqual([]);
    expect(rules(r)).toEqual(rules(run()));
  });
});

describe('dedicated and EVH modes', () => {
  const allRules = (r: R) => r.objects.filter((o) => o.type === 'httppolicyset').flatMap((o) => (o.body.http_request_policy as { rules: Record<string, unknown>[] }).rules);

  test('dedicated VS: useRegex names the pool and pool group by SHA-1 of the dedicated name; the root redirects follow its listeners', () => {
    const cfg = { ...config, shardVSSize: 'DEDICATED' as const };
    const r = run([hostRule('ded', { fqdn: 'hr1.par.test', useRegex: true, applicationRootPath: '/foo', tcpSettings: { listeners: [{ port: 8443, enableSSL: true }] } }, 'red')], cfg);
    const pg = 'par--b1c0221ed9a823290a6445b9367fa057d4c0f3bb';
    const hps = (obj(r, 'httppolicyset', 'par--red-hr1.par.test')!.http_request_policy as { rules: Record<string, unknown>[] }).rules;
    expect(hps.map((x) => [x.match, x.switching_action ?? x.redirect_action])).toEqual([
      [
        { path: { match_criteria: 'REGEX_MATCH', match_case: 'INSENSITIVE', string_group_refs: ['/api/stringgroup?name=ako-par-bb4b15cb4c5cbe4e8c13c8f55fce6c01063a763e'] } },
        { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: `/api/poolgroup/?name=${pg}` },
      ],
      [
        { path: { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/'] }, vs_port: { match_criteria: 'IS_IN', ports: [8443] } },
        { protocol: 'HTTPS', port: 8443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302', path: { type: 'URI_PARAM_TYPE_TOKENIZED', tokens: [{ type: 'URI_TOKEN_TYPE_STRING', str_value: 'foo' }] } },
      ],
    ]);
    expect(obj(r, 'pool', pg)).toBeDefined();
  });

  test('EVH child: useRegex and applicationRootPath on its policy set (names not re-encoded); an EVH parent takes tcpSettings', () => {
    const cfg = { ...config, enableEVH: true };
    const before = run([], cfg);
    const r = run([hostRule('evh', { fqdn: 'hr1.par.test', useRegex: true, applicationRootPath: '/foo' }, 'red'), hostRule('parents', { fqdn: 'Shared-L7-EVH', fqdnType: 'Contains', tcpSettings: { listeners: [{ port: 80 }, { port: 8443, enableSSL: true }] } })], cfg);
    const regex = allRules(r).filter((x) => JSON.stringify(x.match).includes('REGEX_MATCH'));
    expect(regex.map((x) => x.match)).toEqual([{ path: { match_criteria: 'REGEX_MATCH', match_case: 'INSENSITIVE', string_group_refs: ['/api/stringgroup?name=ako-par-bb4b15cb4c5cbe4e8c13c8f55fce6c01063a763e'] } }]);
    // The same pool group as without the rule (EVH names are encoded already).
    const pgRefs = (x: R) => allRules(x).map((y) => (y.switching_action as { pool_group_ref?: string } | undefined)?.pool_group_ref).filter(Boolean).sort();
    expect(pgRefs(r)).toEqual(pgRefs(before));
    const redirects = allRules(r).filter((x) => JSON.stringify(x.redirect_action ?? {}).includes('URI_TOKEN_TYPE_STRING'));
    expect(redirects.map((x) => [(x.match as { vs_port: unknown }).vs_port, (x.redirect_action as { protocol: string }).protocol])).toEqual([
      [{ match_criteria: 'IS_IN', ports: [80] }, 'HTTP'],
      [{ match_criteria: 'IS_IN', ports: [443] }, 'HTTPS'],
    ]);
    const parents = r.objects.filter((o) => o.type === 'virtualservice' && o.body.type === 'VS_TYPE_VH_PARENT');
    expect(parents.length).toBeGreaterThan(0);
    for (const p of parents) expect(p.body.services).toEqual([http(80), http(8443, true)]);
  });
});

test('tcpSettings and networkSecurityPolicy on a host of an SNI child: not set there (as the Go AKO), a NotApplied warning each', () => {
  const before = run();
  const r = translate({ ...snapshotOf([...base, hostRule('child', { fqdn: 'hr1.par.test', networkSecurityPolicy: 'nsp', tcpSettings: { loadBalancerIP: '10.10.10.1' } }, 'red')]), aviRefs: ['networksecuritypolicy/nsp'] }, config);
  expect(obj(r, 'virtualservice', 'par--hr1.par.test')!.network_security_policy_ref).toBeUndefined();
  expect(obj(r, 'vsvip', SHARD7)).toEqual(obj(before, 'vsvip', SHARD7));
  const msg = (f: string) => `${f} applies to a shared or dedicated virtual service only: not applied to the child virtual service of hr1.par.test`;
  // Warnings come sorted by message.
  expect(r.warnings?.filter((w) => w.kind === 'HostRule')).toEqual([
    { kind: 'HostRule', namespace: 'red', name: 'child', reason: 'NotApplied', message: msg('networkSecurityPolicy') },
    { kind: 'HostRule', namespace: 'red', name: 'child', reason: 'NotApplied', message: msg('tcpSettings') },
  ]);
  // On a dedicated VS both apply.
  const d = translate({ ...snapshotOf([...base, hostRule('child', { fqdn: 'hr1.par.test', networkSecurityPolicy: 'nsp' }, 'red')]), aviRefs: ['networksecuritypolicy/nsp'] }, { ...config, shardVSSize: 'DEDICATED' });
  expect(obj(d, 'virtualservice', 'par--hr1.par.test-L7-dedicated')!.network_security_policy_ref).toBe('/api/networksecuritypolicy?name=nsp');
});

test('a kept shard with no host left keeps its HostRule listeners and VIP (given the unit view)', () => {
  const view = indexSnapshot(snapshotOf([hostRule('tcp', { fqdn: SHARD7_FQDN, tcpSettings: { listeners: [{ port: 8443, enableSSL: true }], loadBalancerIP: '10.10.10.1' } })]));
  const objs = emptyShard(config, SHARD7, view);
  expect(objs.find((o) => o.type === 'virtualservice')!.body.services).toEqual([http(8443, true)]);
  expect((objs.find((o) => o.type === 'vsvip')!.body.vip as Record<string, unknown>[])[0]!.ip_address).toEqual({ addr: '10.10.10.1', type: 'V4' });
  // Without the view (as before), ports 80/443.
  expect(emptyShard(config, SHARD7).find((o) => o.type === 'virtualservice')!.body.services).toEqual([http(80), http(443, true)]);
});

test("a shard in another tenant than AKO's namespace's takes no HostRule of AKO's namespace (as the Go AKO), with a NotApplied warning", () => {
  const red = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'red', annotations: { 'ako.vmware.com/tenant-name': 'team' } } } as K8sObject;
  const objs = [...base.filter((o) => !(o.kind === 'Namespace' && o.metadata?.name === 'red')), red];
  const fqdn = 'par--Shared-L7-7.team.avi.internal';
  const r = translate(snapshotOf([...objs, hostRule('tcp', { fqdn, tcpSettings: { listeners: [{ port: 8443, enableSSL: true }] } })]), config);
  const vs = r.objects.find((o) => o.type === 'virtualservice' && o.name === SHARD7 && o.tenant === 'team')!;
  expect(vs.body.services).toEqual([http(80), http(443, true)]);
  expect(r.warnings).toContainEqual({ kind: 'HostRule', namespace: 'avi-system', name: 'tcp', reason: 'NotApplied', message: `the shared virtual service ${SHARD7} is in tenant team, the HostRule's namespace in tenant admin` });
});
