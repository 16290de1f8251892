// AMKO's life on the leader cluster: leader informers (GSLBConfig, GDP, GSLBHostRule, Secrets), member clusters,
// one coalescing sync key, periodic full syncs (leader check + owned objects) and a clean stop.
import type * as k8s from '@kubernetes/client-node';
import { createEventRecorder, createLeaderElector, createLogger, MERGE_PATCH, rawKube, resourceInformers, startOpsServer, WorkQueue, type Informer, type LeaderElector, type Logger, type OpsServer, type KubeConfig } from '@avi-k8s/kube';
import type { RawObject } from '../translate/index.js';
import { AMKOCLUSTER_GROUP, AMKOCLUSTER_PLURAL, AMKOCLUSTER_VERSION, AmkoClusterError, clusterRole, generationFilter } from './amko-cluster.js';
import { createFederator, type Federator, type FederationRun } from './federator.js';
import { sameConditions, type Condition } from './federation-status.js';
import { MEMBERS_SECRET, membersKubeconfig, UUID_ANNOTATION } from './leader-config.js';
import { createMembers, type Members } from './members.js';
import { customTransform, secretTransform } from './transform.js';
import { createMetrics } from './metrics.js';
import { createReconciler, type LeaderInformers, type Reconciler, type SyncSummary } from './reconciler.js';

export interface AmkoOptions {
  kubeConfig: KubeConfig;
  /** Where GSLBConfig, GDP and the Secrets live (default avi-system). */
  namespace?: string;
  /** Ops server port (/healthz, /readyz, /metrics); 0 = any free port. Default 8080. */
  apiPort?: number;
  apiHost?: string;
  logger?: Logger;
  /** Skip TLS verification of the controller (never the default; the CA may come from the credentials Secret). */
  insecure?: boolean;
  concurrency?: number;
  /** Member connection retry backoff and health probe period (tests shorten them). */
  memberRetryBaseMs?: number;
  memberRetryMaxMs?: number;
  memberProbeMs?: number;
  /**
   * Active/passive HA (replicaCount 2): only the holder of Lease `amko-lease-lock` in the namespace writes; the other
   * keeps the leader and member informers warm and takes over without writing what is already right. `identity`
   * is the Pod name.
   */
  leaderElection?: { identity: string; leaseDurationSeconds?: number; renewDeadlineSeconds?: number; retryPeriodSeconds?: number };
  /** Called when the lease is lost after it was held (the CLI exits, to come back as a standby); default: stop. */
  onLostLeadership?: () => void;
  /** Delay before a failed federation run is tried again (default 10 s, as the Go federator). */
  federationRetryMs?: number;
}

/** What the AMKOCluster makes of this AMKO: leader (syncs, federates), follower (no Avi call), or invalid (holds). */
export type AmkoRole = 'leader' | 'follower' | 'invalid';

export const LEASE_NAME = 'amko-lease-lock';

export interface AmkoHandle {
  ops: OpsServer;
  /** Whether this instance writes (always true without leader election). */
  readonly leading: boolean;
  /** Resolves once a standby's caches are warm (at once without leader election). */
  warm: Promise<void>;
  /** Resolves after the first pass that reached the controller (or decided to hold). */
  ready: Promise<SyncSummary>;
  reconciler: Reconciler;
  members: Members;
  federator: Federator;
  /** The role the AMKOCluster gave at the last pass. */
  readonly role: AmkoRole;
  /** The last federation run (leader: every step's condition; follower: won't federate objects). */
  readonly federation: FederationRun | undefined;
  /** The summary of the last pass. */
  readonly last: SyncSummary | undefined;
  /** Waits until no sync is pending or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

type Custom = RawObject & k8s.KubernetesObject;

/** The AMKOClusters of NAMESPACE at boot: exactly one, or AmkoClusterError (the CLI exits with code 3). */
async function bootRole(kc: KubeConfig, namespace: string, logger: Logger): Promise<AmkoRole> {
  let items: RawObject[];
  try {
    const list = await rawKube(kc).request('GET', `/apis/${AMKOCLUSTER_GROUP}/${AMKOCLUSTER_VERSION}/namespaces/${encodeURIComponent(namespace)}/${AMKOCLUSTER_PLURAL}`);
    items = ((list as { items?: RawObject[] }).items ?? []);
  } catch (err) {
    const e = err as { code?: number; message?: string };
    throw new AmkoClusterError(`cannot list AMKOClusters in namespace ${namespace} (${e.code ? `HTTP ${e.code}` : (e.message ?? String(err))}): the AMKOCluster CRD must be installed and AMKO allowed to list it`);
  }
  const role = clusterRole(items, namespace);
  if (!role.ok) throw new AmkoClusterError(role.error);
  const name = `${namespace}/${role.obj.metadata?.name}`;
  if (role.leader) logger.info('AMKOCluster found: starting as the leader', { key: name });
  else logger.info('AMKOCluster found: starting as a follower (no Avi calls; watching the AMKOCluster)', { key: name });
  return role.leader ? 'leader' : 'follower';
}

export async function startAmko(opts: AmkoOptions): Promise<AmkoHandle> {
  const namespace = opts.namespace ?? 'avi-system';
  const logger = opts.logger ?? createLogger({ component: 'amko' });
  let role: AmkoRole = await bootRole(opts.kubeConfig, namespace, logger);
  const metrics = createMetrics();
  let ready = false;
  let last: SyncSummary | undefined;
  let markReady: (s: SyncSummary) => void = () => {};
  const readyPromise = new Promise<SyncSummary>((r) => (markReady = r));

  const ops = await startOpsServer({ host: opts.apiHost ?? '0.0.0.0', port: opts.apiPort ?? 8080, registry: metrics.registry, ready: () => ready });
  // Called only once the informers run, which is after the queues exist.
  const kick = () => queue.add('sync');
  const kickFederation = () => federation.add('federate');

  // The caches keep what AMKO reads (transform.ts): no managedFields.
  const make = resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: kick, transform: customTransform });
  // Federation runs on AMKOCluster, GSLBConfig and GDP changes of generation (as the Go federator's predicate),
  // and on a new amko-uuid annotation (the identity a follower needs to own the same GslbServices when promoted).
  const federated = (extra?: (o: Custom) => string) => {
    const changed = generationFilter();
    return (event: 'add' | 'update' | 'delete', o: k8s.KubernetesObject) => {
      kick();
      if (changed(event, o, extra as never)) kickFederation();
    };
  };
  const acChanged = generationFilter();
  const amkoClusters = resourceInformers({
    kubeConfig: opts.kubeConfig,
    logger,
    transform: customTransform,
    onEvent: (event, o) => {
      // Only spec changes matter (the status is ours): a flip of isLeader, the clusters, the version.
      if (!acChanged(event, o)) return;
      kick();
      kickFederation();
    },
  }).custom<Custom>(AMKOCLUSTER_GROUP, AMKOCLUSTER_VERSION, AMKOCLUSTER_PLURAL, namespace);
  const informers: LeaderInformers = {
    gslbConfigs: resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: federated((o) => o.metadata?.annotations?.[UUID_ANNOTATION] ?? ''), transform: customTransform }).custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbconfigs', namespace),
    gdps: resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: federated(), transform: customTransform }).custom<Custom>('amko.vmware.com', 'v1alpha2', 'globaldeploymentpolicies', namespace),
    hostRules: make.custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbhostrules'),
    secrets: resourceInformers({
      kubeConfig: opts.kubeConfig,
      logger,
      onEvent: (_e, o) => {
        kick();
        if (o.metadata?.name === MEMBERS_SECRET) kickFederation();
      },
      transform: secretTransform,
    }).secretsIn(namespace),
  };
  const members = createMembers({
    logger,
    onChange: kick,
    ...(opts.memberRetryBaseMs !== undefined ? { retryBaseMs: opts.memberRetryBaseMs } : {}),
    ...(opts.memberRetryMaxMs !== undefined ? { retryMaxMs: opts.memberRetryMaxMs } : {}),
    ...(opts.memberProbeMs !== undefined ? { probeMs: opts.memberProbeMs } : {}),
  });
  const recorder = createEventRecorder({ kubeConfig: opts.kubeConfig, component: 'avi-multicluster-kubernetes-operator', logger });
  let stopped = false;
  let leading = !opts.leaderElection;
  let elector: LeaderElector | undefined;
  let markWarm: () => void = () => {};
  const warmPromise = new Promise<void>((r) => (markWarm = r));
  if (!opts.leaderElection) markWarm();
  if (opts.leaderElection) {
    elector = createLeaderElector({
      kubeConfig: opts.kubeConfig,
      namespace,
      name: LEASE_NAME,
      logger,
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
      ...opts.leaderElection,
      onStartedLeading: () => {
        leading = true;
        logger.info('leading: syncing to the GSLB leader controller', { key: `${namespace}/${LEASE_NAME}` });
        kick();
        kickFederation();
      },
      onStoppedLeading: () => {
        if (!leading) return;
        leading = false;
        if (stopped) return;
        logger.error('lost the lease; no more writes', { key: `${namespace}/${LEASE_NAME}` });
        (opts.onLostLeadership ?? (() => void handle.stop()))();
      },
    });
  }
  const reconciler = createReconciler({
    kubeConfig: opts.kubeConfig,
    namespace,
    informers,
    members,
    logger,
    metrics,
    recorder,
    concurrency: opts.concurrency ?? 8,
    ...(opts.insecure ? { insecure: true } : {}),
    ...(elector ? { fence: elector } : {}),
  });

  // Fenced as the Avi writes: only the lease holder writes to the AMKOCluster and to member clusters.
  const fenceOk = async () => (elector ? (await elector.confirm()) && elector.holding() : true);
  const raw = rawKube(opts.kubeConfig);
  let lastFederation: FederationRun | undefined;
  const federator = createFederator({
    namespace,
    logger,
    amkoClusters,
    gslbConfigs: informers.gslbConfigs,
    gdps: informers.gdps,
    membersKubeconfig: () => membersKubeconfig(informers.secrets.get(MEMBERS_SECRET, namespace)),
    allowed: fenceOk,
    onRun: kick,
    writeStatus: async (obj, conditions) => {
      if (sameConditions((obj.status as { conditions?: Condition[] } | undefined)?.conditions, conditions)) return;
      if (!(await fenceOk())) return;
      const name = obj.metadata?.name ?? '';
      await raw.request('PATCH', `/apis/${AMKOCLUSTER_GROUP}/${AMKOCLUSTER_VERSION}/namespaces/${encodeURIComponent(namespace)}/${AMKOCLUSTER_PLURAL}/${encodeURIComponent(name)}/status`, { status: { conditions } }, MERGE_PATCH);
      obj.status = { ...(obj.status ?? {}), conditions };
      logger.info('AMKOCluster status', { key: `${namespace}/${name}`, conditions: conditions.map((c) => `${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`) });
    },
  });
  const retryMs = opts.federationRetryMs ?? 10000;
  const federation: WorkQueue<string> = new WorkQueue<string>({
    concurrency: 1,
    retryBaseMs: retryMs,
    retryMaxMs: retryMs,
    handler: async () => {
      if (!leading) return undefined;
      const out = await federator.run();
      lastFederation = out;
      return out.retry ? 'retry' : undefined;
    },
    onError: (_key, err, attempt) => logger.error('federation failed; retrying', { key: namespace, attempt, error: (err as Error).message }),
  });

  let lastRoleError: string | undefined;
  /** Follower or invalid AMKOCluster: no controller session, no member clusters, nothing written to Avi. */
  async function standDown(): Promise<void> {
    await reconciler.close();
    await members.reconcile([], undefined);
  }

  const queue: WorkQueue<string> = new WorkQueue<string>({
    concurrency: 1,
    retryBaseMs: 1000,
    retryMaxMs: 30000,
    handler: async () => {
      const r = clusterRole(amkoClusters.list(), namespace);
      if (!r.ok) {
        if (lastRoleError !== r.error) logger.error('AMKOCluster problem: no Avi writes and no federation until exactly one valid AMKOCluster is back', { key: namespace, error: r.error });
        lastRoleError = r.error;
        role = 'invalid';
        await standDown();
        return undefined;
      }
      lastRoleError = undefined;
      if (!r.leader) {
        if (role === 'leader') logger.warn('AMKOCluster isLeader is false now: stopping as the leader, following (no Avi calls)', { key: namespace });
        role = 'follower';
        await standDown();
        ready = true;
        const summary: SyncSummary = { creates: 0, updates: 0, deletes: 0, failed: 0, rejected: 0, owned: 0, held: 'AMKO not a leader' };
        last = summary;
        markReady(summary);
        return undefined;
      }
      if (role !== 'leader') logger.info('AMKOCluster isLeader is true: starting as the leader', { key: namespace });
      role = 'leader';
      if (!leading) {
        // Standby: warm caches (leader informers run; member clusters follow the GSLBConfig), ready, no writes.
        const following = await reconciler.warm();
        ready = true;
        // Warm once every member cluster had its first attempt (their informers kick this queue as they sync).
        if (following && members.states().every((m) => m.state !== 'connecting' || m.error)) markWarm();
        return undefined;
      }
      // Not before the members' AMKOClusters were checked for another leader (the federator's run kicks this queue).
      const gate = federator.gate(r.obj);
      if (gate) {
        last = { creates: 0, updates: 0, deletes: 0, failed: 0, rejected: 0, owned: reconciler.owned.length, held: gate };
        return undefined;
      }
      const { summary, retry } = await reconciler.sync();
      last = summary;
      if (!summary.held || summary.held.startsWith('no valid GlobalDeploymentPolicy')) {
        if (!ready) logger.info('AMKO is synced and watching', { key: namespace, ...summary });
        ready = true;
        markReady(summary);
      }
      return retry ? 'retry' : undefined;
    },
    onError: (_key, err, attempt) => logger.error('sync failed; retrying', { key: namespace, attempt, error: (err as Error).message }),
  });

  await Promise.all([amkoClusters, ...Object.values(informers)].map((i: Informer<k8s.KubernetesObject>) => i.start()));
  kick();
  kickFederation();
  elector?.start();
  const ticker = setInterval(() => {
    if (reconciler.refreshDue()) kick();
  }, 1000);
  ticker.unref();

  const handle: AmkoHandle = {
    ops,
    get leading() {
      return leading;
    },
    warm: warmPromise,
    ready: readyPromise,
    reconciler,
    members,
    federator,
    get role() {
      return role;
    },
    get federation() {
      return lastFederation;
    },
    get last() {
      return last;
    },
    idle: async () => {
      await queue.idle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      await federation.stop();
      await queue.stop();
      // After the queue: no pass is writing when the lease is released for the standby.
      await elector?.stop();
      await members.stop();
      await Promise.all([amkoClusters, ...Object.values(informers)].map((i: Informer<k8s.KubernetesObject>) => i.stop()));
      federator.close();
      await reconciler.close();
      await ops.close();
    },
  };
  return handle;
}
