// The Store with AviInfraSettings (inputs of parity case c23): an Ingress's hosts are indexed on the shards of the
// AviInfraSetting its IngressClass names, so every unit translated on its Store view equals the unit on the full
// snapshot, also after the setting's shard size changes, the IngressClass stops naming it, or it is deleted (every
// Ingress is indexed again); such a change touches every unit.
import type * as k8s from '@kubernetes/client-node';
import { indexSnapshot, translateUnit, translationUnits, type AkoConfig } from '../../src/index.js';
import { createStore, type Kind } from '../../src/operator/store.js';
import { transforms } from '../../src/operator/transform.js';
import { caseConfig, caseObjects } from '../parity-case.js';
import { snapshotOf, type K8sObject } from '../translate-fixtures.js';

const config: AkoConfig = caseConfig('c23-aviinfrasetting');
const REFS = ['serviceenginegroup/seg-infra', 'network/vip-net-2'];
const base = caseObjects('c23-aviinfrasetting');
const plain = (r: { objects: unknown; verdicts: unknown }) => ({ objects: r.objects, verdicts: r.verdicts });
const transformed = (o: K8sObject) => transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject);

function expectViewsEqualFull(store: ReturnType<typeof createStore>, objects: readonly K8sObject[]): string[] {
  const full = indexSnapshot({ ...snapshotOf(objects), aviRefs: REFS });
  const units = translationUnits(full, config);
  for (const u of units) expect([u, plain(translateUnit(indexSnapshot(store.snapshotFor(u)), config, u))]).toEqual([u, plain(translateUnit(full, config, u))]);
  return units;
}

const infra = base.find((o) => o.kind === 'AviInfraSetting')!;
const cls = base.find((o) => o.kind === 'IngressClass' && o.metadata?.name === 'avi-infra')!;
const changes: [string, Kind, 'update' | 'delete', K8sObject][] = [
  ['the AviInfraSetting shard size goes from MEDIUM to SMALL', 'AviInfraSetting', 'update', { ...infra, spec: { ...(infra.spec as object), l7Settings: { shardSize: 'SMALL' } } } as K8sObject],
  ['the IngressClass stops naming the AviInfraSetting', 'IngressClass', 'update', { ...cls, spec: { controller: 'ako.vmware.com/avi-lb' } } as K8sObject],
  ['the AviInfraSetting is deleted', 'AviInfraSetting', 'delete', infra],
];

test('the c23 units on their Store views equal the units on the full snapshot (shards of infra-1 among them)', () => {
  const store = createStore(config);
  store.setAviRefs(REFS);
  for (const o of base) store.apply(o.kind as Kind, 'add', transformed(o));
  const units = expectViewsEqualFull(store, base);
  expect(units).toEqual(expect.arrayContaining(['L7/par--Shared-L7-infra-1-1', 'L7/par--Shared-L7-infra-1-2', 'L7/par--Shared-L7-4', 'AviInfraSetting/infra-1']));
});

test.each(changes)('%s: every unit touched, and the views still equal the full snapshot', (_what, kind, event, obj) => {
  const store = createStore(config);
  store.setAviRefs(REFS);
  for (const o of base) store.apply(o.kind as Kind, 'add', transformed(o));
  expect(store.apply(kind, event, transformed(obj))).toBe('all');
  const after = event === 'delete' ? base.filter((o) => o !== obj) : base.map((o) => (o === infra || o === cls) && o.kind === obj.kind ? obj : o);
  const units = expectViewsEqualFull(store, after);
  if (kind === 'AviInfraSetting' && event === 'update') expect(units).toContain('L7/par--Shared-L7-infra-1-0');
  else expect(units.some((u) => u.includes('infra-1-'))).toBe(false);
});

test('a rejected update of an AviInfraSetting changes nothing it places: the last accepted spec keeps placing, the status says Rejected', () => {
  const store = createStore(config);
  store.setAviRefs(REFS);
  for (const o of base) store.apply(o.kind as Kind, 'add', transformed(o));
  const unitsOf = () => {
    const idx = indexSnapshot(store.full());
    return new Map(translationUnits(idx, config).map((u) => [u, translateUnit(indexSnapshot(store.snapshotFor(u)), config, u)]));
  };
  const before = unitsOf();
  // A missing SE group and another shard size: the hosts stay on the MEDIUM shards of seg-infra.
  const bad = { ...infra, spec: { ...(infra.spec as object), seGroup: { name: 'no-such-seg' }, l7Settings: { shardSize: 'SMALL' } } } as K8sObject;
  store.apply('AviInfraSetting', 'update', transformed(bad));
  const after = unitsOf();
  expect(after.get('AviInfraSetting/infra-1')!.verdicts).toEqual([{ kind: 'AviInfraSetting', namespace: '', name: 'infra-1', accepted: false, reason: 'serviceenginegroup "no-such-seg" not found on controller' }]);
  for (const u of ['L7/par--Shared-L7-infra-1-1', 'L7/par--Shared-L7-infra-1-2', 'L4/red/lb-infra', 'Ingress/red/inf']) expect([u, plain(after.get(u)!)]).toEqual([u, plain(before.get(u)!)]);
  expect(after.has('L7/par--Shared-L7-infra-1-0')).toBe(false);
  // The SE group appears on the controller: the current spec is accepted and places (SMALL: one shard).
  store.setAviRefs([...REFS, 'serviceenginegroup/no-such-seg']);
  const fixed = unitsOf();
  expect(fixed.get('AviInfraSetting/infra-1')!.verdicts[0]).toMatchObject({ accepted: true });
  expect(fixed.get('L7/par--Shared-L7-infra-1-0')!.objects.find((o) => o.type === 'virtualservice' && o.name === 'par--Shared-L7-infra-1-0')!.body.se_group_ref).toBe('/api/serviceenginegroup?name=no-such-seg');
});

test('a namespace annotated with a tenant: its hosts move to that tenant\'s shard units, the views still equal the full snapshot', () => {
  const store = createStore(config);
  store.setAviRefs(REFS);
  for (const o of base) store.apply(o.kind as Kind, 'add', transformed(o));
  const red = base.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'red')!;
  const annotated = { ...red, metadata: { ...red.metadata, annotations: { 'ako.vmware.com/tenant-name': 'team-b' } } } as K8sObject;
  expect(store.apply('Namespace', 'update', transformed(annotated))).toBe('all');
  const units = expectViewsEqualFull(store, base.map((o) => (o === red ? annotated : o)));
  expect(units).toEqual(expect.arrayContaining(['L7/par--Shared-L7-4@team-b', 'L7/par--Shared-L7-infra-1-1@team-b', 'L7/par--Shared-L7-infra-1-2@team-b']));
  expect(units).not.toContain('L7/par--Shared-L7-4');
});

// As store.test.ts does for the fixture cases: each object of c23 added or deleted touches every unit whose result it
// changes, also with a namespace selector (an AviInfraSetting's status then depends on what names it).
const selected: AkoConfig = { ...config, namespaceSelector: { labelKey: 'team', labelValue: 'red' } };
const labelled = base.map((o) => (o.kind === 'Namespace' ? ({ ...o, metadata: { ...o.metadata, labels: { team: 'red' } } } as K8sObject) : o));
test.each([
  ['AKO syncing every namespace', config, base],
  ['AKO with a namespace selector', selected, labelled],
  // Only Ingress inf names infra-1: adding or deleting it changes whether infra-1 is judged.
  ['AKO with a namespace selector, infra-1 named by one Ingress only', selected, labelled.filter((o) => o.metadata?.name !== 'lb-infra' && o.metadata?.name !== 'lb-infra-1')],
] as const)('%s: adding or deleting any one object touches every unit whose result it changes', (_what, cfg, objects) => {
  const results = (objs: readonly K8sObject[]) => {
    const idx = indexSnapshot({ ...snapshotOf(objs), aviRefs: REFS });
    return new Map(translationUnits(idx, cfg).map((u) => [u, JSON.stringify(plain(translateUnit(idx, cfg, u)))]));
  };
  const includes = (t: readonly string[] | 'all' | undefined, u: string) => t === 'all' || (t ?? []).includes(u);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i]!;
    const without = objects.filter((_, j) => j !== i);
    const before = results(without);
    const after = results(objects);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((u) => before.get(u) !== after.get(u));
    const store = createStore(cfg);
    store.setAviRefs(REFS);
    for (const x of without) store.apply(x.kind as Kind, 'add', transformed(x));
    const added = store.apply(o.kind as Kind, 'add', transformed(o));
    for (const u of changed) expect([o.kind, o.metadata?.name, 'add', u, includes(added, u)]).toEqual([o.kind, o.metadata?.name, 'add', u, true]);
    const deleted = store.apply(o.kind as Kind, 'delete', transformed(o));
    for (const u of changed) expect([o.kind, o.metadata?.name, 'delete', u, includes(deleted, u)]).toEqual([o.kind, o.metadata?.name, 'delete', u, true]);
  }
});
