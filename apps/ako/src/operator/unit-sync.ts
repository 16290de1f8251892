// One unit's sync: its desired objects (from translate) against the owned objects it owns, planned and executed by
// avi-sync. Units that desire one Avi object (a default certificate) take a lock on it, so they are ordered; all
// other units run in parallel (the caller bounds how many, and the Avi API limiter how many writes at once).
import { AKO_TYPE_ORDER, execute, keyOf, plan, type AviBody, type DesiredObject, type ExecuteResult, type ObservedObject, type OpResult, type Plan, type SyncApi } from '@avi-k8s/avi-sync';
import { adoptUpToDate } from './adopt.js';
import type { ObservedState } from './observed.js';

const PROGRESS_MS = 1000;

export interface UnitSyncResult {
  /** The plan without its bodies (released as the writes complete). */
  readonly plan: { readonly ops: readonly { readonly id: string }[]; readonly rejected: Plan['rejected'] };
  readonly results: readonly OpResult[];
  /** Whether something failed that may pass later (no answer, 5xx, 429, session trouble). */
  readonly retry: boolean;
}

/** A lock per key; several keys are taken in sorted order, so two units never wait for each other. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();
  async acquire(keys: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const k of [...new Set(keys)].sort()) {
      const prev = this.tails.get(k) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      const tail = prev.then(() => mine);
      this.tails.set(k, tail);
      await prev;
      releases.push(() => {
        release();
        if (this.tails.get(k) === tail) this.tails.delete(k);
      });
    }
    return () => releases.forEach((r) => r());
  }
}

/**
 * The plan's operations in depth-first order from the virtual services (a shard VS first, then each SNI child with
 * what it needs), deletes last: execute() starts ready operations in this order, so each VS and what it serves is
 * complete early instead of every pool first and every VS last, and statuses follow all along.
 */
export function depthFirst(p: Plan): Plan {
  const byId = new Map(p.ops.map((o) => [o.id, o]));
  const seen = new Set<string>();
  const out: Plan['ops'][number][] = [];
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const op = byId.get(id);
    if (!op) return;
    for (const d of op.dependsOn) visit(d);
    out.push(op);
  };
  const rank = (o: Plan['ops'][number]): number => (o.kind === 'delete' ? 3 : o.type !== 'virtualservice' ? 2 : o.body?.vh_parent_vs_ref ? 1 : 0);
  for (const o of [...p.ops].sort((a, b) => rank(a) - rank(b))) visit(o.id);
  return { ...p, ops: out };
}

export const retryableFailure = (r: OpResult): boolean => {
  const status = r.error?.httpStatus;
  return r.status === 'failed' && (status === undefined || status >= 500 || [401, 419, 429].includes(status));
};

export async function syncUnit(
  unit: string,
  /**
   * Gives the unit's desired objects, once: they are not referenced once planned, so that a big unit's bodies (a
   * shard's thousands) are released as its writes complete, not when the last one does.
   */
  take: () => readonly DesiredObject[],
  state: ObservedState,
  api: SyncApi,
  locks: KeyLocks,
  opts: { concurrency: number; isNotFound: (err: unknown) => boolean; observedBody?: (body: AviBody) => AviBody },
  /** Called now and then while the unit's writes run, with the uuids of its objects known so far. */
  onProgress?: (uuids: ReadonlyMap<string, string>) => void,
): Promise<UnitSyncResult> {
  let desired: readonly DesiredObject[] | undefined = take();
  const want = new Map(desired.map((d) => [keyOf(d), d.checksum]));
  const before = state.ownedBy(unit);
  state.claim(unit, want, before);
  const shared = [...want.keys(), ...before].filter((k) => state.othersClaiming(k, unit).length > 0);
  const release = await locks.acquire(shared);
  try {
    // What this unit may change: what it owns and what it desires, minus what it no longer wants but others do.
    const mine: ObservedObject[] = [];
    const fresh: ObservedObject[] = [];
    for (const k of new Set([...before, ...want.keys()])) {
      const o = state.objects.get(k);
      if (!o || (!want.has(k) && state.othersClaiming(k, unit).length > 0)) continue;
      const body = state.takeFresh(k);
      (body ? fresh : mine).push(body ? { ...o, body } : o);
    }
    // Right after a read from the controller: objects that already say what we desire count as up to date.
    if (fresh.length > 0) mine.push(...adoptUpToDate(desired, fresh));
    fresh.length = 0;
    const started = start(unit, desired, mine, state, api, opts, onProgress);
    desired = undefined;
    const { summary } = started;
    let results: readonly OpResult[] = [];
    if (started.running) {
      const out = await started.running;
      results = out.results;
      const after = new Set(out.observed.map(keyOf));
      for (const o of started.planned) if (!after.has(keyOf(o))) state.remove(keyOf(o));
      for (const o of out.observed) state.put(o);
      // Those left out of the plan as they are (an object adopted from a body read at boot keeps the desired checksum).
      for (const o of started.kept) state.put(o);
    } else {
      for (const o of mine) state.put(o);
    }
    for (const o of mine) {
      const k = keyOf(o);
      if (!state.objects.has(k)) continue;
      const others = state.othersClaiming(k, unit);
      state.setOwner(k, want.has(k) || others.length === 0 ? unit : others[0]![0]);
    }
    for (const k of want.keys()) if (state.objects.has(k)) state.setOwner(k, unit);
    return { plan: summary, results, retry: results.some(retryableFailure) };
  } finally {
    release();
  }
}

/**
 * The desired objects a plan has to look at, and the owned objects it plans them against. When the unit deletes
 * nothing and desires each object once, an object owned with the checksum it desires is left out of both: plan() would
 * give it no operation, nor anything else because of it (no delete waits for it, and a ref cycle through it needs a
 * ref to a type later in AKO's order, which translate never makes: test/translate-ref-order.test.ts). A change on one
 * host of a shard then plans that host's objects, not the shard's thousands.
 */
export function onlyChanged(
  desired: readonly DesiredObject[],
  mine: readonly ObservedObject[],
): { changed: readonly DesiredObject[]; planned: readonly ObservedObject[]; kept: readonly ObservedObject[] } {
  const all = { changed: desired, planned: mine, kept: [] };
  const mineKeys = mine.map(keyOf);
  const have = new Map(mine.map((o, i) => [mineKeys[i]!, o]));
  const wanted = new Set<string>();
  const same = new Set<string>();
  const changed: DesiredObject[] = [];
  for (const d of desired) {
    const k = keyOf(d);
    if (wanted.has(k)) return all;
    wanted.add(k);
    if (have.get(k)?.checksum === d.checksum) same.add(k);
    else changed.push(d);
  }
  if (same.size === 0 || have.size !== mine.length || mineKeys.some((k) => !wanted.has(k))) return all;
  const planned: ObservedObject[] = [];
  const kept: ObservedObject[] = [];
  mine.forEach((o, i) => (same.has(mineKeys[i]!) ? kept : planned).push(o));
  return { changed, planned, kept };
}

/**
 * Plans the unit's sync and starts its writes. Not async: the plan (every desired body) lives only in this frame and
 * in execute()'s copy of the ops, which drops each body as its write completes; an async caller holding the plan
 * across its await kept every body of a shard (thousands) until its last write.
 */
function start(
  unit: string,
  desired: readonly DesiredObject[],
  mine: readonly ObservedObject[],
  state: ObservedState,
  api: SyncApi,
  opts: { concurrency: number; isNotFound: (err: unknown) => boolean; observedBody?: (body: AviBody) => AviBody },
  onProgress?: (uuids: ReadonlyMap<string, string>) => void,
): { summary: UnitSyncResult['plan']; planned: readonly ObservedObject[]; kept: readonly ObservedObject[]; running?: Promise<ExecuteResult> } {
  // Another unit desiring the same object differently: both versions go to plan(), which rejects the object.
  const conflicts: DesiredObject[] = [];
  for (const d of desired) {
    const other = state.othersClaiming(keyOf(d), unit).find(([, sum]) => sum !== d.checksum);
    if (other) conflicts.push({ ...d, checksum: other[1] });
  }
  const { changed, planned, kept } = conflicts.length === 0 ? onlyChanged(desired, mine) : { changed: desired, planned: mine, kept: [] };
  const p = plan([...changed, ...conflicts], planned, { typeOrder: AKO_TYPE_ORDER });
  const summary = { ops: p.ops.map((o) => ({ id: o.id })), rejected: p.rejected };
  if (summary.ops.length === 0) return { summary, planned, kept };
  // Progress: each VS written makes what it serves ready for status (reported at most every PROGRESS_MS).
  const uuids = new Map(mine.map((o) => [keyOf(o), o.uuid]));
  let last = performance.now();
  const onResult = (r: OpResult) => {
    if (r.status !== 'succeeded' || r.kind === 'delete' || !r.uuid) return;
    uuids.set(keyOf(r), r.uuid);
    if (!onProgress || r.type !== 'virtualservice' || performance.now() - last < PROGRESS_MS) return;
    last = performance.now();
    onProgress(uuids);
  };
  return { summary, planned, kept, running: execute(depthFirst(p), planned, api, { ...opts, onResult }) };
}
