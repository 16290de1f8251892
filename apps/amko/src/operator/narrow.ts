// The objects a pass must plan (issue 15): a GslbService that is on the controller as desired (same checksum), with
// every AMKO monitor it names also as desired, yields no operation and holds nothing up, so it and those monitors
// are left out of plan() and execute() (which walk every body and build a graph over all objects). What is left is
// planned exactly as before: objects that differ, new ones, owned objects nobody desires (deletes), and any
// GslbService naming an owned monitor that is not desired (plan keeps such a monitor: it stays in the plan).
import { keyOf, parseRef, type DesiredObject, type ObservedObject } from '@avi-k8s/avi-sync';

export interface Narrowed {
  desired: DesiredObject[];
  observed: ObservedObject[];
  /** Owned objects left out: already as desired; the caller keeps them as they are. */
  unchanged: ObservedObject[];
}

// A pass's objects are mostly the same objects as the last pass's (translate's memo hands back unchanged
// GslbServices' desired objects, owned objects are kept as they are): their keys and the monitor keys a GslbService
// names are computed once per object, not once per pass (a pass at 1000 FQDNs allocated ~3.9 MiB building them).
const keys = new WeakMap<object, string>();
const keyOfObject = (o: DesiredObject | ObservedObject): string => {
  let k = keys.get(o);
  if (k === undefined) keys.set(o, (k = keyOf(o)));
  return k;
};

/** The keys of the monitors a desired GslbService names, or undefined when one is not a ref by name. */
const monitorKeys = new WeakMap<object, readonly string[] | null>();
function namedMonitors(d: DesiredObject): readonly string[] | undefined {
  let mks = monitorKeys.get(d);
  if (mks === undefined) {
    const refs = (d.body.health_monitor_refs as unknown[] | undefined) ?? [];
    const list: string[] = [];
    for (const ref of refs) {
      const r = typeof ref === 'string' ? parseRef(ref) : undefined;
      if (!r || r.by !== 'name') break;
      list.push(keyOf({ tenant: r.tenant ?? d.tenant, type: r.type, name: r.name }));
    }
    mks = list.length === refs.length ? list : null;
    monitorKeys.set(d, mks);
  }
  return mks ?? undefined;
}

// Indexed loops: AMKO runs node --jitless, where each step of a for-of allocates an iterator result (and a Map entry
// an array); over 4000 objects per pass that was most of what this function still allocated.
export function narrowToChanges(desired: readonly DesiredObject[], owned: readonly ObservedObject[]): Narrowed {
  const have = new Map<string, ObservedObject>();
  for (let i = 0; i < owned.length; i++) have.set(keyOfObject(owned[i]!), owned[i]!);
  const want = new Map<string, DesiredObject>();
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i]!;
    const k = keyOfObject(d);
    // Duplicates (plan rejects conflicting ones): nothing is left out then.
    if (want.has(k)) return { desired: [...desired], observed: [...owned], unchanged: [] };
    want.set(k, d);
  }
  const same = (k: string) => {
    const o = have.get(k);
    return o !== undefined && o.checksum === want.get(k)?.checksum;
  };
  const drop = new Set<string>();
  // In the order of WANT's entries: DESIRED's, no key twice (above).
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i]!;
    const k = keyOfObject(d);
    if (d.type !== 'gslbservice' || !same(k)) continue;
    const mks = namedMonitors(d);
    if (!mks) continue;
    let ok = true;
    for (let j = 0; j < mks.length && ok; j++) {
      const mk = mks[j]!;
      if (want.has(mk)) ok = same(mk);
      else if (have.has(mk)) ok = false; // an owned monitor nobody desires: plan keeps it while it is named
    }
    if (!ok) continue;
    drop.add(k);
    for (let j = 0; j < mks.length; j++) if (want.has(mks[j]!)) drop.add(mks[j]!);
  }
  if (drop.size === 0) return { desired: [...desired], observed: [...owned], unchanged: [] };
  return {
    desired: desired.filter((d) => !drop.has(keyOfObject(d))),
    observed: owned.filter((o) => !drop.has(keyOfObject(o))),
    unchanged: owned.filter((o) => drop.has(keyOfObject(o))),
  };
}
