import * as k8s from '@kubernetes/client-node';
import type { Logger } from './logger.js';

export interface LeaderElectionOptions {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  /** The Lease's name. */
  name: string;
  /** This candidate's identity (e.g. the pod name). */
  identity: string;
  leaseDurationSeconds?: number;
  /** A leader that cannot renew for this long steps down. */
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  logger?: Logger;
}

export interface LeaderElector {
  /** Starts campaigning; resolves at once. */
  start(): void;
  /** Stops campaigning and releases the lease if held, so another candidate takes over at once. */
  stop(): Promise<void>;
  readonly isLeader: boolean;
  /** Leads and renewed within the renew deadline: writes may go on (a cheap local check before each write). */
  holding(): boolean;
  /** Reads the Lease now: true when this candidate holds it unexpired (the fence before a batch of writes). */
  confirm(): Promise<boolean>;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const isStatus = (err: unknown, code: number) => (err as { code?: number }).code === code;

/** Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it. */
export function createLeaderElector(options: LeaderElectionOptions): LeaderElector {
  // Leases go through the generic API: the typed client writes Dates with millisecond precision, and the apiserver
  // wants MicroTime (six fractional digits).
  const custom = options.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const where = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: options.namespace };
  const api = {
    read: () => custom.getNamespacedCustomObject({ ...where, name: options.name }) as Promise<Lease>,
    create: (body: Lease) => custom.createNamespacedCustomObject({ ...where, body }),
    replace: (body: Lease) => custom.replaceNamespacedCustomObject({ ...where, name: options.name, body }),
  };
  const leaseDuration = options.leaseDurationSeconds ?? 15;
  const renewDeadline = (options.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriod = (options.retryPeriodSeconds ?? 2) * 1000;
  const { namespace, name, identity } = options;
  let leader = false;
  let lastRenew = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const spec = (transitions: number, acquireTime: string): LeaseSpec => ({
    holderIdentity: identity,
    leaseDurationSeconds: leaseDuration,
    acquireTime,
    renewTime: microTime(),
    leaseTransitions: transitions,
  });
  const lease = (metadata: Lease['metadata'], s: LeaseSpec): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: s });

  async function tryAcquireOrRenew(): Promise<boolean> {
    let current: Lease;
    try {
      current = await api.read();
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
      await api.create(lease({ name, namespace }, spec(0, microTime())));
      return true;
    }
    const s = current.spec ?? {};
    const holder = s.holderIdentity ?? '';
    const renewed = s.renewTime ? new Date(s.renewTime).getTime() : 0;
    const expired = !holder || renewed + (s.leaseDurationSeconds ?? leaseDuration) * 1000 < Date.now();
    if (holder !== identity && !expired) return false;
    const transitions = (s.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
    const acquired = holder === identity && s.acquireTime ? s.acquireTime : microTime();
    await api.replace(lease(current.metadata, spec(transitions, acquired)));
    return true;
  }

  async function tick(): Promise<void> {
    let ok = false;
    try {
      ok = await tryAcquireOrRenew();
    } catch (err) {
      if (!isStatus(err, 409)) options.logger?.warn('leader election: lease update failed', { key: `${namespace}/${name}`, error: (err as Error).message });
    }
    if (!running) return;
    if (ok) {
      lastRenew = Date.now();
      if (!leader) {
        leader = true;
        options.logger?.info('leader election: became leader', { key: `${namespace}/${name}`, identity });
        options.onStartedLeading();
      }
    } else if (leader && Date.now() - lastRenew > renewDeadline) {
      leader = false;
      options.logger?.warn('leader election: lost the lease', { key: `${namespace}/${name}`, identity });
      options.onStoppedLeading();
    }
    timer = setTimeout(() => void tick(), retryPeriod);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void tick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      if (!leader) return;
      leader = false;
      try {
        const current = await api.read();
        if (current.spec?.holderIdentity === identity) {
          await api.replace(lease(current.metadata, { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() }));
        }
      } catch (err) {
        options.logger?.warn('leader election: could not release the lease', { key: `${namespace}/${name}`, error: (err as Error).message });
      }
      options.onStoppedLeading();
    },
    get isLeader() {
      return leader;
    },
    holding() {
      return leader && Date.now() - lastRenew < renewDeadline;
    },
    async confirm() {
      if (!leader) return false;
      try {
        const s = (await api.read()).spec ?? {};
        const renewed = s.renewTime ? new Date(s.renewTime).getTime() : 0;
        return s.holderIdentity === identity && renewed + (s.leaseDurationSeconds ?? leaseDuration) * 1000 > Date.now() && leader && Date.now() - lastRenew < renewDeadline;
      } catch (err) {
        options.logger?.warn('leader election: cannot confirm the lease', { key: `${namespace}/${name}`, error: (err as Error).message });
        return false;
      }
    },
  };
}
