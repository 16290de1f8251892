import type { AviBody } from './types.js';

/** A reference found inside an Avi body: by name (`/api/pool/?name=x`) or by uuid (`/api/pool/pool-1#x`). */
export type BodyRef =
  | { readonly by: 'name'; readonly type: string; readonly name: string; readonly tenant?: string }
  | { readonly by: 'uuid'; readonly type: string; readonly uuid: string; readonly name?: string };

// Optional scheme+host, then /api/<type> and either ?query or /<uuid>[#name].
const REF = /^(?:https?:\/\/[^/]+)?\/api\/([a-z0-9_-]+)(?:\/?\?(.*)|\/([^/?#]+)(?:#(.*))?)$/i;

/** Parses one string as an Avi ref; undefined if it is not one. */
export function parseRef(s: string): BodyRef | undefined {
  const m = REF.exec(s);
  if (!m) return undefined;
  const type = m[1]!.toLowerCase();
  if (m[2] !== undefined) {
    return nameRef(type, m[2]);
  }
  const uuid = safeDecode(m[3]!);
  // The controller renders `#<name>` with the name as it is (a `%` in it is not an escape).
  const name = m[4] ? safeDecode(m[4]) : undefined;
  return name !== undefined ? { by: 'uuid', type, uuid, name } : { by: 'uuid', type, uuid };
}

// With the u flag a class of surrogates matches only unpaired ones (a pair is one code point above U+FFFF).
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const LONE_SURROGATE_ALL = /[\ud800-\udfff]/gu;

/**
 * The ref a query names: its first `name` (none or empty: not a ref) and first `tenant`, as
 * `new URLSearchParams(query).get()` reads them (the application/x-www-form-urlencoded parser of the WHATWG URL
 * standard), without building the params for every ref: one leading `?` dropped, pairs split on `&`, key and value
 * split on the first `=`, `+` read as a space, then percent-decoding of the UTF-8 bytes (a `%` not followed by two
 * hex digits stays as it is, bytes that are not UTF-8 become U+FFFD), a lone surrogate also U+FFFD.
 * Node's URLSearchParams differs from the standard in one case: raw non-ASCII text in a query with a `%` that is
 * not a valid escape (its fallback reads each UTF-16 unit as one byte, so `é%%3D` gives `\ufffd%=`); here that is
 * `é%=`, as the standard says. A decoded key with a lone surrogate is never `name` or `tenant`, and escapes
 * cannot decode to one, so only the two values need the U+FFFD replacement.
 */
function nameRef(type: string, query: string): BodyRef | undefined {
  const q = query;
  let name: string | undefined;
  let tenant: string | undefined;
  for (let start = q.startsWith('?') ? 1 : 0; start <= q.length && (name === undefined || tenant === undefined); ) {
    let end = q.indexOf('&', start);
    if (end < 0) end = q.length;
    if (end > start) {
      const eq = q.indexOf('=', start);
      const keyEnd = eq >= 0 && eq < end ? eq : end;
      const key = keyIs(q, start, keyEnd, 'name') ? 'name' : keyIs(q, start, keyEnd, 'tenant') ? 'tenant' : formDecode(q.slice(start, keyEnd));
      if (key === 'name' && name === undefined) name = value(q, keyEnd, end);
      else if (key === 'tenant' && tenant === undefined) tenant = value(q, keyEnd, end);
    }
    start = end + 1;
  }
  if (name === undefined || name === '') return undefined;
  return tenant ? { by: 'name', type, name, tenant } : { by: 'name', type, name };
}

function keyIs(q: string, start: number, end: number, key: string): boolean {
  return end - start === key.length && q.startsWith(key, start);
}

/** The decoded value of the pair whose key ends at keyEnd (at `=`, or at the pair's end: no value). */
function value(q: string, keyEnd: number, end: number): string {
  if (keyEnd === end) return '';
  const v = formDecode(q.slice(keyEnd + 1, end));
  return LONE_SURROGATE.test(v) ? v.replace(LONE_SURROGATE_ALL, '\ufffd') : v;
}

/** One form-urlencoded key or value: `+` is a space, then percent-decoding as the URL standard does it. */
function formDecode(s: string): string {
  const plus = s.includes('+');
  if (!plus && !s.includes('%')) return s;
  const t = plus ? s.replaceAll('+', ' ') : s;
  if (!t.includes('%')) return t;
  try {
    return decodeURIComponent(t); // same bytes when every % starts a valid escape of valid UTF-8
  } catch {
    return percentDecodeLenient(t);
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Percent-decoding where `%` without two hex digits stays and bytes that are not UTF-8 become U+FFFD. */
function percentDecodeLenient(s: string): string {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(src.length);
  let j = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x25 && i + 2 < src.length && HEX.test(String.fromCharCode(src[i + 1]!, src[i + 2]!))) {
      out[j++] = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
      i += 2;
    } else {
      out[j++] = src[i]!;
    }
  }
  return utf8.decode(out.subarray(0, j));
}

/** decodeURIComponent, or the text itself where it is not a valid escape sequence (a name with a bare `%`). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Every ref found in any string value of the body, in document order (duplicates kept). */
export function findRefs(body: AviBody): BodyRef[] {
  const out: BodyRef[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const r = parseRef(v);
      if (r) out.push(r);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i]);
    } else if (v !== null && typeof v === 'object') {
      // for-in over own members: Object.values allocated an array per object of every body planned and served
      for (const k in v) if (Object.hasOwn(v, k)) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(body);
  return out;
}
