// ByUnit (apps/ako/src/operator/by-unit.ts): the status stage's and the observed state's unit -> value map, one pair
// inline and a Map beyond; it must answer as a Map does through any sequence of units coming and going.
import { ByUnit } from '../../src/operator/by-unit.js';

type Step = ['set', string, number] | ['delete', string];

const sequences: [string, Step[]][] = [
  ['one unit, replaced, then gone', [['set', 'L7/a', 1], ['set', 'L7/a', 2], ['delete', 'L7/b'], ['delete', 'L7/a'], ['delete', 'L7/a']]],
  ['a second unit comes, the first leaves, a third comes', [['set', 'L7/a', 1], ['set', 'L7/b', 2], ['delete', 'L7/a'], ['set', 'L7/c', 3], ['set', 'L7/b', 4]]],
  ['three units, all leave, one comes back', [['set', 'a', 1], ['set', 'b', 2], ['set', 'c', 3], ['delete', 'b'], ['delete', 'a'], ['delete', 'c'], ['set', 'b', 5]]],
];

test.each(sequences)('%s: the same answers as a Map after each step', (_what, steps) => {
  const m = new Map<string, number>();
  const b = new ByUnit<number>();
  for (const step of steps) {
    if (step[0] === 'set') {
      m.set(step[1], step[2]);
      expect(b.set(step[1], step[2])).toBe(b);
    } else expect(b.delete(step[1])).toBe(m.delete(step[1]));
    expect(b.size).toBe(m.size);
    expect([...b.values()].sort()).toEqual([...m.values()].sort());
    expect([...b.entries()].sort()).toEqual([...m.entries()].sort());
    for (const u of ['L7/a', 'L7/b', 'L7/c', 'a', 'b', 'c']) expect(b.get(u)).toBe(m.get(u));
  }
});
