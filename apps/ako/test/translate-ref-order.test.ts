// The order of refs between a unit's objects (unit-sync.ts onlyChanged relies on it): an object refers only to
// objects of types earlier in AKO's order (a VS to its VsVip, pool groups, policy sets, certificates; a pool group to
// its pools), except an SNI or EVH child VS to its parent VS, which refers to no VS itself. So no ref cycle can run
// through objects a sync leaves out as up to date. Checked on every unit of the translate corpus.
import { AKO_TYPE_ORDER, findRefs, keyOf } from '@avi-k8s/avi-sync';
import { indexSnapshot, translateUnit, translationUnits, validateConfig } from '../src/index.js';
import { loadCases, snapshotOf } from './translate-fixtures.js';

const rank = (type: string): number => AKO_TYPE_ORDER.indexOf(type);

test('every ref between the objects of a unit goes to an earlier type, or from a child VS to a parent that refers to no VS', () => {
  const cases = loadCases().filter((c) => validateConfig(c.config).length === 0);
  let refs = 0;
  let parents = 0;
  for (const c of cases) {
    const idx = indexSnapshot({ ...snapshotOf(c.objects), now: Date.parse('2026-01-01T00:00:00Z') });
    for (const u of translationUnits(idx, c.config)) {
      const objects = translateUnit(idx, c.config, u, { served: false }).objects;
      const byKey = new Map(objects.map((o) => [keyOf(o), o]));
      const bad: string[] = [];
      for (const o of objects) {
        for (const r of findRefs(o.body)) {
          if (r.by !== 'name') continue;
          const target = byKey.get(keyOf({ tenant: r.tenant ?? o.tenant, type: r.type, name: r.name }));
          if (!target) continue;
          refs++;
          if (rank(target.type) < rank(o.type)) continue;
          const toParent = o.type === 'virtualservice' && target.type === 'virtualservice' && typeof o.body.vh_parent_vs_ref === 'string' && o.body.vh_parent_vs_ref.includes(`name=${target.name}`);
          if (toParent && !findRefs(target.body).some((x) => x.type === 'virtualservice')) {
            parents++;
            continue;
          }
          bad.push(`${keyOf(o)} -> ${keyOf(target)}`);
        }
      }
      expect([c.name, u, bad]).toEqual([c.name, u, []]);
    }
  }
  // The corpus has refs of both kinds (shards with SNI or EVH children).
  expect(refs).toBeGreaterThan(100);
  expect(parents).toBeGreaterThan(0);
});
