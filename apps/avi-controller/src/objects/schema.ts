// Field metadata of an object model and the operations the server makes with it:
// dropping unknown input fields, filling defaults, omitting defaults (skip_default).

export interface PropMeta {
  readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'unknown';
  readonly default?: unknown;
  /** API type the reference points to (for a ref, or an array of refs). */
  readonly ref?: string;
  readonly readOnly?: boolean;
  /** API versions the field was introduced in (one per release line); absent = always there. */
  readonly since?: readonly string[];
  /** For objects, and arrays of objects. */
  readonly object?: FieldMeta;
  /** For arrays: the kind of the items. */
  readonly items?: PropMeta;
}

export interface FieldMeta {
  readonly properties: Readonly<Record<string, PropMeta>>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fields the server keeps even when a model does not declare them. */
const ALWAYS_KEPT = new Set(['uuid', 'name', 'url', 'tenant_ref', '_last_modified']);

/** Removes, in place, every key the model does not declare (the controller silently ignores them). */
export function dropUnknown(obj: Obj, meta: FieldMeta, top = true): void {
  for (const key of Object.keys(obj)) {
    const p = meta.properties[key];
    if (!p) {
      if (!(top && ALWAYS_KEPT.has(key))) delete obj[key];
      continue;
    }
    const sub = p.object ?? p.items?.object;
    if (!sub) continue;
    const v = obj[key];
    if (isObj(v)) dropUnknown(v, sub, false);
    else if (Array.isArray(v)) for (const item of v) if (isObj(item)) dropUnknown(item, sub, false);
  }
}

/** Fills declared defaults, in place, at this level and inside nested objects that are present. */
export function applyDefaults(obj: Obj, meta: FieldMeta): void {
  for (const [key, p] of Object.entries(meta.properties)) {
    const v = obj[key];
    if (v === undefined) {
      if (p.default !== undefined && !p.readOnly) obj[key] = structuredClone(p.default);
      continue;
    }
    const sub = p.object ?? p.items?.object;
    if (!sub) continue;
    if (isObj(v)) applyDefaults(v, sub);
    else if (Array.isArray(v)) for (const item of v) if (isObj(item)) applyDefaults(item, sub);
  }
}

/** A copy without the fields equal to their default (query `skip_default=true`). */
export function withoutDefaults(obj: Obj, meta: FieldMeta): Obj {
  const out: Obj = {};
  for (const [key, v] of Object.entries(obj)) {
    const p = meta.properties[key];
    if (p && p.default !== undefined && deepEqual(p.default, v)) continue;
    const sub = p ? (p.object ?? p.items?.object) : undefined;
    if (sub && isObj(v)) out[key] = withoutDefaults(v, sub);
    else if (sub && Array.isArray(v)) out[key] = v.map((x) => (isObj(x) ? withoutDefaults(x, sub) : x));
    else out[key] = v;
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as Obj);
  const kb = Object.keys(b as Obj);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/**
 * Fills defaults like applyDefaults, and also creates the absent nested objects (not lists) and shows booleans
 * without a declared default as false, as the controller renders configuration objects (SystemConfiguration,
 * Tenant): a fresh one shows `dns_configuration`, `email_configuration`, `global_tenant_config`, `docker_mode`...
 */
export function materializeDefaults(obj: Obj, meta: FieldMeta, depth = 3): void {
  applyDefaults(obj, meta);
  for (const [key, p] of Object.entries(meta.properties)) {
    if (p.readOnly) continue;
    if (p.kind === 'boolean' && obj[key] === undefined) obj[key] = false;
    if (!p.object || depth === 0) continue;
    if (obj[key] === undefined) obj[key] = {};
    const v = obj[key];
    if (isObj(v)) materializeDefaults(v, p.object, depth - 1);
  }
}
