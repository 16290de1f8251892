// The operator keeps a TranslateMemo across passes (memo.ts): a pass with it must give exactly what a pass without it
// gives, whatever the earlier passes saw, for every fixture and after the changes an informer delivers (a new object
// for a changed Ingress, a changed policy).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createTranslateMemo, translate, type AmkoConfig, type Snapshot, type TranslateMemo } from '../../src/translate/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const load = (file: string) => parse(readFileSync(join(dir, file), 'utf8')) as { config: AmkoConfig; snapshot: Snapshot };

const run = (s: Snapshot, c: AmkoConfig, memo?: TranslateMemo) => {
  const r = translate(s, c, memo);
  return { hold: r.hold, verdicts: r.verdicts, objects: r.objects.map((o) => ({ tenant: o.tenant, type: o.type, name: o.name, checksum: o.checksum, body: o.body })) };
};

type Ing = { metadata?: { name?: string }; status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } };

/**
 * The snapshot with the first Ingress whose VIP is in a GslbService (USED) replaced by a new object with another VIP,
 * as an informer delivers a change.
 */
function withNewVip(s: Snapshot, used: string): Snapshot | undefined {
  for (const [mi, m] of s.members.entries()) {
    const i = (m.ingresses as Ing[]).findIndex((x) => x.status?.loadBalancer?.ingress?.some((e) => e.ip && used.includes(`"${e.ip}"`)));
    if (i < 0) continue;
    const old = m.ingresses[i] as Ing;
    const moved: Ing = { ...old, status: { loadBalancer: { ingress: old.status!.loadBalancer!.ingress!.map((e) => ({ ...e, ...(e.ip ? { ip: '10.99.99.99' } : {}) })) } } };
    const ingresses = [...m.ingresses];
    ingresses[i] = moved as never;
    const members = [...s.members];
    members[mi] = { ...m, ingresses };
    return { ...s, members };
  }
  return undefined;
}

describe('translate with a memo kept across passes', () => {
  test.each(files)('%s: same result after a pass on the same input and after passes on every other fixture', (file) => {
    const f = load(file);
    const fresh = run(f.snapshot, f.config);
    const memo = createTranslateMemo();
    expect(run(f.snapshot, f.config, memo)).toEqual(fresh);
    expect(run(f.snapshot, f.config, memo)).toEqual(fresh);
    for (const other of files) run(load(other).snapshot, load(other).config, memo);
    expect(run(f.snapshot, f.config, memo)).toEqual(fresh);
  });

  test.each(files)('%s: a member VIP change and a policy change are seen through the memo', (file) => {
    const f = load(file);
    const memo = createTranslateMemo();
    const before = run(f.snapshot, f.config, memo);
    const moved = withNewVip(f.snapshot, JSON.stringify(before.objects.filter((o) => o.type === 'gslbservice')));
    if (moved) {
      const got = run(moved, f.config, memo);
      expect(got).toEqual(run(moved, f.config));
      // Not vacuous: the GslbService built from that Ingress has the new VIP.
      expect(JSON.stringify(got.objects)).toContain('"10.99.99.99"');
    }
    const gdps = f.snapshot.gdps.map((g) => ({ ...g, spec: { ...(g.spec as object), ttl: 77 } }));
    const changed = { ...(moved ?? f.snapshot), gdps };
    expect(run(changed, f.config, memo)).toEqual(run(changed, f.config));
    expect(run(changed, { ...f.config, amkoUuid: 'another-amko' }, memo)).toEqual(run(changed, { ...f.config, amkoUuid: 'another-amko' }));
  });

  test('at least 4 fixtures have an Ingress VIP in a GslbService (the VIP change above is exercised)', () => {
    const moved = files.filter((file) => {
      const f = load(file);
      return withNewVip(f.snapshot, JSON.stringify(run(f.snapshot, f.config).objects)) !== undefined;
    });
    expect(moved.length).toBeGreaterThanOrEqual(4);
  });
});
