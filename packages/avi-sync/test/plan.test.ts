import { join } from 'node:path';
import { AKO_TYPE_ORDER, plan } from '../src/index.js';
import { buildDesired, buildObserved, loadCases, type FixtureDesired, type FixtureObserved } from './fixture-helpers.js';

interface PlanCase {
  description: string;
  typeOrder?: string[];
  desired: FixtureDesired[];
  observed: FixtureObserved[];
  expect: {
    /** Operation ids in plan order. */
    ops: string[];
    /** Exact dependsOn lists for the ops named here. */
    dependsOn?: Record<string, string[]>;
    /** Exact group for the ops named here. */
    groups?: Record<string, string>;
    rejected?: { key: string; reason: string }[];
    retained?: { key: string; reason: string }[];
  };
}

const cases = loadCases<PlanCase>(join(import.meta.dirname, 'fixtures/plan'));

describe('plan', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [c.file, c.data] as const))('%s', (_file, c) => {
    const desired = buildDesired(c.desired);
    const observed = buildObserved(c.observed, desired);
    const p = plan(desired, observed, { typeOrder: c.typeOrder ?? AKO_TYPE_ORDER });

    expect(p.ops.map((o) => o.id)).toEqual(c.expect.ops);
    for (const [id, deps] of Object.entries(c.expect.dependsOn ?? {})) {
      expect([id, p.ops.find((o) => o.id === id)?.dependsOn]).toEqual([id, deps]);
    }
    for (const [id, group] of Object.entries(c.expect.groups ?? {})) {
      expect([id, p.ops.find((o) => o.id === id)?.group]).toEqual([id, group]);
    }
    expect(p.rejected.map((r) => ({ key: `${r.tenant}/${r.type}/${r.name}`, reason: r.reason }))).toEqual(c.expect.rejected ?? []);
    expect(p.retained.map((r) => ({ key: `${r.tenant}/${r.type}/${r.name}`, reason: r.reason }))).toEqual(c.expect.retained ?? []);

    // Every dependency of an op comes earlier in the list.
    const pos = new Map(p.ops.map((o, i) => [o.id, i]));
    for (const op of p.ops) for (const d of op.dependsOn) expect(pos.get(d)!).toBeLessThan(pos.get(op.id)!);
  });

  it('is deterministic: the input order of desired and observed objects does not change the plan', () => {
    const c = cases.find((x) => x.file === '05-stale-deletes-and-updates.json')!.data;
    const desired = buildDesired(c.desired);
    const observed = buildObserved(c.observed, desired);
    const a = plan(desired, observed, { typeOrder: AKO_TYPE_ORDER });
    const b = plan([...desired].reverse(), [...observed].reverse(), { typeOrder: AKO_TYPE_ORDER });
    expect(b).toEqual(a);
  });
});
