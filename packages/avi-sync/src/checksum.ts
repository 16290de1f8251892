import type { AviBody, DesiredObject, ObjectKey } from './types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bit, over the UTF-8 bytes of `s` (the hash AKO uses for shards and checksums). */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (const b of utf8.encode(s)) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted at every level, so equal bodies give equal text. `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Deterministic checksum of a body (decimal uint32, the format of Avi's cloud_config_cksum), ignoring `exclude` keys. */
export function bodyChecksum(body: AviBody, exclude: readonly string[] = []): string {
  const copy: AviBody = { ...body };
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
