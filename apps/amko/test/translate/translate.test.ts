// Table-driven: each fixture file holds an input snapshot + config and the expected GslbServices, monitors and
// verdicts. AMKO_WRITE_FIXTURES=1 rewrites the expectations (review the diff before committing).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { translate, type AmkoConfig, type Snapshot } from '../../src/translate/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

interface Fixture {
  description: string;
  config: AmkoConfig;
  snapshot: Snapshot;
  expect?: unknown;
}

function actual(f: Fixture) {
  const r = translate(f.snapshot, f.config);
  return {
    ...(r.hold ? { hold: r.hold } : {}),
    verdicts: r.verdicts,
    objects: r.objects.map((o) => ({ tenant: o.tenant, type: o.type, name: o.name, body: o.body })),
  };
}

describe('translate fixtures', () => {
  test.each(files)('%s', (file) => {
    const path = join(dir, file);
    const fixture = parse(readFileSync(path, 'utf8')) as Fixture;
    const got = actual(fixture);
    if (process.env.AMKO_WRITE_FIXTURES) {
      writeFileSync(path, stringify({ ...fixture, expect: got }, { lineWidth: 0 }));
      return;
    }
    expect(got).toEqual(fixture.expect);
  });

  test.each(files)('%s: translation is deterministic under input order', (file) => {
    const fixture = parse(readFileSync(join(dir, file), 'utf8')) as Fixture;
    const s = fixture.snapshot;
    const reversed: Snapshot = {
      ...s,
      gdps: [...s.gdps].reverse(),
      hostRules: [...s.hostRules].reverse(),
      members: [...s.members].reverse().map((m) => ({ ...m, ingresses: [...m.ingresses].reverse(), services: [...m.services].reverse() })),
    };
    const a = translate(s, fixture.config);
    const b = translate(reversed, fixture.config);
    expect(b.objects.map((o) => o.checksum)).toEqual(a.objects.map((o) => o.checksum));
    expect(new Set(b.verdicts.map((v) => JSON.stringify(v)))).toEqual(new Set(a.verdicts.map((v) => JSON.stringify(v))));
  });
});
