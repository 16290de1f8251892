// The Store's index of Avi name claims (translate/name-claims.ts): which Ingresses and LoadBalancer Services claim
// each Avi name, from which source. A name claimed from two sources makes its claimants competitors: each one's unit
// reads the others (snapshotFor) and is translated again when one of them changes. Names claimed from one source
// only (the usual case) add nothing to any unit.
import type * as k8s from '@kubernetes/client-node';
import type { AkoConfig } from '../translate/index.js';
import { hostPaths } from '../translate/ingress.js';
import { claimedNames } from '../translate/name-claims.js';
import { hash53 } from './hash53.js';

/** `Ingress/<ns>/<name>` or `Service/<ns>/<name>`. */
export type ClaimantKey = string;

interface Claim {
  readonly source: number;
  readonly who: ClaimantKey;
}

/**
 * Names and sources are held as hashes (hash53.ts), not strings: at 10k hosts the index held ~118k name and source
 * strings (~16 MiB of a ~230 MiB heap). A hash shared by two names only makes their claimants read each other (one
 * more object in a unit's view, the same translation); two sources of one name sharing a hash (hiding a
 * competition) is a 2^-53 chance.
 */
export function createClaimIndex(config: AkoConfig) {
  /** Claimant -> the hashes of the names it claims. */
  const claimsOf = new Map<ClaimantKey, number[]>();
  /**
   * Name hash -> its claims. Nearly every name has one claimant: it is held as one Claim, not in a collection (at 10k
   * hosts a Map and a Set per name were ~4 MiB of the heap).
   */
  const byName = new Map<number, Claim | Claim[]>();

  const claims = (kind: 'Ingress' | 'Service', o: k8s.KubernetesObject): { name: string; source: string }[] => {
    if (kind === 'Ingress') return claimedNames(config, 'Ingress', hostPaths(config, o as k8s.V1Ingress).entries);
    const svc = o as k8s.V1Service;
    return svc.spec?.type === 'LoadBalancer' ? claimedNames(config, 'Service', svc) : [];
  };

  function add(name: number, claim: Claim): void {
    const cur = byName.get(name);
    if (cur === undefined) byName.set(name, claim);
    else if (Array.isArray(cur)) cur.push(claim);
    else byName.set(name, [cur, claim]);
  }

  function remove(who: ClaimantKey): void {
    for (const name of claimsOf.get(who) ?? []) {
      const cur = byName.get(name);
      if (cur === undefined) continue;
      const rest = (Array.isArray(cur) ? cur : [cur]).filter((c) => c.who !== who);
      if (rest.length === 0) byName.delete(name);
      else byName.set(name, rest.length === 1 ? rest[0]! : rest);
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
      const names = new Set<number>();
      // One claimant claims a name once per source at most (several entries of one host share its names).
      const seen = new Set<string>();
      for (const { name, source } of list) {
        const h = hash53(name);
        const src = hash53(source);
        if (seen.has(`${h}:${src}`)) continue;
        seen.add(`${h}:${src}`);
        names.add(h);
        add(h, { source: src, who });
      }
      claimsOf.set(who, [...names]);
    },

    /** The other claimants of the names `kind/key` claims that are claimed from more than one source. */
    competitors(kind: 'Ingress' | 'Service', key: string): ClaimantKey[] {
      const who = `${kind}/${key}`;
      const out = new Set<ClaimantKey>();
      for (const name of claimsOf.get(who) ?? []) {
        const cur = byName.get(name);
        if (!Array.isArray(cur) || new Set(cur.map((c) => c.source)).size < 2) continue;
        for (const c of cur) if (c.who !== who) out.add(c.who);
      }
      return [...out];
    },
  };
}

export type ClaimIndex = ReturnType<typeof createClaimIndex>;
