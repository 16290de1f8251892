import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyDefaults, dropUndeclaredFields, listRefs, mapRefs, objectTypeMeta } from '../src/models-api.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'model-walk');

interface RefCase {
  name: string;
  type: string;
  object: Record<string, unknown>;
  expected: [string, string, string][];
}
const refCases = JSON.parse(readFileSync(join(fixtures, 'refs.json'), 'utf8')) as RefCase[];

describe('listRefs / mapRefs', () => {
  test.each(refCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const byLocation = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    const found = listRefs(c.type, c.object).map((r) => [r.location, r.field.targetPath, r.value]);
    expect(found.sort(byLocation)).toEqual([...c.expected].sort(byLocation));
    const before = JSON.stringify(c.object);
    const mapped = mapRefs(c.type, c.object, (r) => `X:${r.value}`);
    expect(JSON.stringify(c.object)).toBe(before);
    expect(listRefs(c.type, mapped).map((r) => r.value).sort()).toEqual(c.expected.map((e) => `X:${e[2]}`).sort());
    if (c.expected.length === 0) expect(mapped).toBe(c.object);
  });

  test('unknown type is a clear error', () => {
    expect(() => listRefs('nosuchtype', {})).toThrow('unknown Avi object type "nosuchtype"');
    expect(objectTypeMeta('nosuchtype')).toBeUndefined();
  });
});

describe('applyDefaults', () => {
  test('top level and present nested objects get swagger defaults; absent ones are not created', () => {
    const pool = applyDefaults('pool', { name: 'p', servers: [{ ip: { addr: '1.1.1.1', type: 'V4' } }] });
    expect(pool).toMatchObject({
      name: 'p',
      lb_algorithm: 'LB_ALGORITHM_LEAST_CONNECTIONS',
      enabled: true,
      servers: [{ ip: { addr: '1.1.1.1', type: 'V4' }, ratio: 1, enabled: true }],
    });
    expect(pool).not.toHaveProperty('placement_networks');
  });

  test('given values win over defaults', () => {
    expect(applyDefaults('Pool', { name: 'p', lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' }).lb_algorithm).toBe(
      'LB_ALGORITHM_ROUND_ROBIN',
    );
  });
});

describe('dropUndeclaredFields', () => {
  test('drops unknown fields at every level, keeps declared ones', () => {
    const out = dropUndeclaredFields('pool', {
      name: 'p',
      application_profile_name: 'x',
      servers: [{ ip: { addr: '1.1.1.1', type: 'V4', bogus: 1 }, junk: true, port: 80 }],
    });
    expect(out).toEqual({ name: 'p', servers: [{ ip: { addr: '1.1.1.1', type: 'V4' }, port: 80 }] });
  });
});
