// What the DNS server answers for a name: the VIPs of a VsVip's dns_info FQDN (TTL of the cloud's DNS profile),
// and for a GslbService domain name the IPs of the up members of its highest-priority group that has any
// (priority algorithm), the down response when none is up, and the service's ttl.

import type { Ctl } from './context.js';
import type { Resolver } from './dns-wire.js';
import { gslbServiceRuntime } from './runtime.js';
import { refUuid, type Entry, type Obj } from './store/store.js';

export const DEFAULT_TTL = 30;

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const addrOf = (v: unknown): string | undefined => {
  const a = (v as Obj | undefined)?.addr;
  return typeof a === 'string' && a !== '' ? a : undefined;
};

function vsvipTtl(ctl: Ctl, e: Entry): number {
  const cloud = ctl.store.get(refUuid(e.obj.cloud_ref) ?? '');
  const prof = ctl.store.get(refUuid(cloud?.obj.dns_provider_ref) ?? '');
  const ttl = (prof?.obj.internal_profile as Obj | undefined)?.ttl;
  return typeof ttl === 'number' ? ttl : DEFAULT_TTL;
}

/** The addresses a GslbService answers with now. */
export function gslbAddresses(ctl: Ctl, e: Entry): string[] {
  const o = e.obj;
  if (o.enabled === false) return [];
  const rt = gslbServiceRuntime(ctl, e, ctl.identity);
  const rtGroups = list(rt.groups);
  let best: { priority: number; addresses: string[] } | undefined;
  list(o.groups).forEach((g, i) => {
    if (g.enabled === false) return;
    const states = list(rtGroups[i]?.members).map((m) => (m.oper_status as Obj | undefined)?.state);
    const up = list(g.members)
      .filter((m, j) => m.enabled !== false && states[j] === 'OPER_UP')
      .map((m) => addrOf(m.ip))
      .filter((a): a is string => a !== undefined);
    if (up.length === 0) return;
    const priority = typeof g.priority === 'number' ? g.priority : 10;
    if (!best || priority > best.priority) best = { priority, addresses: up };
  });
  if (best) return [...new Set(best.addresses)];
  const down = o.down_response as Obj | undefined;
  if (down?.type === 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP') return addrOf(down.fallback_ip) ? [addrOf(down.fallback_ip)!] : [];
  if (down?.type === 'GSLB_SERVICE_DOWN_RESPONSE_ALL_RECORDS') {
    const all = list(o.groups).filter((g) => g.enabled !== false).flatMap((g) => list(g.members).filter((m) => m.enabled !== false).map((m) => addrOf(m.ip)));
    return [...new Set(all.filter((a): a is string => a !== undefined))];
  }
  return [];
}

export function createResolver(ctl: Ctl): Resolver {
  return (fqdn) => {
    const recs = ctl.dns.lookup(fqdn);
    if (recs.length === 0) return undefined;
    const addresses: string[] = [];
    let ttl: number | undefined;
    for (const r of recs) {
      const e = ctl.store.get(r.source.uuid);
      if (!e) continue;
      if (e.type === 'gslbservice') {
        addresses.push(...gslbAddresses(ctl, e));
        ttl ??= typeof e.obj.ttl === 'number' ? e.obj.ttl : DEFAULT_TTL;
      } else {
        addresses.push(...r.addresses);
        ttl ??= vsvipTtl(ctl, e);
      }
    }
    return { addresses: [...new Set(addresses)], ttl: ttl ?? DEFAULT_TTL };
  };
}
