// References: the forms clients write, the form the store keeps (`/api/<type>/<uuid>`), the forms it renders.

export type RefInput =
  | { readonly type: string; readonly uuid: string }
  | { readonly type: string; readonly name: string; readonly cloud?: string };

// The host part of a URL ref is not looked at (empty, as the Go AMKO sends `https:///api/tenant/?name=admin`, or
// another controller's address): refs resolve by path and query, as on a real controller.
const REF_RE = /^(?:https?:\/\/[^/]*)?\/*api\/([a-z0-9-]+)(?:\/([^/?#]+))?\/?(?:\?([^#]*))?(?:#.*)?$/;

/**
 * Parses a reference as clients send it: `/api/pool?name=x`, `/api/pool/?name=x`, `/api/pool/<uuid>`,
 * `https://host/api/pool/<uuid>#name`. Returns undefined for anything else.
 */
export function parseRef(value: string): RefInput | undefined {
  const m = REF_RE.exec(value.trim());
  if (!m) return undefined;
  const type = m[1]!;
  if (m[2] !== undefined) {
    try {
      return { type, uuid: decodeURIComponent(m[2]) };
    } catch {
      return undefined;
    }
  }
  if (m[3] === undefined) return undefined;
  const q = new URLSearchParams(m[3]);
  const name = q.get('name');
  if (name === null) return undefined;
  const cloud = q.get('cloud') ?? q.get('cloud_ref.name') ?? undefined;
  return cloud === undefined ? { type, name } : { type, name, cloud };
}

/** The stored form. */
export function storedRef(type: string, uuid: string): string {
  return `/api/${type}/${uuid}`;
}

const STORED_RE = /^\/api\/([a-z0-9-]+)\/([^/?#]+)$/;

/** Splits a stored ref into type and uuid. */
export function splitStoredRef(ref: string): { type: string; uuid: string } | undefined {
  const m = STORED_RE.exec(ref);
  return m ? { type: m[1]!, uuid: m[2]! } : undefined;
}

/** True for keys whose values are references (or lists of them). */
export function isRefKey(key: string): boolean {
  return key.endsWith('_ref') || key.endsWith('_refs');
}

/** Calls `fn` for every ref string inside `obj` (by key naming or by the model's declared refs). */
export function forEachRef(obj: unknown, fn: (ref: string) => void): void {
  if (Array.isArray(obj)) {
    for (const x of obj) forEachRef(x, fn);
    return;
  }
  if (typeof obj !== 'object' || obj === null) return;
  for (const [k, v] of Object.entries(obj)) {
    if (isRefKey(k)) {
      if (typeof v === 'string') fn(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') fn(x);
    } else if (typeof v === 'object' && v !== null) forEachRef(v, fn);
  }
}

/** Replaces every ref string inside `obj` (in place) by `fn(ref)`. */
export function mapRefs(obj: unknown, fn: (ref: string, key: string) => string): void {
  if (Array.isArray(obj)) {
    for (const x of obj) mapRefs(x, fn);
    return;
  }
  if (typeof obj !== 'object' || obj === null) return;
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (isRefKey(k)) {
      if (typeof v === 'string') o[k] = fn(v, k);
      else if (Array.isArray(v)) o[k] = v.map((x) => (typeof x === 'string' ? fn(x, k) : x));
    } else if (typeof v === 'object' && v !== null) mapRefs(v, fn);
  }
}

/** Removes, in place and at any depth, refs that are `""` (unset) and `""` entries of ref lists. */
export function dropEmptyRefs(obj: unknown): void {
  if (Array.isArray(obj)) {
    for (const x of obj) dropEmptyRefs(x);
    return;
  }
  if (typeof obj !== 'object' || obj === null) return;
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (isRefKey(k)) {
      if (v === '' || v === null) delete o[k];
      else if (Array.isArray(v)) o[k] = v.filter((x) => x !== '' && x !== null);
    } else if (typeof v === 'object' && v !== null) dropEmptyRefs(v);
  }
}
