// The pipeline, one direction: informer event -> Store (relevance filter, indexes) -> touched units -> per unit:
// translate(unit) -> avi-sync(unit) -> status stage. Each unit has its own key and backoff in one work queue; units
// run in parallel (bounded), Avi writes go through one limiter, units desiring one Avi object are ordered by a lock.
import type * as k8s from '@kubernetes/client-node';
import { isAviError, type AviClient } from '@avi-k8s/avi-sdk';
import { findRefs, keyOf, sdkSyncApi, type DesiredObject, type ObservedObject } from '@avi-k8s/avi-sync';
import { WorkQueue, type EventRecorder, type Logger, type KubeConfig } from '@avi-k8s/kube';
import { CHECKSUM_FIELD, createShardMemo, emptyShard, indexSnapshot, translateUnit, translationUnits, type AkoConfig, type ShardMemo, type UnitResult } from '../translate/index.js';
import { unitSubject } from '../translate/shard.js';
import { keptShardConfig, shardUnitOf } from '../translate/kept-shards.js';
import type { Metrics } from './metrics.js';
import { createObservedState, refsOnly } from './observed.js';
import { loadOwned, type OwnedQuery } from './owned.js';
import { createStatusStage } from './status-stage.js';
import type { Kind, Store } from './store.js';
import { keepAllocatedAddresses } from './sync-api.js';
import { KeyLocks, syncUnit } from './unit-sync.js';
import { Slots } from './slots.js';
import { writeLimiter } from './write-limiter.js';
import { adoptExpected, adoptUpToDate, createShapeTable, expectation, type Expectation } from './adopt.js';
import { asDesired, bootResult, statusBody, statusResult, upToDate, type BootResult } from './boot-results.js';
import { vipInfo } from './lb-status.js';
import type { AviBody } from '@avi-k8s/avi-sync';

export { syncEvents } from './status-stage.js';

export interface ReconcilerDeps {
  kubeConfig: KubeConfig;
  client: AviClient;
  store: Store;
  config: AkoConfig;
  clusterUuid: string;
  ownedQueries: OwnedQuery[];
  logger: Logger;
  metrics: Metrics;
  events: () => EventRecorder | undefined;
  /** Avi writes in flight at once. */
  concurrency: number;
  /** Check every unit's translation on its Store view against one on the full snapshot (tests). */
  verifyIncremental?: boolean;
  /** HA: the Lease. A unit syncs only while it is held (each write is also fenced in the Avi client). */
  fence?: Fence;
}

export interface Fence {
  holding(): boolean;
  confirm(): Promise<boolean>;
}

export interface SyncSummary {
  creates: number;
  updates: number;
  deletes: number;
  failed: number;
  rejected: number;
  statusWrites: number;
  owned: number;
}

const RETRYABLE = new Set(['transient', 'retry-later', 'auth']);
/** The unit that deletes owned objects no unit desires or uses (found at boot and at each full sync). */
export const STALE_UNIT = 'Stale';

/** The first sync's order of units: the big units (shards) first, so that they overlap the many small ones instead of trailing them. */
const shardsFirst = (a: string, b: string): number => Number(b.startsWith('L7/')) - Number(a.startsWith('L7/')) || (a < b ? -1 : 1);

/** Shard units (L7/...) translated and synced at once (see handle). */
const SHARDS_AT_ONCE = 3;

/**
 * Taking over, bodies read before their unit is translated are kept (as JSON text) until it is: the read of the
 * types with a stored checksum waits while this many are kept and the translation goes on (refreshOwned).
 */
const KEPT_BODIES_AHEAD = 200;

export function createReconciler(d: ReconcilerDeps) {
  const log = d.logger;
  const state = createObservedState();
  const locks = new KeyLocks();
  let deleteConfig = false;
  /** Set when the first sync starts: from then on a change queues its units (before, the first sync covers it). */
  let started = false;
  let booted = false;
  const pendingBoot = new Set<string>();
  const summary: SyncSummary = { creates: 0, updates: 0, deletes: 0, failed: 0, rejected: 0, statusWrites: 0, owned: 0 };
  let bootDone: (() => void) | undefined;

  const api = writeLimiter(
    sdkSyncApi(d.client, {
      onWrite: (op, type) => d.metrics.writes.inc({ op, type }),
      // The controller answers a VsVip write with the VIP it allocated: no read needed for status.
      onStored: (key, stored) => {
        if (key.type === 'vsvip') state.vips.set(keyOf(key), vipInfo(stored));
      },
      prepareUpdate: async (req, body) =>
        req.type === 'vsvip' ? keepAllocatedAddresses(body, (await d.client.get('vsvip', req.uuid, { tenant: req.tenant })) as AviBody) : body,
    }),
    d.concurrency,
  );
  const stage = createStatusStage({ kubeConfig: d.kubeConfig, store: d.store, state, clusterUuid: d.clusterUuid, logger: log, metrics: d.metrics, events: d.events });

  /** translate(unit) on the unit's view of the Store (verified against the full snapshot in tests). */
  function translateOne(unit: string, opts?: { served?: boolean; memo?: ShardMemo }): UnitResult {
    if (deleteConfig || unit === STALE_UNIT) return { unit, objects: [], verdicts: [] };
    // Certificates are judged at the time of the translation: the clock is an input, translate stays pure.
    const now = Date.now();
    const view = indexSnapshot({ ...d.store.snapshotFor(unit), now });
    const r = translateUnit(view, d.config, unit, opts);
    if (d.verifyIncremental) {
      const full = translateUnit(indexSnapshot({ ...d.store.full(), now }), d.config, unit, { ...opts, memo: undefined });
      // A host the memo gave again has stubs: compared by key, checksum and the body the status stage keeps.
      const stub = r.objects.map((o) => opts?.memo?.isStub(o) ?? false);
      const seen = (o: DesiredObject, i: number) => (stub[i] ? { key: keyOf(o), checksum: o.checksum, body: statusBody(o.body) } : o);
      const strip = (x: UnitResult) => JSON.stringify({ objects: x.objects.map(seen), verdicts: x.verdicts, warnings: x.warnings, recheckAt: x.recheckAt });
      if (strip(full) !== strip(r)) {
        log.error('unit translation on the store view differs from a full one', { key: unit });
        throw new Error(`translation of unit ${unit} on its store view differs from a full translation`);
      }
    }
    // A shard VS stays when its last host goes (its VIP never changes), as with the Go AKO; deleteConfig removes it.
    // Also an existing AviInfraSetting's shards, and each tenant's (translate/kept-shards.ts).
    const kept = r.objects.length === 0 ? keptShardConfig(view, d.config, unit) : undefined;
    if (kept) {
      const vs = unitSubject(unit, 'L7/');
      const k = keyOf({ tenant: kept.tenant, type: 'virtualservice', name: vs });
      if (state.objects.has(k)) return { ...r, objects: emptyShard(kept, vs, view) };
    }
    return r;
  }

  /**
   * Per shard unit, its hosts' parts of the last translation (translate/shard-memo.ts): a change on one host builds
   * that host's objects. A reused host's objects are stubs, so they must be what the controller has: owned by the
   * unit and as it desires them (asDesired). Otherwise the unit is translated again in full. Other units: as they are.
   */
  const memos = new Map<string, ShardMemo>();
  function translateForSync(unit: string): UnitResult {
    if (!unit.startsWith('L7/') || deleteConfig) return translateOne(unit, { served: false });
    const memo = memos.get(unit) ?? memos.set(unit, createShardMemo(statusBody)).get(unit)!;
    const r = translateOne(unit, { served: false, memo });
    const kept = (o: DesiredObject) => {
      const k = keyOf(o);
      return state.ownerOf(k) === unit && asDesired(state, unit, k, o.checksum);
    };
    if (r.objects.every((o) => !memo.isStub(o) || kept(o))) {
      if (r.objects.length === 0) memos.delete(unit);
      return r;
    }
    memo.clear();
    return translateOne(unit, { served: false, memo });
  }

  /** Units translated again when a certificate of theirs becomes valid or expires (UnitResult.recheckAt). */
  const rechecks = new Map<string, NodeJS.Timeout>();
  function scheduleRecheck(unit: string, at: number | undefined): void {
    clearTimeout(rechecks.get(unit));
    rechecks.delete(unit);
    if (at === undefined) return;
    // setTimeout holds at most ~24.8 days: a later change is looked at again then.
    const t = setTimeout(() => {
      rechecks.delete(unit);
      queue.add(unit);
    }, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    t.unref();
    rechecks.set(unit, t);
  }

  async function handle(unit: string): Promise<'retry' | undefined> {
    const timer = d.metrics.syncSeconds.startTimer();
    d.metrics.unitSyncs.inc({ unit: unit.includes('/') ? unit.slice(0, unit.indexOf('/')) : unit });
    let retry = false;
    // Fenced: no write batch starts unless the Lease is held (a paused process renews first), and a batch cut short
    // by the fence reports nothing (its status is written by whoever leads next).
    const fenced = () => d.fence !== undefined && !d.fence.holding();
    const early = boot.get(unit);
    boot.delete(unit);
    let releaseShard: (() => void) | undefined;
    try {
      if (fenced() && !(await d.fence!.confirm())) return 'retry';
      // First sync after a boot translation of an unchanged unit whose objects are up to date: nothing to write,
      // its kept result gives the status (boot-results.ts).
      if (early && !deleteConfig && !(early.result.recheckAt !== undefined && early.result.recheckAt <= Date.now()) && upToDate(unit, early.want, state)) {
        scheduleRecheck(unit, early.result.recheckAt);
        for (const k of early.want.keys()) state.setOwner(k, unit);
        stage.unitSynced(unit, early.result, [], []);
        return undefined;
      }
      // A shard holds thousands of bodies until each is written: at most SHARDS_AT_ONCE are translated and written
      // at once (all 8 of a 10k-hosts cluster at once held ~45 MiB of bodies at the start of a cold sync). The Avi
      // writes stay saturated: each shard keeps up to `concurrency` writes asking, the small units the rest.
      if (unit.startsWith('L7/')) releaseShard = await shardSlots.acquire();
      // Without the served map: only a failure's report reads it, and computes it then (status-stage.ts).
      let full: UnitResult | undefined = translateForSync(unit);
      // The status stage reads refs and service_metadata only: the full bodies go to the sync alone, which releases
      // them as its writes complete (not held until a shard's last write).
      const r = statusResult(full);
      scheduleRecheck(unit, r.recheckAt);
      const take = (): readonly DesiredObject[] => {
        const objects = full!.objects;
        full = undefined;
        return objects;
      };
      const res = await syncUnit(unit, take, state, api, locks, {
        concurrency: d.concurrency,
        isNotFound: (err) => isAviError(err) && err.status === 404,
        observedBody: (b) => refsOnly(b)!,
      }, (uuids) => {
        if (!fenced()) stage.unitProgress(unit, r, uuids);
      });
      if (fenced()) return 'retry';
      stage.unitSynced(unit, r, res.results, res.plan.rejected);
      for (const x of res.results) {
        if (x.status !== 'succeeded') summary.failed++;
        else if (x.kind === 'create') summary.creates++;
        else if (x.kind === 'update') summary.updates++;
        else summary.deletes++;
      }
      if (res.plan.ops.length > 0) {
        log.info('unit synced', {
          key: unit,
          ops: res.plan.ops.length,
          failed: res.results.filter((x) => x.status !== 'succeeded').length,
          first: res.plan.ops.slice(0, 5).map((o) => o.id),
        });
      }
      retry = res.retry;
    } finally {
      releaseShard?.();
      timer();
      if (pendingBoot.delete(unit) && pendingBoot.size === 0) bootDone?.();
    }
    return retry ? 'retry' : undefined;
  }

  const shardSlots = new Slots(SHARDS_AT_ONCE);
  const queue = new WorkQueue<string>({
    concurrency: Math.max(16, 2 * d.concurrency),
    retryBaseMs: 1000,
    retryMaxMs: 60000,
    handler: handle,
    onError: (unit, err, attempt) => log.error('unit sync failed', { key: unit, attempt, error: (err as Error).message, retrying: retryable(err) }),
  });

  /** Units owning something on the controller, and every unit the Store knows. */
  const everyUnit = (): Set<string> => new Set([...d.store.knownUnits(), ...state.units()]);

  /**
   * Gives each owned object a unit: the unit desiring it, else the unit owning an object that refers to it; what is
   * left goes to the stale unit (deleted).
   */
  /** What each unit desires (translated once, results dropped): claims checksums per object key. */
  const claimed = new Set<string>();
  /** Set while the boot read of the types with a stored checksum runs. */
  let reading = false;
  /** Once that read ended: how many objects it found (0: a first start, no boot result can give a first sync). */
  let storedFound: number | undefined;
  /** Before the first sync: each unit's boot translation, kept small until its first sync (boot-results.ts). */
  const boot = new Map<string, BootResult>();
  /** While the boot read runs: objects claimed before their body is read, compared when it arrives (adopt.ts). */
  const expected = new Map<string, Expectation>();
  /** The shapes the expectations share (adopt.ts), for as long as they are kept. */
  let shapes = createShapeTable();
  /** Objects whose body read at boot was compared on arrival: not kept. */
  const settled = new Set<string>();
  function claimAll(units: Iterable<string>): void {
    for (const u of units) {
      if (claimed.has(u)) continue;
      claimed.add(u);
      // Without the served map: only a failed write reads it, and a kept boot result drops it (bootResult).
      const r = translateOne(u, { served: false });
      const want = new Map(r.objects.map((o) => [keyOf(o), o.checksum]));
      state.claim(u, want, []);
      // A unit translated to nothing keeps no result: a kept shard (translate/kept-shards.ts) is desired only once
      // the owned objects are known, so its first sync translates it again.
      if (started || r.objects.length === 0) continue;
      // Nothing of a type with a stored checksum is on the controller: a unit desiring one cannot be up to date, so
      // its result is not kept (pruneBoot would drop it; on a first start these were every unit's, at the peak).
      if (storedFound === 0 && r.objects.some((o) => CHECKSUM_FIELD[o.type] !== undefined)) continue;
      // The bodies read at boot are compared with what is desired now, once (adopt.ts), instead of in the unit's
      // first sync: the translation is not needed again for it.
      for (const o of r.objects) {
        const k = keyOf(o);
        if (state.othersClaiming(k, u).length > 0) {
          expected.delete(k);
          continue;
        }
        if (state.hasFresh(k)) state.settleFresh(k, (seen) => adoptUpToDate([o], [seen])[0]!);
        else if (reading && CHECKSUM_FIELD[o.type] !== undefined) expected.set(k, expectation(o, shapes));
      }
      boot.set(u, bootResult(r, want));
    }
  }

  /** Kept boot results that cannot give a first sync without writes are dropped at once (a first start: all). */
  function pruneBoot(): void {
    for (const [u, b] of boot) if (!upToDate(u, b.want, state)) boot.delete(u);
  }

  /**
   * claimAll of every unit, giving the event loop back every few milliseconds (pages being read meanwhile);
   * `yielded` is called each time.
   */
  async function claimAllYielding(yielded: () => void): Promise<void> {
    await new Promise((r) => setImmediate(r));
    let since = performance.now();
    // In the first sync's order (shards first), the order in which the objects of a cold start were written, so
    // mostly the order in which they are listed: their bodies then mostly arrive after their unit's translation.
    for (const u of translationUnits(indexSnapshot(d.store.full()), d.config).sort(shardsFirst)) {
      claimAll([u]);
      if (performance.now() - since < 20) continue;
      yielded();
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
  }

  function attribute(units: readonly string[]): void {
    claimAll(units);
    for (const k of state.claimedKeys()) if (state.objects.has(k) && !state.ownerOf(k)) state.setOwner(k, state.claimsOn(k)[0]![0]);
    const byUuid = new Map<string, string>();
    for (const [k, o] of state.objects) byUuid.set(`${o.type}/${o.uuid}`, k);
    const todo = [...state.objects.keys()].filter((k) => state.ownerOf(k));
    while (todo.length > 0) {
      const k = todo.pop()!;
      const o = state.objects.get(k)!;
      const unit = state.ownerOf(k)!;
      for (const r of findRefs(o.body ?? {})) {
        const target = r.by === 'name' ? keyOf({ tenant: r.tenant ?? o.tenant, type: r.type, name: r.name }) : byUuid.get(`${r.type}/${r.uuid}`);
        if (target && state.objects.has(target) && !state.ownerOf(target)) {
          state.setOwner(target, unit);
          todo.push(target);
        }
      }
    }
    for (const k of state.objects.keys()) if (!state.ownerOf(k)) state.setOwner(k, STALE_UNIT);
  }

  /** The units of a full translation, the shard VSes on the controller, and every unit owning something. */
  function allUnits(): string[] {
    const full = indexSnapshot(d.store.full());
    const units = new Set(translationUnits(full, d.config));
    for (const o of state.objects.values()) {
      if (o.type === 'virtualservice' && keptShardConfig(full, d.config, shardUnitOf(d.config, o.name, o.tenant))) units.add(shardUnitOf(d.config, o.name, o.tenant));
    }
    for (const u of state.units()) if (u !== STALE_UNIT) units.add(u);
    return [...units].sort(shardsFirst);
  }

  return {
    /**
     * Reads what AKO owns on the controller (boot, and every full sync). `content`: on taking over, every body read
     * is kept until its unit compared it with what it desires (adopt.ts), so drift that kept our checksum is found.
     */
    async refreshOwned(opts: { content?: boolean } = {}): Promise<void> {
      // Content: only types whose checksum is a stored field need it (others' checksums are computed from the body
      // read, translate/checksum.ts), which also leaves the big bodies (certificates, datascripts) out.
      const differs = (k: string, checksum: string | undefined) =>
        !settled.has(k) && ((opts.content === true && CHECKSUM_FIELD[k.split('/')[1]!] !== undefined) || state.claimsOn(k).some(([, c]) => c !== checksum));
      if (claimed.size === 0 && opts.content === true) {
        // Taking over: the types with a stored checksum keep their bodies whatever is desired, so they are read while
        // the desired checksums are computed (the translation yields to their pages); the other types need those
        // checksums to decide, and are read after.
        const stored = d.ownedQueries.filter((q) => CHECKSUM_FIELD[q.type] !== undefined);
        const computed = d.ownedQueries.filter((q) => CHECKSUM_FIELD[q.type] === undefined);
        // Each body is compared with what is desired once, by whichever comes second: a body read before its unit is
        // translated is kept until then; one read after is compared on arrival against the unit's expectation
        // (adopt.ts), and not kept. So the unit's first sync need not translate it again (boot-results.ts).
        const compareOnArrival = (keep: (o: ObservedObject) => void) => (o: ObservedObject) => {
          const k = keyOf(o);
          const e = expected.get(k);
          if (e && o.body && e.type === o.type) {
            expected.delete(k);
            settled.add(k);
            keep(adoptExpected(e, o));
            return;
          }
          keep(o);
        };
        // The read does not run far ahead of the translation: while KEPT_BODIES_AHEAD bodies wait for their unit, it
        // waits for the translation's next turn (at 1000 + 1000 it kept ~2200, ~4.4 MiB of text, at the restart's peak).
        let translating = true;
        let waiting: (() => void)[] = [];
        const resume = (): void => {
          const w = waiting;
          waiting = [];
          for (const r of w) r();
        };
        const pace = (): Promise<void> | undefined =>
          translating && state.freshCount() >= KEPT_BODIES_AHEAD ? new Promise<void>((r) => waiting.push(r)) : undefined;
        reading = true;
        try {
          await state.load(async (keep) => {
            let found = 0;
            const counted = compareOnArrival((o) => {
              found++;
              keep(o);
            });
            await Promise.all([
              loadOwned(d.client, stored, '*', counted, pace).then(() => (storedFound = found)).finally(() => (reading = false)),
              claimAllYielding(resume).finally(() => {
                translating = false;
                resume();
              }),
            ]);
            await loadOwned(d.client, computed, '*', keep);
          }, differs);
        } finally {
          reading = false;
          storedFound = undefined;
          expected.clear();
          shapes = createShapeTable();
          settled.clear();
        }
        pruneBoot();
      } else {
        // Desired checksums first: otherwise a read body is kept (for adopt.ts) only where the stored checksum differs.
        if (claimed.size === 0) claimAll(translationUnits(indexSnapshot(d.store.full()), d.config));
        await state.load((keep) => loadOwned(d.client, d.ownedQueries, '*', keep), differs);
      }
      log.info('loaded owned Avi objects', { key: d.config.clusterName, count: state.objects.size });
    },

    /** The first sync: every unit once, stale objects deleted; resolves when each has run once. */
    async firstSync(): Promise<SyncSummary> {
      const ownedVs = new Set([...state.objects.values()].filter((o) => o.type === 'virtualservice').map((o) => o.uuid));
      const written = stage.writtenBefore(ownedVs);
      started = true;
      const units = allUnits();
      attribute(units);
      const done = new Promise<void>((r) => (bootDone = r));
      for (const u of [...units, STALE_UNIT]) pendingBoot.add(u);
      for (const u of [...units, STALE_UNIT]) queue.add(u);
      await done;
      booted = true;
      // Status that an earlier run wrote and that no unit gives any more is cleared.
      stage.recheck(written);
      await stage.idle();
      summary.statusWrites = stage.writes;
      summary.rejected = stage.rejected;
      summary.owned = state.objects.size;
      this.updateGauges();
      return { ...summary };
    },

    /** After a full re-read of the controller: attribute what appeared, and sync every unit. */
    resyncAll(): void {
      const units = allUnits();
      attribute(units.filter((u) => state.ownedBy(u).length === 0));
      [...units, STALE_UNIT].forEach((u) => queue.add(u));
    },

    /** Every unit is synced again (an input outside the informers changed: the Avi names CRDs are checked against). */
    touchAll(): void {
      boot.clear();
      if (started) everyUnit().forEach((u) => queue.add(u));
    },

    /** An informer event: the units it touches are synced again (none when nothing translate reads changed). */
    changed(kind: Kind, event: 'add' | 'update' | 'delete', obj: k8s.KubernetesObject): void {
      const touched = d.store.apply(kind, event, obj);
      d.metrics.informerEvents.inc({ kind, relevant: String(touched !== undefined) });
      // A unit whose inputs changed since its boot translation is translated again in its first sync.
      if (touched === 'all') boot.clear();
      else for (const u of touched ?? []) boot.delete(u);
      if (touched === undefined || !started) return;
      for (const u of touched === 'all' ? everyUnit() : touched) queue.add(u);
      d.metrics.queueDepth.set(queue.depth);
    },

    setDeleteConfig(on: boolean) {
      deleteConfig = on;
      if (booted) everyUnit().forEach((u) => queue.add(u));
    },
    get deleteConfig() {
      return deleteConfig;
    },
    get owned(): readonly ObservedObject[] {
      return [...state.objects.values()];
    },
    updateGauges() {
      d.metrics.ownedObjects.reset();
      for (const o of state.objects.values()) d.metrics.ownedObjects.inc({ type: o.type });
    },
    /** Resolves when no unit and no status write is waiting or running. */
    async idle(): Promise<void> {
      for (;;) {
        await queue.idle();
        await stage.idle();
        if (queue.depth === 0 && !stage.busy) {
          await new Promise((r) => setImmediate(r));
          if (queue.depth === 0 && !stage.busy) return;
        }
      }
    },
    async stop(): Promise<void> {
      for (const t of rechecks.values()) clearTimeout(t);
      rechecks.clear();
      await queue.stop();
      await stage.stop();
    },
    get pendingRetries() {
      return queue.pendingRetries;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;

/** Whether an error from a sync pass (not an op failure: e.g. the controller was unreachable) is worth retrying. */
export function retryable(err: unknown): boolean {
  return !isAviError(err) || RETRYABLE.has(err.kind);
}
