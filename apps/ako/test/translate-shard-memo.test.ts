// translateUnit with a shard memo (translate/shard-memo.ts) after a change equals a fresh translation: on every
// case of the translate corpus, for the changes of its changes.yaml, and for each object of it removed or replaced by
// an equal copy (a new object, as the Store's on an update). A reused host's objects are stubs: compared by key,
// checksum and the reduced body the status stage keeps; every other object in full. The objects and their order,
// the verdicts, warnings and recheck time must be the same.
import { keyOf, type DesiredObject } from '@avi-k8s/avi-sync';
import { createShardMemo, indexSnapshot, translateUnit, translationUnits, validateConfig, type AkoConfig } from '../src/index.js';
import { statusBody } from '../src/operator/boot-results.js';
import { applyChange, loadCases, snapshotOf, type Change, type K8sObject } from './translate-fixtures.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const cases = loadCases().filter((c) => validateConfig(c.config).length === 0);
const shardUnits = (objects: readonly K8sObject[], c: AkoConfig) => translationUnits(indexSnapshot({ ...snapshotOf(objects), now: NOW }), c).filter((u) => u.startsWith('L7/'));

const variants = cases.flatMap((c) => [
  ...c.changes.map((ch): [string, typeof c, Change] => [`${c.name}: ${ch.description}`, c, ch]),
  ...c.objects.flatMap((o): [string, typeof c, Change][] => [
    [`${c.name}: ${o.kind} ${o.metadata?.name} replaced by an equal copy`, c, { description: 'copy', object: structuredClone(o) }],
    [`${c.name}: ${o.kind} ${o.metadata?.name} removed`, c, { description: 'removed', delete: o }],
  ]),
]);
let reused = 0;

test.each(variants.filter(([, c]) => shardUnits(c.objects, c.config).length > 0))('%s', (_title, c, ch) => {
  const after = applyChange(c.objects, ch);
  const before = indexSnapshot({ ...snapshotOf(c.objects), now: NOW });
  const now = indexSnapshot({ ...snapshotOf(after), now: NOW });
  const units = [...new Set([...shardUnits(c.objects, c.config), ...shardUnits(after, c.config)])];
  for (const u of units) {
    // One memo per unit, as the operator keeps them: filled by the translation before the change.
    const memo = createShardMemo(statusBody);
    translateUnit(before, c.config, u, { served: false, memo });
    const got = translateUnit(now, c.config, u, { served: false, memo });
    const want = translateUnit(now, c.config, u, { served: false });
    // A stub against the fresh object at its place: key, checksum and reduced body.
    const asStub = (o: DesiredObject) => ({ key: keyOf(o), checksum: o.checksum, reduced: statusBody(o.body) });
    const stub = got.objects.map((o) => memo.isStub(o));
    reused += stub.filter(Boolean).length;
    expect([u, got.objects.map((o, i) => (stub[i] ? asStub(o) : o)), got.verdicts, got.warnings, got.recheckAt]).toEqual([
      u,
      want.objects.map((o, i) => (stub[i] ? asStub(o) : o)),
      want.verdicts,
      want.warnings,
      want.recheckAt,
    ]);
  }
});

afterAll(() => {
  // The memo was used: most hosts of most variants are unchanged.
  expect(reused).toBeGreaterThan(50);
});
