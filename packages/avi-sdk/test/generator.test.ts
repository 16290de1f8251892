// Table-driven tests of the pure parts of the model generator (scripts/*.mjs), on small swagger fixtures.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM script without type declarations
import { buildModel, collectRefPaths, parseEnumOptions, parseIntroduced, parseRefTarget, topoSort } from '../scripts/swagger-model.mjs';
// @ts-expect-error plain ESM script without type declarations
import { inputFieldExpr, outputFieldExpr } from '../scripts/emit-zod.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;

interface DescCase<T> {
  name: string;
  description: unknown;
  expected: T | null;
}

describe('parseEnumOptions', () => {
  const cases = readJson<DescCase<string[]>[]>('enum-descriptions.json');
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseEnumOptions(c.description) ?? null).toEqual(c.expected);
  });
});

describe('parseRefTarget', () => {
  const cases = readJson<DescCase<string>[]>('ref-descriptions.json');
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseRefTarget(c.description) ?? null).toEqual(c.expected);
  });
});

describe('parseIntroduced', () => {
  const cases = readJson<DescCase<string[]>[]>('introduced-descriptions.json');
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseIntroduced(c.description) ?? null).toEqual(c.expected);
  });
});

describe('buildModel on swagger-mini', () => {
  const dir = join(fixtures, 'swagger-mini');
  const docs = readdirSync(dir)
    .sort()
    .map((f) => ({ file: f.replace(/\.json$/, ''), doc: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
  const model = buildModel(docs);
  const expected = readJson<{ objectTypes: unknown[]; fields: Record<string, unknown>; shared: string[] }>(
    'swagger-mini.expected.json',
  );

  test('object types: path, singleton flag and reference paths', () => {
    expect(model.objectTypes).toEqual(expected.objectTypes);
  });

  test.each(Object.entries(expected.fields))('field %s', (path, want) => {
    const [def, field] = path.split('.') as [string, string];
    expect(model.definitions.get(def).fields[field]).toEqual(want);
  });

  test('ApiResponse envelopes are not definitions; shared definitions are found', () => {
    expect(model.definitions.has('WidgetApiResponse')).toBe(false);
    const shared = [...model.owners].filter(([, o]: [string, Set<string>]) => o.size > 1).map(([n]: [string]) => n);
    expect(shared).toEqual(expected.shared);
  });

  test('dependency order puts used definitions first', () => {
    const order: string[] = topoSort(model.definitions, ['Widget', 'Server', 'Binding', 'IpAddr']);
    expect(order.indexOf('IpAddr')).toBeLessThan(order.indexOf('Server'));
    expect(order.indexOf('Server')).toBeLessThan(order.indexOf('Widget'));
    expect(order.indexOf('Binding')).toBeLessThan(order.indexOf('Widget'));
  });

  test('a definition that differs between files (beyond descriptions) is an error', () => {
    const changed = JSON.parse(JSON.stringify(docs));
    changed[0].doc.definitions.IpAddr.properties.addr.type = 'integer';
    expect(() => buildModel(changed)).toThrow(/IpAddr differs/);
  });

  test('collectRefPaths of an unknown definition is empty', () => {
    expect(collectRefPaths(model.definitions, 'Nope')).toEqual([]);
  });
});

describe('zod expressions per field', () => {
  const known = new Set(['IpAddr']);
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['optional string', { kind: 'string' }, 'oStr', 'oStr'],
    ['required string', { kind: 'string', required: true }, 'str', 'oStr'],
    ['optional enum', { kind: 'string', enum: ['A', 'B'] }, 'z.enum(["A", "B"]).optional()', 'oStr'],
    ['required integer', { kind: 'integer', required: true }, 'int', 'oNum'],
    ['uint64 integer', { kind: 'integer', format: 'uint64' }, 'oInt', 'oBigNum'],
    ['known object', { kind: 'object', def: 'IpAddr' }, 'IpAddrInputSchema.optional()', 'IpAddrSchema.optional()'],
    ['missing definition', { kind: 'object', def: 'TimeStamp' }, 'anyObject.optional()', 'oAnyObject'],
    ['list of objects', { kind: 'array', items: 'object', def: 'IpAddr' }, 'z.array(IpAddrInputSchema).optional()', 'z.array(IpAddrSchema).optional()'],
    ['list of strings', { kind: 'array', items: 'string' }, 'oStrList', 'oStrList'],
    ['list of enums', { kind: 'array', items: 'string', enum: ['X'] }, 'z.array(z.enum(["X"])).optional()', 'oStrList'],
    ['boolean', { kind: 'boolean' }, 'oBool', 'oBool'],
  ];
  test.each(cases)('%s', (_name, field, input, output) => {
    expect(inputFieldExpr(field, known)).toBe(input);
    expect(outputFieldExpr(field, known)).toBe(output);
  });
});
