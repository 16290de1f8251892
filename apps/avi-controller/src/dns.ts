// DNS records held by the controller: A records for VsVip dns_info FQDNs (the VIP addresses) and for
// GslbService domain names (the addresses of enabled members of enabled groups). Kept as an index over
// stored objects, current through the store's listeners.

import { ApiError } from './http.js';
import type { Entry, Obj } from './store/store.js';

export interface DnsRecord {
  readonly fqdn: string;
  readonly type: 'A';
  readonly addresses: string[];
  readonly source: { readonly type: string; readonly uuid: string; readonly name: string };
}

export interface Dns {
  onIndex(e: Entry): void;
  onUnindex(e: Entry): void;
  records(): DnsRecord[];
  lookup(fqdn: string): DnsRecord[];
  /** Throws the controller's 400 when a GslbService domain name is already served by another one. */
  checkGslbDomains(obj: Obj): void;
}

function addr(v: unknown): string | undefined {
  const a = (v as { addr?: unknown } | undefined)?.addr;
  return typeof a === 'string' && a !== '' ? a : undefined;
}

function recordsOf(e: Entry): DnsRecord[] {
  const o = e.obj;
  const source = { type: e.type, uuid: o.uuid as string, name: o.name as string };
  if (e.type === 'vsvip') {
    const vips = Array.isArray(o.vip) ? (o.vip as Obj[]) : [];
    const addresses = vips.filter((v) => v.enabled !== false).map((v) => addr(v.ip_address)).filter((a): a is string => !!a);
    const infos = Array.isArray(o.dns_info) ? (o.dns_info as Obj[]) : [];
    return infos
      .map((d) => d.fqdn)
      .filter((f): f is string => typeof f === 'string' && f !== '')
      .map((fqdn) => ({ fqdn: fqdn.toLowerCase(), type: 'A' as const, addresses, source }));
  }
  if (e.type === 'gslbservice') {
    const addresses: string[] = [];
    if (o.enabled !== false) {
      for (const g of Array.isArray(o.groups) ? (o.groups as Obj[]) : []) {
        if (g.enabled === false) continue;
        for (const m of Array.isArray(g.members) ? (g.members as Obj[]) : []) {
          const a = m.enabled === false ? undefined : addr(m.ip);
          if (a && !addresses.includes(a)) addresses.push(a);
        }
      }
    }
    const names = Array.isArray(o.domain_names) ? (o.domain_names as unknown[]) : [];
    return names.filter((f): f is string => typeof f === 'string' && f !== '').map((fqdn) => ({ fqdn: fqdn.toLowerCase(), type: 'A' as const, addresses, source }));
  }
  return [];
}

export function createDns(): Dns {
  const byName = new Map<string, DnsRecord[]>();
  const bySource = new Map<string, DnsRecord[]>();

  return {
    onIndex(e) {
      if (e.type !== 'vsvip' && e.type !== 'gslbservice') return;
      const recs = recordsOf(e);
      if (recs.length === 0) return;
      bySource.set(e.obj.uuid as string, recs);
      for (const r of recs) {
        const l = byName.get(r.fqdn);
        if (l) l.push(r);
        else byName.set(r.fqdn, [r]);
      }
    },
    onUnindex(e) {
      const uuid = e.obj.uuid as string;
      const recs = bySource.get(uuid);
      if (!recs) return;
      bySource.delete(uuid);
      for (const r of recs) {
        const l = byName.get(r.fqdn)?.filter((x) => x.source.uuid !== uuid);
        if (l && l.length > 0) byName.set(r.fqdn, l);
        else byName.delete(r.fqdn);
      }
    },
    records() {
      return [...byName.values()].flat().sort((a, b) => a.fqdn.localeCompare(b.fqdn));
    },
    lookup(fqdn) {
      return byName.get(fqdn.toLowerCase().replace(/\.$/, '')) ?? [];
    },
    checkGslbDomains(obj) {
      const names = Array.isArray(obj.domain_names) ? (obj.domain_names as unknown[]) : [];
      const seen = new Set<string>();
      for (const n of names) {
        if (typeof n !== 'string') continue;
        const f = n.toLowerCase();
        if (seen.has(f)) throw new ApiError(400, `domain name conflicting with existing domain name ${n}`);
        seen.add(f);
        const other = (byName.get(f) ?? []).find((r) => r.source.type === 'gslbservice' && r.source.uuid !== obj.uuid);
        if (other) throw new ApiError(400, `domain name conflicting with existing domain name ${n} of GslbService ${other.source.name}`);
      }
    },
  };
}
