// Member clusters: one set of informers (Ingresses, Services, Namespaces) per context. A member that cannot be
// reached is retried with backoff and never holds up the others; members come and go with the GSLBConfig and the
// members kubeconfig, without a restart. A member that was synced and then becomes unreachable keeps its last
// known objects (the GSLB health monitors decide about traffic, not AMKO's view of the API server).
import type * as k8s from '@kubernetes/client-node';
import { backoffDelay, rawKube, resourceInformers, type Informer, type Logger, type KubeConfig } from '@avi-k8s/kube';
import type { MemberSnapshot } from '../translate/index.js';
import { memberKubeConfig } from './leader-config.js';
import { hostRuleTransform, ingressTransform, namespaceTransform, serviceTransform } from './transform.js';

/** Objects per list page of a member's informers. */
const LIST_PAGE = 100;

export type MemberState = 'connecting' | 'synced' | 'unreachable' | 'invalid';

interface Member {
  name: string;
  /** The kubeconfig text this member was started with (a change restarts it). */
  source: string;
  state: MemberState;
  error?: string;
  kc?: KubeConfig;
  informers?: { ingresses: Informer<k8s.V1Ingress>; services: Informer<k8s.V1Service>; namespaces: Informer<k8s.V1Namespace>; hostRules: Informer<k8s.KubernetesObject> };
  timer?: NodeJS.Timeout;
  failures: number;
  stopped: boolean;
}

export interface MemberOptions {
  logger: Logger;
  onChange: () => void;
  /** Backoff of connection retries (default 1 s .. 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often a synced member's API server is probed, for status (default 30 s). */
  probeMs?: number;
}

async function probe(kc: KubeConfig, timeoutMs = 10000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      rawKube(kc).request('GET', '/api/v1/namespaces?limit=1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (err: unknown) => {
  const e = err as { code?: number | string; message?: string; cause?: { code?: string } };
  return e.cause?.code ?? (typeof e.code === 'string' ? e.code : undefined) ?? e.message ?? String(err);
};

export function createMembers(o: MemberOptions) {
  const members = new Map<string, Member>();
  const log = o.logger;

  function schedule(m: Member, fn: () => void, ms: number) {
    clearTimeout(m.timer);
    m.timer = setTimeout(fn, ms);
    m.timer.unref();
  }

  async function connect(m: Member): Promise<void> {
    if (m.stopped || !m.kc) return;
    try {
      await probe(m.kc);
    } catch (err) {
      if (m.stopped) return;
      const delay = backoffDelay(m.failures++, o.retryBaseMs ?? 1000, o.retryMaxMs ?? 30000);
      const changed = m.state !== 'connecting' || m.error !== `cluster healthcheck failed: ${message(err)}`;
      m.state = 'connecting';
      m.error = `cluster healthcheck failed: ${message(err)}`;
      log.warn('member cluster unreachable; retrying', { key: m.name, error: m.error, retryInMs: delay });
      if (changed) o.onChange();
      schedule(m, () => void connect(m), delay);
      return;
    }
    const onEvent = () => o.onChange();
    // Each cache keeps only what translate reads (transform.ts). Lists in pages of LIST_PAGE objects: a page's whole
    // objects (managedFields and all) live until it is transformed, and pages of 500 (the informer's default) made
    // the first sync jump by 5-15 MiB in about half the runs (issue 15).
    const make = (transform: (o: k8s.KubernetesObject) => k8s.KubernetesObject) => resourceInformers({ kubeConfig: m.kc!, logger: log, onEvent, transform, pageSize: LIST_PAGE });
    const informers = {
      ingresses: make(ingressTransform).ingresses(),
      services: make(serviceTransform).services(),
      namespaces: make(namespaceTransform).namespaces(),
      // AKO's HostRules (TLS, aliases, gslb.fqdn). A member without AKO's CRD is still served, with none (the informer
      // retries and logs; the Go AMKO does not initialise such a member at all).
      hostRules: make(hostRuleTransform).custom<k8s.KubernetesObject>('ako.vmware.com', 'v1beta1', 'hostrules'),
    };
    await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.start()));
    if (m.stopped) {
      await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.stop()));
      return;
    }
    m.informers = informers;
    m.state = 'synced';
    delete m.error;
    m.failures = 0;
    log.info('member cluster synced', { key: m.name });
    o.onChange();
    schedule(m, () => void watchHealth(m), o.probeMs ?? 30000);
  }

  async function watchHealth(m: Member): Promise<void> {
    if (m.stopped || !m.kc) return;
    let next: MemberState = 'synced';
    let error: string | undefined;
    try {
      await probe(m.kc);
    } catch (err) {
      next = 'unreachable';
      error = `cluster unreachable (keeping its last known objects): ${message(err)}`;
    }
    if (m.stopped) return;
    if (next !== m.state) {
      m.state = next;
      if (error) m.error = error;
      else delete m.error;
      log[error ? 'warn' : 'info'](error ? 'member cluster unreachable' : 'member cluster reachable again', { key: m.name, ...(error ? { error } : {}) });
      o.onChange();
    }
    schedule(m, () => void watchHealth(m), o.probeMs ?? 30000);
  }

  async function stopMember(m: Member): Promise<void> {
    m.stopped = true;
    clearTimeout(m.timer);
    if (m.informers) await Promise.all(Object.values(m.informers).map((i: Informer<k8s.KubernetesObject>) => i.stop()));
  }

  return {
    /** Brings the running members in line with the wanted contexts and kubeconfig text. */
    async reconcile(contexts: readonly string[], kubeconfig: string | undefined): Promise<void> {
      const want = new Set(contexts);
      for (const [name, m] of members) {
        if (!want.has(name) || m.source !== (kubeconfig ?? '')) {
          members.delete(name);
          await stopMember(m);
          log.info('member cluster removed', { key: name });
        }
      }
      for (const name of contexts) {
        if (members.has(name)) continue;
        const m: Member = { name, source: kubeconfig ?? '', state: 'connecting', failures: 0, stopped: false };
        members.set(name, m);
        const kc = kubeconfig ? memberKubeConfig(kubeconfig, name) : undefined;
        if (!kc) {
          m.state = 'invalid';
          m.error = kubeconfig ? `context ${name} not found in the members kubeconfig` : 'no members kubeconfig';
          continue;
        }
        m.kc = kc;
        void connect(m);
      }
    },
    snapshot(): MemberSnapshot[] {
      return [...members.values()]
        .filter((m) => m.informers)
        .map((m) => ({
          name: m.name,
          // Each list() is already a fresh array of the cached objects: no second copy per pass.
          ingresses: m.informers!.ingresses.list(),
          services: m.informers!.services.list(),
          namespaces: m.informers!.namespaces.list(),
          hostRules: m.informers!.hostRules.list(),
        }));
    },
    states(): { name: string; state: MemberState; error?: string }[] {
      return [...members.values()].map((m) => ({ name: m.name, state: m.state, ...(m.error ? { error: m.error } : {}) }));
    },
    async stop(): Promise<void> {
      for (const m of members.values()) await stopMember(m);
      members.clear();
    },
  };
}

export type Members = ReturnType<typeof createMembers>;
