// PATCH bodies `{"add"|"replace"|"delete": {...}}` applied to a stored object (DOC-PATCH), at any depth:
// a nested object gets the same operation on each of its fields;
// scalars: add = replace; lists: add appends (or updates a matching entry), replace swaps the list,
// delete removes matching entries.

import { ApiError } from '../http.js';
import type { Obj } from '../store/store.js';
import { deepEqual } from './schema.js';
import { parseRef, splitStoredRef } from './refs.js';

const OPS = ['add', 'replace', 'delete'] as const;
type Op = (typeof OPS)[number];

function addrOf(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? (v as Obj).addr : undefined;
}

/** Two list entries are "the same" by their identifying keys (servers by ip+port, else name/index/id...). */
export function sameEntry(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    if (typeof a === 'string' && typeof b === 'string') return refKey(a) === refKey(b);
    return deepEqual(a, b);
  }
  const x = a as Obj;
  const y = b as Obj;
  if (x.ip !== undefined && y.ip !== undefined) {
    return addrOf(x.ip) === addrOf(y.ip) && (x.port === undefined || y.port === undefined || x.port === y.port);
  }
  for (const k of ['route_id', 'vip_id', 'name', 'index', 'key', 'fqdn', 'domain_name', 'pool_ref', 'nw_ref']) {
    if (x[k] !== undefined && y[k] !== undefined) return deepEqual(x[k], y[k]);
  }
  return deepEqual(a, b);
}

/** A ref compared by what it points at, whatever its spelling. */
function refKey(s: string): string {
  const st = splitStoredRef(s);
  if (st) return st.uuid;
  const p = parseRef(s);
  if (p && 'uuid' in p) return p.uuid;
  return s;
}

export function parsePatch(body: unknown): { op: Op; data: Obj } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'PATCH body must be a JSON object');
  const keys = Object.keys(body);
  const op = keys.find((k): k is Op => (OPS as readonly string[]).includes(k));
  if (!op || keys.length !== 1) throw new ApiError(400, 'PATCH body must have exactly one of "add", "replace" or "delete"');
  const data = (body as Obj)[op];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ApiError(400, `PATCH "${op}" must be an object`);
  return { op, data: data as Obj };
}

/** The new full object (a copy; refs in `data` stay in client form and are resolved by the write path). */
export function applyPatch(stored: Obj, op: Op, data: Obj): Obj {
  const out = structuredClone(stored);
  patchInto(out, op, data);
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies `data` to `out` in place; nested objects are patched field by field at any depth. */
function patchInto(out: Obj, op: Op, data: Obj): void {
  for (const [k, v] of Object.entries(data)) {
    const cur = out[k];
    if (isObj(cur) && isObj(v)) {
      // A nested object: its own fields get the same operation (so a nested list is appended to, not replaced).
      patchInto(cur, op, v);
      if (op === 'delete' && Object.keys(v).length === 0) delete out[k];
    } else if (op === 'replace') out[k] = v;
    else if (op === 'add') {
      if (Array.isArray(cur) && Array.isArray(v)) {
        const list = [...cur];
        for (const item of v) {
          const i = list.findIndex((x) => sameEntry(x, item));
          if (i >= 0) list[i] = isObj(item) && isObj(list[i]) ? { ...(list[i] as Obj), ...item } : item;
          else list.push(item);
        }
        out[k] = list;
      } else if (cur === undefined && Array.isArray(v)) out[k] = [...v];
      else out[k] = v;
    } else if (Array.isArray(cur) && Array.isArray(v)) out[k] = cur.filter((x) => !v.some((d) => sameEntry(x, d)));
    else delete out[k];
  }
}
