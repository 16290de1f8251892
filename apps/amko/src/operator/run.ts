// AMKO's life on the leader cluster: leader informers (GSLBConfig, GDP, GSLBHostRule, Secrets), member clusters,
// one coalescing sync key, periodic full syncs (leader check + owned objects) and a clean stop.
import type * as k8s from '@kubernetes/client-node';
import { createEventRecorder, createLeaderElector, createLogger, resourceInformers, startOpsServer, WorkQueue, type Informer, type LeaderElector, type Logger, type OpsServer } from '@avi-k8s/kube';
import type { RawObject } from '../translate/index.js';
import { createMembers, type Members } from './members.js';
import { customTransform, secretTransform } from './transform.js';
import { createMetrics } from './metrics.js';
import { createReconciler, type LeaderInformers, type Reconciler, type SyncSummary } from './reconciler.js';

export interface AmkoOptions {
  kubeConfig: k8s.KubeConfig;
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
}

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
  /** The summary of the last pass. */
  readonly last: SyncSummary | undefined;
  /** Waits until no sync is pending or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

type Custom = RawObject & k8s.KubernetesObject;

export async function startAmko(opts: AmkoOptions): Promise<AmkoHandle> {
  const namespace = opts.namespace ?? 'avi-system';
  const logger = opts.logger ?? createLogger({ component: 'amko' });
  const metrics = createMetrics();
  let ready = false;
  let last: SyncSummary | undefined;
  let markReady: (s: SyncSummary) => void = () => {};
  const readyPromise = new Promise<SyncSummary>((r) => (markReady = r));

  const ops = await startOpsServer({ host: opts.apiHost ?? '0.0.0.0', port: opts.apiPort ?? 8080, registry: metrics.registry, ready: () => ready });
  // Called only once the informers run, which is after the queue exists.
  const kick = () => queue.add('sync');

  // The caches keep what AMKO reads (transform.ts): no managedFields.
  const make = resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: kick, transform: customTransform });
  const informers: LeaderInformers = {
    gslbConfigs: make.custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbconfigs', namespace),
    gdps: make.custom<Custom>('amko.vmware.com', 'v1alpha2', 'globaldeploymentpolicies', namespace),
    hostRules: make.custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbhostrules'),
    secrets: resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: kick, transform: secretTransform }).secretsIn(namespace),
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

  const queue: WorkQueue<string> = new WorkQueue<string>({
    concurrency: 1,
    retryBaseMs: 1000,
    retryMaxMs: 30000,
    handler: async () => {
      if (!leading) {
        // Standby: warm caches (leader informers run; member clusters follow the GSLBConfig), ready, no writes.
        const following = await reconciler.warm();
        ready = true;
        // Warm once every member cluster had its first attempt (their informers kick this queue as they sync).
        if (following && members.states().every((m) => m.state !== 'connecting' || m.error)) markWarm();
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

  await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.start()));
  kick();
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
      await queue.stop();
      // After the queue: no pass is writing when the lease is released for the standby.
      await elector?.stop();
      await members.stop();
      await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.stop()));
      await reconciler.close();
      await ops.close();
    },
  };
  return handle;
}
