import { cycleIn, stronglyConnected, topoSort } from './graph.js';
import { describeKey, keyOf } from './keys.js';
import { findRefs } from './refs.js';
import type { DesiredObject, ObjectKey, ObservedObject, Operation, Plan, Rejection, Retention } from './types.js';

export interface PlanOptions {
  /**
   * Avi types, referenced first (e.g. vsvip, sslkeyandcertificate, pool, poolgroup, ..., virtualservice).
   * Only a tie-breaker for the order and a fallback for deletes of observed objects whose body is unknown;
   * the real order comes from the refs inside bodies.
   */
  readonly typeOrder?: readonly string[];
}

/**
 * Computes the minimal ordered operations that turn `observed` (owned objects on the controller) into `desired`:
 * creates for missing objects, updates where the stored checksum differs, deletes of owned objects no longer desired.
 * Pure: no I/O. Bad input (duplicate keys with different bodies, reference cycles) becomes `rejected` entries and
 * leaves every unrelated object planned as usual.
 */
export function plan(desired: readonly DesiredObject[], observed: readonly ObservedObject[], options: PlanOptions = {}): Plan {
  const typeOrder = options.typeOrder ?? [];
  const rank = (type: string): number => {
    const i = typeOrder.indexOf(type);
    return i < 0 ? typeOrder.length : i;
  };

  // 1. Index desired (rejecting conflicting duplicates) and observed.
  const rejected = new Map<string, Rejection>();
  const want = new Map<string, DesiredObject>();
  for (const d of desired) {
    const k = keyOf(d);
    const prev = want.get(k);
    if (prev && prev.checksum !== d.checksum) {
      rejected.set(k, { ...pickKey(d), reason: `conflicting desired definitions of ${describeKey(d)}` });
    } else if (!prev) want.set(k, d);
  }
  const have = new Map<string, ObservedObject>();
  const byUuid = new Map<string, string>();
  for (const o of observed) {
    have.set(keyOf(o), o);
    byUuid.set(`${o.type}/${o.uuid}`, keyOf(o));
  }

  const resolve = (from: ObjectKey, body: DesiredObject['body'] | undefined, extra: readonly ObjectKey[] = []): string[] => {
    const out = new Set<string>();
    for (const r of body ? findRefs(body) : []) {
      const k = r.by === 'name' ? keyOf({ tenant: r.tenant ?? from.tenant, type: r.type, name: r.name }) : byUuid.get(`${r.type}/${r.uuid}`);
      if (k !== undefined) out.add(k); // a self reference is kept: it is a cycle of one
    }
    for (const e of extra) out.add(keyOf(e));
    return [...out];
  };

  // 2. Dependencies among desired objects; refs to owned-but-undesired objects retain those objects.
  const desiredDeps = new Map<string, string[]>();
  const retained = new Map<string, Retention>();
  for (const [k, d] of want) {
    const deps: string[] = [];
    for (const dep of resolve(d, d.body, d.dependsOn)) {
      if (want.has(dep)) deps.push(dep);
      else if (have.has(dep) && !retained.has(dep)) {
        retained.set(dep, { ...pickKey(have.get(dep)!), reason: `still referenced by desired ${describeKey(d)}` });
      }
    }
    desiredDeps.set(k, deps);
  }

  // 3. Reject reference cycles, then everything that depends on a rejected object.
  for (const comp of stronglyConnected([...want.keys()].sort(), desiredDeps)) {
    const single = comp.length === 1 && !(desiredDeps.get(comp[0]!) ?? []).includes(comp[0]!);
    if (single) continue;
    const path = cycleIn(comp, desiredDeps).map((k) => describeObj(want.get(k)!)).join(' -> ');
    for (const k of comp) rejected.set(k, { ...pickKey(want.get(k)!), reason: `dependency cycle: ${path}` });
  }
  propagateRejections(want, desiredDeps, rejected);

  // 4. Operations.
  const ops = new Map<string, Omit<Operation, 'dependsOn' | 'group'>>();
  const opOfKey = new Map<string, string>();
  for (const [k, d] of want) {
    if (rejected.has(k)) continue;
    const o = have.get(k);
    if (!o) add({ ...pickKey(d), id: `create:${k}`, kind: 'create', body: d.body, checksum: d.checksum }, k);
    else if (o.checksum !== d.checksum) add({ ...pickKey(d), id: `update:${k}`, kind: 'update', uuid: o.uuid, body: d.body, checksum: d.checksum }, k);
  }
  const deleting: string[] = [];
  for (const [k, o] of have) {
    if (want.has(k) || rejected.has(k) || retained.has(k)) continue;
    add({ ...pickKey(o), id: `delete:${k}`, kind: 'delete', uuid: o.uuid }, k);
    deleting.push(k);
  }
  function add(op: Omit<Operation, 'dependsOn' | 'group'>, k: string): void {
    ops.set(op.id, op);
    opOfKey.set(k, op.id);
  }

  // 5. Edges: creates/updates after the creates/updates of what they reference; deletes after whatever referenced them
  //    stops referencing them (its update) or goes away (its delete).
  const deps = new Map<string, string[]>();
  for (const [id, op] of ops) {
    if (op.kind === 'delete') continue;
    const k = keyOf(op);
    deps.set(id, (desiredDeps.get(k) ?? []).map((dk) => opOfKey.get(dk)).filter((x): x is string => x !== undefined));
  }
  const deletingSet = new Set(deleting);
  for (const k of deleting) deps.set(`delete:${k}`, []);
  for (const [yk, y] of have) {
    const yOp = opOfKey.get(yk);
    if (!yOp) continue;
    // Without a body, a deleted object is assumed to reference deleted objects of earlier types; an updated one
    // (its old refs unknown) is not, so that one Service's update never holds up another Service's deletes.
    const refs = y.body ? resolve(y, y.body) : deletingSet.has(yk) ? fallbackRefs(y, deleting, have, rank) : [];
    for (const xk of refs) if (deletingSet.has(xk) && xk !== yk) deps.get(`delete:${xk}`)!.push(yOp);
  }

  // 6. Order and groups.
  const ids = [...ops.keys()];
  const order = topoSort(ids, deps, (id) => {
    const op = ops.get(id)!;
    return op.kind === 'delete' ? [1, -rank(op.type)] : [0, rank(op.type)];
  });
  const groups = groupRoots(order, deps);
  const planned: Operation[] = order.map((id) => ({ ...ops.get(id)!, dependsOn: [...new Set(deps.get(id)!)].sort(), group: groups.get(id)! }));

  return {
    ops: planned,
    rejected: [...rejected.values()].sort(byKey),
    retained: [...retained.values()].sort(byKey),
  };
}

/** Observed object without a known body: assume it may reference any deleted object of an earlier type in its tenant. */
function fallbackRefs(y: ObservedObject, deleting: readonly string[], have: ReadonlyMap<string, ObservedObject>, rank: (t: string) => number): string[] {
  return deleting.filter((xk) => {
    const x = have.get(xk)!;
    return x.tenant === y.tenant && rank(x.type) < rank(y.type);
  });
}

function propagateRejections(want: ReadonlyMap<string, DesiredObject>, deps: ReadonlyMap<string, readonly string[]>, rejected: Map<string, Rejection>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [k, d] of want) {
      if (rejected.has(k)) continue;
      const bad = (deps.get(k) ?? []).find((dk) => rejected.has(dk));
      if (bad) {
        rejected.set(k, { ...pickKey(d), reason: `depends on rejected ${describeObj(want.get(bad)!)}` });
        changed = true;
      }
    }
  }
}

/**
 * Group of an op = the top-level object whose batch it belongs to: follow "is referenced by" upwards (for creates and
 * updates: the creates/updates that depend on it; for deletes: the ops it waits for, i.e. its referencers going away
 * or dropping the ref) to an op nothing references; with several, the earliest in execution order.
 */
function groupRoots(order: readonly string[], deps: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  const isDelete = (id: string): boolean => id.startsWith('delete:');
  const dependants = new Map<string, string[]>();
  for (const [id, ds] of deps) if (!isDelete(id)) for (const d of ds) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(id);
  const pos = new Map(order.map((id, i) => [id, i]));
  const memo = new Map<string, string>();
  const root = (id: string): string => {
    const known = memo.get(id);
    if (known) return known;
    const up = isDelete(id) ? (deps.get(id) ?? []) : (dependants.get(id) ?? []);
    const r = up.length === 0 ? id : up.map(root).reduce((a, b) => (pos.get(a)! <= pos.get(b)! ? a : b));
    memo.set(id, r);
    return r;
  };
  return new Map(order.map((id) => [id, root(id).slice(root(id).indexOf(':') + 1)]));
}

function pickKey(k: ObjectKey): ObjectKey {
  return { tenant: k.tenant, type: k.type, name: k.name };
}

function describeObj(k: ObjectKey): string {
  return `${k.type}/${k.name}`;
}

function byKey(a: ObjectKey, b: ObjectKey): number {
  const x = keyOf(a);
  const y = keyOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
