// AKO's life: configuration, controller checks, informers, the first full sync (stale objects removed), then
// event-driven syncs, live ConfigMap keys, periodic full syncs, and a clean stop.
import type * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import {
  createEventRecorder,
  createLeaderElector,
  fenceWrites,
  forkKubeConfig,
  rawKube,
  LeaseNotHeldError,
  createLogger,
  setLogLevel,
  startOpsServer,
  backoffDelay,
  type LeaderElector,
  type Logger,
  type OpsServer,
  type KubeConfig,
} from '@avi-k8s/kube';
import { CONFIGMAP_NAME, readConfigData, readCredentials, StartupError } from '../config/load.js';
import { ConfigError, parseSettings, type AkoSettings } from '../config/settings.js';
import { names } from '../translate/index.js';
import { BootError, checkController } from './controller-check.js';
import { createInformers, startInformers, stopInformers } from './informers.js';
import { createMetrics, onAviCall } from './metrics.js';
import { ownedQueries } from './owned.js';
import { watchLiveKeys } from './live-config.js';
import { createReconciler, type Reconciler, type SyncSummary } from './reconciler.js';
import { createStore } from './store.js';
import { createAviRefs } from './avi-refs.js';
import { labelInfraSeGroup } from './infra-segroup.js';
import { staticRouteSync, staticRoutesEnabled } from './static-routes.js';
import { nplAnnotator, nplAutoAnnotate } from './npl-annotations.js';
import { translateConfig } from './translate-config.js';

/** How often the Avi names CRs use that were missing are looked up again. */
const AVI_REFS_RECHECK_MS = 10_000;

export interface AkoOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** values.yaml contents instead of ConfigMap avi-k8s-config (outside a cluster). */
  valuesFile?: string;
  /** Overrides apiServerPort (0 = any free port, for tests). */
  apiPort?: number;
  apiHost?: string;
  env?: Record<string, string | undefined>;
  /** Avi writes in flight at once (default 8). */
  concurrency?: number;
  logger?: Logger;
  /** Skip TLS verification of the controller (never the default; the CA comes from the Secret). */
  insecure?: boolean;
  /**
   * Active/passive HA (replicaCount 2): only the holder of Lease `ako-lease-lock` in the namespace writes; the
   * other keeps its caches warm. `identity` is the Pod name.
   */
  leaderElection?: { identity: string; leaseDurationSeconds?: number; renewDeadlineSeconds?: number; retryPeriodSeconds?: number };
  /** Called when leadership is lost after it was held (the Go AKO exits; so does the CLI). */
  onLostLeadership?: () => void;
  /** Check every incremental translation against a full one (tests). */
  verifyIncremental?: boolean;
}

export const LEASE_NAME = 'ako-lease-lock';

export interface AkoHandle {
  settings: AkoSettings;
  logger: Logger;
  /** Whether this instance writes (always true without leader election). */
  readonly leading: boolean;
  ops: OpsServer;
  /** Resolves after the first full sync. */
  ready: Promise<SyncSummary | undefined>;
  reconciler?: Reconciler;
  client: AviClient;
  /** Waits until no sync is pending or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const level = (l: AkoSettings['logLevel']) => ({ INFO: 'info', DEBUG: 'debug', WARN: 'warn', ERROR: 'error' })[l] as 'info' | 'debug' | 'warn' | 'error';

export async function startAko(opts: AkoOptions): Promise<AkoHandle> {
  const env = opts.env ?? process.env;
  let settings: AkoSettings;
  try {
    settings = parseSettings(await readConfigData(opts), env);
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(err.message, 2);
    throw err;
  }
  const logger = opts.logger ?? createLogger({ component: 'ako', level: level(settings.logLevel) });
  const credentials = await readCredentials(opts);
  const metrics = createMetrics();
  const apiErrors: { error: string; timestamp: string }[] = [];
  let connection: 'INITIATING' | 'CONNECTED' | 'DISCONNECTED' = 'INITIATING';
  // Lifecycle flags (declared before the ops server, which reads them from its first request on).
  let ready = false;
  let standby = false;
  let informersSynced = false;
  let stopping = false;
  let enableEvents = settings.enableEvents;
  // HA fence: with leader election, every Avi write (each attempt, in the SDK) and every Kubernetes write for the
  // objects AKO serves (status, annotations, Events: through `writeKc`, a copy of the KubeConfig) first checks
  // locally that the Lease is held and was renewed in time; a paused or partitioned leader writes nothing more.
  // Armed once the controller checks (which may label the SE group, as every replica does at boot) are done.
  let elector: LeaderElector | undefined;
  let fenceArmed = false;
  const fence = (): void => {
    if (fenceArmed && !elector?.holding()) throw new LeaseNotHeldError(`${opts.namespace}/${LEASE_NAME}`);
  };
  const writeKc = opts.leaderElection ? forkKubeConfig(opts.kubeConfig) : opts.kubeConfig;
  if (opts.leaderElection) fenceWrites(writeKc, fence);
  const recorder = createEventRecorder({ kubeConfig: writeKc, component: 'avi-kubernetes-operator', logger });
  // In a cluster, boot problems are Events on AKO's own Pod (as the Go AKO's AKOShutdown / SyncDisabled).
  const podName = env.POD_NAME;
  const podRecorder = createEventRecorder({ kubeConfig: opts.kubeConfig, component: 'avi-kubernetes-operator', logger });
  const podEvent = async (reason: string, message: string, type: 'Normal' | 'Warning' = 'Warning') => {
    if (podName) await podRecorder.record({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: opts.namespace } }, type, reason, message);
  };

  const ops = await startOpsServer({
    host: opts.apiHost ?? '0.0.0.0',
    port: opts.apiPort ?? settings.apiServerPort,
    registry: metrics.registry,
    // /metrics only with featureGates.EnablePrometheus (ConfigMap enablePrometheus), as the Go AKO.
    metrics: settings.enablePrometheus,
    // A standby replica is ready once its caches are (it serves nothing and writes nothing until it leads).
    ready: () => ready || (standby && informersSynced),
    routes: {
      '/api/status': (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ avi_api: { connection_status: connection, errors: apiErrors.slice(-10) } }));
      },
    },
  });

  const onCall = onAviCall(metrics);
  const client = createAviClient({
    controller: settings.controllerHost,
    username: credentials.username,
    ...(credentials.password ? { password: credentials.password } : {}),
    ...(credentials.authToken ? { authToken: credentials.authToken } : {}),
    ...(credentials.caPem ? { caPem: credentials.caPem } : {}),
    ...(opts.insecure ? { insecure: true } : {}),
    tenant: settings.tenantName,
    ...(settings.controllerVersion ? { version: settings.controllerVersion } : {}),
    userAgent: 'AKO',
    // Neither bodies nor answers are checked against the SDK's zod models (the sync's writes and the owned-object
    // read already skipped them): AKO reads a few fields of each answer, and not loading the models at all keeps
    // ~10 MiB of heap and ~15 MiB RSS out of the process (the SDK loads them on the first check).
    validate: false,
    ...(opts.leaderElection ? { beforeWrite: fence } : {}),
    onCall: (e) => {
      onCall(e);
      if (e.status > 0) connection = 'CONNECTED';
      else {
        connection = 'DISCONNECTED';
        apiErrors.push({ error: `${e.method} ${e.path}: no response`, timestamp: new Date().toISOString() });
        if (apiErrors.length > 100) apiErrors.shift();
      }
    },
  });

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    stopping = true;
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    await client.close().catch(() => undefined);
    await ops.close();
  };

  let facts;
  try {
    facts = await checkController(client, settings);
  } catch (err) {
    const boot = err instanceof BootError ? err : new BootError(`controller check failed: ${(err as Error).message}`, 'shutdown');
    await podEvent(boot.reason, boot.message);
    if (boot.action === 'disable-sync') {
      logger.error('sync disabled: invalid configuration on the controller side', { key: `${opts.namespace}/${CONFIGMAP_NAME}`, reason: boot.message });
      return { settings, logger, leading: false, ops, ready: Promise.resolve(undefined), client, idle: async () => {}, stop };
    }
    await stop();
    throw new StartupError(boot.message);
  }
  fenceArmed = opts.leaderElection !== undefined;
  const config = translateConfig(settings, facts, opts.namespace);
  logger.info('controller validated', { key: settings.controllerHost, apiVersion: client.apiVersion, vrf: facts.vrfName, dnsDomains: facts.dnsDomains });

  // Informer events go to the Store (relevance filter, indexes); the reconciler syncs the units they touch. Events
  // during boot are covered by the first sync, which runs on complete caches.
  const store = createStore(config);
  // HostRules (when the ako.vmware.com CRDs are installed): the Avi names a rule uses are looked up before the store
  // sees it, one rule event at a time, in order.
  const crds = await akoCrdsServed(opts.kubeConfig);
  if (crds.size === 0) logger.warn('the ako.vmware.com CRDs are not installed: HostRules, HTTPRules and L4Rules are not read', { key: 'ako.vmware.com' });
  const aviRefs = createAviRefs(client, config.tenant, logger);
  let crEvents: Promise<void> = Promise.resolve();
  const informers = createInformers(
    opts.kubeConfig,
    logger,
    (kind, event, obj) => {
      if (kind === 'HostRule' || kind === 'L4Rule' || kind === 'HTTPRule' || kind === 'SSORule' || kind === 'L7Rule' || kind === 'AviInfraSetting') {
        crEvents = crEvents
          .then(async () => {
            if (event !== 'delete') await aviRefs.lookUp(obj);
            // An AviInfraSetting's SE group gets AKO's label, as AKO's own does at boot (infra-segroup.ts).
            const seg = kind === 'AviInfraSetting' && event !== 'delete' ? (obj as { spec?: { seGroup?: { name?: string } } }).spec?.seGroup?.name : undefined;
            if (seg && staticRoutesEnabled(settings)) {
              await labelInfraSeGroup(client, { cluster: settings.clusterName, cloud: settings.cloudName, tenant: config.tenant }, seg, logger).catch((err: unknown) => {
                logger.warn('could not label the SE group of an AviInfraSetting', { key: `serviceenginegroup/${seg}`, error: (err as Error).message });
              });
            }
            // The names found are an input of every unit: when they change, every unit reads them again.
            if (store.setAviRefs(aviRefs.found(), aviRefs.types())) reconciler.touchAll();
            reconciler.changed(kind, event, obj);
          })
          .catch((err: unknown) => {
            logger.error('CR event failed', { key: `${obj.metadata?.namespace}/${obj.metadata?.name}`, error: (err as Error).message });
          });
        return;
      }
      reconciler.changed(kind, event, obj);
      if (kind === 'Node') routes?.changed();
      if (kind === 'Service' || kind === 'Ingress' || kind === 'IngressClass' || kind === 'Namespace') npl?.changed();
    },
    { pods: settings.serviceType === 'NodePortLocal', crds },
  );
  store.setAviRefs([]);
  const reconciler = createReconciler({
    kubeConfig: writeKc,
    client,
    store,
    config,
    clusterUuid: facts.clusterUuid,
    ownedQueries: ownedQueries({ clusterName: settings.clusterName, cloudName: settings.cloudName, akoUser: names.akoUser(config) }),
    logger,
    metrics,
    events: () => (enableEvents ? recorder : undefined),
    concurrency: opts.concurrency ?? 8,
    ...(opts.verifyIncremental ? { verifyIncremental: true } : {}),
    ...(opts.leaderElection ? { fence: { holding: () => elector?.holding() ?? false, confirm: () => elector?.confirm() ?? Promise.resolve(false) } } : {}),
  });
  reconciler.setDeleteConfig(settings.deleteConfig);
  // ClusterIP mode: pod CIDR routes in the VRF, kept in step with the Nodes (removed with deleteConfig).
  const routes = staticRoutesEnabled(settings)
    ? staticRouteSync({ client, settings, vrfName: facts.vrfName, nodes: () => store.list<k8s.V1Node>('Node'), logger, enabled: () => !reconciler.deleteConfig })
    : undefined;
  stoppers.push(async () => (routes?.stop(), routes?.idle()));
  // NodePortLocal mode: the Services AKO needs NPL ports for get Antrea's annotation (npl-annotations.ts).
  const npl = nplAutoAnnotate(settings.serviceType, env)
    ? nplAnnotator({
        kubeConfig: writeKc,
        config,
        read: () => ({ services: store.list<k8s.V1Service>('Service'), ingresses: store.list<k8s.V1Ingress>('Ingress'), ingressClasses: store.list<k8s.V1IngressClass>('IngressClass'), namespaces: store.list<k8s.V1Namespace>('Namespace') }),
        deleteConfig: () => reconciler.deleteConfig,
        logger,
        events: () => (enableEvents ? recorder : undefined),
      })
    : undefined;
  stoppers.push(async () => (npl?.stop(), npl?.idle()));
  stoppers.push(() => reconciler.stop());
  // Avi names a CR uses that were missing are looked up again now and then: a rule naming an object created later
  // is accepted then, without waiting for a change of the rule.
  const refsTimer = setInterval(() => {
    crEvents = crEvents
      .then(async () => {
        if ((await aviRefs.recheckMissing()) && store.setAviRefs(aviRefs.found(), aviRefs.types())) reconciler.touchAll();
      })
      .catch((err: unknown) => {
        logger.warn('re-checking the Avi names CRs use failed', { key: settings.clusterName, error: (err as Error).message });
      });
  }, AVI_REFS_RECHECK_MS);
  refsTimer.unref();
  stoppers.push(async () => clearInterval(refsTimer));

  await startInformers(informers);
  // The first sync sees every HostRule of the initial list with its Avi names looked up.
  await crEvents;
  informersSynced = true;
  stoppers.push(() => stopInformers(informers));

  // Live keys of ConfigMap avi-k8s-config (only when it is the configuration source).
  if (!opts.valuesFile) {
    const cms = watchLiveKeys({
      kubeConfig: opts.kubeConfig,
      namespace: opts.namespace,
      settings,
      logger,
      onChange: (live) => {
        setLogLevel(logger, level(live.logLevel));
        enableEvents = live.enableEvents;
        if (live.deleteConfig !== reconciler.deleteConfig) {
          logger.warn(live.deleteConfig ? 'deleteConfig set: removing every owned Avi object' : 'deleteConfig cleared: syncing again', { key: `${opts.namespace}/${CONFIGMAP_NAME}` });
          reconciler.setDeleteConfig(live.deleteConfig);
          routes?.changed();
          npl?.changed();
        }
      },
    });
    await cms.start();
    stoppers.push(() => cms.stop());
  }

  // Without election this instance leads at once; with it, it waits for the lease (informers stay warm meanwhile).
  let leading = !opts.leaderElection;
  const leadership = new Promise<void>((resolve) => {
    if (!opts.leaderElection) return resolve();
    const candidate = createLeaderElector({
      kubeConfig: opts.kubeConfig,
      namespace: opts.namespace,
      name: LEASE_NAME,
      logger,
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
      ...opts.leaderElection,
      onStartedLeading: () => {
        leading = true;
        resolve();
      },
      onStoppedLeading: () => {
        if (!leading) return;
        leading = false;
        if (stopping) return;
        logger.error('lost leadership; stopping', { key: `${opts.namespace}/${LEASE_NAME}` });
        (opts.onLostLeadership ?? (() => void stop()))();
      },
    });
    elector = candidate;
    candidate.start();
    standby = true;
    stoppers.push(() => candidate.stop());
  });

  const first = (async () => {
    await leadership;
    standby = false;
    routes?.start();
    npl?.start();
    // The controller may be unreachable at boot: read the owned objects again with backoff until it answers.
    for (let attempt = 0; ; attempt++) {
      try {
        // Taking over: every owned object's content is compared with what we desire (drift is repaired now).
        await reconciler.refreshOwned({ content: true });
        break;
      } catch (err) {
        if (stopping) throw err;
        logger.error('could not read the owned objects; retrying', { key: settings.clusterName, attempt, error: (err as Error).message });
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, 1000, 30000)));
      }
    }
    const summary = await reconciler.firstSync();
    ready = true;
    logger.info('AKO is now listening for object updates in the cluster', { key: settings.clusterName, ...summary });
    await podEvent('AKOReady', 'AKO is now listening for Object updates in the cluster', 'Normal');
    return summary;
  })();
  first.catch((err: Error) => {
    if (!stopping) logger.error('first sync failed', { key: settings.clusterName, error: err.message });
  });

  if (settings.fullSyncFrequencySeconds > 0) {
    const timer = setInterval(() => {
      if (!ready) return;
      // Content compared too: drift made since (a hand edit keeping our checksum field) is repaired now.
      reconciler.refreshOwned({ content: true }).then(
        () => reconciler.resyncAll(),
        (err: Error) => logger.warn('full sync: could not read owned objects', { key: settings.clusterName, error: err.message }),
      );
    }, settings.fullSyncFrequencySeconds * 1000);
    timer.unref();
    stoppers.push(async () => clearInterval(timer));
  }

  return {
    settings,
    logger,
    get leading() {
      return leading;
    },
    ops,
    ready: first,
    reconciler,
    client,
    idle: async () => {
      await first.catch(() => undefined);
      await reconciler.idle();
      await routes?.idle();
      await npl?.idle();
    },
    stop,
  };
}

export { StartupError };

/** The ako.vmware.com resources the apiserver serves (`<plural>/<version>`; none without the chart's CRDs). */
async function akoCrdsServed(kc: KubeConfig): Promise<Set<string>> {
  const out = new Set<string>();
  for (const version of ['v1beta1', 'v1alpha2']) {
    try {
      const list = (await rawKube(kc).request('GET', `/apis/ako.vmware.com/${version}`)) as { resources?: { name: string }[] };
      for (const r of list.resources ?? []) if (!r.name.includes('/')) out.add(`${r.name}/${version}`);
    } catch {
      // version not served
    }
  }
  return out;
}
