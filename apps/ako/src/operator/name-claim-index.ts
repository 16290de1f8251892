// The Store's index of Avi name claims (translate/name-claims.ts): which Ingresses and LoadBalancer Services claim
// each Avi name, from which source. A name claimed from two sources makes its claimants competitors: each one's unit
// reads the others (snapshotFor) and is translated again when one of them changes. Names claimed from one source
// only (the usual case) add nothing to any unit.
import type * as k8s from '@kubernetes/client-node';
import type { AkoConfig } from '../translate/index.js';
import { hostPaths } from '../translate/ingress.js';
import { claimedNames } from '../translate/name-claims.js';

/** `Ingress/<ns>/<name>` or `Service/<ns>/<name>`. */
export type ClaimantKey = string;

export function createClaimIndex(config: AkoConfig) {
  const claimsOf = new Map<ClaimantKey, { name: string; source: string }[]>();
  /** Avi `<type>/<name>` -> source -> claimants. */
  const byName = new Map<string, Map<string, Set<ClaimantKey>>>();

  const claims = (kind: 'Ingress' | 'Service', o: k8s.KubernetesObject): { name: string; source: string }[] => {
    if (kind === 'Ingress') return claimedNames(config, 'Ingress', hostPaths(config, o as k8s.V1Ingress).entries);
    const svc = o as k8s.V1Service;
    return svc.spec?.type === 'LoadBalancer' ? claimedNames(config, 'Service', svc) : [];
  };

  function remove(who: ClaimantKey): void {
    for (const { name, source } of claimsOf.get(who) ?? []) {
      const sources = byName.get(name);
      const set = sources?.get(source);
      if (!sources || !set) continue;
      set.delete(who);
      if (set.size === 0) sources.delete(source);
      if (sources.size === 0) byName.delete(name);
    }
    claimsOf.delete(who);
  }

  return {
    /** Indexes (or, with `o` undefined, forgets) the claims of one Ingress or Service. */
    update(kind: 'Ingress' | 'Service', key: string, o: k8s.KubernetesObject | undefined): void {
      const who = `${kind}/${key}`;
      remove(who);
      if (!o) return;
      const list = claims(kind, o);
      if (list.length === 0) return;
      claimsOf.set(who, list);
      for (const { name, source } of list) {
        const sources = byName.get(name) ?? byName.set(name, new Map()).get(name)!;
        (sources.get(source) ?? sources.set(source, new Set()).get(source)!).add(who);
      }
    },

    /** The other claimants of the names `kind/key` claims that are claimed from more than one source. */
    competitors(kind: 'Ingress' | 'Service', key: string): ClaimantKey[] {
      const who = `${kind}/${key}`;
      const out = new Set<ClaimantKey>();
      for (const { name } of claimsOf.get(who) ?? []) {
        const sources = byName.get(name);
        if (!sources || sources.size < 2) continue;
        for (const set of sources.values()) for (const x of set) if (x !== who) out.add(x);
      }
      return [...out];
    },
  };
}

export type ClaimIndex = ReturnType<typeof createClaimIndex>;
