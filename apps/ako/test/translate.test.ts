import { CHECKSUM_FIELD, checksumOf, combine, indexSnapshot, translate, translateUnit, translationUnits, unitsAffectedBy, validateConfig, type ObjectRef, type UnitResult } from '../src/index.js';
import { applyChange, loadCases, normalise, readExpected, snapshotOf, type K8sObject } from './translate-fixtures.js';

const cases = loadCases();

describe('translate: fixture cases (input.yaml -> expected.json)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = translate(snapshotOf(c.objects), c.config);
    const actual = normalise(result);
    expect(actual).toEqual(readExpected(c, actual));
    // Each checksum is stored where AKO stores it; it is ours computed from the body, except for VsVip and PoolGroup,
    // which carry the Go AKO's value (go-checksum.ts, checked against the recorded corpus in translate-parity.test.ts).
    for (const o of result.objects) {
      const field = CHECKSUM_FIELD[o.type];
      const body = { ...o.body };
      if (field) {
        expect(body[field]).toBe(o.checksum);
        delete body[field];
      }
      if (o.type !== 'vsvip' && o.type !== 'poolgroup') expect(checksumOf(o.type, body)).toBe(o.checksum);
    }
  });

  it('is deterministic: shuffling the snapshot lists does not change the result', () => {
    for (const c of cases) {
      const reversed = [...c.objects].reverse();
      expect(translate(snapshotOf(reversed), c.config)).toEqual(translate(snapshotOf(c.objects), c.config));
    }
  });
});

const refOf = (o: K8sObject): ObjectRef => ({ kind: o.kind as ObjectRef['kind'], namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });

/** Translate `before`, then apply one change incrementally: recompute only the affected units. */
function incremental(before: readonly K8sObject[], after: readonly K8sObject[], changed: K8sObject, config: Parameters<typeof translate>[1]) {
  const oldIdx = indexSnapshot(snapshotOf(before));
  const newIdx = indexSnapshot(snapshotOf(after));
  const units = new Map<string, UnitResult>(translationUnits(oldIdx, config).map((u) => [u, translateUnit(oldIdx, config, u)]));
  const affected = new Set([...unitsAffectedBy(oldIdx, config, refOf(changed)), ...unitsAffectedBy(newIdx, config, refOf(changed))]);
  for (const u of affected) units.set(u, translateUnit(newIdx, config, u));
  return combine([...units.values()]);
}

describe('translate: incremental translation equals the full computation', () => {
  // A config change is not incremental (AKO restarts for it), so only cases with a valid config apply.
  it.each(cases.filter((c) => validateConfig(c.config).length === 0).map((c) => [c.name, c] as const))('%s: adding or removing any one object', (_name, c) => {
    for (let i = 0; i < c.objects.length; i++) {
      const without = c.objects.filter((_, j) => j !== i);
      const changed = c.objects[i]!;
      expect([changed.kind, changed.metadata?.name, 'added', incremental(without, c.objects, changed, c.config)]).toEqual([
        changed.kind,
        changed.metadata?.name,
        'added',
        translate(snapshotOf(c.objects), c.config),
      ]);
      expect([changed.kind, changed.metadata?.name, 'removed', incremental(c.objects, without, changed, c.config)]).toEqual([
        changed.kind,
        changed.metadata?.name,
        'removed',
        translate(snapshotOf(without), c.config),
      ]);
    }
  });
});

describe('translate: incremental translation equals the full computation for modifications (changes.yaml)', () => {
  const withChanges = cases.filter((c) => c.changes.length > 0);
  it('has cases with changes', () => {
    expect(withChanges.length).toBeGreaterThanOrEqual(3);
  });
  it.each(withChanges.flatMap((c) => c.changes.map((ch) => [`${c.name}: ${ch.description}`, c, ch] as const)))('%s', (_title, c, ch) => {
    const after = applyChange(c.objects, ch);
    const full = translate(snapshotOf(after), c.config);
    expect(incremental(c.objects, after, (ch.object ?? ch.delete)!, c.config)).toEqual(full);
    // The change really changes the output, so the property is not checked on a no-op.
    expect(full).not.toEqual(translate(snapshotOf(c.objects), c.config));
  });
});
