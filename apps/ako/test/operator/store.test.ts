// The Store against the translate fixture cases (hand-written inputs, test/fixtures/translate): with the informers'
// transforms applied, every unit translated on its Store view equals the unit translated on the full, untransformed
// snapshot (so the transforms keep what translate reads and the views hold what each unit reads); the units a change
// touches include every unit whose result it changes; events that change nothing translate reads touch no unit.
import type * as k8s from '@kubernetes/client-node';
import { combine, indexSnapshot, translate, translateUnit, translationUnits, validateConfig, type AkoConfig } from '../../src/index.js';
import { createStore, type Kind, type Touched } from '../../src/operator/store.js';
import { transforms } from '../../src/operator/transform.js';
import { loadCases, snapshotOf, type K8sObject } from '../translate-fixtures.js';

const cases = loadCases().filter((c) => validateConfig(c.config).length === 0);

function storeOf(objects: readonly K8sObject[], config: AkoConfig) {
  const store = createStore(config);
  for (const o of objects) store.apply(o.kind as Kind, 'add', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
  return store;
}

const plain = (r: { objects: unknown; verdicts: unknown }) => ({ objects: r.objects, verdicts: r.verdicts });

/** The result of every unit, on the full snapshot. */
function unitResults(objects: readonly K8sObject[], config: AkoConfig): Map<string, string> {
  const idx = indexSnapshot(snapshotOf(objects));
  return new Map(translationUnits(idx, config).map((u) => [u, JSON.stringify(plain(translateUnit(idx, config, u)))]));
}

const includes = (touched: Touched | undefined, unit: string) => touched === 'all' || (touched ?? []).includes(unit);

test('has cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(8);
});

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it('each unit on its Store view equals the unit on the full snapshot; all units together equal translate()', () => {
    const store = storeOf(c.objects, c.config);
    const full = indexSnapshot(snapshotOf(c.objects));
    const units = translationUnits(full, c.config);
    const results = units.map((u) => {
      const viewed = translateUnit(indexSnapshot(store.snapshotFor(u)), c.config, u);
      expect([u, plain(viewed)]).toEqual([u, plain(translateUnit(full, c.config, u))]);
      return viewed;
    });
    expect(combine(results)).toEqual(translate(snapshotOf(c.objects), c.config));
  });

  it('adding or deleting any one object touches every unit whose result it changes', () => {
    for (let i = 0; i < c.objects.length; i++) {
      const o = c.objects[i]!;
      const without = c.objects.filter((_, j) => j !== i);
      const before = unitResults(without, c.config);
      const after = unitResults(c.objects, c.config);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((u) => before.get(u) !== after.get(u));
      const store = storeOf(without, c.config);
      const added = store.apply(o.kind as Kind, 'add', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
      for (const u of changed) expect([o.kind, o.metadata?.name, 'add', u, includes(added, u)]).toEqual([o.kind, o.metadata?.name, 'add', u, true]);
      const deleted = store.apply(o.kind as Kind, 'delete', transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject));
      for (const u of changed) expect([o.kind, o.metadata?.name, 'delete', u, includes(deleted, u)]).toEqual([o.kind, o.metadata?.name, 'delete', u, true]);
    }
  });

  it('the same object with its keys in another order (a typed list item, then a watch event) touches no unit', () => {
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    const store = createStore(c.config);
    for (const o of c.objects) store.apply(o.kind as Kind, 'add', transforms[o.kind]!(reorder(structuredClone(o)) as k8s.KubernetesObject));
    for (const o of c.objects) {
      const next = structuredClone(o) as k8s.KubernetesObject;
      next.metadata = { ...next.metadata, resourceVersion: '1000' };
      expect([o.kind, o.metadata?.name, store.apply(o.kind as Kind, 'update', transforms[o.kind]!(next))]).toEqual([o.kind, o.metadata?.name, undefined]);
    }
  });

  it('an unrelated label or annotation, a resourceVersion bump or AKO status on an object touches no unit', () => {
    const store = storeOf(c.objects, c.config);
    for (const o of c.objects) {
      const next = structuredClone(o) as k8s.KubernetesObject & { status?: unknown };
      next.metadata = { ...next.metadata, resourceVersion: '999', annotations: { ...next.metadata?.annotations, 'example.com/note': 'x' } };
      if (o.kind !== 'Namespace' && o.kind !== 'Node' && o.kind !== 'EndpointSlice') next.metadata.labels = { ...next.metadata.labels, 'example.com/team': 'y' };
      if (o.kind === 'Service' || o.kind === 'Ingress') {
        next.metadata.annotations = { ...next.metadata.annotations, 'ako.vmware.com/host-fqdn-vs-uuid-map': '{"a":"vs-1"}' };
        next.status = { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } };
      }
      expect([o.kind, o.metadata?.name, store.apply(o.kind as Kind, 'update', transforms[o.kind]!(next))]).toEqual([o.kind, o.metadata?.name, undefined]);
    }
  });
});
