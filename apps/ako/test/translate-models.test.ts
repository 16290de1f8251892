import { OBJECT_SCHEMAS } from '@avi-k8s/avi-sdk/models';
import { translate } from '../src/index.js';
import { loadCases, snapshotOf } from './translate-fixtures.js';

/** Every body translate() produces is a valid create/update input for its type (strict zod models from the swagger). */
describe('translate output matches the Avi object models', () => {
  it.each(loadCases().map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const { objects } = translate(snapshotOf(c.objects), c.config);
    for (const o of objects) {
      const schema = (OBJECT_SCHEMAS as Record<string, { input: { safeParse: (b: unknown) => { success: boolean; error?: { issues: unknown[] } } } }>)[o.type];
      expect([o.type, schema !== undefined]).toEqual([o.type, true]);
      const r = schema!.input.safeParse(o.body);
      expect([o.type, o.name, r.success ? [] : r.error?.issues]).toEqual([o.type, o.name, []]);
    }
  });
});
