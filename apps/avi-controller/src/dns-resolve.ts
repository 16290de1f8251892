// What the DNS server answers for a name: the VIPs of a VsVip's dns_info FQDN (TTL of the cloud's DNS profile),
// and for a GslbService domain name (only that, even when member VSes hold the same FQDN) the IPs of the up members
// of its highest-priority group that has any, led in turn by weight (member ratio), the down response when none is
// up, and the service's ttl.

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

interface Member {
  addr: string;
  ratio: number;
}

/** The members a GslbService answers with now: the up members of its best group (or its down response). */
export function gslbMembers(ctl: Ctl, e: Entry): Member[] {
  const o = e.obj;
  if (o.enabled === false) return [];
  const rt = gslbServiceRuntime(ctl, e, ctl.identity);
  const rtGroups = list(rt.groups);
  let best: { priority: number; members: Member[] } | undefined;
  list(o.groups).forEach((g, i) => {
    const priority = typeof g.priority === 'number' ? g.priority : 10;
    // Priority 0: never chosen.
    if (g.enabled === false || priority === 0) return;
    const states = list(rtGroups[i]?.members).map((m) => (m.oper_status as Obj | undefined)?.state);
    const up: Member[] = [];
    list(g.members).forEach((m, j) => {
      const addr = addrOf(m.ip);
      if (m.enabled === false || states[j] !== 'OPER_UP' || addr === undefined || up.some((x) => x.addr === addr)) return;
      up.push({ addr, ratio: typeof m.ratio === 'number' && m.ratio > 0 ? m.ratio : 1 });
    });
    if (up.length === 0) return;
    if (!best || priority > best.priority) best = { priority, members: up };
  });
  if (best) return best.members;
  const down = o.down_response as Obj | undefined;
  if (down?.type === 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP') return addrOf(down.fallback_ip) ? [{ addr: addrOf(down.fallback_ip)!, ratio: 1 }] : [];
  if (down?.type === 'GSLB_SERVICE_DOWN_RESPONSE_ALL_RECORDS') {
    const all = list(o.groups).filter((g) => g.enabled !== false).flatMap((g) => list(g.members).filter((m) => m.enabled !== false).map((m) => addrOf(m.ip)));
    return [...new Set(all.filter((a): a is string => a !== undefined))].map((addr) => ({ addr, ratio: 1 }));
  }
  return [];
}

/**
 * Smooth weighted round robin over a service's members, one step per query: the member picked first leads the
 * answer, so each member leads a share of the answers equal to its share of the ratios; `num_dns_ip` (0 or unset:
 * all) cuts the answer after that many addresses.
 */
export function createRotation(): (key: string, members: readonly Member[], count: number) => string[] {
  const state = new Map<string, Map<string, number>>();
  return (key, members, count) => {
    if (members.length === 0) return [];
    const cur = state.get(key) ?? new Map<string, number>();
    state.set(key, cur);
    for (const a of [...cur.keys()]) if (!members.some((m) => m.addr === a)) cur.delete(a);
    const total = members.reduce((n, m) => n + m.ratio, 0);
    let lead = members[0]!;
    for (const m of members) {
      cur.set(m.addr, (cur.get(m.addr) ?? 0) + m.ratio);
      if (cur.get(m.addr)! > cur.get(lead.addr)!) lead = m;
    }
    cur.set(lead.addr, cur.get(lead.addr)! - total);
    const i = members.indexOf(lead);
    const ordered = [...members.slice(i), ...members.slice(0, i)].map((m) => m.addr);
    return count > 0 ? ordered.slice(0, count) : ordered;
  };
}

export function createResolver(ctl: Ctl): Resolver {
  const rotate = createRotation();
  return (fqdn) => {
    const recs = ctl.dns.lookup(fqdn);
    if (recs.length === 0) return undefined;
    const entries = recs.map((r) => ({ r, e: ctl.store.get(r.source.uuid) })).filter((x): x is { r: (typeof recs)[number]; e: Entry } => x.e !== undefined);
    // A GSLB FQDN is answered from its GslbService only, never merged with the records of member VSes.
    const gslb = entries.filter((x) => x.e.type === 'gslbservice');
    if (gslb.length > 0) {
      const gs = gslb[0]!.e;
      const n = typeof gs.obj.num_dns_ip === 'number' ? gs.obj.num_dns_ip : 0;
      return { addresses: rotate(gs.obj.uuid as string, gslbMembers(ctl, gs), n), ttl: typeof gs.obj.ttl === 'number' ? gs.obj.ttl : DEFAULT_TTL };
    }
    const addresses: string[] = [];
    let ttl: number | undefined;
    for (const { r, e } of entries) {
      addresses.push(...r.addresses);
      ttl ??= vsvipTtl(ctl, e);
    }
    return { addresses: [...new Set(addresses)], ttl: ttl ?? DEFAULT_TTL };
  };
}
