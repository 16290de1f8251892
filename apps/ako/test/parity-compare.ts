/** Field-by-field comparison of our desired bodies with what the Go AKO sent (test/parity). */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `https://host/api/<type>/<uuid>#<name>` (a stored ref, in a read-modify-write PUT body) and `/api/<type>/?name=<name>` compare by type and name. */
function sameRef(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): string | undefined => {
    if (typeof v !== 'string') return undefined;
    const stored = /\/api\/([a-z0-9]+)\/[^#?]*#(.+)$/.exec(v);
    if (stored) return `${stored[1]}/${stored[2]}`;
    const byName = /\/api\/([a-z0-9]+)\/?\?name=(.+)$/.exec(v);
    return byName ? `${byName[1]}/${byName[2]}` : undefined;
  };
  const na = norm(a);
  return na !== undefined && na === norm(b);
}

/** Fields the controller adds to a stored object, present in a read-modify-write PUT body. */
const STORED_ONLY = new Set(['uuid', 'url', '_last_modified']);

/** Differences between `go` and `ours` as `path: go=<..> ours=<..>` lines (both ways: missing and extra fields). */
export function bodyDiff(go: unknown, ours: unknown, skip: (path: string) => boolean, path = ''): string[] {
  if (skip(path)) return [];
  const show = (v: unknown): string => (v === undefined ? '<absent>' : JSON.stringify(v));
  if (Array.isArray(go) && Array.isArray(ours)) {
    if (go.length !== ours.length) return [`${path}: go=${show(go)} ours=${show(ours)}`];
    return go.flatMap((g, i) => bodyDiff(g, ours[i], skip, `${path}[${i}]`));
  }
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(go) && isObj(ours)) {
    const keys = [...new Set([...Object.keys(go), ...Object.keys(ours)])].filter((k) => !STORED_ONLY.has(k)).sort();
    return keys.flatMap((k) => bodyDiff(go[k], ours[k], skip, path ? `${path}.${k}` : k));
  }
  return JSON.stringify(go) === JSON.stringify(ours) || sameRef(go, ours) ? [] : [`${path}: go=${show(go)} ours=${show(ours)}`];
}
