// The zod schemas and the CRD manifests describe the same fields: for every CRD and served version, the OpenAPI
// schema of spec and status equals the JSON schema zod derives (types, enums, required, bounds, patterns,
// defaults). `oneOf` cannot be derived from zod refinements; the fixtures cover it against both.
import { z } from 'zod';
import { CRD_KINDS, loadCrdManifests, type CrdManifest } from '../src/index.js';

type Schema = Record<string, unknown>;
const SAFE = Number.MAX_SAFE_INTEGER;

/** The validation-relevant part of a schema, in a canonical form. */
function canonical(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  const out: Schema = {};
  if (s.type) out.type = s.type;
  if (Array.isArray(s.enum)) out.enum = [...(s.enum as string[])].sort();
  // A required field with a default is never missing: the apiserver defaults before it validates.
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = ((s.required ?? []) as string[]).filter((k) => props[k]?.default === undefined);
  if (required.length) out.required = [...required].sort();
  for (const key of ['minimum', 'maximum', 'pattern', 'default']) {
    const v = s[key];
    if (v !== undefined && v !== SAFE && v !== -SAFE) out[key] = v;
  }
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, Schema>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  if (s.items) out.items = canonical(s.items as Schema);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    out.additionalProperties = canonical(s.additionalProperties as Schema);
  }
  return out;
}

function fromZod(schema: z.ZodType): Schema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  delete json.$schema;
  return json;
}

let manifests: CrdManifest[];
beforeAll(async () => {
  manifests = await loadCrdManifests();
});

const manifestOf = (name: string) => manifests.find((m) => m.metadata?.name === name)!;

describe.each(CRD_KINDS.map((k) => [k.kind, k] as const))('%s', (_kind, crd) => {
  test('names, scope and versions match the typed list', () => {
    const m = manifestOf(crd.name);
    expect(m.spec.group).toBe(crd.apiGroup);
    expect(m.spec.names.plural).toBe(crd.plural);
    expect(m.spec.names.kind).toBe(crd.kind);
    expect(m.spec.names.listKind).toBe(`${crd.kind}List`);
    expect(m.spec.names.singular).toBe(crd.kind.toLowerCase());
    expect(m.spec.names.shortNames ?? []).toEqual(crd.shortNames);
    expect(m.spec.scope).toBe(crd.namespaced ? 'Namespaced' : 'Cluster');
    expect(m.spec.versions.map((v) => v.name)).toEqual(crd.versions);
    expect(m.spec.versions.filter((v) => v.storage).map((v) => v.name)).toEqual([crd.versions[0]]);
    for (const v of m.spec.versions) {
      expect(v.served).toBe(true);
      expect(v.subresources?.status !== undefined).toBe(crd.statusSubresource);
    }
  });

  test.each(crd.versions.map((v) => [v]))('%s: spec schema equals the zod spec schema', (version) => {
    const v = manifestOf(crd.name).spec.versions.find((x) => x.name === version)!;
    const openapi = v.schema.openAPIV3Schema.properties!.spec as Schema;
    expect(canonical(openapi)).toEqual(canonical(fromZod(crd.specSchema)));
  });

  test.each(crd.versions.map((v) => [v]))('%s: status schema equals the zod status schema', (version) => {
    const v = manifestOf(crd.name).spec.versions.find((x) => x.name === version)!;
    const openapi = v.schema.openAPIV3Schema.properties!.status as Schema | undefined;
    const zod = canonical(fromZod(crd.statusSchema));
    if (openapi === undefined) expect(zod).toEqual({ type: 'object', properties: {} });
    else expect(canonical(openapi)).toEqual(zod);
  });

  test('spec is required at the top level exactly when the CRD requires it', () => {
    const v = manifestOf(crd.name).spec.versions[0]!;
    const required = v.schema.openAPIV3Schema.required ?? [];
    const top = fromZod(crd.schema) as { required?: string[] };
    expect(required.includes('spec')).toBe((top.required ?? []).includes('spec'));
  });
});
