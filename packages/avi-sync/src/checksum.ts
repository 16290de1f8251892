import { canonicalChecksum, FNV_OFFSET, FNV_PRIME, sortKeysInPlace } from './canonical-hash.js';
import type { AviBody, DesiredObject, ObjectKey } from './types.js';

/**
 * FNV-1a, 32 bit, over the UTF-8 bytes of `s` (the hash AKO uses for shards and checksums). Encodes as it hashes
 * (as TextEncoder would: a lone surrogate counts as U+FFFD) instead of allocating the bytes. The running hash stays
 * in a local, as an int32 (`>>> 0` once at the end): a helper returning each step's uint32 boxed every value above
 * the small-integer range into a heap number where it was not inlined (~16 MiB at a 1000 + 1000 first sync).
 */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET | 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
        continue;
      }
      c = 0xfffd;
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return h >>> 0;
}

/** JSON with object keys sorted at every level, so equal bodies give equal text. `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return out + ']';
  }
  const o = value as Record<string, unknown>;
  // Sorted by UTF-16 code units, as `a < b`.
  const keys = sortKeysInPlace(Object.keys(o));
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return out + '}';
}

/** Deterministic checksum of a body (decimal uint32, the format of Avi's cloud_config_cksum), ignoring `exclude` keys. */
export function bodyChecksum(body: AviBody, exclude: readonly string[] = []): string {
  if (!Array.isArray(body)) return String(canonicalChecksum(body, exclude));
  // never an Avi body: its copy is an object with index keys, hashed as such
  const copy: AviBody = { ...(body as unknown[]) };
  for (const k of exclude) delete copy[k];
  return String(fnv1a32(canonicalJson(copy)));
}

export interface MakeDesiredInput extends ObjectKey {
  readonly body: AviBody;
  /** Field of the Avi object that stores the checksum (e.g. cloud_config_cksum); it is written into the body. */
  readonly checksumField?: string;
  readonly dependsOn?: readonly ObjectKey[];
  /** A checksum computed by the caller (e.g. over the part of the body the controller echoes back); default: the whole body. */
  readonly checksum?: string;
}

/** Builds a DesiredObject whose checksum is computed from its body (and stored in `checksumField` if given). */
export function makeDesired(input: MakeDesiredInput): DesiredObject {
  const exclude = input.checksumField ? [input.checksumField] : [];
  const checksum = input.checksum ?? bodyChecksum(input.body, exclude);
  const body = input.checksumField ? { ...input.body, [input.checksumField]: checksum } : { ...input.body };
  const out: DesiredObject = { tenant: input.tenant, type: input.type, name: input.name, body, checksum };
  return input.dependsOn ? { ...out, dependsOn: input.dependsOn } : out;
}
