// Walk Avi objects with the generated metadata: reference fields, swagger defaults, declared fields.
// Pure functions on plain JSON values; inputs are never mutated.
import { DEFINITIONS, OBJECT_TYPES } from './models/metadata.js';
import type { ObjectTypeMeta, RefFieldMeta } from './models/metadata.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const BY_PATH = new Map<string, ObjectTypeMeta>();
for (const meta of Object.values(OBJECT_TYPES)) if (meta.path) BY_PATH.set(meta.path, meta);

/** Metadata of an object type by model name (`VirtualService`) or API path name (`virtualservice`). */
export function objectTypeMeta(type: string): ObjectTypeMeta | undefined {
  return OBJECT_TYPES[type] ?? BY_PATH.get(type);
}

function requireMeta(type: string): ObjectTypeMeta {
  const meta = objectTypeMeta(type);
  if (!meta) throw new Error(`unknown Avi object type ${JSON.stringify(type)}`);
  return meta;
}

/** A reference value found in an object, with where it sits. */
export interface RefOccurrence {
  field: RefFieldMeta;
  /** concrete location, e.g. `http_policies[2].http_policy_set_ref` */
  location: string;
  value: string;
}

/**
 * Copy `obj`, replacing every reference value (`x_ref`, `x_refs[]`, nested and in lists) by `fn(occurrence)`.
 * Non-string values at a reference position are left alone.
 */
export function mapRefs(type: string, obj: JsonObject, fn: (ref: RefOccurrence) => string): JsonObject {
  const meta = requireMeta(type);
  let result: JsonObject = obj;
  for (const field of meta.refs) {
    result = mapPath(result, field.path.split('.'), '', (value, location) =>
      typeof value === 'string' ? fn({ field, location, value }) : value,
    ) as JsonObject;
  }
  return result;
}

/** Every reference value in `obj`, in metadata order. */
export function listRefs(type: string, obj: JsonObject): RefOccurrence[] {
  const out: RefOccurrence[] = [];
  mapRefs(type, obj, (ref) => {
    out.push(ref);
    return ref.value;
  });
  return out;
}

// Applies fn at a dotted path whose segments may end in `[]` (every element of a list). Returns a copy only
// where something changed.
function mapPath(value: Json, segments: string[], location: string, fn: (v: Json, location: string) => Json): Json {
  if (segments.length === 0) return fn(value, location);
  if (!isObject(value)) return value;
  const [head, ...rest] = segments as [string, ...string[]];
  const many = head.endsWith('[]');
  const name = many ? head.slice(0, -2) : head;
  if (!(name in value)) return value;
  const here = location ? `${location}.${name}` : name;
  const current = value[name];
  let next: Json;
  if (many) {
    if (!Array.isArray(current)) return value;
    let changed = false;
    const mapped = current.map((el, i) => {
      const m = mapPath(el, rest, `${here}[${i}]`, fn);
      if (m !== el) changed = true;
      return m;
    });
    next = changed ? mapped : current;
  } else {
    next = mapPath(current, rest, here, fn);
  }
  return next === current ? value : { ...value, [name]: next };
}

/**
 * Copy `obj` with the swagger defaults filled in: at the top level and inside every nested object or list element
 * that is present (absent nested objects are not created).
 */
export function applyDefaults(type: string, obj: JsonObject): JsonObject {
  return defaultsFor(requireMeta(type).definition, obj);
}

function defaultsFor(defName: string, obj: JsonObject): JsonObject {
  const def = DEFINITIONS[defName];
  if (!def) return obj;
  const out: JsonObject = { ...obj };
  for (const [name, field] of Object.entries(def.fields)) {
    const v = out[name];
    if (v === undefined) {
      if (field.default !== undefined) out[name] = field.default;
    } else if (field.def && field.type === 'object' && isObject(v)) {
      out[name] = defaultsFor(field.def, v);
    } else if (field.def && field.type === 'array' && Array.isArray(v)) {
      const sub = field.def;
      out[name] = v.map((el) => (isObject(el) ? defaultsFor(sub, el) : el));
    }
  }
  return out;
}

/** Copy `obj` keeping only the fields the swagger declares (what a real controller does with unknown fields). */
export function dropUndeclaredFields(type: string, obj: JsonObject): JsonObject {
  return declaredOnly(requireMeta(type).definition, obj);
}

function declaredOnly(defName: string, obj: JsonObject): JsonObject {
  const def = DEFINITIONS[defName];
  if (!def) return obj;
  const out: JsonObject = {};
  for (const [name, v] of Object.entries(obj)) {
    const field = def.fields[name];
    if (!field) continue;
    if (field.def && field.type === 'object' && isObject(v)) out[name] = declaredOnly(field.def, v);
    else if (field.def && field.type === 'array' && Array.isArray(v)) {
      const sub = field.def;
      out[name] = v.map((el) => (isObject(el) ? declaredOnly(sub, el) : el));
    } else out[name] = v;
  }
  return out;
}
