// fnv1a32(canonicalJson(value)) without the text: the bytes canonicalJson would write are hashed as they are made.
// Checksums of every desired body are computed on each translation (twice per unit on a cold start: the claims pass
// and the first sync); building the canonical text (a string per key and value, the joined text, its flattening)
// and sorting each object's keys through Array.prototype.sort (which copies them) were ~11% of AKO's allocations.
// The running hash lives in a Uint32Array and in locals, never in a closure or module variable: a uint32 above the
// small-integer range stored there is a new heap number per byte.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
const HEX = '0123456789abcdef';

const state = new Uint32Array(1);

const byte = (b: number): void => {
  state[0] = Math.imul(state[0]! ^ b, FNV_PRIME);
};

/** Text that is ASCII (numbers, literals). */
function ascii(s: string): void {
  let h = state[0]!;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  state[0] = h;
}

/** `\\u` and four lowercase hex digits, as JSON.stringify escapes control characters and lone surrogates. */
function unicodeEscape(h: number, c: number): number {
  h = Math.imul(h ^ 0x5c, FNV_PRIME);
  h = Math.imul(h ^ 0x75, FNV_PRIME);
  for (let shift = 12; shift >= 0; shift -= 4) h = Math.imul(h ^ HEX.charCodeAt((c >> shift) & 0xf), FNV_PRIME);
  return h;
}

/** JSON.stringify(s) as UTF-8: quoted, with its escapes (ES2019 well-formed: lone surrogates escaped). */
function jsonString(s: string): void {
  let h = Math.imul(state[0]! ^ 0x22, FNV_PRIME);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c === 0x22 || c === 0x5c) h = Math.imul(h ^ 0x5c, FNV_PRIME);
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (c < 0x20) {
      const short = c === 0x08 ? 0x62 : c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : c === 0x0c ? 0x66 : c === 0x0d ? 0x72 : 0;
      if (short !== 0) {
        h = Math.imul(h ^ 0x5c, FNV_PRIME);
        h = Math.imul(h ^ short, FNV_PRIME);
      } else h = unicodeEscape(h, c);
    } else if (c < 0x80) {
      // DEL
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        h = Math.imul(h ^ (0xf0 | (cp >> 18)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME);
        i++;
      } else h = unicodeEscape(h, c);
    } else {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
    }
  }
  state[0] = Math.imul(h ^ 0x22, FNV_PRIME);
}

/**
 * Sorts by UTF-16 code units in place (Array.prototype.sort's default order for strings) without the copy that
 * sort makes, for the short key lists of bodies and Kubernetes objects; longer lists go to sort().
 */
export function sortKeysInPlace(keys: string[]): string[] {
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** What canonicalJson(value) writes, hashed; `exclude`: keys of the top-level object left out. */
function value(v: unknown, exclude: readonly string[] | undefined): void {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return ascii(Number.isFinite(v) ? String(v) : 'null');
    case 'boolean':
      return ascii(v ? 'true' : 'false');
    case 'bigint':
      // as JSON.stringify
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      if (v === null) return ascii('null');
      break;
    default:
      // undefined, functions and symbols: JSON.stringify gives no text, canonicalJson 'null'
      return ascii('null');
  }
  if (Array.isArray(v)) {
    byte(0x5b);
    for (let i = 0; i < v.length; i++) {
      if (i > 0) byte(0x2c);
      value(v[i], undefined);
    }
    byte(0x5d);
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = sortKeysInPlace(Object.keys(o));
  byte(0x7b);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = o[k];
    if (x === undefined || (exclude !== undefined && exclude.includes(k))) continue;
    if (!first) byte(0x2c);
    first = false;
    jsonString(k);
    byte(0x3a);
    value(x, undefined);
  }
  byte(0x7d);
}

/**
 * fnv1a32(canonicalJson(v)), `exclude` keys of a top-level object left out (as if deleted from a copy), computed
 * without building the text.
 */
export function canonicalChecksum(v: unknown, exclude?: readonly string[]): number {
  state[0] = FNV_OFFSET;
  value(v, exclude !== undefined && exclude.length > 0 && !Array.isArray(v) ? exclude : undefined);
  return state[0]!;
}
