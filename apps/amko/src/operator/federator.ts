// The federator of a leader AMKO (spec amko.md §7, the Go AMKO's amko-federator container, here in-process): copies
// this cluster's GSLBConfig and GlobalDeploymentPolicy to every other cluster of AMKOCluster spec.clusters, through
// the contexts of the members kubeconfig (Secret gslb-config-secret). Each member is validated first: exactly one
// AMKOCluster with the same spec.version (otherwise it is skipped), and no other leader (otherwise the run aborts
// and this AMKO makes no Avi write until that is resolved: two leaders would fight over the same GslbServices).
// GSLBHostRules are not federated. The conditions of each step go to the AMKOCluster's status.
import type * as k8s from '@kubernetes/client-node';
import { rawKube, type Informer, type Logger, type RawKube } from '@avi-k8s/kube';
import type { RawObject } from '../translate/index.js';
import { AMKOCLUSTER_GROUP, AMKOCLUSTER_PLURAL, AMKOCLUSTER_VERSION, clusterRole } from './amko-cluster.js';
import { federateKind, type FederatedKind } from './federate-kind.js';
import { condition, followerConditions, type Condition, type MemberError } from './federation-status.js';
import { MEMBERS_SECRET, memberKubeConfig } from './leader-config.js';

type Custom = RawObject & k8s.KubernetesObject;

export interface FederatorDeps {
  namespace: string;
  logger: Logger;
  amkoClusters: Informer<Custom>;
  gslbConfigs: Informer<Custom>;
  gdps: Informer<Custom>;
  /** The members kubeconfig text (Secret gslb-config-secret), or why there is none. */
  membersKubeconfig: () => { ok: true; value: string } | { ok: false; error: string };
  /** Writes the AMKOCluster's status.conditions (when they differ; fenced by the caller). */
  writeStatus: (obj: RawObject, conditions: Condition[]) => Promise<void>;
  /** HA fence: false = this replica must not write to member clusters. */
  allowed: () => Promise<boolean>;
  /** Called after each run (the Avi sync waits for the first validation). */
  onRun?: () => void;
}

export interface FederationRun {
  /** Something failed: run again (after 10 s). */
  retry: boolean;
  conditions: Condition[];
}

interface Client {
  source: string;
  raw: RawKube;
}

const identity = (o: RawObject) => `${o.metadata?.uid ?? ''}/${o.metadata?.generation ?? ''}`;

export function createFederator(d: FederatorDeps) {
  const log = d.logger;
  const ns = d.namespace;
  const clients = new Map<string, Client>();
  /** The AMKOCluster generation the last run judged, and why the Avi sync must hold (undefined: it may write). */
  let judged: { key: string; block?: string } | undefined;

  function client(text: string, context: string): RawKube | undefined {
    const known = clients.get(context);
    if (known?.source === text) return known.raw;
    known?.raw.close();
    clients.delete(context);
    const kc = memberKubeConfig(text, context);
    if (!kc) return undefined;
    const c = { source: text, raw: rawKube(kc, 4) };
    clients.set(context, c);
    return c.raw;
  }

  async function validate(cluster: string, raw: RawKube, version: string): Promise<{ conflict?: string; error?: string }> {
    let items: RawObject[];
    try {
      items = ((await raw.request('GET', `/apis/${AMKOCLUSTER_GROUP}/${AMKOCLUSTER_VERSION}/namespaces/${encodeURIComponent(ns)}/${AMKOCLUSTER_PLURAL}`)) as { items?: RawObject[] }).items ?? [];
    } catch (err) {
      return { error: `error in getting AMKOCluster list for cluster ${cluster}: ${(err as Error).message}` };
    }
    if (items.some((o) => (o.spec as { isLeader?: unknown } | undefined)?.isLeader === true)) return { conflict: `AMKO in cluster ${cluster} is also a leader, conflicting state` };
    if (items.length > 1) return { error: `more than one AMKOCluster objects present in cluster ${cluster}, can't federate` };
    if (items.length === 0) return { error: `no AMKOCluster object present in cluster ${cluster}, can't federate` };
    const theirs = String((items[0]!.spec as { version?: unknown } | undefined)?.version ?? '');
    if (theirs !== version) return { error: `version mismatch, current AMKO: ${version}, AMKO in cluster ${cluster}: ${theirs}` };
    return {};
  }

  async function run(): Promise<FederationRun> {
    const role = clusterRole(d.amkoClusters.list(), ns);
    if (!role.ok) return { retry: false, conditions: [] };
    const key = identity(role.obj);
    const conditions: Condition[] = [];
    const finish = async (block: string | undefined, retry: boolean): Promise<FederationRun> => {
      judged = { key, ...(block ? { block } : {}) };
      await d.writeStatus(role.obj, conditions);
      d.onRun?.();
      return { retry, conditions };
    };
    if (!role.leader) {
      conditions.push(...followerConditions());
      return finish(undefined, false);
    }
    const { clusterContext: current, version } = role.spec;
    const insane = !current ? "clusterContext field can't be empty in AMKOCluster object" : !version ? "version field can't be empty in AMKOCluster object" : undefined;
    conditions.push(condition('validation', insane));
    if (insane) return finish(`invalid AMKOCluster: ${insane}`, false);

    // Member cluster clients: every context of spec.clusters but this one.
    const clusters = role.spec.clusters ?? [];
    if (!clusters.includes(current)) {
      const e = `error in initialising member cluster contexts: current cluster context ${current} not part of member clusters`;
      conditions.push(condition('initialisation', e));
      return finish(e, true);
    }
    const others = [...new Set(clusters.filter((c) => c !== current))];
    if (others.length === 0) {
      conditions.push(condition('initialisation', undefined));
      return finish(undefined, false);
    }
    const text = d.membersKubeconfig();
    if (!text.ok) {
      const e = `error in fetching the members kubeconfig (Secret ${MEMBERS_SECRET}): ${text.error}`;
      conditions.push(condition('initialisation', e));
      return finish(e, true);
    }
    const initErrors: MemberError[] = [];
    const members: { cluster: string; raw: RawKube }[] = [];
    for (const cluster of others) {
      const raw = client(text.value, cluster);
      if (raw) members.push({ cluster, raw });
      else initErrors.push({ cluster, error: `error in initializing member custer context ${cluster}: no such context in Secret ${MEMBERS_SECRET}` });
    }
    conditions.push(condition('initialisation', undefined, initErrors));
    if (members.length === 0) return finish(undefined, true);

    // Member validation: another leader aborts everything; other problems skip that member.
    const checks = await Promise.all(members.map(async (m) => ({ ...m, ...(await validate(m.cluster, m.raw, version)) })));
    const conflict = checks.find((c) => c.conflict)?.conflict;
    if (conflict) {
      conditions.push(condition('memberValidation', conflict));
      log.error('another AMKO is a leader: no federation and no Avi writes until one of them is a follower', { key: ns, error: conflict });
      return finish(conflict, true);
    }
    const invalid = checks.filter((c) => c.error).map((c) => ({ cluster: c.cluster, error: c.error! }));
    conditions.push(condition('memberValidation', undefined, invalid));
    const valid = checks.filter((c) => !c.error);
    if (valid.length === 0) return finish(undefined, true);

    // Federation of GSLBConfig, then GlobalDeploymentPolicy.
    let failed = initErrors.length > 0 || invalid.length > 0;
    const steps: [FederatedKind, 'gslbConfig' | 'gdp', Informer<Custom>, string][] = [
      ['GSLBConfig', 'gslbConfig', d.gslbConfigs, 'more than one GSLBConfig objects are present in the current cluster'],
      ['GlobalDeploymentPolicy', 'gdp', d.gdps, 'more than one GlobalDeploymentPolicies are present in the current cluster'],
    ];
    for (const [kind, step, informer, tooMany] of steps) {
      const locals = informer.list();
      if (locals.length > 1) {
        conditions.push(condition(step, tooMany));
        return finish(undefined, true);
      }
      if (!(await d.allowed())) return { retry: false, conditions };
      const errors: MemberError[] = [];
      for (const m of valid) {
        try {
          const r = await federateKind(m.raw, kind, ns, locals[0], m.cluster);
          if (r.created + r.updated + r.deleted > 0) log.info('federated', { key: `${m.cluster}/${ns}`, kind, ...r });
        } catch (err) {
          errors.push({ cluster: m.cluster, error: (err as Error).message });
        }
      }
      if (errors.length > 0) log.warn('federation failed on some member clusters', { key: ns, kind, errors: errors.map((e) => e.error) });
      failed ||= errors.length > 0;
      conditions.push(condition(step, undefined, errors));
    }
    return finish(undefined, failed);
  }

  return {
    run,
    /**
     * Why the Avi sync must hold for the AMKOCluster OBJ (a leader): its generation not judged yet, another
     * leader among the members, or an AMKOCluster the federator cannot work with. Undefined: it may write.
     */
    gate(obj: RawObject): string | undefined {
      if (!judged || judged.key !== identity(obj)) return 'validating the member clusters of the AMKOCluster';
      return judged.block;
    },
    close() {
      for (const c of clients.values()) c.raw.close();
      clients.clear();
      judged = undefined;
    },
  };
}

export type Federator = ReturnType<typeof createFederator>;
