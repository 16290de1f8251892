#!/usr/bin/env node
// Usage: node scripts/generate-models.mjs <swagger-dir> <out-dir>
// Reads every <Type>.json (Swagger 2.0, one Avi object type per file) and writes TypeScript into <out-dir>:
//   atoms.ts      shared zod building blocks
//   shared.ts     definitions that appear in more than one swagger file (IpAddr, KeyValue, ...)
//   <type>.ts     one per swagger file: its own sub-definitions and the top-level type
//   metadata.ts   plain data: fields of every definition (kind, default, enum, ref target, ...) and per object
//                 type its API path, singleton flag and the list of reference fields
//   index.ts      re-exports plus the path -> {input, output} type and schema maps
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, topoSort } from './swagger-model.mjs';
import { ATOMS_SOURCE, HEADER, emitDefinition, fieldMeta, importsFor, inputSchemaName, outputSchemaName } from './emit-zod.mjs';

const ATOM_NAMES = [...ATOMS_SOURCE.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);

function main(argv) {
  const [swaggerDir, outDir] = argv;
  if (!swaggerDir || !outDir) {
    console.error('usage: generate-models.mjs <swagger-dir> <out-dir>');
    return 2;
  }
  const files = readdirSync(swaggerDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) {
    console.error(`no *.json files in ${swaggerDir}`);
    return 2;
  }
  const docs = files.map((f) => {
    const text = readFileSync(join(swaggerDir, f), 'utf8');
    try {
      return { file: f.slice(0, -'.json'.length), doc: JSON.parse(text) };
    } catch (err) {
      throw new Error(`${f}: ${err.message}`);
    }
  });
  const model = buildModel(docs);
  const known = new Set(model.definitions.keys());
  const shared = [...model.owners].filter(([, o]) => o.size > 1).map(([n]) => n);
  const sharedSet = new Set(shared);

  const out = new Map();
  out.set('atoms.ts', ATOMS_SOURCE);
  const sharedBody = topoSort(model.definitions, shared)
    .map((n) => emitDefinition(n, model.definitions.get(n), known))
    .join('\n\n');
  out.set('shared.ts', `${HEADER}${importsFor(sharedBody, ATOM_NAMES, [], false)}\n\n${sharedBody}\n`);

  const moduleOf = new Map();
  for (const { file } of docs) {
    const own = [...model.owners].filter(([n, o]) => o.has(file) && !sharedSet.has(n)).map(([n]) => n);
    if (own.length === 0) continue;
    const body = topoSort(model.definitions, own)
      .map((n) => emitDefinition(n, model.definitions.get(n), known))
      .join('\n\n');
    const mod = file.toLowerCase();
    moduleOf.set(file, mod);
    out.set(`${mod}.ts`, `${HEADER}${importsFor(body, ATOM_NAMES, shared, true)}\n\n${body}\n`);
  }

  out.set('metadata.ts', emitMetadata(model));
  out.set('index.ts', emitIndex(model, moduleOf));

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of out) writeFileSync(join(outDir, name), text);
  console.log(
    `wrote ${out.size} files to ${outDir}: ${model.definitions.size} definitions, ${model.objectTypes.length} object types`,
  );
  return 0;
}

function emitMetadata(model) {
  const defs = [...model.definitions.keys()].sort().map((name) => {
    const fields = Object.fromEntries(
      Object.entries(model.definitions.get(name).fields).map(([k, f]) => [k, fieldMeta(f)]),
    );
    return `  ${name}: ${JSON.stringify({ fields })},`;
  });
  const types = model.objectTypes.map((t) => {
    const entry = { name: t.name, definition: t.name, singleton: t.singleton, refs: t.refs };
    if (t.path) entry.path = t.path;
    return `  ${t.name}: ${JSON.stringify(entry)},`;
  });
  return `${HEADER}
export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'unknown';

/** One field of a definition, as the swagger describes it. */
export interface FieldMeta {
  type: FieldKind;
  /** element kind of an array */
  items?: FieldKind;
  /** swagger format (uint32, uint64, int32, double, ...) */
  format?: string;
  /** definition name of an object field or of the elements of an array field */
  def?: string;
  /** object type this (string or string-list) field refers to */
  ref?: string;
  /** allowed values, from "Enum options - A, B." */
  enum?: string[];
  /** swagger default value */
  default?: unknown;
  readOnly?: boolean;
  required?: boolean;
  /** API versions the field was introduced in ("Field introduced in 17.2.12, 18.1.2."): one per release line */
  since?: string[];
}

export interface DefinitionMeta {
  fields: Record<string, FieldMeta>;
}

/** A reference field reachable from an object type: \`pool_group_ref\`, \`http_policies[].http_policy_set_ref\`, \`x_refs[]\`. */
export interface RefFieldMeta {
  path: string;
  /** referenced object type (model name) */
  target: string;
  /** API path name of the target (\`/api/<targetPath>\`) */
  targetPath: string;
  readOnly?: boolean;
}

export interface ObjectTypeMeta {
  /** model name, e.g. VirtualService */
  name: string;
  /** API path name, e.g. virtualservice (absent for types without an API path) */
  path?: string;
  /** GET /api/<path> returns one object, not a {count, results} collection */
  singleton: boolean;
  /** root definition name in DEFINITIONS */
  definition: string;
  refs: RefFieldMeta[];
}

export const DEFINITIONS: Record<string, DefinitionMeta> = {
${defs.join('\n')}
};

export const OBJECT_TYPES: Record<string, ObjectTypeMeta> = {
${types.join('\n')}
};
`;
}

function emitIndex(model, moduleOf) {
  const lines = [HEADER];
  lines.push("export * from './shared.js';");
  for (const mod of [...moduleOf.values()].sort()) lines.push(`export * from './${mod}.js';`);
  lines.push("export * from './metadata.js';");
  const withPath = model.objectTypes.filter((t) => t.path).sort((a, b) => a.path.localeCompare(b.path));
  const imports = new Map();
  for (const t of withPath) {
    const mod = moduleOf.get(t.name);
    if (!imports.has(mod)) imports.set(mod, []);
    imports.get(mod).push(t.name);
  }
  for (const [mod, names] of imports) {
    const values = names.flatMap((n) => [inputSchemaName(n), outputSchemaName(n)]);
    const typeNames = names.flatMap((n) => [n, `${n}Input`]);
    lines.push(`import { ${values.join(', ')} } from './${mod}.js';`);
    lines.push(`import type { ${typeNames.join(', ')} } from './${mod}.js';`);
  }
  lines.push('');
  lines.push('/** Object types with an API path: path name -> model name, input (create/update body) and output types. */');
  lines.push('export interface AviObjectTypes {');
  for (const t of withPath) lines.push(`  ${t.path}: { name: '${t.name}'; input: ${t.name}Input; output: ${t.name} };`);
  lines.push('}');
  lines.push('');
  lines.push('export type AviObjectPath = keyof AviObjectTypes;');
  lines.push('');
  lines.push('/** path name -> strict input schema and permissive output schema */');
  lines.push('export const OBJECT_SCHEMAS = {');
  for (const t of withPath) {
    lines.push(`  ${t.path}: { input: ${inputSchemaName(t.name)}, output: ${outputSchemaName(t.name)} },`);
  }
  lines.push('} as const;');
  lines.push('');
  return lines.join('\n');
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`generate-models: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
