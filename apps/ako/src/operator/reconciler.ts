// One sync pass: snapshot -> translate -> plan -> execute -> status/events. Runs on a single coalescing key, so a
// burst of Kubernetes events becomes one pass, and passes never overlap.
import type * as k8s from '@kubernetes/client-node';
import { isAviError, type AviClient } from '@avi-k8s/avi-sdk';
import { AKO_TYPE_ORDER, execute, keyOf, plan, sdkSyncApi, type AviBody, type DesiredObject, type ObservedObject, type OpResult, type Rejection } from '@avi-k8s/avi-sync';
import { forEachLimit, type EventRecorder, type Logger } from '@avi-k8s/kube';
import { withRetainedShards, type AkoConfig, type Verdict } from '../translate/index.js';
import { adoptUpToDate } from './adopt.js';
import { incrementalTranslator } from './incremental.js';
import { snapshotOf, type AkoInformers } from './informers.js';
import { loadBalancerStatuses, objectsByVirtualService, vipInfo, type VipInfo } from './lb-status.js';
import type { Metrics } from './metrics.js';
import { loadOwned, type OwnedQuery } from './owned.js';
import { HOST_VS_UUID_ANNOTATION, writeStatus } from './status-writer.js';
import { keepAllocatedAddresses } from './sync-api.js';

export interface ReconcilerDeps {
  kubeConfig: k8s.KubeConfig;
  client: AviClient;
  informers: AkoInformers;
  config: AkoConfig;
  clusterUuid: string;
  ownedQueries: OwnedQuery[];
  logger: Logger;
  metrics: Metrics;
  events: () => EventRecorder | undefined;
  /** Avi writes in flight at once. */
  concurrency: number;
  /** Check every incremental translation against a full one (tests). */
  verifyIncremental?: boolean;
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
/** Kubernetes writes (status, annotations, Events) in flight at once. */
const STATUS_CONCURRENCY = 16;

type EventArgs = [objKey: string, type: 'Normal' | 'Warning', reason: string, message: string];

export function createReconciler(d: ReconcilerDeps) {
  let observed: ObservedObject[] = [];
  /** Set when `observed` was just read from the controller: the next pass adopts what already matches (adopt.ts). */
  let freshlyRead = false;
  const vips = new Map<string, VipInfo>();
  const lastVerdicts = new Map<string, string>();
  const statusWritten = new Set<string>();
  let deleteConfig = false;
  const translator = incrementalTranslator(d.config, d.logger, d.verifyIncremental);
  const api = sdkSyncApi(d.client, {
    onWrite: (op, type) => d.metrics.writes.inc({ op, type }),
    // The controller answers a VsVip write with the VIP it allocated: no read needed for status.
    onStored: (key, stored) => {
      if (key.type === 'vsvip') vips.set(keyOf(key), vipInfo(stored));
    },
    prepareUpdate: async (req, body) =>
      req.type === 'vsvip' ? keepAllocatedAddresses(body, (await d.client.get('vsvip', req.uuid, { tenant: req.tenant })) as AviBody) : body,
  });
  const log = d.logger;

  const rememberVips = (objs: readonly ObservedObject[]) => {
    for (const o of objs) if (o.type === 'vsvip' && o.body) vips.set(keyOf(o), vipInfo(o.body));
  };

  /** Reads what AKO owns on the controller (boot, and every full sync). */
  async function refreshOwned(): Promise<void> {
    observed = await loadOwned(d.client, d.ownedQueries);
    freshlyRead = true;
    rememberVips(observed);
    adoptWrittenStatus(new Set(observed.filter((o) => o.type === 'virtualservice').map((o) => o.uuid)));
    log.info('loaded owned Avi objects', { key: d.config.clusterName, count: observed.length });
  }

  function target(kind: string, ns: string, name: string): k8s.V1Service | k8s.V1Ingress | undefined {
    return kind === 'Service' ? d.informers.services.get(name, ns) : d.informers.ingresses.get(name, ns);
  }

  async function event(objKey: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const recorder = d.events();
    if (!recorder) return;
    const [kind, ns, name] = objKey.split('/') as [string, string, string];
    const obj = target(kind, ns, name);
    const apiVersion = kind === 'Service' ? 'v1' : 'networking.k8s.io/v1';
    await recorder.record({ apiVersion, kind, metadata: obj?.metadata ?? { namespace: ns, name } }, type, reason, message);
  }

  async function reportVerdicts(verdicts: readonly Verdict[]): Promise<number> {
    let rejected = 0;
    const seen = new Set<string>();
    const pending: EventArgs[] = [];
    for (const v of verdicts) {
      const key = `${v.kind}/${v.namespace}/${v.name}`;
      seen.add(key);
      const state = `${v.accepted}:${v.reason}`;
      if (!v.accepted) rejected++;
      if (lastVerdicts.get(key) === state) continue;
      lastVerdicts.set(key, state);
      if (!v.accepted) {
        log.warn('rejected', { key: `${v.namespace}/${v.name}`, kind: v.kind, reason: v.reason });
        pending.push([key, 'Warning', 'Rejected', v.reason]);
      }
    }
    await forEachLimit(pending, STATUS_CONCURRENCY, (e) => event(...e));
    for (const key of lastVerdicts.keys()) if (!seen.has(key)) lastVerdicts.delete(key);
    d.metrics.rejected.reset();
    for (const v of verdicts) if (!v.accepted) d.metrics.rejected.inc({ kind: v.kind });
    return rejected;
  }

  async function reportResults(results: readonly OpResult[], desired: readonly DesiredObject[]): Promise<boolean> {
    const served = objectsByVirtualService(desired);
    const byGroup = new Map<string, OpResult[]>();
    const pending: EventArgs[] = [];
    for (const r of results) (byGroup.get(r.group) ?? byGroup.set(r.group, []).get(r.group)!).push(r);
    for (const [group, rs] of byGroup) {
      const failed = rs.filter((r) => r.status === 'failed');
      const objs = [...(served.get(group) ?? [])];
      for (const f of failed) {
        log.error('Avi write failed', { key: `${f.tenant}/${f.type}/${f.name}`, op: f.kind, status: f.error?.httpStatus, error: f.error?.message });
      }
      if (failed.length) {
        const first = failed[0]!;
        for (const o of objs) pending.push([o, 'Warning', 'SyncError', `${first.kind} ${first.type} ${first.name} failed: ${first.error?.message ?? ''}`]);
      }
    }
    await forEachLimit(pending, STATUS_CONCURRENCY, (e) => event(...e));
    // No answer, 5xx, 429 and session trouble may pass; other 4xx need a change of input (as in the Go AKO).
    return results.some((r) => {
      const status = r.error?.httpStatus;
      return r.status === 'failed' && (status === undefined || status >= 500 || [401, 419, 429].includes(status));
    });
  }

  /** Objects avi-sync could not plan (name collisions, cycles): logged, and an Event on the Kubernetes objects. */
  async function reportRejections(rejections: readonly Rejection[], desired: readonly DesiredObject[]): Promise<void> {
    if (!rejections.length) return;
    const served = objectsByVirtualService(desired);
    const pending: EventArgs[] = [];
    for (const r of rejections) {
      log.error('cannot sync object', { key: `${r.tenant}/${r.type}/${r.name}`, reason: r.reason });
      for (const o of served.get(keyOf(r)) ?? []) pending.push([o, 'Warning', 'SyncError', `${r.type} ${r.name}: ${r.reason}`]);
    }
    await forEachLimit(pending, STATUS_CONCURRENCY, (e) => event(...e));
  }

  /**
   * After a restart, the objects whose status an earlier run wrote (their host -> VS uuid annotation names only
   * virtual services we own) are tracked again, so status that no longer applies is cleared.
   */
  function adoptWrittenStatus(ownedVs: ReadonlySet<string>): void {
    const mine = (kind: string, obj: k8s.V1Service | k8s.V1Ingress) => {
      const raw = obj.metadata?.annotations?.[HOST_VS_UUID_ANNOTATION];
      if (!raw) return;
      try {
        const uuids = Object.values(JSON.parse(raw) as Record<string, string>);
        if (uuids.length > 0 && uuids.every((u) => ownedVs.has(u))) statusWritten.add(`${kind}/${obj.metadata?.namespace}/${obj.metadata?.name}`);
      } catch {
        // not ours to judge: someone else's annotation
      }
    };
    for (const s of d.informers.services.list()) mine('Service', s);
    for (const i of d.informers.ingresses.list()) mine('Ingress', i);
  }

  async function writeStatuses(desired: readonly DesiredObject[], observedNow: readonly ObservedObject[]): Promise<number> {
    const uuids = new Map(observedNow.map((o) => [keyOf(o), o.uuid]));
    const vsNames = new Map(observedNow.filter((o) => o.type === 'virtualservice').map((o) => [o.uuid, o.name]));
    const statuses = loadBalancerStatuses(desired, uuids, vips);
    const pending: EventArgs[] = [];
    let writes = 0;
    const keys = new Set([...statuses.keys(), ...statusWritten]);
    await forEachLimit(keys, STATUS_CONCURRENCY, async (key) => {
      const [kind, ns, name] = key.split('/') as ['Service' | 'Ingress', string, string];
      const obj = target(kind, ns, name);
      if (!obj) {
        statusWritten.delete(key);
        return;
      }
      const status = statuses.get(key);
      pending.push(...syncEvents(key, obj, status, vsNames));
      try {
        if (await writeStatus(d.kubeConfig, kind, obj, status, d.clusterUuid, log)) writes++;
        if (status) statusWritten.add(key);
        else statusWritten.delete(key);
      } catch (err) {
        log.warn('could not write status', { key: `${ns}/${name}`, kind, error: (err as Error).message });
      }
    });
    await forEachLimit(pending, STATUS_CONCURRENCY, (e) => event(...e));
    return writes;
  }

  /** One pass. Returns 'retry' when something failed that may succeed later. */
  async function sync(): Promise<{ summary: SyncSummary; retry: boolean }> {
    const timer = d.metrics.syncSeconds.startTimer();
    const ms: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      ms[name] = Math.round(now - mark);
      mark = now;
    };
    const translated = deleteConfig ? { objects: [], verdicts: [] } : translator.translate(() => snapshotOf(d.informers));
    // A shard VS stays when its last host goes (its VIP never changes), as with the Go AKO; deleteConfig removes it.
    const objects = deleteConfig
      ? translated.objects
      : withRetainedShards(translated.objects, d.config, observed.filter((o) => o.type === 'virtualservice').map((o) => o.name));
    const verdicts = translated.verdicts;
    phase('translate');
    if (freshlyRead) {
      observed = adoptUpToDate(objects, observed);
      freshlyRead = false;
    }
    const rejected = await reportVerdicts(verdicts);
    const p = plan(objects, observed, { typeOrder: AKO_TYPE_ORDER });
    await reportRejections(p.rejected, objects);
    phase('plan');
    if (log.isDebugEnabled()) {
      const had = new Map(observed.map((o) => [keyOf(o), o.checksum]));
      for (const op of p.ops) log.debug('planned', { key: `${op.tenant}/${op.type}/${op.name}`, op: op.kind, checksum: op.checksum, had: had.get(keyOf(op)) });
    }
    let retry = false;
    let results: readonly OpResult[] = [];
    if (p.ops.length > 0) {
      const out = await execute(p, observed, api, {
        concurrency: d.concurrency,
        isNotFound: (err) => isAviError(err) && err.status === 404,
      });
      observed = [...out.observed];
      results = out.results;
      for (const r of results) if (r.type === 'vsvip' && r.kind === 'delete' && r.status === 'succeeded') vips.delete(keyOf(r));
      retry = await reportResults(results, objects);
    }
    phase('write');
    const statusWrites = deleteConfig ? 0 : await writeStatuses(objects, observed);
    phase('status');
    d.metrics.ownedObjects.reset();
    for (const o of observed) d.metrics.ownedObjects.inc({ type: o.type });
    timer();
    const count = (kind: string) => results.filter((r) => r.kind === kind && r.status === 'succeeded').length;
    const summary: SyncSummary = {
      creates: count('create'),
      updates: count('update'),
      deletes: count('delete'),
      failed: results.filter((r) => r.status !== 'succeeded').length,
      rejected,
      statusWrites,
      owned: observed.length,
    };
    if (p.ops.length > 0 || statusWrites > 0) log.info('sync done', { key: d.config.clusterName, ...summary, ms, unitsTranslated: translator.lastRecomputed });
    if (deleteConfig) log.info('deleteConfig: removing owned objects', { key: d.config.clusterName, remaining: observed.length });
    return { summary, retry };
  }

  return {
    refreshOwned,
    sync,
    /** A Kubernetes object changed: the next pass retranslates what it can affect. */
    changed: translator.changed,
    setDeleteConfig(on: boolean) {
      deleteConfig = on;
    },
    get deleteConfig() {
      return deleteConfig;
    },
    get owned(): readonly ObservedObject[] {
      return observed;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;

/**
 * The Go AKO's Events when what serves an object changes (its host -> VS map): `Synced` "Added virtualservice <vs>
 * for <Service name | host>", and for a host that left an Ingress `Removed` "Removed virtualservice for <host>".
 */
export function syncEvents(
  key: string,
  obj: k8s.V1Service | k8s.V1Ingress,
  status: { hostVsUuid: Record<string, string> } | undefined,
  vsNames: ReadonlyMap<string, string>,
): EventArgs[] {
  let before: Record<string, string> = {};
  try {
    before = JSON.parse(obj.metadata?.annotations?.[HOST_VS_UUID_ANNOTATION] ?? '{}') as Record<string, string>;
  } catch {
    before = {};
  }
  const after = status?.hostVsUuid ?? {};
  const out: EventArgs[] = [];
  if (key.startsWith('Service/')) {
    const uuid = Object.values(after)[0];
    const changed = JSON.stringify(Object.entries(before).sort()) !== JSON.stringify(Object.entries(after).sort());
    if (uuid && changed) out.push([key, 'Normal', 'Synced', `Added virtualservice ${vsNames.get(uuid) ?? uuid} for ${obj.metadata?.name ?? ''}`]);
    return out;
  }
  for (const [host, uuid] of Object.entries(after).sort()) {
    if (before[host] !== uuid) out.push([key, 'Normal', 'Synced', `Added virtualservice ${vsNames.get(uuid) ?? uuid} for ${host}`]);
  }
  for (const host of Object.keys(before).sort()) if (!(host in after)) out.push([key, 'Normal', 'Removed', `Removed virtualservice for ${host}`]);
  return out;
}

/** Whether an error from a sync pass (not an op failure: e.g. the controller was unreachable) is worth retrying. */
export function retryable(err: unknown): boolean {
  return !isAviError(err) || RETRYABLE.has(err.kind);
}
