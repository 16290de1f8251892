// Harm and silence the bad-input corpus (e2e/bad-inputs.test.ts) found, each fixed in translate (hand-written
// expectations):
//  - a Service joining a shared-VIP group with a port/protocol an older member uses, or asking for another preferred
//    VIP than the oldest member, took the whole group's VS down: now only the newer Service is rejected (reason
//    naming both), the group stays as it was;
//  - a `spec.tls` host that no rule of the Ingress names was ignored silently: now a NotApplied warning;
//  - a Service naming an L4Rule that does not exist (or is rejected) was served without it silently: now an
//    InvalidAnnotation warning.
import { DEFAULT_AKO_CONFIG, translate, type AkoConfig } from '../src/index.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const cfg: AkoConfig = { ...DEFAULT_AKO_CONFIG, clusterName: 'bad' };
const SV = 'ako.vmware.com/enable-shared-vip';
const svc = (name: string, created: string, ports: { port: number; protocol?: string }[], annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'team', creationTimestamp: created, annotations },
  spec: { type: 'LoadBalancer', ports: ports.map((p, i) => ({ name: `p${i}`, port: p.port, protocol: p.protocol ?? 'TCP' })) },
});
const run = (objects: unknown[]) => translate(snapshotOf(objects as K8sObject[]), cfg);
const verdicts = (r: ReturnType<typeof run>) => Object.fromEntries(r.verdicts.filter((v) => v.kind === 'Service').map((v) => [v.name, v.accepted ? 'accepted' : v.reason]));
const names = (r: ReturnType<typeof run>, type: string) => r.objects.filter((o) => o.type === type).map((o) => o.name).sort();

describe('a shared-VIP member using a port an older member uses: only the newer one is rejected', () => {
  const a = svc('sv-a', '2026-01-01T00:00:00Z', [{ port: 8081 }], { [SV]: 'grp' });
  const b = svc('sv-b', '2026-01-01T00:00:00Z', [{ port: 8082 }], { [SV]: 'grp' });
  test.each([
    ['the same port, newer by creationTimestamp', svc('sv-clash', '2026-02-01T00:00:00Z', [{ port: 8081 }], { [SV]: 'grp' }), 'sv-a', 'sv-clash', '8081/TCP'],
    ['the same port, same second, later by name', svc('sv-c', '2026-01-01T00:00:00Z', [{ port: 8082 }, { port: 9000 }], { [SV]: 'grp' }), 'sv-b', 'sv-c', '8082/TCP'],
  ])('%s', (_what, clash, holder, loser, port) => {
    const r = run([a, b, clash]);
    expect(verdicts(r)).toEqual({
      'sv-a': 'accepted',
      'sv-b': 'accepted',
      [loser]: `Services ${holder} and ${loser} sharing VIP key "grp" both use port ${port}: not served for the newer, ${loser}`,
    });
    expect(names(r, 'virtualservice')).toEqual(['bad--team-grp']);
    expect(names(r, 'pool')).toEqual(['bad--team-sv-a-grp-TCP-8081', 'bad--team-sv-b-grp-TCP-8082']);
  });
  const withIp = (name: string, created: string, port: number, ip?: string) => ({ ...svc(name, created, [{ port }], { [SV]: 'grp' }), spec: { type: 'LoadBalancer', ...(ip ? { loadBalancerIP: ip } : {}), ports: [{ name: 'p', port, protocol: 'TCP' }] } });
  test.each([
    ['a newer member asks for a VIP, the group has none', [a, b, withIp('sv-ip', '2026-02-01T00:00:00Z', 8090, '10.0.0.9')], 'sv-ip', 'no preferred VIP, preferred VIP 10.0.0.9', 'sv-a'],
    [
      'the oldest member asks for a VIP, a newer one for another',
      [withIp('sv-0', '2025-12-01T00:00:00Z', 8090, '10.0.0.1'), withIp('sv-m', '2026-01-01T00:00:00Z', 8092, '10.0.0.1'), withIp('sv-1', '2026-02-01T00:00:00Z', 8091, '10.0.0.2')],
      'sv-1',
      'preferred VIP 10.0.0.1, preferred VIP 10.0.0.2',
      'sv-0',
    ],
  ])('%s: the newer member alone is rejected', (_what, members, loser, vips, first) => {
    const r = run(members);
    const v = verdicts(r);
    expect(v[loser]).toBe(`Services ${first} and ${loser} sharing VIP key "grp" ask for different VIPs (${vips}): not served for the newer, ${loser}`);
    expect(Object.entries(v).filter(([k]) => k !== loser).map(([, x]) => x)).toEqual(Object.keys(v).filter((k) => k !== loser).map(() => 'accepted'));
    expect(names(r, 'virtualservice')).toEqual(['bad--team-grp']);
  });
  test('the same port number over UDP is no clash', () => {
    const r = run([a, b, svc('sv-udp', '2026-02-01T00:00:00Z', [{ port: 8081, protocol: 'UDP' }], { [SV]: 'grp' })]);
    expect(verdicts(r)).toEqual({ 'sv-a': 'accepted', 'sv-b': 'accepted', 'sv-udp': 'accepted' });
  });
});

const ingress = (tlsHosts: string[], ruleHosts: string[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'ing', namespace: 'team' },
  spec: {
    ingressClassName: 'avi-lb',
    tls: [{ hosts: tlsHosts, secretName: 's' }],
    rules: ruleHosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })),
  },
});
const ingressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } };
const warnings = (r: ReturnType<typeof run>, kind: string) => (r.warnings ?? []).filter((w) => w.kind === kind && w.reason !== 'BackendWarning' && w.reason !== 'CertificateWarning').map((w) => `${w.name} ${w.reason}: ${w.message}`);

describe('a TLS host that no rule names gets a NotApplied warning', () => {
  test.each([
    ['one stray host', ['stray.example.com'], ['a.example.com'], ['ing NotApplied: TLS host stray.example.com is named by no rule of this Ingress: its TLS entry is not applied']],
    ['a TLS host with its rule', ['a.example.com'], ['a.example.com'], []],
    ['two stray hosts, one named twice', ['y.example.com', 'x.example.com', 'y.example.com'], ['a.example.com'], [
      'ing NotApplied: TLS host x.example.com is named by no rule of this Ingress: its TLS entry is not applied',
      'ing NotApplied: TLS host y.example.com is named by no rule of this Ingress: its TLS entry is not applied',
    ]],
  ])('%s', (_what, tlsHosts, ruleHosts, expected) => {
    expect(warnings(run([ingressClass, ingress(tlsHosts, ruleHosts)]), 'Ingress')).toEqual(expected);
  });
});

describe('a Service naming an L4Rule that does not exist or is rejected gets an InvalidAnnotation warning', () => {
  const rule = (spec: Record<string, unknown>) => ({ apiVersion: 'ako.vmware.com/v1alpha2', kind: 'L4Rule', metadata: { name: 'r', namespace: 'team' }, spec });
  const named = svc('lb', '2026-01-01T00:00:00Z', [{ port: 80 }], { 'ako.vmware.com/l4rule': 'r' });
  test.each([
    ['no such L4Rule', [named], ['lb InvalidAnnotation: annotation ako.vmware.com/l4rule: L4Rule team/r not found: served without it']],
    ['a rejected L4Rule', [named, rule({ sslProfileRef: 'x' })], ['lb InvalidAnnotation: annotation ako.vmware.com/l4rule: L4Rule team/r is rejected: served without it']],
    ['an accepted L4Rule', [named, rule({ revokeVipRoute: true })], []],
  ])('%s', (_what, objects, expected) => {
    expect(warnings(run(objects), 'Service')).toEqual(expected);
  });
});

describe('names the controller would refuse: only that input is rejected, its neighbours on the shard are served', () => {
  const web = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team' }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] } };
  const plain = (name: string, host: string, path: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'team' },
    spec: { ingressClassName: 'avi-lb', rules: [{ host, http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  });
  test.each([
    ['a tab', '/a\tb', '"bad--t.example.com_a\\tb-team-odd" would hold a control character'],
    ['a DEL (JSON keeps it as it is)', '/a\u007fb', '"bad--t.example.com_a\u007fb-team-odd" would hold a control character'],
  ])('a path with %s', (_what, path, reason) => {
    const r = run([ingressClass, web, plain('odd', 't.example.com', path), plain('fine', 'f.example.com', '/')]);
    const odd = r.verdicts.find((v) => v.kind === 'Ingress' && v.name === 'odd');
    expect(odd?.accepted).toBe(false);
    expect(odd?.reason).toBe(`host t.example.com path ${path}: Avi pool name ${reason}, which the controller refuses: not served`);
    expect(r.verdicts.find((v) => v.kind === 'Ingress' && v.name === 'fine')?.accepted).toBe(true);
    const pools = names(r, 'pool');
    expect(pools).toContain('bad--f.example.com_-team-fine');
    expect(pools.filter((p) => p.includes('t.example.com'))).toEqual([]);
  });
  test('a shared-VIP key that makes the pool names longer than 255 characters rejects the Service', () => {
    const r = run([svc('long', '2026-01-01T00:00:00Z', [{ port: 80 }], { [SV]: 'g'.repeat(300) }), svc('short', '2026-01-01T00:00:00Z', [{ port: 81 }], { [SV]: 'grp' })]);
    expect(verdicts(r)).toEqual({ long: 'Avi object names would exceed 255 characters', short: 'accepted' });
    expect(names(r, 'pool')).toEqual(['bad--team-short-grp-TCP-81']);
  });
});
