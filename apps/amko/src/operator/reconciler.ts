// One sync pass on a single coalescing key: GSLBConfig -> controller client and leader check -> member clusters ->
// snapshot -> translate -> plan -> execute -> status. Passes never overlap; a burst of events is one pass.
import { randomUUID } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import { createAviClient, isAviError, type AviClient } from '@avi-k8s/avi-sdk';
import { execute, plan, sdkSyncApi, type ObservedObject, type OpResult, type SyncApi } from '@avi-k8s/avi-sync';
import { patchAnnotations, setLogLevel, type EventRecorder, type Informer, type Logger, type KubeConfig } from '@avi-k8s/kube';
import { createTranslateMemo, translate, type RawObject, type Verdict } from '../translate/index.js';
import { isGslbLeader, loadFacts, loadOwned, referencedMonitors } from './avi.js';
import { ACCEPTED, chooseGslbConfig, controllerUrl, credentialsFrom, MEMBERS_SECRET, membersKubeconfig, UUID_ANNOTATION } from './leader-config.js';
import type { Members } from './members.js';
import { narrowToChanges } from './narrow.js';
import { onAviCall, type Metrics } from './metrics.js';
import { createStatusWriter, writePolicyStatuses } from './status.js';

export const TYPE_ORDER = ['healthmonitor', 'gslbservice'];
const DEFAULT_REFRESH_S = 600;

export interface LeaderInformers {
  gslbConfigs: Informer<RawObject & k8s.KubernetesObject>;
  gdps: Informer<RawObject & k8s.KubernetesObject>;
  hostRules: Informer<RawObject & k8s.KubernetesObject>;
  secrets: Informer<k8s.V1Secret>;
}

export interface ReconcilerDeps {
  kubeConfig: KubeConfig;
  namespace: string;
  informers: LeaderInformers;
  members: Members;
  logger: Logger;
  metrics: Metrics;
  recorder: EventRecorder;
  insecure?: boolean;
  /** Avi writes in flight at once. */
  concurrency: number;
  /** HA: the lease; every write needs holding(), every pass that writes a confirm() first. */
  fence?: Fence;
}

export interface Fence {
  holding(): boolean;
  confirm(): Promise<boolean>;
}

export class FencedError extends Error {
  constructor() {
    super('not the leader (lease not held or not renewed in time): no writes');
  }
}

export interface SyncSummary {
  creates: number;
  updates: number;
  deletes: number;
  failed: number;
  rejected: number;
  owned: number;
  /** Why nothing was planned, if so. */
  held?: string;
}

interface Session {
  key: string;
  client: AviClient;
  leader?: { leader: boolean; at: number };
  owned?: ObservedObject[];
  ownedFor?: string;
  lastFull: number;
}

const level = (l: string | undefined) => ({ DEBUG: 'debug', WARN: 'warn', ERROR: 'error' })[l ?? ''] ?? 'info';

export function createReconciler(d: ReconcilerDeps) {
  const log = d.logger;
  // Fencing: the lease is read once per pass before its first write, and checked locally before every write.
  let confirmed: Promise<boolean> | undefined;
  const writable = async (): Promise<boolean> => {
    if (!d.fence) return true;
    confirmed ??= d.fence.confirm();
    return (await confirmed) && d.fence.holding();
  };
  const status = createStatusWriter(d.kubeConfig, d.recorder, log, writable);
  let session: Session | undefined;
  let forceFull = false;
  const generated = new Map<string, string>();
  // What a pass keeps for the next: member host metas and each unchanged GslbService's desired objects (memo.ts).
  const memo = createTranslateMemo();

  const secret = (name: string) => d.informers.secrets.get(name, d.namespace);
  const held = (reason: string): { summary: SyncSummary; retry: boolean } => ({ summary: { creates: 0, updates: 0, deletes: 0, failed: 0, rejected: 0, owned: session?.owned?.length ?? 0, held: reason }, retry: false });

  async function gcStatus(obj: RawObject, state: string) {
    const ok = state.startsWith('success');
    await status.write('GSLBConfig', obj, { state }, { type: ok ? 'Normal' : 'Warning', reason: ok ? 'GSLBConfigValidation' : 'GSLBConfigError', message: state });
  }

  async function closeSession() {
    if (session) await session.client.close().catch(() => undefined);
    session = undefined;
  }

  function reportResults(results: readonly OpResult[]): boolean {
    for (const r of results) {
      if (r.status === 'failed') log.error('Avi write failed', { key: `${r.tenant}/${r.type}/${r.name}`, op: r.kind, status: r.error?.httpStatus, error: r.error?.message });
      else if (r.status === 'succeeded') log.info('Avi write', { key: `${r.tenant}/${r.type}/${r.name}`, op: r.kind });
    }
    return results.some((r) => {
      const s = r.error?.httpStatus;
      return r.status === 'failed' && (s === undefined || s >= 500 || [401, 404, 409, 419, 429].includes(s));
    });
  }

  async function sync(): Promise<{ summary: SyncSummary; retry: boolean }> {
    const timer = d.metrics.syncSeconds.startTimer();
    confirmed = undefined;
    try {
      return await pass();
    } finally {
      timer();
    }
  }

  async function pass(): Promise<{ summary: SyncSummary; retry: boolean }> {
    // 1. The GSLBConfig in force.
    const gcs = d.informers.gslbConfigs.list();
    const { choice, invalid } = chooseGslbConfig(gcs);
    if (invalid) {
      await gcStatus(invalid.obj, invalid.error);
      return held(invalid.error);
    }
    if (!choice) {
      // Nothing on the controller is removed without a GSLBConfig; the member clusters are let go.
      await d.members.reconcile([], undefined);
      return held('no GSLBConfig in the namespace');
    }
    for (const other of choice.others) await gcStatus(other, "error: can't add another gslbconfig");
    const gc = choice.obj;
    const spec = choice.spec;
    setLogLevel(log, level(spec.logLevel) as 'info');

    // 2. This AMKO's identity, kept on the GSLBConfig.
    let amkoUuid = gc.metadata?.annotations?.[UUID_ANNOTATION];
    if (!amkoUuid) {
      // Generated once per GSLBConfig object and kept in memory until the annotation is seen, so that passes
      // running before the informer catches up never write a second identity.
      const uid = gc.metadata?.uid ?? '';
      amkoUuid = generated.get(uid) ?? randomUUID();
      if (!generated.has(uid)) log.info('generated the AMKO uuid', { key: `${d.namespace}/${gc.metadata?.name}`, uuid: amkoUuid });
      generated.set(uid, amkoUuid);
      if (!(await writable())) throw new FencedError();
      await patchAnnotations(d.kubeConfig, { apiVersion: 'amko.vmware.com/v1alpha1', kind: 'GSLBConfig', namespace: d.namespace, name: gc.metadata!.name! }, { [UUID_ANNOTATION]: amkoUuid });
    }

    // 3. Member clusters (started, stopped, restarted on kubeconfig changes; never block each other).
    const contexts = (spec.memberClusters ?? []).map((m) => m.clusterContext).filter((c): c is string => !!c);
    const kubeconfig = membersKubeconfig(secret(MEMBERS_SECRET));
    if (!kubeconfig.ok) {
      await d.members.reconcile([], undefined);
      await gcStatus(gc, kubeconfig.error);
      return held(kubeconfig.error);
    }
    await d.members.reconcile(contexts, kubeconfig.value);

    log.debug('pass: members reconciled', { key: d.namespace, members: d.members.states() });
    // 4. Controller client and leader check.
    const creds = credentialsFrom(secret(spec.gslbLeader!.credentials!), spec.gslbLeader!.credentials!);
    if (!creds.ok) {
      await gcStatus(gc, creds.error);
      return held(creds.error);
    }
    const url = controllerUrl(spec.gslbLeader!.controllerIP!);
    const key = JSON.stringify([url, creds.value, spec.gslbLeader?.controllerVersion ?? '', d.insecure ?? false]);
    if (session?.key !== key) {
      await closeSession();
      session = {
        key,
        lastFull: Date.now(),
        client: createAviClient({
          controller: url,
          username: creds.value.username,
          password: creds.value.password,
          ...(creds.value.caPem ? { caPem: creds.value.caPem } : {}),
          ...(d.insecure ? { insecure: true } : {}),
          ...(spec.gslbLeader?.controllerVersion ? { version: spec.gslbLeader.controllerVersion } : {}),
          tenant: spec.gslbLeader?.tenant ?? 'admin',
          userAgent: 'AMKO',
          // Nothing is checked against the SDK's models at run time: translate's bodies are checked against the
          // strict models by test/translate/models.test.ts, and AMKO reads a few fields of each answer with type
          // checks of its own (avi.ts). So the generated models (~10 MiB of heap, more RSS) are never loaded.
          validate: false,
          onCall: onAviCall(d.metrics),
        }),
      };
    }
    const s = session;
    const refreshMs = ((spec.refreshInterval ?? 0) > 0 ? spec.refreshInterval! : DEFAULT_REFRESH_S) * 1000;
    const full = forceFull || Date.now() - s.lastFull >= refreshMs;
    forceFull = false;
    if (full) {
      s.lastFull = Date.now();
      delete s.leader;
      delete s.owned;
    }
    try {
      if (!s.leader) {
        const l = await isGslbLeader(s.client);
        s.leader = { leader: l.leader, at: Date.now() };
        if (!l.leader) log.error('the controller is not the GSLB leader: no writes', { key: url, clusterUuid: l.clusterUuid, leaderUuid: l.leaderUuid });
      }
    } catch (err) {
      const msg = `error: issue in connecting to the controller API, ${(err as Error).message}`;
      log.error('cannot reach the GSLB leader controller', { key: url, error: (err as Error).message });
      await gcStatus(gc, msg);
      return { ...held(msg), retry: !isAviError(err) || !['auth', 'invalid-input'].includes(err.kind) };
    }
    if (!s.leader.leader) {
      await gcStatus(gc, 'error: controller not a leader');
      return held('controller not a leader');
    }

    log.debug('pass: leader checked', { key: url });
    // 5. Wait for every member's first attempt, so a restart does not drop the members of a slow cluster.
    if (d.members.states().some((m) => m.state === 'connecting' && !m.error)) return held('waiting for member clusters');

    // 6. Owned objects (boot and every refreshInterval) and facts, then translate.
    const uuidKey = amkoUuid;
    try {
      if (!s.owned || s.ownedFor !== uuidKey) {
        s.owned = await loadOwned(s.client, amkoUuid);
        s.ownedFor = uuidKey;
        log.info('loaded owned Avi objects', { key: url, count: s.owned.length });
      }
      const gdps = d.informers.gdps.list();
      const hostRules = d.informers.hostRules.list();
      const avi = await loadFacts(s.client, referencedMonitors([...gdps, ...hostRules]));
      const result = translate({ gdps, hostRules, members: d.members.snapshot(), avi }, { amkoUuid, tenant: spec.gslbLeader?.tenant ?? 'admin', memberClusters: contexts, useCustomGlobalFqdn: spec.useCustomGlobalFqdn === true }, memo);
      await writePolicyStatuses(status, result.verdicts, gdps, hostRules);
      const rejected = reportVerdicts(result.verdicts);

      const states = d.members.states();
      for (const st of ['synced', 'connecting', 'unreachable', 'invalid']) d.metrics.memberClusters.set({ state: st }, states.filter((m) => m.state === st).length);
      const problems = states.filter((m) => m.error).map((m) => `${m.name}: ${m.error}`);
      await gcStatus(gc, problems.length ? `${ACCEPTED}; member cluster problems: ${problems.join('; ')}` : ACCEPTED);

      if (result.hold) {
        log.warn(result.hold, { key: `${d.namespace}` });
        return { ...held(result.hold), summary: { ...held(result.hold).summary, rejected } };
      }
      // Only what may change is planned: GslbServices already as desired (and their monitors) are left out.
      const todo = narrowToChanges(result.objects, s.owned);
      const p = plan(todo.desired, todo.observed, { typeOrder: TYPE_ORDER });
      for (const r of p.rejected) log.error('cannot plan object', { key: `${r.tenant}/${r.type}/${r.name}`, reason: r.reason });
      let results: readonly OpResult[] = [];
      let retry = false;
      if (p.ops.length > 0) {
        if (!(await writable())) throw new FencedError();
        const api = fenced(sdkSyncApi(s.client, { onWrite: (op, type) => d.metrics.writes.inc({ op, type }) }), d.fence);
        const out = await execute(p, todo.observed, api, { concurrency: d.concurrency, isNotFound: (err) => isAviError(err) && err.status === 404 });
        // execute() keeps each written object's full desired body: keep only its refs (they order deletes), as
        // loadOwned does, so thousands of GslbService bodies are not retained between passes.
        s.owned = [...todo.unchanged, ...out.observed.map(slimObserved)];
        results = out.results;
        retry = reportResults(results);
      }
      // Counted here and set once per type: an inc() per owned object built a label key per object, every pass.
      const ownedByType = new Map<string, number>();
      // Indexed loops here and in reportVerdicts: AMKO runs node --jitless, where each step of a for-of allocates.
      for (let i = 0; i < s.owned.length; i++) {
        const type = s.owned[i]!.type;
        ownedByType.set(type, (ownedByType.get(type) ?? 0) + 1);
      }
      d.metrics.ownedObjects.reset();
      for (const [type, n] of ownedByType) d.metrics.ownedObjects.set({ type }, n);
      const count = (kind: string) => results.filter((r) => r.kind === kind && r.status === 'succeeded').length;
      const summary: SyncSummary = { creates: count('create'), updates: count('update'), deletes: count('delete'), failed: results.filter((r) => r.status !== 'succeeded').length, rejected, owned: s.owned.length };
      if (p.ops.length > 0) log.info('sync done', { key: url, ...summary });
      return { summary, retry };
    } catch (err) {
      // The controller went away mid-pass: read everything again next time.
      delete s.owned;
      delete s.leader;
      throw err;
    }
  }

  const lastVerdicts = new Map<string, string>();
  function reportVerdicts(verdicts: readonly Verdict[]): number {
    d.metrics.rejected.reset();
    let rejected = 0;
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      if (v.accepted) continue;
      rejected++;
      d.metrics.rejected.inc({ kind: v.kind });
      const key = `${v.kind}/${v.cluster ?? ''}/${v.namespace}/${v.name}`;
      if (lastVerdicts.get(key) !== v.reason) log.warn('rejected', { key, reason: v.reason });
      lastVerdicts.set(key, v.reason);
    }
    return rejected;
  }

  /**
   * A standby's pass: the member clusters' informers follow the GSLBConfig and members kubeconfig; no writes, no
   * controller. True when a GSLBConfig and the members kubeconfig were there to follow.
   */
  async function warm(): Promise<boolean> {
    const { choice } = chooseGslbConfig(d.informers.gslbConfigs.list());
    const kubeconfig = membersKubeconfig(secret(MEMBERS_SECRET));
    if (!choice || !kubeconfig.ok) {
      await d.members.reconcile([], undefined);
      return false;
    }
    const contexts = (choice.spec.memberClusters ?? []).map((m) => m.clusterContext).filter((c): c is string => !!c);
    await d.members.reconcile(contexts, kubeconfig.value);
    return true;
  }

  return {
    sync,
    warm,
    /** Makes the next pass re-read the leader state and the owned objects (periodic full sync). */
    requestFull() {
      forceFull = true;
    },
    refreshDue(): boolean {
      const gc = chooseGslbConfig(d.informers.gslbConfigs.list()).choice;
      if (!session || !gc) return false;
      const refreshMs = ((gc.spec.refreshInterval ?? 0) > 0 ? gc.spec.refreshInterval! : DEFAULT_REFRESH_S) * 1000;
      return Date.now() - session.lastFull >= refreshMs;
    },
    get owned(): readonly ObservedObject[] {
      return session?.owned ?? [];
    },
    get client(): AviClient | undefined {
      return session?.client;
    },
    close: closeSession,
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;

/** An owned object as the next plan needs it: identity, checksum and refs; the rest of the body dropped. */
export function slimObserved(o: ObservedObject): ObservedObject {
  const body = o.body as Record<string, unknown> | undefined;
  if (!body) return o;
  const keys = Object.keys(body);
  if (keys.every((k) => k.endsWith('_ref') || k.endsWith('_refs'))) return o;
  return { ...o, body: Object.fromEntries(keys.filter((k) => k.endsWith('_ref') || k.endsWith('_refs')).map((k) => [k, body[k]])) };
}

/** The avi-sync API with a local lease check before each write. */
function fenced(api: SyncApi, fence: Fence | undefined): SyncApi {
  if (!fence) return api;
  const check = () => {
    if (!fence.holding()) throw new FencedError();
  };
  return {
    create: (req) => (check(), api.create(req)),
    update: (req) => (check(), api.update(req)),
    delete: (req) => (check(), api.delete(req)),
  };
}
