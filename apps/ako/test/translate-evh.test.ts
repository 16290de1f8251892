/**
 * EVH mode (enableEVH) beyond parity case c27, and SSORule beyond c26/c26b: hand-written cases from the Go AKO's
 * rules (shared spec ako.md §2.1 Encode, §2.2 "EVH mode" names, §2.3 "EVH"). Expected names are SHA1 values computed
 * by hand from the spec's name formats (`<cluster>--` + sha1 hex of the SNI-style name; EVH pools add `-<service>`),
 * shard indexes FNV-1a-32(host) & (size - 1), likewise computed outside this code.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { translate, withRetainedShards, type AkoConfig, type TranslateResult } from '../src/index.js';
import { caseConfig, caseObjects, caseSnapshot } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const config: AkoConfig = caseConfig('c27-evh');
const base = caseObjects('c27-evh').filter((o) => o.kind !== 'Ingress' && !(o.kind === 'Service' && o.metadata?.name === 'web'));

type Path = { path: string; pathType?: string };
function ingress(name: string, host: string, paths: Path[], tls?: string): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: 'red', name },
    spec: {
      rules: [{ host, http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: 'backend', port: { number: 80 } } } })) } }],
      ...(tls ? { tls: [{ hosts: [host], secretName: tls }] } : {}),
    },
  } as K8sObject;
}

const run = (objs: K8sObject[], c: AkoConfig = config, aviRefs?: string[]): TranslateResult => translate({ ...snapshotOf([...base, ...objs]), ...(aviRefs ? { aviRefs } : {}) }, c);
const get = (r: TranslateResult, type: string, name: string): DesiredObject | undefined => r.objects.find((o) => o.type === type && o.name === name);
const body = (r: TranslateResult, type: string, name: string): Record<string, unknown> => {
  const o = get(r, type, name);
  if (!o) throw new Error(`no ${type} ${name} among ${r.objects.map((x) => `${x.type}/${x.name}`).join(', ')}`);
  return o.body;
};
const names = (r: TranslateResult, type: string): string[] => r.objects.filter((o) => o.type === type).map((o) => o.name).sort();
const verdict = (r: TranslateResult, kind: string, name: string) => r.verdicts.find((v) => v.kind === kind && v.name === name);

// sha1 of the spec's names (cluster par, namespace red), computed by hand.
const M = {
  vs: 'par--6a462e4fb077215645a4afec8633385ba09c1822', // par--m.par.test
  hps: 'par--a4db275495f1edc7e3fd4146d191e145de812d5e', // par--red-m.par.test
  poolFoo: 'par--f46ab52d43840644e4baa8a6954c5a85b3bc6c68', // par--red-m.par.test_foo-a-backend
  pgFoo: 'par--eb5ab980312b4a6258c81c7e8e502246670f36f0', // par--red-m.par.test_foo-a
  poolBar: 'par--99a8aa6fbcb4fcb810deafd6c0326c99a7fd0bbd', // par--red-m.par.test_bar-b-backend
  pgBar: 'par--7aab881deaa1b754711f6793c391d87874a35b5c', // par--red-m.par.test_bar-b
};
const S = {
  vs: 'par--d210427df01d87de8d5a34e6273a8365db266eea', // par--s.par.test (also its redirect set and certificate)
  hps: 'par--a1e8e66f0abc24d99eeab41ce27a0513d78eb227', // par--red-s.par.test
  pool: 'par--78e2f6b7ef2ccc4fc2cbbe779cf2fc5d7c131d25', // par--red-s.par.test_-s-backend
  pg: 'par--9b5532a70781ebb406a7f4708ed2e11e9d0f1a49', // par--red-s.par.test_-s
};

describe('EVH: one host served by two Ingresses with several paths', () => {
  // m.par.test: FNV-1a & 7 = 1 (LARGE), & 3 = 1 (MEDIUM).
  const objs = [ingress('a', 'm.par.test', [{ path: '/foo' }]), ingress('b', 'm.par.test', [{ path: '/bar', pathType: 'Exact' }])];
  const r = run(objs);

  it('is one EVH child on shard 1 matching the host on every path', () => {
    const vs = body(r, 'virtualservice', M.vs);
    expect(vs).toMatchObject({
      type: 'VS_TYPE_VH_CHILD',
      vh_type: 'VS_TYPE_VH_ENHANCED',
      vh_parent_vs_ref: '/api/virtualservice/?name=par--Shared-L7-EVH-1',
      vh_matches: [{ host: 'm.par.test', rules: [{ name: 'VHMATCHRULENAME', matches: { path: { match_criteria: 'BEGINS_WITH', match_case: 'SENSITIVE', match_str: ['/'] } } }] }],
      min_pools_up: 1,
      http_policies: [{ http_policy_set_ref: `/api/httppolicyset/?name=${M.hps}`, index: 11 }],
    });
    expect(vs.ssl_key_and_certificate_refs).toBeUndefined();
    expect(JSON.parse(vs.service_metadata as string)).toMatchObject({ namespace_ingress_name: ['red/a', 'red/b'], hostnames: ['m.par.test'], host_namespace_ingress_name: { 'm.par.test': ['red/a', 'red/b'] } });
    expect(names(r, 'virtualservice')).toEqual([M.vs, 'par--Shared-L7-EVH-1'].sort());
  });

  it('has a pool (named with its Service) and pool group per path, switched by one policy set per namespace', () => {
    expect(names(r, 'pool')).toEqual([M.poolBar, M.poolFoo].sort());
    expect(names(r, 'poolgroup')).toEqual([M.pgBar, M.pgFoo].sort());
    expect(body(r, 'poolgroup', M.pgFoo).members).toEqual([{ pool_ref: `/api/pool?name=${M.poolFoo}`, ratio: 100 }]);
    const hps = body(r, 'httppolicyset', M.hps);
    const rules = (hps.http_request_policy as { rules: { name: string; match: { path: unknown }; switching_action: { pool_group_ref: string } }[] }).rules;
    // Longest path first, Exact before the others at equal length; Prefix /foo by path element (EQUALS /foo, BEGINS_WITH /foo/).
    expect(rules.map((x) => [x.name, x.match.path, x.switching_action.pool_group_ref])).toEqual([
      [`${M.hps}-0`, { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/bar'] }, `/api/poolgroup/?name=${M.pgBar}`],
      [`${M.hps}-1`, { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/foo'] }, `/api/poolgroup/?name=${M.pgFoo}`],
      [`${M.hps}-2`, { match_criteria: 'BEGINS_WITH', match_case: 'SENSITIVE', match_str: ['/foo/'] }, `/api/poolgroup/?name=${M.pgFoo}`],
    ]);
    expect(hps.markers).toEqual([
      { key: 'clustername', values: ['par'] },
      { key: 'Namespace', values: ['red'] },
      { key: 'Host', values: ['m.par.test'] },
      { key: 'Path', values: ['/bar', '/foo'] },
      { key: 'IngressName', values: ['a', 'b'] },
    ]);
  });

  it('has an EVH parent without pool group, datascript or policies, its VsVip with the host', () => {
    const parent = body(r, 'virtualservice', 'par--Shared-L7-EVH-1');
    expect(parent).toMatchObject({ type: 'VS_TYPE_VH_PARENT', vh_type: 'VS_TYPE_VH_ENHANCED', vsvip_ref: '/api/vsvip/?name=par--Shared-L7-EVH-1' });
    for (const f of ['pool_group_ref', 'vs_datascripts', 'http_policies', 'ssl_key_and_certificate_refs']) expect(parent[f]).toBeUndefined();
    expect(names(r, 'vsdatascriptset')).toEqual([]);
    expect(body(r, 'vsvip', 'par--Shared-L7-EVH-1').dns_info).toEqual([{ fqdn: 'm.par.test' }, { fqdn: 'par--Shared-L7-EVH-1.admin.avi.internal' }]);
  });

  it('uses shard 1 of 4 with shardVSSize MEDIUM and the only shard 0 with SMALL', () => {
    expect(names(run(objs, { ...config, shardVSSize: 'MEDIUM' }), 'vsvip')).toEqual(['par--Shared-L7-EVH-1']);
    expect(names(run(objs, { ...config, shardVSSize: 'SMALL' }), 'vsvip')).toEqual(['par--Shared-L7-EVH-0']);
  });
});

describe('EVH: a secure host', () => {
  // s.par.test: FNV-1a & 7 = 7.
  const r = run([ingress('s', 's.par.test', [{ path: '/' }], 'tls-e3')]);

  it('has its certificate on the parent and, on its child, the HTTP->HTTPS redirect before its paths', () => {
    expect(body(r, 'virtualservice', 'par--Shared-L7-EVH-7').ssl_key_and_certificate_refs).toEqual([`/api/sslkeyandcertificate/?name=${S.vs}`]);
    expect(body(r, 'sslkeyandcertificate', S.vs).markers).toEqual([{ key: 'clustername', values: ['par'] }, { key: 'Host', values: ['s.par.test'] }]);
    const child = body(r, 'virtualservice', S.vs);
    expect(child.http_policies).toEqual([
      { http_policy_set_ref: `/api/httppolicyset/?name=${S.vs}`, index: 11 },
      { http_policy_set_ref: `/api/httppolicyset/?name=${S.hps}`, index: 12 },
    ]);
    expect(child.application_profile_ref).toBe('/api/applicationprofile/?name=System-HTTP');
    expect(body(r, 'httppolicyset', S.vs).http_request_policy).toEqual({
      rules: [
        {
          name: `${S.vs}-0`,
          index: 0,
          enable: true,
          match: { host_hdr: { match_criteria: 'HDR_EQUALS', value: ['s.par.test'] }, vs_port: { match_criteria: 'IS_IN', ports: [80] } },
          redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
        },
      ],
    });
    expect(names(r, 'pool')).toEqual([S.pool]);
    expect(names(r, 'poolgroup')).toEqual([S.pg]);
  });

  it('when its Secret is missing: the Ingress is rejected, the host not served, the parent kept', () => {
    const bad = run([ingress('s', 's.par.test', [{ path: '/' }], 'no-such-secret')]);
    expect(verdict(bad, 'Ingress', 's')).toMatchObject({ accepted: false, reason: 'host s.par.test: TLS Secret red/no-such-secret not found' });
    expect(get(bad, 'virtualservice', S.vs)).toBeUndefined();
    expect(names(bad, 'virtualservice')).toEqual(['par--Shared-L7-EVH-7']);
  });
});

test('EVH: when the last host of a parent goes, the parent and its VsVip stay (the VIP is kept), alone', () => {
  const objects = withRetainedShards(run([]).objects, config, ['par--Shared-L7-EVH-7']);
  expect(objects.map((o) => `${o.type}/${o.name}`).sort()).toEqual(['virtualservice/par--Shared-L7-EVH-7', 'vsvip/par--Shared-L7-EVH-7']);
  expect(objects.find((o) => o.type === 'vsvip')!.body.dns_info).toEqual([{ fqdn: 'par--Shared-L7-EVH-7.admin.avi.internal' }]);
});

test('EVH: a LoadBalancer Service has SHA1-encoded VS, VsVip, L4 policy set and pool (per protocol and port) names', () => {
  const lb = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'red', name: 'lb' },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }] },
  } as K8sObject;
  const r = run([lb]);
  const vs = 'par--c674c7870d84b401f0fef5d2d32f1d9302030094'; // par--red-lb
  expect(names(r, 'virtualservice')).toEqual([vs]);
  expect(names(r, 'vsvip')).toEqual([vs]);
  expect(names(r, 'l4policyset')).toEqual([vs]);
  // par--red-lb-UDP-53, par--red-lb-TCP-80
  expect(names(r, 'pool')).toEqual(['par--17d17c05fb3e622c2bf1a2060c6832742242ebd0', 'par--9064de48c0b420abf75bb529aa3a7f03f3ea06d3']);
});

describe('EVH: a HostRule applies to insecure and secure hosts (fields on the child, aliases as vh_matches, TLS on the parent)', () => {
  const hr = (name: string, virtualhost: Record<string, unknown>) => ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace: 'red', name }, spec: { virtualhost } }) as K8sObject;
  const refs = ['wafpolicy/w1', 'sslprofile/p1', 'sslkeyandcertificate/avi-cert'];

  it('on an insecure host: WAF on the child, one vh_match per domain, the alias in the VsVip, Accepted', () => {
    const r = run([ingress('a', 'm.par.test', [{ path: '/' }]), hr('hr', { fqdn: 'm.par.test', wafPolicy: 'w1', aliases: ['alias.par.test'] })], config, refs);
    expect(verdict(r, 'HostRule', 'hr')).toMatchObject({ accepted: true });
    const vs = body(r, 'virtualservice', M.vs);
    expect(vs.waf_policy_ref).toBe('/api/wafpolicy?name=w1');
    expect((vs.vh_matches as { host: string }[]).map((m) => m.host)).toEqual(['alias.par.test', 'm.par.test']);
    expect(vs.vh_domain_name).toBeUndefined();
    expect(body(r, 'vsvip', 'par--Shared-L7-EVH-1').dns_info).toEqual([{ fqdn: 'alias.par.test' }, { fqdn: 'm.par.test' }, { fqdn: 'par--Shared-L7-EVH-1.admin.avi.internal' }]);
  });

  it('on a secure host: its Avi certificate and SSL profile on the parent (none of ours), the alias redirected too', () => {
    const r = run(
      [ingress('s', 's.par.test', [{ path: '/' }], 'tls-e3'), hr('hr', { fqdn: 's.par.test', aliases: ['www.par.test'], tls: { sslKeyCertificate: { name: 'avi-cert', type: 'ref' }, sslProfile: 'p1' } })],
      config,
      refs,
    );
    const parent = body(r, 'virtualservice', 'par--Shared-L7-EVH-7');
    expect(parent.ssl_key_and_certificate_refs).toEqual(['/api/sslkeyandcertificate?name=avi-cert']);
    expect(parent.ssl_profile_ref).toBe('/api/sslprofile?name=p1');
    expect(names(r, 'sslkeyandcertificate')).toEqual([]);
    expect(body(r, 'virtualservice', S.vs).ssl_profile_ref).toBeUndefined();
    const redirect = body(r, 'httppolicyset', S.vs).http_request_policy as { rules: { match: { host_hdr: { value: string[] } } }[] };
    expect(redirect.rules[0]!.match.host_hdr.value).toEqual(['s.par.test', 'www.par.test']);
  });
});

describe('EVH: what is not implemented in EVH mode says so', () => {
  it('spec.defaultBackend is not served and the Ingress is told so', () => {
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { namespace: 'red', name: 'dflt' }, spec: { defaultBackend: { service: { name: 'backend', port: { number: 80 } } } } } as K8sObject;
    const r = run([ing]);
    expect(verdict(r, 'Ingress', 'dflt')).toMatchObject({ accepted: false, reason: expect.stringContaining('spec.defaultBackend and rules without a host are not served in EVH mode') });
    expect(r.objects).toEqual([]);
  });
});

describe('EVH: an AviInfraSetting places its hosts on its own EVH parents (c23 inputs in EVH mode)', () => {
  const c23 = caseObjects('c23-aviinfrasetting');
  const r = translate(caseSnapshot(c23, 'c23-aviinfrasetting'), { ...caseConfig('c23-aviinfrasetting'), enableEVH: true });
  // inf.par.test: FNV-1a & 3 = 1 (the setting's shardSize MEDIUM); names sha1 of the infra-prefixed SNI names.
  const child = 'par--c1ca1fe27ca93f60a8c65d5fc7dc7f2dc32bf25b'; // par--infra-1-inf.par.test
  const parent = 'par--Shared-L7-EVH-infra-1-1';

  it('the parent on its SE group and VIP network, the child on AKO SE group, names with the setting name', () => {
    expect(body(r, 'virtualservice', parent)).toMatchObject({ se_group_ref: '/api/serviceenginegroup?name=seg-infra', vh_type: 'VS_TYPE_VH_ENHANCED' });
    expect((body(r, 'vsvip', parent).vip as { ipam_network_subnet: { network_ref: string } }[])[0]!.ipam_network_subnet.network_ref).toBe('/api/network/?name=vip-net-2');
    const vs = body(r, 'virtualservice', child);
    expect(vs).toMatchObject({ vh_parent_vs_ref: `/api/virtualservice/?name=${parent}`, se_group_ref: '/api/serviceenginegroup?name=Default-Group' });
    expect(vs.markers).toEqual([
      { key: 'clustername', values: ['par'] },
      { key: 'Namespace', values: ['red'] },
      { key: 'Host', values: ['inf.par.test'] },
      { key: 'InfrasettingName', values: ['infra-1'] },
    ]);
    expect(get(r, 'pool', 'par--50ba6f03ac1850a10a744a747d25a6d77207d288')).toBeDefined(); // par--infra-1-red-inf.par.test_-inf-backend
    expect(get(r, 'poolgroup', 'par--629473fa89af87233e37243936045b708359f549')).toBeDefined(); // par--infra-1-red-inf.par.test_-inf
    expect(get(r, 'httppolicyset', 'par--85f0096a48f3367a74690a207993c32191d08f23')).toBeDefined(); // par--infra-1-red-inf.par.test
  });
});

test('EVH: a wildcard host matches by vh_matches and its child checks the number of labels with a datascript of its own name', () => {
  const r = run([ingress('w', '*.w.par.test', [{ path: '/' }])]);
  const name = 'par--457cc021bb596177f2eb84bbb114d2380bedcb5d'; // sha1 of par--*.w.par.test
  const vs = body(r, 'virtualservice', name);
  expect((vs.vh_matches as { host: string }[]).map((m) => m.host)).toEqual(['*.w.par.test']);
  expect(vs.vs_datascripts).toEqual([{ vs_datascript_set_ref: `/api/vsdatascriptset/?name=${name}`, index: 0 }]);
  expect(names(r, 'vsdatascriptset')).toEqual([name]);
});
