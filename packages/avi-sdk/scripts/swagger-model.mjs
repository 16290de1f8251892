// Pure functions that turn Avi swagger documents into a small model description (definitions, fields, object
// types, reference paths). No I/O here: generate-models.mjs reads the files and writes the TypeScript.

/** Values of `Enum options - A, B, C.` in a swagger description, or undefined. */
export function parseEnumOptions(description) {
  if (typeof description !== 'string') return undefined;
  const m = /Enum options - ([A-Za-z0-9_, .-]+?)\.(?:\s|$)/.exec(description);
  if (!m) return undefined;
  const values = m[1]
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return values.length > 0 ? values : undefined;
}

/** Target type of `It is a reference to an object of type X.`, or undefined. */
export function parseRefTarget(description) {
  if (typeof description !== 'string') return undefined;
  const m = /It is a reference to an object of type ([A-Za-z0-9_]+)\b/.exec(description);
  return m ? m[1] : undefined;
}

/** Definition name from a local `$ref` such as `#/definitions/IpAddr`. */
export function refName(ref) {
  const i = ref.lastIndexOf('/');
  return i >= 0 ? ref.slice(i + 1) : ref;
}

// Fields the swagger marks required that real controllers fill in themselves (spec/avi-api.md §5 rule 5):
// enforcing them client-side would reject bodies the controller accepts.
export const NOT_REALLY_REQUIRED = new Set(['Vip.vip_id', 'Server.ip']);

// Types whose collection path returns a single object although the swagger documents an ApiResponse envelope
// (spec/avi-api.md pitfall 21: GET /api/cluster is a singleton).
export const SINGLETON_OVERRIDES = new Set(['Cluster']);

/**
 * Versions of `Field introduced in 17.2.12, 18.1.2.` in a swagger description (one per release line it was
 * introduced or back-ported to), or undefined.
 */
export function parseIntroduced(description) {
  if (typeof description !== 'string') return undefined;
  const m = /Field introduced in (\d+(?:\.\d+)*(?:, ?\d+(?:\.\d+)*)*)/.exec(description);
  return m ? m[1].split(',').map((v) => v.trim()) : undefined;
}

/**
 * One swagger property -> field description.
 * kind: string | integer | number | boolean | object | array | unknown
 */
export function describeField(prop) {
  const description = prop.description;
  const field = { kind: 'unknown' };
  if (prop.$ref) {
    field.kind = 'object';
    field.def = refName(prop.$ref);
  } else if (prop.type === 'array') {
    field.kind = 'array';
    const items = prop.items ?? {};
    if (items.$ref) {
      field.items = 'object';
      field.def = refName(items.$ref);
    } else {
      field.items = items.type ?? 'unknown';
      if (items.format) field.format = items.format;
    }
  } else if (typeof prop.type === 'string') {
    field.kind = prop.type;
    if (prop.format) field.format = prop.format;
  }
  const scalar = field.kind === 'string' || (field.kind === 'array' && field.items === 'string');
  if (scalar) {
    const values = parseEnumOptions(description);
    if (values) field.enum = values;
    const target = parseRefTarget(description);
    if (target) field.ref = target;
  }
  if (prop.default !== undefined) field.default = prop.default;
  if (prop.readOnly === true) field.readOnly = true;
  const since = parseIntroduced(description);
  if (since) field.since = since;
  return field;
}

/** A definition -> { fields: {name: field}, required: [names] } */
export function describeDefinition(name, def) {
  const fields = {};
  for (const [fname, prop] of Object.entries(def.properties ?? {})) {
    fields[fname] = describeField(prop);
  }
  const required = (def.required ?? []).filter((f) => f in fields && !NOT_REALLY_REQUIRED.has(`${name}.${f}`));
  for (const r of required) fields[r].required = true;
  return { fields, required };
}

const stable = (v) => JSON.stringify(v);

/**
 * Build the model of a set of swagger documents.
 * docs: [{ file: 'Pool', doc: <parsed json> }]
 * Returns { definitions: Map<name, {fields, required}>, owners: Map<name, Set<file>>, objectTypes: [...] }
 * Definitions repeated in several files must agree on everything but descriptions (else an Error).
 */
export function buildModel(docs) {
  const definitions = new Map();
  const owners = new Map();
  for (const { file, doc } of docs) {
    for (const [name, def] of Object.entries(doc.definitions ?? {})) {
      if (name.endsWith('ApiResponse')) continue;
      const described = describeDefinition(name, def);
      const prev = definitions.get(name);
      if (prev && stable(prev) !== stable(described)) {
        throw new Error(`definition ${name} differs between ${[...owners.get(name)].join(', ')} and ${file}`);
      }
      definitions.set(name, described);
      if (!owners.has(name)) owners.set(name, new Set());
      owners.get(name).add(file);
    }
  }
  const objectTypes = [];
  for (const { file, doc } of docs) {
    if (!definitions.has(file)) continue;
    const collectionPath = Object.keys(doc.paths ?? {}).find((p) => /^\/[a-z0-9-]+$/.test(p));
    const path = collectionPath ? collectionPath.slice(1) : undefined;
    let singleton = false;
    if (collectionPath) {
      const schema = doc.paths[collectionPath]?.get?.responses?.['200']?.schema;
      singleton = Boolean(schema?.$ref && refName(schema.$ref) === file) || SINGLETON_OVERRIDES.has(file);
    }
    objectTypes.push({ name: file, path, singleton });
  }
  const pathOf = new Map(objectTypes.filter((t) => t.path).map((t) => [t.name, t.path]));
  for (const t of objectTypes) {
    t.refs = collectRefPaths(definitions, t.name).map((r) => ({
      ...r,
      targetPath: pathOf.get(r.target) ?? r.target.toLowerCase(),
    }));
  }
  return { definitions, owners, objectTypes };
}

/**
 * Every reference field reachable from a definition, as `a.b[].c_ref` (single ref) or `x_refs[]` (list of refs),
 * with its target type. Definitions form no cycles in these files; a cycle would be cut (and reported by the path).
 */
export function collectRefPaths(definitions, root) {
  const out = [];
  const walk = (defName, prefix, seen) => {
    const def = definitions.get(defName);
    if (!def || seen.has(defName)) return;
    const next = new Set(seen).add(defName);
    for (const [fname, f] of Object.entries(def.fields)) {
      const p = prefix + fname;
      if (f.ref) {
        const entry = { path: f.kind === 'array' ? `${p}[]` : p, target: f.ref };
        if (f.readOnly) entry.readOnly = true;
        out.push(entry);
      } else if (f.def && f.kind === 'object') {
        walk(f.def, `${p}.`, next);
      } else if (f.def && f.kind === 'array') {
        walk(f.def, `${p}[].`, next);
      }
    }
  };
  walk(root, '', new Set());
  return out;
}

/** Definitions in dependency order (a definition after those it uses), restricted to `names`. */
export function topoSort(definitions, names) {
  const wanted = new Set(names);
  const order = [];
  const state = new Map();
  const visit = (n) => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) throw new Error(`cycle through definition ${n}`);
    state.set(n, 1);
    const def = definitions.get(n);
    for (const f of Object.values(def?.fields ?? {})) {
      if (f.def && wanted.has(f.def)) visit(f.def);
    }
    state.set(n, 2);
    order.push(n);
  };
  for (const n of [...wanted].sort()) visit(n);
  return order;
}
