// X-Avi-Version shapes what a client sees: a field introduced after the request's version (swagger "Field
// introduced in X") is left out of answers, ignored on writes, and kept as stored when an older client PUTs an
// object it read without that field.

import type { FieldMeta, PropMeta } from './schema.js';
import { compareVersions, parseVersion } from '../version.js';

type Obj = Record<string, unknown>;

const parsed = new Map<string, number[]>();
function v(s: string): number[] {
  let p = parsed.get(s);
  if (!p) {
    p = parseVersion(s) ?? [0];
    parsed.set(s, p);
  }
  return p;
}

/**
 * True when a field introduced in `since` (one version per release line it was added or back-ported to) exists at
 * API version `at`: at or after the newest of them, or at or after the one of its own release line (major.minor).
 */
export function existsAt(since: readonly string[] | undefined, at: readonly number[]): boolean {
  if (!since || since.length === 0) return true;
  let newest: number[] | undefined;
  for (const s of since) {
    const l = v(s);
    if (!newest || compareVersions(l, newest) > 0) newest = l;
    if (l[0] === at[0] && l[1] === at[1] && compareVersions(at, l) >= 0) return true;
  }
  return compareVersions(at, newest!) >= 0;
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function sub(p: PropMeta): FieldMeta | undefined {
  return p.object ?? p.items?.object;
}

/** A copy of `obj` without the fields that do not exist at API version `at` (at any depth). */
export function shapeForVersion(obj: Obj, meta: FieldMeta, at: readonly number[]): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(obj)) {
    const p = meta.properties[k];
    if (!p) {
      out[k] = x;
      continue;
    }
    if (!existsAt(p.since, at)) continue;
    const m = sub(p);
    if (m && isObj(x)) out[k] = shapeForVersion(x, m, at);
    else if (m && Array.isArray(x)) out[k] = x.map((y) => (isObj(y) ? shapeForVersion(y, m, at) : y));
    else out[k] = x;
  }
  return out;
}

/**
 * The write of an older client, in place: fields it cannot know are dropped from its input and, where the stored
 * object has them (at any depth; list entries by position), kept as they were.
 */
export function mergeForVersion(input: Obj, prev: Obj | undefined, meta: FieldMeta, at: readonly number[]): void {
  for (const [k, p] of Object.entries(meta.properties)) {
    const before = prev?.[k];
    if (!existsAt(p.since, at)) {
      if (before !== undefined) input[k] = structuredClone(before);
      else delete input[k];
      continue;
    }
    const m = sub(p);
    const x = input[k];
    if (!m) continue;
    if (isObj(x)) mergeForVersion(x, isObj(before) ? before : undefined, m, at);
    else if (Array.isArray(x)) {
      // List entries are matched with the stored ones by position.
      const old = Array.isArray(before) ? before : [];
      x.forEach((y, i) => {
        if (isObj(y)) mergeForVersion(y, isObj(old[i]) ? old[i] : undefined, m, at);
      });
    }
  }
}

export function versionOf(s: string): number[] {
  return v(s);
}
