// Parity with the Go AMKO, table-driven (cases.ts): translate() builds, field by field, the GslbServices and health
// monitors the Go AMKO would send, except the deliberate differences each case names.
import type { AviBody } from '@avi-k8s/avi-sync';
import { checksumOf, translate } from '../../src/translate/index.js';
import { CASES, PARITY_CONFIG, snapshotOf } from './cases.js';
import { OUR_TENANT_REF } from './go-amko.js';

describe('GslbServices and monitors as the Go AMKO builds them', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = translate(snapshotOf(c), { ...PARITY_CONFIG, ...c.config });
    expect(r.verdicts.filter((v) => !v.accepted && (v.kind === 'GlobalDeploymentPolicy' || v.kind === 'GSLBHostRule'))).toEqual([]);
    const bodies = (type: string) =>
      r.objects
        .filter((o) => o.type === type)
        .map((o) => o.body)
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    // Deliberate difference for every object: tenant_ref is the GS's tenant as a relative ref.
    const expectGs = c.go.gs.map((g) => ({ ...g, tenant_ref: OUR_TENANT_REF, ...(c.ours?.[String(g.name)] ?? {}) }));
    const expectHms = c.go.hms.map((h): AviBody => ({ ...h, tenant_ref: OUR_TENANT_REF })).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(bodies('gslbservice')).toEqual(expectGs);
    expect(bodies('healthmonitor')).toEqual(expectHms);
    // Every object is in the GS's tenant and named as its body.
    for (const o of r.objects) expect([o.tenant, o.name]).toEqual(['admin', o.body.name]);
  });

  test('every case differs from the Go AMKO only where it says so', () => {
    // The deliberate differences are few and named: guard against a case hiding a difference in `ours`.
    const overridden = CASES.filter((c) => c.ours).map((c) => c.name);
    expect(overridden).toEqual(['GSLBHostRule: ttl, sitePersistence, healthMonitorRefs, trafficSplit, poolAlgorithmSettings, downResponse', 'syncVipOnly member, a GSLBHostRule publicIP and third-party members']);
  });
});

describe('a GslbService stored by the Go AMKO checksums as ours builds it', () => {
  // spec §5.2: the Go AMKO's checksum sorts its lists; its group order is map iteration order and its member and
  // description order arrival order (rest/dq_nodes.go:buildGslbSvcGroups). Reordered, the Go body needs no write.
  test.each(CASES.map((c) => [c.name, c] as const))('%s, lists reordered', (_name, c) => {
    const r = translate(snapshotOf(c), { ...PARITY_CONFIG, ...c.config });
    for (const go of c.go.gs) {
      const mine = r.objects.find((o) => o.type === 'gslbservice' && o.name === go.name)!;
      const stored = { ...go, ...(c.ours?.[String(go.name)] ?? {}) };
      const reordered = {
        ...stored,
        domain_names: [...(stored.domain_names as string[])].reverse(),
        description: String(stored.description).split(',').reverse().join(','),
        ...(stored.health_monitor_refs ? { health_monitor_refs: [...(stored.health_monitor_refs as string[])].reverse() } : {}),
        groups: (stored.groups as AviBody[]).map((g) => ({ ...g, members: [...(g.members as AviBody[])].reverse() })).reverse(),
      };
      expect(checksumOf('gslbservice', reordered)).toBe(mine.checksum);
    }
  });
});

test('custom global FQDN mode: an object without a HostRule mapping is rejected, with the reason (spec §3.4)', () => {
  const c = CASES.find((x) => x.config?.useCustomGlobalFqdn)!;
  const r = translate(snapshotOf(c), { ...PARITY_CONFIG, ...c.config });
  expect(r.verdicts.filter((v) => !v.accepted && v.kind === 'Ingress')).toEqual([
    { kind: 'Ingress', cluster: 'c2', namespace: 'gslb', name: 'nomap', accepted: false, reason: 'no Accepted HostRule with gslb.fqdn for nomap.c2.local (useCustomGlobalFqdn)' },
  ]);
  // The same inputs in default mode: one GS per local FQDN, each with its HostRule's aliases whatever includeAliases
  // says (member_controllers.go:AddHostRule adds them unconditionally outside custom mode).
  const d = translate(snapshotOf(c), PARITY_CONFIG);
  expect(d.objects.filter((o) => o.type === 'gslbservice').map((o) => [o.name, o.body.domain_names])).toEqual([
    ['app.c2.local', ['app.c2.local', 'www.app.global.com']],
    ['app.c3.local', ['app.c3.local', 'not-included.com']],
    ['nomap.c2.local', ['nomap.c2.local']],
  ]);
});
