// AMKO's life on the leader cluster: leader informers (GSLBConfig, GDP, GSLBHostRule, Secrets), member clusters,
// one coalescing sync key, periodic full syncs (leader check + owned objects) and a clean stop.
import type * as k8s from '@kubernetes/client-node';
import { createEventRecorder, createLogger, resourceInformers, startOpsServer, WorkQueue, type Informer, type Logger, type OpsServer } from '@avi-k8s/kube';
import type { RawObject } from '../translate/index.js';
import { createMembers, type Members } from './members.js';
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
}

export interface AmkoHandle {
  ops: OpsServer;
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

  const make = resourceInformers({ kubeConfig: opts.kubeConfig, logger, onEvent: kick });
  const informers: LeaderInformers = {
    gslbConfigs: make.custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbconfigs', namespace),
    gdps: make.custom<Custom>('amko.vmware.com', 'v1alpha2', 'globaldeploymentpolicies', namespace),
    hostRules: make.custom<Custom>('amko.vmware.com', 'v1alpha1', 'gslbhostrules'),
    secrets: make.secretsIn(namespace),
  };
  const members = createMembers({
    logger,
    onChange: kick,
    ...(opts.memberRetryBaseMs !== undefined ? { retryBaseMs: opts.memberRetryBaseMs } : {}),
    ...(opts.memberRetryMaxMs !== undefined ? { retryMaxMs: opts.memberRetryMaxMs } : {}),
    ...(opts.memberProbeMs !== undefined ? { probeMs: opts.memberProbeMs } : {}),
  });
  const recorder = createEventRecorder({ kubeConfig: opts.kubeConfig, component: 'avi-multicluster-kubernetes-operator', logger });
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
  });

  const queue: WorkQueue<string> = new WorkQueue<string>({
    concurrency: 1,
    retryBaseMs: 1000,
    retryMaxMs: 30000,
    handler: async () => {
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
  const ticker = setInterval(() => {
    if (reconciler.refreshDue()) kick();
  }, 1000);
  ticker.unref();

  let stopped = false;
  return {
    ops,
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
      await members.stop();
      await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.stop()));
      await reconciler.close();
      await ops.close();
    },
  };
}
