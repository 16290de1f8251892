/**
 * Host ownership (README "Host ownership"): a host, with its paths and TLS, belongs to the namespace of the Ingress
 * that claimed it first (creationTimestamp, then namespace/name). Ingresses of other namespaces naming the host are
 * rejected for it: their entries are dropped before anything reads them (not their backends, not their Secret), so
 * they never change the owner's pools, routes or certificate. Several Ingresses of the owner's namespace keep sharing
 * the host. This is the Go AKO's `fqdnReusePolicy: Strict`, decided by age instead of event order; its default
 * (InterNamespaceAllowed) lets any namespace add paths to any host, and is not offered.
 */
import type { V1Ingress } from '@kubernetes/client-node';
import { claimantOf, describe, olderFirst, type Claimant } from './age.js';
import { rejected, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { hostTable, type HostPath, type HostRejections } from './ingress.js';
import { entriesConfig } from './infra-setting.js';
import { hostUnit } from './shard.js';
import { entryLoss, hostSecretOf, nameConflicts, tooLongName, type LostName } from './name-claims.js';
import { nsName, type SnapshotIndex } from './snapshot.js';

const hostBelongs = (host: string): string => (host === '' ? 'the host-less rules and defaultBackend (no host) belong' : `host ${host} belongs`);

/** The reason given to a HostRule of another namespace than the host's (and AKO's) for that host. */
export function foreignHostRuleReason(host: string, owner: string, ruleNamespace: string, akoNamespace: string | undefined): string {
  return (
    `host ${host} belongs to namespace ${owner}: a HostRule of namespace ${ruleNamespace} does not apply to it ` +
    `(only one of the host's namespace${akoNamespace ? ` or of AKO's namespace ${akoNamespace}` : ''})`
  );
}

/** The reason given to an Ingress of `loser` namespace for a host `owner` claimed first. */
export function notOwnerReason(host: string, owner: Claimant, loser: Claimant): string {
  return (
    `${hostBelongs(host)} to namespace ${owner.namespace} (${describe(owner)} claimed it first): ` +
    `not served for ${describe(loser)}`
  );
}

/**
 * Per host (in place): keeps only the entries of the owner's namespace, then drops the entries that lost an Avi name
 * (name-claims.ts); a host left with no entry is removed. Returns, per host where entries were dropped, every entry
 * that claimed it and the verdicts of the Ingresses whose entries were dropped, and the sources that lost a name
 * (for the Services' verdicts).
 */
export function guardHosts(
  idx: SnapshotIndex,
  c: AkoConfig,
  byHost: Map<string, HostPath[]>,
  ours: readonly V1Ingress[],
): { rejections: Map<string, HostRejections>; lostNames: Map<string, LostName> } {
  const ingresses = new Map(ours.map((i) => [nsName(i.metadata?.namespace, i.metadata?.name), i]));
  const claimant = (namespace: string, ingress: string): Claimant =>
    claimantOf('Ingress', ingresses.get(nsName(namespace, ingress)) ?? { metadata: { namespace, name: ingress } });
  const claimed = new Map<string, readonly HostPath[]>();
  const verdicts = new Map<string, Verdict[]>();
  for (const [host, entries] of byHost) {
    if (entries.every((e) => e.namespace === entries[0]!.namespace)) continue;
    const claimants = new Map<string, Claimant>();
    for (const e of entries) claimants.set(`${e.namespace}/${e.ingress}`, claimant(e.namespace, e.ingress));
    const owner = [...claimants.values()].sort(olderFirst)[0]!;
    claimed.set(host, entries);
    byHost.set(host, entries.filter((e) => e.namespace === owner.namespace));
    verdicts.set(host, [...claimants.values()].filter((x) => x.namespace !== owner.namespace).map((x) => rejected('Ingress', x.namespace, x.name, notOwnerReason(host, owner, x))));
  }
  // Names longer than the controller takes (the Go AKO skips those objects): the entry is not served, and its
  // pool never holds up the shared pool group of every other team.
  if (!c.enableEVH) {
    for (const [host, entries] of [...byHost]) {
      const security = hostSecretOf(entries);
      const kept = entries.filter((e) => {
        const long = tooLongName(c, e, security);
        if (long) (verdicts.get(host) ?? verdicts.set(host, []).get(host)!).push(rejected('Ingress', e.namespace, e.ingress, long));
        return !long;
      });
      if (kept.length === entries.length) continue;
      if (!claimed.has(host)) claimed.set(host, entries);
      if (kept.length > 0) byHost.set(host, kept);
      else byHost.delete(host);
    }
  }
  const lostNames = nameConflicts(idx, c, byHost, (e) => claimant(e.namespace, e.ingress));
  if (lostNames.size > 0) {
    for (const [host, entries] of [...byHost]) {
      const security = hostSecretOf(entries);
      const survivors = entries.filter((e) => {
        const lost = entryLoss(lostNames, c, e, security);
        if (lost) (verdicts.get(host) ?? verdicts.set(host, []).get(host)!).push(rejected('Ingress', e.namespace, e.ingress, lost));
        return !lost;
      });
      if (survivors.length === entries.length) continue;
      if (!claimed.has(host)) claimed.set(host, entries);
      if (survivors.length > 0) byHost.set(host, survivors);
      else byHost.delete(host);
    }
  }
  const rejections = new Map<string, HostRejections>();
  for (const [host, v] of verdicts) rejections.set(host, { claimed: claimed.get(host)!, verdicts: v });
  return { rejections, lostNames };
}

/** The verdicts of the entries dropped from the hosts of one L7 unit (`L7/<shard>` or `L7Dedicated/<host>`). */
export function droppedVerdicts(idx: SnapshotIndex, c: AkoConfig, unit: string): Verdict[] {
  const out: Verdict[] = [];
  for (const [host, r] of hostTable(idx, c).rejections) if (hostUnit(entriesConfig(idx, c, r.claimed), host) === unit) out.push(...r.verdicts);
  return out;
}
