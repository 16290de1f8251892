// Every GslbService and health monitor translate() produces for the fixtures is a valid create/update input for its
// type under the strict zod models the SDK generates from the Avi swagger. AMKO's client checks nothing at run time
// (validate: false, so the models are never loaded in the operator): this is where its bodies are checked.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { OBJECT_SCHEMAS } from '@avi-k8s/avi-sdk/models';
import { translate, type AmkoConfig, type Snapshot } from '../../src/translate/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

type Schemas = Record<string, { input: { safeParse: (b: unknown) => { success: boolean; error?: { issues: unknown[] } } } } | undefined>;

describe('translate output matches the Avi object models', () => {
  test.each(files)('%s', (file) => {
    const fixture = parse(readFileSync(join(dir, file), 'utf8')) as { config: AmkoConfig; snapshot: Snapshot };
    for (const o of translate(fixture.snapshot, fixture.config).objects) {
      const schema = (OBJECT_SCHEMAS as Schemas)[o.type];
      expect([o.type, schema !== undefined]).toEqual([o.type, true]);
      const r = schema!.input.safeParse(o.body);
      expect([o.type, o.name, r.success ? [] : r.error?.issues]).toEqual([o.type, o.name, []]);
    }
  });

  test('the fixtures produce both object types (the check above is not vacuous)', () => {
    const types = new Set(files.flatMap((file) => {
      const fixture = parse(readFileSync(join(dir, file), 'utf8')) as { config: AmkoConfig; snapshot: Snapshot };
      return translate(fixture.snapshot, fixture.config).objects.map((o) => o.type);
    }));
    expect([...types].sort()).toEqual(['gslbservice', 'healthmonitor']);
  });
});
