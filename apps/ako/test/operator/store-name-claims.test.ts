// The Store with inputs that compete for a host or an Avi name (translate/host-owner.ts, name-claims.ts): a unit's
// view holds its competitors (and every Ingress of their hosts), so each unit decides on its view exactly as on the
// full snapshot, and adding or deleting any one object touches every unit whose result it changes (a competitor
// that goes lets the other in).
import type * as k8s from '@kubernetes/client-node';
import { combine, indexSnapshot, translate, translateUnit, translationUnits, type AkoConfig } from '../../src/index.js';
import { createStore, type Kind, type Touched } from '../../src/operator/store.js';
import { transforms } from '../../src/operator/transform.js';
import { snapshotOf, type K8sObject } from '../translate-fixtures.js';
import { backend, CONFIG, ingress, ingressClass, lbService, tlsSecret } from '../translate-objects.js';

function storeOf(objects: readonly K8sObject[], config: AkoConfig) {
  const store = createStore(config);
  for (const o of objects) store.apply(o.kind as Kind, 'add', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
  return store;
}
const plain = (r: { objects: unknown; verdicts: unknown }) => ({ objects: r.objects, verdicts: r.verdicts });
function unitResults(objects: readonly K8sObject[], config: AkoConfig): Map<string, string> {
  const idx = indexSnapshot(snapshotOf(objects));
  return new Map(translationUnits(idx, config).map((u) => [u, JSON.stringify(plain(translateUnit(idx, config, u)))]));
}
const includes = (touched: Touched | undefined, unit: string) => touched === 'all' || (touched ?? []).includes(unit);

// [name, objects, whether something is rejected in DEDICATED mode (its VS names end in -L7-dedicated)]
const scenarios: [string, () => Promise<K8sObject[]>, boolean][] = [
  [
    'a Service and a secure host of the same VS name, with a second Ingress making the host secure',
    async () => [
      ingressClass,
      ...backend('other', 'web', '10.0.3.1'),
      await tlsSecret('other', 'site-tls', ['team-0-lb-5']),
      lbService('team-0', 'lb-5', 2),
      ingress('other', 'plain', 1, [{ host: 'team-0-lb-5', paths: [{ path: '/x', service: 'web' }] }]),
      ingress('other', 'site', 3, [{ host: 'team-0-lb-5', paths: [{ path: '/', service: 'web' }] }], { hosts: ['team-0-lb-5'], secret: 'site-tls' }),
    ],
    false,
  ],
  [
    'secure hosts on different shards whose SNI names coincide, and a host hijack',
    async () => [
      ingressClass,
      ...backend('coll', 'web', '10.0.4.1'),
      ...backend('coll-a', 'web', '10.0.5.1'),
      await tlsSecret('coll', 'tls', ['a-b.example.com']),
      await tlsSecret('coll-a', 'tls', ['b.example.com']),
      ingress('coll', 'x', 1, [{ host: 'a-b.example.com', paths: [{ path: '/', service: 'web' }] }], { hosts: ['a-b.example.com'], secret: 'tls' }),
      ingress('coll-a', 'x', 2, [{ host: 'b.example.com', paths: [{ path: '/', service: 'web' }] }], { hosts: ['b.example.com'], secret: 'tls' }),
      ingress('coll-a', 'hijack', 3, [{ host: 'a-b.example.com', paths: [{ path: '/', service: 'web' }] }]),
    ],
    true,
  ],
  ['Services of the same L4 names', async () => [lbService('team-0', 'lb-5', 2), lbService('team', '0-lb-5', 1), lbService('ns', 'x', 1), lbService('ns', 's1', 2, { 'ako.vmware.com/enable-shared-vip': 'x' })], true],
];

describe.each(scenarios)('%s', (_name, make, dedicatedConflict) => {
  for (const config of [CONFIG, { ...CONFIG, shardVSSize: 'LARGE' }, { ...CONFIG, shardVSSize: 'DEDICATED' }]) {
    it(`shardVSSize ${config.shardVSSize}: each unit on its Store view equals the unit on the full snapshot`, async () => {
      const objects = await make();
      const store = storeOf(objects, config);
      const full = indexSnapshot(snapshotOf(objects));
      const results = translationUnits(full, config).map((u) => {
        const viewed = translateUnit(indexSnapshot(store.snapshotFor(u)), config, u);
        expect([u, plain(viewed)]).toEqual([u, plain(translateUnit(full, config, u))]);
        return viewed;
      });
      expect(combine(results)).toEqual(translate(snapshotOf(objects), config));
      expect(results.some((r) => r.verdicts.some((v) => !v.accepted))).toBe(config.shardVSSize !== 'DEDICATED' || dedicatedConflict);
    });

    it(`shardVSSize ${config.shardVSSize}: adding or deleting any one object touches every unit whose result it changes`, async () => {
      const objects = await make();
      for (let i = 0; i < objects.length; i++) {
        const o = objects[i]!;
        const without = objects.filter((_, j) => j !== i);
        const before = unitResults(without, config);
        const after = unitResults(objects, config);
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((u) => before.get(u) !== after.get(u));
        const store = storeOf(without, config);
        const added = store.apply(o.kind as Kind, 'add', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
        for (const u of changed) expect([o.kind, o.metadata?.name, 'add', u, includes(added, u)]).toEqual([o.kind, o.metadata?.name, 'add', u, true]);
        const deleted = store.apply(o.kind as Kind, 'delete', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
        for (const u of changed) expect([o.kind, o.metadata?.name, 'delete', u, includes(deleted, u)]).toEqual([o.kind, o.metadata?.name, 'delete', u, true]);
      }
    });
  }
});

// A view whose own inputs claim no name another source claims says so (Snapshot.noNameCompetitors), and translate
// then skips looking for collisions: the views above still equal the full snapshot (first test of each scenario).
test('a unit view says it has no name competitors only when none of its own Ingresses and Services has one', async () => {
  const objects = [
    ingressClass,
    ...backend('other', 'web', '10.0.3.1'),
    await tlsSecret('other', 'site-tls', ['team-0-lb-5']),
    lbService('team-0', 'lb-5', 2),
    lbService('alone', 'lb-1', 4),
    ingress('other', 'site', 3, [{ host: 'team-0-lb-5', paths: [{ path: '/', service: 'web' }] }], { hosts: ['team-0-lb-5'], secret: 'site-tls' }),
    ingress('other', 'quiet', 5, [{ host: 'quiet.example.com', paths: [{ path: '/', service: 'web' }] }]),
  ];
  // One shard (SMALL): the secure host's SNI VS and the Service's VS share a name.
  const shared = storeOf(objects, CONFIG);
  const shard = translationUnits(indexSnapshot(shared.full()), CONFIG).filter((u) => u.startsWith('L7/'));
  const hint = (store: ReturnType<typeof storeOf>, u: string) => store.snapshotFor(u).noNameCompetitors === true;
  expect(shard).toHaveLength(1);
  expect([hint(shared, 'L4/team-0/lb-5'), hint(shared, shard[0]!), hint(shared, 'L4/alone/lb-1')]).toEqual([false, false, true]);
  // DEDICATED: each host's VS name ends in -L7-dedicated, so nothing competes.
  const dedicated = storeOf(objects, { ...CONFIG, shardVSSize: 'DEDICATED' });
  expect(['L4/team-0/lb-5', 'L7Dedicated/team-0-lb-5', 'L7Dedicated/quiet.example.com'].map((u) => hint(dedicated, u))).toEqual([true, true, true]);
});
