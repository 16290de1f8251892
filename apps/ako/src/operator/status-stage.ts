// The status stage: fed by each unit's translation (objects, verdicts, served) and its sync result, it writes
// status.loadBalancer, AKO's annotations and Events for the Kubernetes objects of that unit as soon as the unit is
// synced. An object served by several units (an Ingress with hosts on two shards) gets the merge of their parts.
import type * as k8s from '@kubernetes/client-node';
import { keyOf, type DesiredObject, type OpResult, type Rejection } from '@avi-k8s/avi-sync';
import { patchCustomStatus, WorkQueue, type EventRecorder, type Logger, type KubeConfig } from '@avi-k8s/kube';
import { mergeVerdicts, servedObjects, type ObjectWarning, type UnitResult, type Verdict } from '../translate/index.js';
import { loadBalancerStatuses, type LoadBalancerStatus } from './lb-status.js';
import type { Metrics } from './metrics.js';
import type { ObservedState } from './observed.js';
import type { Store } from './store.js';
import { HOST_VS_UUID_ANNOTATION, writeStatus } from './status-writer.js';
import { ByUnit } from './by-unit.js';
import { hash53 } from './hash53.js';
import { cmp } from '../translate/snapshot.js';

/**
 * A warning (served but degraded) becomes an Event only if it still holds this long after it appeared: a new
 * Service has no EndpointSlice for a moment, a Secret and its Ingress arrive in either order.
 */
const WARNING_DELAY_MS = 5000;

/** Kubernetes writes (status, annotations, Events) in flight at once. */
const STATUS_CONCURRENCY = 16;

/** The AKO CRs whose status the stage writes from their verdicts. */
const CR_KINDS: Record<string, { group: string; version: string; plural: string } | undefined> = {
  HostRule: { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' },
  L4Rule: { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'l4rules' },
  HTTPRule: { group: 'ako.vmware.com', version: 'v1beta1', plural: 'httprules' },
  SSORule: { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'ssorules' },
  // Cluster-scoped (namespace '').
  AviInfraSetting: { group: 'ako.vmware.com', version: 'v1beta1', plural: 'aviinfrasettings' },
  L7Rule: { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'l7rules' },
};

type EventArgs = [objKey: string, type: 'Normal' | 'Warning', reason: string, message: string];
type Target = k8s.V1Service | k8s.V1Ingress;

export interface StatusStageDeps {
  kubeConfig: KubeConfig;
  store: Store;
  state: ObservedState;
  clusterUuid: string;
  logger: Logger;
  metrics: Metrics;
  events: () => EventRecorder | undefined;
}

/** Merges the parts several units contribute to one object's status. */
export function mergeStatuses(parts: Iterable<LoadBalancerStatus>): LoadBalancerStatus | undefined {
  let out: LoadBalancerStatus | undefined;
  for (const p of parts) {
    out ??= { ingress: [], hostVsUuid: {}, tenant: p.tenant };
    for (const i of p.ingress) if (!out.ingress.some((x) => x.ip === i.ip && x.hostname === i.hostname)) out.ingress.push(i);
    Object.assign(out.hostVsUuid, p.hostVsUuid);
  }
  out?.ingress.sort((a, b) => cmp(a.hostname ?? '', b.hostname ?? '') || cmp(a.ip ?? '', b.ip ?? ''));
  return out;
}

/** Whether two status parts are the same (as their JSON would be: hostVsUuid in its keys' order). */
export function sameStatus(a: LoadBalancerStatus | undefined, b: LoadBalancerStatus): boolean {
  if (!a || a.tenant !== b.tenant || a.ingress.length !== b.ingress.length) return false;
  for (let i = 0; i < a.ingress.length; i++) if (a.ingress[i]!.ip !== b.ingress[i]!.ip || a.ingress[i]!.hostname !== b.ingress[i]!.hostname) return false;
  const ka = Object.keys(a.hostVsUuid);
  const kb = Object.keys(b.hostVsUuid);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.hostVsUuid[k] === b.hostVsUuid[k]);
}

export function createStatusStage(d: StatusStageDeps) {
  const log = d.logger;
  /** Kubernetes object key -> unit -> that unit's part of its status. */
  const parts = new Map<string, ByUnit<LoadBalancerStatus>>();
  /** Unit -> the Kubernetes objects it last gave a status part or a verdict. */
  const objectsOf = new Map<string, Set<string>>();
  const verdicts = new Map<string, ByUnit<Verdict>>();
  const lastVerdict = new Map<string, string>();
  const rejectedByKind = new Map<string, Set<string>>();
  const vsNames = new Map<string, string>();
  /** Kubernetes object key -> unit -> the warnings (served but degraded) that unit gives it. */
  const warningsOf = new Map<string, Map<string, readonly ObjectWarning[]>>();
  /** Unit -> the objects it last gave warnings. */
  const warnedBy = new Map<string, Set<string>>();
  /** Object key -> the warnings (`reason\0message`) that hold now. */
  const warned = new Map<string, Set<string>>();
  /** Object key -> those of them already given as Events: each is said once while it holds. */
  const said = new Map<string, Set<string>>();
  const warningTimers = new Set<NodeJS.Timeout>();
  /**
   * What the stage last brought each object to, as a hash of its JSON (the texts were ~2 MiB at 10k hosts): not
   * written again until it changes (the store may lag).
   */
  const written = new Map<string, number>();
  let statusWrites = 0;

  const target = (key: string): Target | undefined => {
    const [kind, ns, name] = key.split('/') as [string, string, string];
    return kind === 'Service' || kind === 'Ingress' ? d.store.get<Target>(kind, ns, name) : undefined;
  };

  async function event(objKey: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const recorder = d.events();
    if (!recorder) return;
    const [kind, ns, name] = objKey.split('/') as [string, string, string];
    const cr = CR_KINDS[kind];
    const apiVersion = kind === 'Service' ? 'v1' : kind === 'Ingress' ? 'networking.k8s.io/v1' : cr ? (d.store.get(kind as 'HostRule', ns, name)?.apiVersion ?? `${cr.group}/${cr.version}`) : 'v1';
    const metadata = (cr ? d.store.get(kind as 'HostRule', ns, name)?.metadata : target(objKey)?.metadata) ?? { namespace: ns, name };
    await recorder.record({ apiVersion, kind, metadata }, type, reason, message);
  }
  const emit = (events: readonly EventArgs[]): void => {
    for (const e of events) void event(...e);
  };

  const queue = new WorkQueue<string>({
    concurrency: STATUS_CONCURRENCY,
    retryBaseMs: 1000,
    retryMaxMs: 60000,
    handler: async (key) => {
      if (CR_KINDS[key.slice(0, key.indexOf('/'))]) return writeCrStatus(key);
      const obj = target(key);
      if (!obj) {
        written.delete(key);
        return;
      }
      const [kind] = key.split('/') as ['Service' | 'Ingress'];
      const status = mergeStatuses(parts.get(key)?.values() ?? []);
      const summary = hash53(JSON.stringify(status ?? null));
      if (written.get(key) === summary) return;
      // Events first need the annotation as it was: syncEvents compares the host -> VS map before and after.
      const events = syncEvents(key, obj, status, vsNames);
      if (await writeStatus(d.kubeConfig, kind, obj, status, d.clusterUuid, log)) statusWrites++;
      written.set(key, summary);
      for (const e of events) await event(...e);
    },
    onError: (key, err, attempt) => log.warn('could not write status', { key, attempt, error: (err as Error).message }),
  });

  /** A CR's status from its merged verdict: `Accepted`, or `Rejected` with the reason (as the Go AKO writes it). */
  async function writeCrStatus(key: string): Promise<void> {
    const [kind, ns, name] = key.split('/') as [string, string, string];
    const cr = CR_KINDS[kind]!;
    const obj = d.store.get<k8s.KubernetesObject & { status?: { status?: string; error?: string } }>(kind as 'HostRule', ns, name);
    const mine = verdicts.get(key);
    if (!obj || !mine || mine.size === 0) return;
    const [v] = mergeVerdicts([...mine.values()]);
    const status = { status: v!.accepted ? 'Accepted' : 'Rejected', error: v!.accepted ? '' : v!.reason };
    const summary = hash53(JSON.stringify(status));
    if (written.get(key) === summary || (obj.status?.status === status.status && (obj.status.error ?? '') === status.error)) {
      written.set(key, summary);
      return;
    }
    const version = obj.apiVersion?.split('/')[1] ?? cr.version;
    await patchCustomStatus(d.kubeConfig, { group: cr.group, version, plural: cr.plural, namespace: ns, name }, status);
    statusWrites++;
    written.set(key, summary);
    log.info('status updated', { key: `${ns}/${name}`, kind, status: status.status });
  }

  function reportVerdicts(unit: string, vs: readonly Verdict[], touched: Set<string>): void {
    const pending: EventArgs[] = [];
    const now = new Set<string>();
    /** Objects this unit judges as it did last time: their merged verdict is as it was (a shard's thousands). */
    const same = new Set<string>();
    for (const v of vs) {
      const k = `${v.kind}/${v.namespace}/${v.name}`;
      now.add(k);
      const mine = verdicts.get(k) ?? verdicts.set(k, new ByUnit()).get(k)!;
      const was = mine.get(unit);
      if (was && was.accepted === v.accepted && was.reason === v.reason && lastVerdict.has(k)) same.add(k);
      mine.set(unit, v);
    }
    for (const k of objectsOf.get(unit) ?? []) if (!now.has(k)) verdicts.get(k)?.delete(unit);
    for (const k of new Set([...now, ...touched])) {
      if (same.has(k)) continue;
      const mine = verdicts.get(k);
      if (!mine || mine.size === 0) {
        verdicts.delete(k);
        lastVerdict.delete(k);
        setRejected(k, false);
        continue;
      }
      const [v] = mergeVerdicts([...mine.values()]);
      const state = `${v!.accepted}:${v!.reason}`;
      setRejected(k, !v!.accepted);
      if (CR_KINDS[v!.kind]) queue.add(k);
      if (lastVerdict.get(k) === state) continue;
      lastVerdict.set(k, state);
      if (!v!.accepted) {
        log.warn('rejected', { key: `${v!.namespace}/${v!.name}`, kind: v!.kind, reason: v!.reason });
        pending.push([k, 'Warning', 'Rejected', v!.reason]);
      }
    }
    emit(pending);
  }

  /**
   * A Warning Event for each warning an object gets that it did not have, once it held WARNING_DELAY_MS: said again
   * only after it went away.
   */
  function reportWarnings(unit: string, ws: readonly ObjectWarning[]): void {
    const mine = new Map<string, ObjectWarning[]>();
    for (const w of ws) {
      const k = `${w.kind}/${w.namespace}/${w.name}`;
      (mine.get(k) ?? mine.set(k, []).get(k)!).push(w);
    }
    const affected = new Set([...(warnedBy.get(unit) ?? []), ...mine.keys()]);
    for (const k of affected) {
      const byUnit = warningsOf.get(k) ?? warningsOf.set(k, new Map()).get(k)!;
      const list = mine.get(k);
      if (list) byUnit.set(unit, list);
      else byUnit.delete(unit);
      const all = new Map<string, ObjectWarning>();
      for (const l of byUnit.values()) for (const w of l) all.set(`${w.reason}\u0000${w.message}`, w);
      const before = warned.get(k) ?? new Set<string>();
      for (const [id, w] of [...all.entries()].sort(([a], [b]) => cmp(a, b))) if (!before.has(id)) laterIfStill(k, id, w);
      if (all.size > 0) warned.set(k, new Set(all.keys()));
      else warned.delete(k);
      const s = said.get(k);
      if (s) for (const id of s) if (!all.has(id)) s.delete(id);
      if (s?.size === 0) said.delete(k);
      if (byUnit.size === 0) warningsOf.delete(k);
    }
    if (mine.size > 0) warnedBy.set(unit, new Set(mine.keys()));
    else warnedBy.delete(unit);
  }

  function laterIfStill(k: string, id: string, w: ObjectWarning): void {
    const t = setTimeout(() => {
      warningTimers.delete(t);
      if (!warned.get(k)?.has(id) || said.get(k)?.has(id)) return;
      (said.get(k) ?? said.set(k, new Set()).get(k)!).add(id);
      log.warn('degraded', { key: `${w.namespace}/${w.name}`, kind: w.kind, reason: w.reason, message: w.message });
      emit([[k, 'Warning', w.reason, w.message]]);
    }, WARNING_DELAY_MS);
    t.unref();
    warningTimers.add(t);
  }

  function setRejected(k: string, rejected: boolean): void {
    const kind = k.slice(0, k.indexOf('/'));
    const set = rejectedByKind.get(kind) ?? rejectedByKind.set(kind, new Set()).get(kind)!;
    if (rejected ? set.has(k) : !set.has(k)) return;
    if (rejected) set.add(k);
    else set.delete(k);
    d.metrics.rejected.set({ kind }, set.size);
  }

  /**
   * SyncError on the objects each failed (or unplannable) Avi object serves; nothing on the others. Which objects
   * those are is worked out from the unit's objects only when something failed (a shard has thousands).
   */
  function reportFailures(objects: readonly DesiredObject[], results: readonly OpResult[], rejections: readonly Rejection[]): void {
    if (rejections.length === 0 && !results.some((f) => f.status === 'failed')) return;
    const served = servedObjects(objects);
    const pending: EventArgs[] = [];
    const said = new Set<string>();
    for (const f of results) {
      if (f.status !== 'failed') continue;
      log.error('Avi write failed', { key: `${f.tenant}/${f.type}/${f.name}`, op: f.kind, status: f.error?.httpStatus, error: f.error?.message });
      for (const o of served.get(keyOf(f)) ?? []) {
        if (said.has(o)) continue;
        said.add(o);
        pending.push([o, 'Warning', 'SyncError', `${f.kind} ${f.type} ${f.name} failed: ${f.error?.message ?? ''}`]);
      }
    }
    for (const r of rejections) {
      log.error('cannot sync object', { key: `${r.tenant}/${r.type}/${r.name}`, reason: r.reason });
      for (const o of served.get(keyOf(r)) ?? []) pending.push([o, 'Warning', 'SyncError', `${r.type} ${r.name}: ${r.reason}`]);
    }
    emit(pending);
  }

  return {
    /** A unit was synced (or found nothing to do): its objects' status, verdicts and failures. */
    unitSynced(unit: string, r: UnitResult, results: readonly OpResult[], rejections: readonly Rejection[]): void {
      const uuids = new Map<string, string>();
      for (const o of r.objects) {
        const seen = d.state.objects.get(keyOf(o));
        if (!seen) continue;
        uuids.set(keyOf(o), seen.uuid);
        if (o.type === 'virtualservice') vsNames.set(seen.uuid, o.name);
      }
      const statuses = loadBalancerStatuses(r.objects, uuids, d.state.vips);
      const before = objectsOf.get(unit) ?? new Set<string>();
      const now = new Set<string>([...statuses.keys(), ...r.verdicts.map((v) => `${v.kind}/${v.namespace}/${v.name}`)]);
      for (const k of before) {
        if (statuses.has(k)) continue;
        const p = parts.get(k);
        const had = p?.delete(unit) ?? false;
        if (p && p.size === 0) parts.delete(k);
        if (had) queue.add(k);
      }
      for (const [k, s] of statuses) {
        const p = parts.get(k) ?? parts.set(k, new ByUnit()).get(k)!;
        const changed = !sameStatus(p.get(unit), s) || !before.has(k);
        p.set(unit, s);
        if (changed) queue.add(k);
      }
      reportVerdicts(unit, r.verdicts, before);
      reportWarnings(unit, r.warnings ?? []);
      // A Service this unit judged but gives no status (rejected, or its VS could not be created) keeps none from an
      // earlier run or another controller: what it carries is written away (the handler clears it).
      for (const v of r.verdicts) {
        const k = `${v.kind}/${v.namespace}/${v.name}`;
        if (v.kind !== 'Service' || statuses.has(k) || (parts.get(k)?.size ?? 0) > 0) continue;
        const obj = target(k);
        if ((obj?.status?.loadBalancer?.ingress?.length ?? 0) > 0 || obj?.metadata?.annotations?.[HOST_VS_UUID_ANNOTATION] !== undefined) queue.add(k);
      }
      if (now.size > 0) objectsOf.set(unit, now);
      else objectsOf.delete(unit);
      reportFailures(r.objects, results, rejections);
    },
    /** While a unit's writes run: the objects whose virtual service is written so far get their status now. */
    unitProgress(unit: string, r: UnitResult, uuids: ReadonlyMap<string, string>): void {
      for (const o of r.objects) if (o.type === 'virtualservice' && uuids.has(keyOf(o))) vsNames.set(uuids.get(keyOf(o))!, o.name);
      const statuses = loadBalancerStatuses(r.objects, uuids, d.state.vips);
      for (const [k, s] of statuses) {
        const p = parts.get(k) ?? parts.set(k, new ByUnit()).get(k)!;
        if (sameStatus(p.get(unit), s)) continue;
        p.set(unit, s);
        (objectsOf.get(unit) ?? objectsOf.set(unit, new Set()).get(unit)!).add(k);
        queue.add(k);
      }
    },
    /** Objects whose status an earlier run wrote: written again (cleared when no unit serves them any more). */
    recheck(keys: Iterable<string>): void {
      for (const k of keys) queue.add(k);
    },
    /** Objects an earlier run wrote status on (their host -> VS map names only virtual services we own). */
    writtenBefore(ownedVsUuids: ReadonlySet<string>): string[] {
      const out: string[] = [];
      const mine = (kind: string, obj: Target) => {
        const raw = obj.metadata?.annotations?.[HOST_VS_UUID_ANNOTATION];
        if (!raw) return;
        try {
          const uuids = Object.values(JSON.parse(raw) as Record<string, string>);
          if (uuids.length > 0 && uuids.every((u) => ownedVsUuids.has(u))) out.push(`${kind}/${obj.metadata?.namespace}/${obj.metadata?.name}`);
        } catch {
          // not ours to judge: someone else's annotation
        }
      };
      for (const s of d.store.list<k8s.V1Service>('Service')) mine('Service', s);
      for (const i of d.store.list<k8s.V1Ingress>('Ingress')) mine('Ingress', i);
      return out;
    },
    idle: () => queue.idle(),
    get busy() {
      return queue.depth > 0;
    },
    get writes() {
      return statusWrites;
    },
    /** Kubernetes objects rejected now. */
    get rejected() {
      return [...rejectedByKind.values()].reduce((n, s) => n + s.size, 0);
    },
    stop: () => {
      for (const t of warningTimers) clearTimeout(t);
      warningTimers.clear();
      return queue.stop();
    },
  };
}

export type StatusStage = ReturnType<typeof createStatusStage>;

/**
 * The Go AKO's Events when what serves an object changes (its host -> VS map): `Synced` "Added virtualservice <vs>
 * for <Service name | host>", and for a host that left an Ingress `Removed` "Removed virtualservice for <host>".
 */
export function syncEvents(
  key: string,
  obj: Target,
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
