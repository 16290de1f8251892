// The incremental pass (issue 15): with the context of STATE unchanged (translate.ts checks it), the member Ingresses
// and Services that are not in STATE (by identity) are selected, those of STATE no longer listed are dropped, and
// only the GslbServices they feed (before or after) are regrouped and, if their metas differ, rebuilt. Everything
// else, verdicts included, is STATE's as it was. Gives up (undefined: the caller runs a full pass) where the result
// would need more than that: a GslbService that appears or disappears (the aliases and the order of the GslbServices
// depend on the whole set), an object listed twice, two objects with one order key.
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { sameData, type GsState, type TranslateState } from './memo.js';
import { gsKey, selectOne, type ClusterState, type Entry, type SelectContext } from './select.js';
import type { MemberSnapshot } from './types.js';

interface Change {
  c: ClusterState;
  added: Entry[];
  removed: Entry[];
}

const byPlace = (a: Entry, b: Entry) => a.cluster - b.cluster || (a.order < b.order ? -1 : 1);

/** Index of the first entry of ENTRIES (sorted by order) whose order is not below ORDER. */
function lowerBound(entries: readonly Entry[], order: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.order < order) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What changed in each cluster since STATE; undefined when an object is listed twice. Mutates only `seen`. */
function changes(state: TranslateState, members: readonly MemberSnapshot[], ctx: SelectContext): Change[] | undefined {
  const epoch = ++state.epoch;
  const out: Change[] = [];
  for (let index = 0; index < state.clusters.length; index++) {
    const c = state.clusters[index]!;
    const m = members.find((x) => x.name === c.name);
    if (!m) return undefined;
    let added: Entry[] | undefined;
    let seen = 0;
    let twice = false;
    const visit = (kind: Entry['kind'], obj: object) => {
      const e = c.byObj.get(obj);
      if (!e) (added ??= []).push(selectOne(ctx, c, index, kind, obj));
      else if (e.kind !== kind || e.seen === epoch) twice = true;
      else {
        e.seen = epoch;
        seen++;
      }
    };
    // Indexed loops: AMKO runs node --jitless, where each step of a for-of allocates (and these run every pass).
    for (let i = 0; i < m.ingresses.length; i++) visit('Ingress', m.ingresses[i]!);
    for (let i = 0; i < m.services.length; i++) visit('Service', m.services[i]!);
    if (twice) return undefined;
    if (!added && seen === c.entries.length) continue;
    out.push({ c, added: added ?? [], removed: c.entries.filter((e) => e.seen !== epoch) });
  }
  return out;
}

/**
 * STATE brought up to MEMBERS (STATE is updated in place and returned), or undefined when a full pass is needed
 * (STATE is then as it was). BUILD makes a GslbService's desired objects.
 */
export function patchState(state: TranslateState, members: readonly MemberSnapshot[], ctx: SelectContext, build: (g: GsState) => DesiredObject[]): TranslateState | undefined {
  if (!state.unique) return undefined;
  const found = changes(state, members, ctx);
  if (!found) return undefined;
  if (found.length === 0) return state;
  // 1. Check, changing nothing: the GslbServices concerned and their entries afterwards.
  const removed = new Set(found.flatMap((ch) => ch.removed));
  const regrouped = new Map<string, Entry[]>();
  for (const { c, added } of found) {
    const orders = new Set<string>();
    for (const e of added) {
      if (orders.has(e.order)) return undefined;
      orders.add(e.order);
      const at = lowerBound(c.entries, e.order);
      const same = c.entries[at];
      if (same && same.order === e.order && !removed.has(same)) return undefined;
    }
  }
  const concerned = (e: Entry) => {
    for (const m of e.selected) {
      const key = gsKey(m);
      if (regrouped.has(key)) continue;
      const g = state.gs.get(key);
      if (!g) return false;
      regrouped.set(key, g.entries.filter((x) => !removed.has(x)));
    }
    return true;
  };
  for (const e of removed) if (!concerned(e)) return undefined;
  for (const { added } of found) {
    for (const e of added) {
      if (!concerned(e)) return undefined;
      const keys = new Set(e.selected.map(gsKey));
      for (const key of keys) regrouped.get(key)!.push(e);
    }
  }
  for (const entries of regrouped.values()) {
    if (entries.length === 0) return undefined;
    entries.sort(byPlace);
  }
  // 2. Apply.
  for (const { c, added, removed: gone } of found) {
    for (const e of gone) {
      c.entries.splice(c.entries.indexOf(e), 1);
      c.byObj.delete(e.obj);
    }
    for (const e of added) {
      c.entries.splice(lowerBound(c.entries, e.order), 0, e);
      c.byObj.set(e.obj, e);
    }
  }
  for (const [key, entries] of regrouped) {
    const g = state.gs.get(key)!;
    const metas = entries.flatMap((e) => e.selected.filter((m) => gsKey(m) === key));
    g.entries = entries;
    if (sameData(metas, g.metas)) continue;
    g.metas = metas;
    g.objects = build(g);
  }
  return state;
}
