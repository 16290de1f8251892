import { bodyChecksum, canonicalChecksum, canonicalJson, fnv1a32, sortKeysInPlace, type AviBody } from '../src/index.js';

// Each value with the canonical text written by hand: canonicalChecksum must hash exactly those bytes.
const cases: [string, unknown, string][] = [
  ['null', null, 'null'],
  ['undefined at the top', undefined, 'null'],
  ['true', true, 'true'],
  ['false', false, 'false'],
  ['an integer', 42, '42'],
  ['a negative fraction', -0.5, '-0.5'],
  ['minus zero', -0, '0'],
  ['a big number', 1e21, '1e+21'],
  ['a small number', 1e-7, '1e-7'],
  ['NaN', NaN, 'null'],
  ['Infinity', Infinity, 'null'],
  ['a function', () => 1, 'null'],
  ['an empty string', '', '""'],
  ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
  ['short escapes', '\b\t\n\f\r', '"\\b\\t\\n\\f\\r"'],
  ['other control characters', '\u0000\u001f\u000b', '"\\u0000\\u001f\\u000b"'],
  ['DEL is not escaped', '\u007f', '"\u007f"'],
  ['two- and three-byte characters', 'é€', '"é€"'],
  ['a surrogate pair', '😀', '"😀"'],
  ['a lone high surrogate', 'a\ud800b', '"a\\ud800b"'],
  ['a lone low surrogate at the end', 'a\udc00', '"a\\udc00"'],
  ['a high surrogate at the end', '\udbff', '"\\udbff"'],
  ['an empty object', {}, '{}'],
  ['an empty array', [], '[]'],
  ['keys sorted by code unit', { b: 1, a: 2, B: 3, é: 4, _: 5, a1: 6 }, '{"B":3,"_":5,"a":2,"a1":6,"b":1,"é":4}'],
  ['undefined members dropped', { a: undefined, b: null }, '{"b":null}'],
  ['array holes and undefined as null', [undefined, 1, () => 2], '[null,1,null]'],
  ['a function member kept as null', { f: () => 1 }, '{"f":null}'],
  ['keys needing escapes', { 'x"y': 1, 'n\n': 2 }, '{"n\\n":2,"x\\"y":1}'],
  ['nested', { z: [{ y: 1, x: [true, 'é'] }], a: { c: {}, b: [] } }, '{"a":{"b":[],"c":{}},"z":[{"x":[true,"é"],"y":1}]}'],
  ['a Date is an object without keys', { d: new Date(0) }, '{"d":{}}'],
  [
    'more keys than the insertion sort takes',
    Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(29 - i).padStart(2, '0')}`, i])),
    `{${Array.from({ length: 30 }, (_, i) => `"k${String(i).padStart(2, '0')}":${29 - i}`).join(',')}}`,
  ],
];

describe('canonicalChecksum', () => {
  it.each(cases)('%s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
    expect(canonicalChecksum(value)).toBe(fnv1a32(text));
  });

  it('excludes keys of the top-level object only', () => {
    const body = { name: 'p', cloud_config_cksum: 'old', nested: { cloud_config_cksum: 'kept' } };
    const text = '{"name":"p","nested":{"cloud_config_cksum":"kept"}}';
    expect(canonicalChecksum(body, ['cloud_config_cksum'])).toBe(fnv1a32(text));
    expect(bodyChecksum(body, ['cloud_config_cksum'])).toBe(String(fnv1a32(text)));
  });

  it('throws on a BigInt as JSON.stringify does', () => {
    expect(() => canonicalChecksum({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });

  it('starts afresh after a throw', () => {
    expect(() => canonicalChecksum([1, 2n])).toThrow(TypeError);
    expect(canonicalChecksum({})).toBe(fnv1a32('{}'));
  });

  it('equals fnv1a32(canonicalJson(v)) on generated values', () => {
    // a small deterministic generator (LCG): strings with ASCII, escapes, non-ASCII and surrogates, nested values
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const units = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', '\u007f', 'é', '€', '\ud83d', '\ude00', '\u2028'];
    const str = () => Array.from({ length: rnd(8) }, () => units[rnd(units.length)]).join('');
    const gen = (depth: number): unknown => {
      switch (rnd(depth > 3 ? 5 : 8)) {
        case 0:
          return str();
        case 1:
          return rnd(3) === 0 ? -rnd(1000) / 7 : rnd(100000);
        case 2:
          return rnd(2) === 0;
        case 3:
          return null;
        case 4:
          return undefined;
        case 5:
          return Array.from({ length: rnd(4) }, () => gen(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: rnd(6) }, () => [str(), gen(depth + 1)]));
      }
    };
    for (let i = 0; i < 3000; i++) {
      const v = gen(0);
      expect(canonicalChecksum(v)).toBe(fnv1a32(canonicalJson(v)));
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        const exclude = keys.slice(0, rnd(keys.length + 1));
        const copy: AviBody = { ...(v as AviBody) };
        for (const k of exclude) delete copy[k];
        expect(bodyChecksum(v as AviBody, exclude)).toBe(String(fnv1a32(canonicalJson(copy))));
      }
    }
  });
});

describe('sortKeysInPlace', () => {
  it.each<[string[], string[]]>([
    [[], []],
    [['a'], ['a']],
    [['b', 'a', 'c'], ['a', 'b', 'c']],
    [['a', 'B', '_', 'é', 'a1', 'A'], ['A', 'B', '_', 'a', 'a1', 'é']],
    [['\ud83d\ude00', '\uffff', 'z'], ['z', '\ud83d\ude00', '\uffff']],
    [Array.from({ length: 30 }, (_, i) => `k${29 - i}`), Array.from({ length: 30 }, (_, i) => `k${29 - i}`).sort()],
  ])('%j', (keys, sorted) => {
    const same = sortKeysInPlace(keys);
    expect(same).toBe(keys);
    expect(keys).toEqual(sorted);
  });
});
