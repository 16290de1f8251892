import { forkKubeConfig, type KubeConfig } from './kubeconfig.js';
import { rawKube } from './raw.js';
import type { Logger } from './logger.js';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The Lease's name. */
  name: string;
  /** This candidate's identity (e.g. the pod name). */
  identity: string;
  /** How long another candidate waits, from when it saw the Lease last change, before it takes the Lease. */
  leaseDurationSeconds?: number;
  /**
   * A leader that has not renewed for this long (counted from when its last successful renew was sent) stops
   * writing and steps down. Shorter than the lease duration: the difference is the safety margin.
   */
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
  /**
   * The fence, a cheap local check to make right before each write: leads, and the last successful renew was sent
   * less than the renew deadline ago (monotonic clock). A process that was paused (SIGSTOP, a long GC, a frozen VM)
   * finds on resume that this time has passed and writes nothing until a renew against the apiserver succeeds.
   */
  holding(): boolean;
  /** Renews the Lease against the apiserver now (or joins a renew in flight): true when this candidate holds it then. */
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

/** A write refused by the HA fence: the Lease is not held, or was not renewed in time. */
export class LeaseNotHeldError extends Error {
  constructor(lease: string) {
    super(`not writing: lease ${lease} is not held or was not renewed in time`);
    this.name = 'LeaseNotHeldError';
  }
}

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const isStatus = (err: unknown, code: number) => (err as { code?: number }).code === code;
/** Milliseconds on a monotonic clock: wall-clock steps (NTP, a user) never extend or cut a lease. */
const now = () => performance.now();

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: a candidate takes the
 * Lease only when it has seen no change of it for the lease duration (its own clock, not the holder's renewTime, so
 * clocks of different hosts need not agree); the holder renews every retry period with optimistic concurrency
 * (resourceVersion), and its writes are fenced by holding().
 */
export function createLeaderElector(options: LeaderElectionOptions): LeaderElector {
  // Raw JSON (the Lease's MicroTimes as written, six fractional digits), on a configuration of its own: a write
  // fence on the caller's KubeConfig must never refuse the Lease's own renewals.
  const kube = rawKube(forkKubeConfig(options.kubeConfig), 4);
  const leases = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(options.namespace)}/leases`;
  const self = `${leases}/${encodeURIComponent(options.name)}`;
  const api = {
    read: () => kube.request('GET', self) as Promise<Lease>,
    create: (body: Lease) => kube.request('POST', leases, body),
    replace: (body: Lease) => kube.request('PUT', self, body),
  };
  const leaseDuration = (options.leaseDurationSeconds ?? 15) * 1000;
  const renewDeadline = (options.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriod = (options.retryPeriodSeconds ?? 2) * 1000;
  if (!(renewDeadline < leaseDuration)) throw new Error(`leader election: the renew deadline (${renewDeadline} ms) must be shorter than the lease duration (${leaseDuration} ms)`);
  const { namespace, name, identity } = options;
  const key = `${namespace}/${name}`;
  let leader = false;
  /** When the request of the last successful acquire or renew was sent (monotonic ms). */
  let lastRenew = -Infinity;
  /** The Lease as last seen (its spec), and when it was first seen so (monotonic ms). */
  let observed: { record: string; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> | undefined;

  const spec = (transitions: number, acquireTime: string): LeaseSpec => ({
    holderIdentity: identity,
    leaseDurationSeconds: leaseDuration / 1000,
    acquireTime,
    renewTime: microTime(),
    leaseTransitions: transitions,
  });
  const lease = (metadata: Lease['metadata'], s: LeaseSpec): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: s });

  /** 'held' after a successful acquire or renew, 'other' while another candidate holds the Lease unexpired. */
  async function tryAcquireOrRenew(): Promise<'held' | 'other'> {
    let current: Lease;
    try {
      current = await api.read();
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
      await api.create(lease({ name, namespace }, spec(0, microTime())));
      return 'held';
    }
    const s = current.spec ?? {};
    const record = JSON.stringify([s.holderIdentity ?? '', s.renewTime ?? '', s.leaseDurationSeconds ?? 0, s.leaseTransitions ?? 0]);
    if (observed?.record !== record) observed = { record, at: now() };
    const holder = s.holderIdentity ?? '';
    const duration = (s.leaseDurationSeconds ?? leaseDuration / 1000) * 1000;
    const expired = !holder || observed.at + duration <= now();
    if (holder !== identity && !expired) return 'other';
    const transitions = (s.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
    const acquired = holder === identity && s.acquireTime ? s.acquireTime : microTime();
    // The resourceVersion read above makes this a compare-and-swap: it fails (409) if anyone wrote the Lease since.
    await api.replace(lease(current.metadata, spec(transitions, acquired)));
    return 'held';
  }

  /** Leadership lost: no more writes, and no new campaign (as client-go's Run returns; the owner stops or exits). */
  function stepDown(why: string): void {
    if (!leader) return;
    leader = false;
    lastRenew = -Infinity;
    running = false;
    if (timer) clearTimeout(timer);
    if (deadline) clearTimeout(deadline);
    options.logger?.warn(`leader election: ${why}`, { key, identity });
    options.onStoppedLeading();
  }

  async function attempt(): Promise<void> {
    const sent = now();
    let result: 'held' | 'other' | 'failed' = 'failed';
    try {
      result = await tryAcquireOrRenew();
    } catch (err) {
      if (!isStatus(err, 409)) options.logger?.warn('leader election: lease update failed', { key, error: (err as Error).message });
    }
    if (!running) return;
    if (result === 'held') {
      lastRenew = sent;
      if (deadline) clearTimeout(deadline);
      // Steps down when no renew succeeds in time, even if a renew request hangs.
      deadline = setTimeout(() => stepDown('could not renew the lease in time'), Math.max(0, lastRenew + renewDeadline - now()));
      deadline.unref?.();
      if (!leader) {
        leader = true;
        options.logger?.info('leader election: became leader', { key, identity });
        options.onStartedLeading();
      }
    } else if (leader && (result === 'other' || now() - lastRenew >= renewDeadline)) {
      // Another holder: the lease is lost for sure, writes stop at once. A failed renew: retried until the deadline.
      stepDown(result === 'other' ? 'another candidate holds the lease' : 'lost the lease');
    }
  }

  /** One acquire/renew at a time; concurrent callers share it. */
  const renewNow = (): Promise<void> =>
    (inFlight ??= attempt().finally(() => {
      inFlight = undefined;
    }));

  async function tick(): Promise<void> {
    await renewNow();
    if (running) timer = setTimeout(() => void tick(), retryPeriod);
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
      if (deadline) clearTimeout(deadline);
      // A renew in flight lands before the release (bounded: an unreachable apiserver must not hold up a stop).
      if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, retryPeriod).unref())]);
      if (!leader) return;
      leader = false;
      try {
        const current = await api.read();
        if (current.spec?.holderIdentity === identity) {
          await api.replace(lease(current.metadata, { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() }));
        }
      } catch (err) {
        options.logger?.warn('leader election: could not release the lease', { key, error: (err as Error).message });
      }
      kube.close();
      options.onStoppedLeading();
    },
    get isLeader() {
      return leader;
    },
    holding() {
      return leader && now() - lastRenew < renewDeadline;
    },
    async confirm() {
      if (!leader || !running) return false;
      await renewNow();
      return leader && now() - lastRenew < renewDeadline;
    },
  };
}
