// AKO HostRules read from the member clusters (spec amko.md §2.5, §4.1; the Go AMKO's
// gslb/ingestion/member_controllers.go:AddHostRule and gslbutils/fqdn.go): only Accepted ones count.
// - a TLS certificate (`virtualhost.tls.sslKeyCertificate.name`) marks that host of that cluster as TLS;
// - default mode: `virtualhost.aliases` become extra domain names of the GslbService named as the host;
// - custom global FQDN mode (GSLBConfig `useCustomGlobalFqdn`): `virtualhost.gslb.fqdn` names the GslbService of that
//   (cluster, host), and its aliases are domain names only with `gslb.includeAliases: true`.
import type { MemberSnapshot, RawObject } from './types.js';

interface Rule {
  cluster: string;
  host: string;
  aliases: string[];
  tls: boolean;
  globalFqdn?: string;
  includeAliases: boolean;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function parse(cluster: string, hr: RawObject): Rule | undefined {
  if (rec(hr.status).status !== 'Accepted') return undefined;
  const vh = rec(rec(hr.spec).virtualhost);
  const host = str(vh.fqdn);
  if (!host) return undefined;
  const gslb = rec(vh.gslb);
  const globalFqdn = str(gslb.fqdn);
  return {
    cluster,
    host,
    aliases: Array.isArray(vh.aliases) ? vh.aliases.filter((a): a is string => typeof a === 'string' && a !== '') : [],
    tls: str(rec(rec(vh.tls).sslKeyCertificate).name) !== undefined,
    ...(globalFqdn ? { globalFqdn } : {}),
    includeAliases: gslb.includeAliases === true,
  };
}

export interface HostRuleView {
  /** Whether a HostRule makes this host of this cluster TLS. */
  tls(cluster: string, host: string): boolean;
  /** The GslbService name for this host of this cluster; undefined in custom mode without a mapping. */
  gsName(cluster: string, host: string): string | undefined;
  /**
   * Extra domain names per GslbService name, for the GslbServices in `existing`. An alias goes to the first
   * GslbService claiming it (clusters by name, HostRules by namespace/name); later claims by other GSs are ignored.
   */
  aliases(existing: ReadonlySet<string>): Map<string, string[]>;
}

export function hostRuleView(members: readonly MemberSnapshot[], customFqdn: boolean): HostRuleView {
  const rules: Rule[] = [];
  const key = (o: RawObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  for (const m of [...members].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const hr of [...(m.hostRules ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : 1))) {
      const r = parse(m.name, hr);
      if (r) rules.push(r);
    }
  }
  const byHost = new Map<string, Rule>();
  for (const r of rules) if (!byHost.has(`${r.cluster}/${r.host}`)) byHost.set(`${r.cluster}/${r.host}`, r);
  return {
    tls: (cluster, host) => byHost.get(`${cluster}/${host}`)?.tls === true,
    gsName: (cluster, host) => (customFqdn ? byHost.get(`${cluster}/${host}`)?.globalFqdn : host),
    aliases(existing) {
      const owner = new Map<string, string>();
      const out = new Map<string, string[]>();
      for (const r of byHost.values()) {
        const gs = customFqdn ? (r.includeAliases ? r.globalFqdn : undefined) : r.host;
        if (!gs || !existing.has(gs)) continue;
        for (const alias of r.aliases) {
          if (alias === gs || owner.has(alias)) continue;
          owner.set(alias, gs);
          (out.get(gs) ?? out.set(gs, []).get(gs)!).push(alias);
        }
      }
      return out;
    },
  };
}
