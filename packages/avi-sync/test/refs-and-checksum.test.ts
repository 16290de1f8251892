import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyChecksum, fnv1a32, makeDesired, parseRef, type AviBody } from '../src/index.js';

const fixture = (f: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8'));
const refCases = fixture('refs.json') as { in: string; out: unknown }[];
const sums = fixture('checksum.json') as { fnv1a32: { in: string; out: number }[]; equalBodies: [AviBody, AviBody][]; differentBodies: [AviBody, AviBody][] };

describe('parseRef', () => {
  it.each(refCases.map((c) => [c.in, c.out] as const))('%s', (input, out) => {
    expect(parseRef(input) ?? null).toEqual(out);
  });
});

describe('checksums', () => {
  it.each(sums.fnv1a32.map((c) => [c.in, c.out] as const))('fnv1a32(%j) is the published FNV-1a value', (input, out) => {
    expect(fnv1a32(input)).toBe(out);
  });
  it.each(sums.equalBodies)('key order does not matter: %j', (a, b) => {
    expect(bodyChecksum(a)).toBe(bodyChecksum(b));
  });
  it.each(sums.differentBodies)('content matters: %j', (a, b) => {
    expect(bodyChecksum(a)).not.toBe(bodyChecksum(b));
  });
  it('makeDesired stores the checksum in the named field, computed without that field', () => {
    const d = makeDesired({ tenant: 'admin', type: 'pool', name: 'p', body: { name: 'p', cloud_config_cksum: 'old' }, checksumField: 'cloud_config_cksum' });
    expect(d.checksum).toBe(bodyChecksum({ name: 'p' }));
    expect(d.body).toEqual({ name: 'p', cloud_config_cksum: d.checksum });
    expect(d.checksum).toMatch(/^\d+$/);
  });
});
