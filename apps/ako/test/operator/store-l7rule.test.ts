// The Store with an L7Rule named by a HostRule (inputs of parity case c21 in EVH mode, where L7Rules apply, plus
// hand-written rules): every unit translated on its Store view equals the unit on the full snapshot (the EVH shard's
// unit sees the L7Rule), and
// adding, changing or deleting the L7Rule touches every unit whose result it changes.
import type * as k8s from '@kubernetes/client-node';
import { indexSnapshot, translateUnit, translationUnits, type AkoConfig } from '../../src/index.js';
import { createStore, type Kind, type Touched } from '../../src/operator/store.js';
import { transforms } from '../../src/operator/transform.js';
import { caseConfig, caseObjects } from '../parity-case.js';
import { snapshotOf, type K8sObject } from '../translate-fixtures.js';

const config: AkoConfig = { ...caseConfig('c21-hostrule'), enableEVH: true };
const REFS = ['botdetectionpolicy/bot'];
const hostRule = { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace: 'red', name: 'hr' }, spec: { virtualhost: { fqdn: 'hr1.par.test', l7Rule: 'l7' } } } as K8sObject;
const l7 = (spec: Record<string, unknown>) => ({ apiVersion: 'ako.vmware.com/v1alpha2', kind: 'L7Rule', metadata: { namespace: 'red', name: 'l7' }, spec }) as K8sObject;
const base = [...caseObjects('c21-hostrule').filter((o) => o.kind !== 'HostRule'), hostRule];
const plain = (r: { objects: unknown; verdicts: unknown }) => ({ objects: r.objects, verdicts: r.verdicts });
const transformed = (o: K8sObject) => transforms[o.kind]!(structuredClone(o) as k8s.KubernetesObject);
const includes = (touched: Touched | undefined, unit: string) => touched === 'all' || (touched ?? []).includes(unit);

function results(objects: readonly K8sObject[]): Map<string, string> {
  const idx = indexSnapshot({ ...snapshotOf(objects), aviRefs: REFS });
  return new Map(translationUnits(idx, config).map((u) => [u, JSON.stringify(plain(translateUnit(idx, config, u)))]));
}

function storeOf(objects: readonly K8sObject[]) {
  const store = createStore(config);
  store.setAviRefs(REFS);
  for (const o of objects) store.apply(o.kind as Kind, 'add', transformed(o));
  return store;
}

function expectViewsEqualFull(store: ReturnType<typeof createStore>, objects: readonly K8sObject[]): void {
  const full = indexSnapshot({ ...snapshotOf(objects), aviRefs: REFS });
  for (const u of translationUnits(full, config)) expect([u, plain(translateUnit(indexSnapshot(store.snapshotFor(u)), config, u))]).toEqual([u, plain(translateUnit(full, config, u))]);
}

const steps: [string, readonly K8sObject[], readonly K8sObject[], Kind, 'add' | 'update' | 'delete', K8sObject][] = [
  ['the L7Rule is added', base, [...base, l7({ minPoolsUp: 2 })], 'L7Rule', 'add', l7({ minPoolsUp: 2 })],
  ['the L7Rule changes', [...base, l7({ minPoolsUp: 2 })], [...base, l7({ minPoolsUp: 3, botPolicyRef: 'bot' })], 'L7Rule', 'update', l7({ minPoolsUp: 3, botPolicyRef: 'bot' })],
  ['the L7Rule names a missing Avi object', [...base, l7({ minPoolsUp: 2 })], [...base, l7({ botPolicyRef: 'nope' })], 'L7Rule', 'update', l7({ botPolicyRef: 'nope' })],
  ['the L7Rule is deleted', [...base, l7({ minPoolsUp: 2 })], base, 'L7Rule', 'delete', l7({ minPoolsUp: 2 })],
];

test.each(steps)('%s: the units on their Store views equal the full snapshot, and every changed unit is touched', (_n, before, after, kind, event, obj) => {
  const store = storeOf(before);
  expectViewsEqualFull(store, before);
  const was = results(before);
  const now = results(after);
  const changed = [...new Set([...was.keys(), ...now.keys()])].filter((u) => was.get(u) !== now.get(u));
  // The EVH shard of hr1.par.test is among them (the HostRule's unit alone would not show the L7Rule is read).
  expect(changed.some((u) => u.startsWith('L7/'))).toBe(true);
  const touched = store.apply(kind, event, transformed(obj));
  for (const u of changed) expect([u, includes(touched, u)]).toEqual([u, true]);
  expectViewsEqualFull(store, after);
});
