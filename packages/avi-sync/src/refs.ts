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
    const q = new URLSearchParams(m[2]);
    const name = q.get('name');
    if (name === null || name === '') return undefined;
    const tenant = q.get('tenant');
    return tenant ? { by: 'name', type, name, tenant } : { by: 'name', type, name };
  }
  const uuid = safeDecode(m[3]!);
  // The controller renders `#<name>` with the name as it is (a `%` in it is not an escape).
  const name = m[4] ? safeDecode(m[4]) : undefined;
  return name !== undefined ? { by: 'uuid', type, uuid, name } : { by: 'uuid', type, uuid };
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
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(body);
  return out;
}
