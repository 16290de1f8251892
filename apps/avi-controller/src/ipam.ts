// IPAM: VIPs for VsVip objects from the static ranges of a network (the vip's ipam_network_subnet
// network, else the usable networks of the cloud's IPAM profile). The set of addresses in use is an
// index over stored VsVips, kept current by the store (so it follows rollbacks and journal replay).

import { ApiError } from './http.js';
import type { Entry, Obj, Store } from './store/store.js';
import { refUuid } from './store/store.js';
import { canonicalV6, inRanges6, networkRanges6, pick6, prefix6, v6ToBig } from './ipam-v6.js';

export interface Ipam {
  /** Store listener: an object was indexed / unindexed. */
  onIndex(e: Entry): void;
  onUnindex(e: Entry): void;
  /** Fills `vip[]` addresses of a VsVip being written; `prev` is the stored version on update. */
  assign(store: Store, obj: Obj, prev: Obj | undefined, cloud: string | undefined): void;
  /** Address -> owning VsVip uuid. */
  readonly owners: ReadonlyMap<string, string>;
}

type Vip = Record<string, unknown>;

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function addrOf(v: unknown): string | undefined {
  const a = (v as { addr?: unknown } | undefined)?.addr;
  return typeof a === 'string' ? a : undefined;
}

function vipAddrs(obj: Obj): string[] {
  const out: string[] = [];
  const vips = Array.isArray(obj.vip) ? (obj.vip as Vip[]) : [];
  for (const v of vips) {
    for (const k of ['ip_address', 'floating_ip']) {
      const a = addrOf(v[k]);
      if (a) out.push(a);
    }
    const a6 = addrOf(v.ip6_address);
    if (a6) out.push(canonicalV6(a6));
  }
  return out;
}

export interface Range {
  begin: number;
  end: number;
}

/** VIP ranges of a Network object: `static_ip_ranges` of type VIP or VIP_AND_SE, and legacy `static_ranges`. */
export function networkRanges(network: Obj): Range[] {
  const out: Range[] = [];
  const subnets = Array.isArray(network.configured_subnets) ? (network.configured_subnets as Obj[]) : [];
  for (const s of subnets) {
    const ranges = Array.isArray(s.static_ip_ranges) ? (s.static_ip_ranges as Obj[]) : [];
    for (const r of ranges) {
      const type = (r.type as string | undefined) ?? 'STATIC_IPS_FOR_VIP_AND_SE';
      if (type === 'STATIC_IPS_FOR_SE') continue;
      const range = r.range as Obj | undefined;
      const b = ipToInt(addrOf(range?.begin) ?? '');
      const e = ipToInt(addrOf(range?.end) ?? '');
      if (b !== undefined && e !== undefined && b <= e) out.push({ begin: b, end: e });
    }
    const legacy = Array.isArray(s.static_ranges) ? (s.static_ranges as Obj[]) : [];
    for (const r of legacy) {
      const b = ipToInt(addrOf(r.begin) ?? '');
      const e = ipToInt(addrOf(r.end) ?? '');
      if (b !== undefined && e !== undefined && b <= e) out.push({ begin: b, end: e });
    }
  }
  return out;
}

export function createIpam(): Ipam {
  const owners = new Map<string, string>();
  /**
   * Per range (`begin-end`), an address below which every address had an owner when it was set: picking the lowest
   * free address starts there instead of scanning the range from its start for every VIP (quadratic in the VIPs of a
   * network). Adding owners keeps it true; onUnindex lowers it to each address it frees.
   */
  const hints = new Map<string, { begin: number; end: number; next: number }>();

  function inRanges(ranges: Range[], ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && ranges.some((r) => n >= r.begin && n <= r.end);
  }

  /**
   * The lowest address of the ranges that is unowned or owned by `self`, and not `taken` by this write. `mine`: the
   * addresses of self's stored version, the only owned ones below a hint that may be picked.
   */
  function pick(ranges: Range[], self: string, taken: Set<string>, mine: readonly string[]): string | undefined {
    for (const r of ranges) {
      const key = `${r.begin}-${r.end}`;
      let hint = hints.get(key);
      if (!hint) hints.set(key, (hint = { begin: r.begin, end: r.end, next: r.begin }));
      while (hint.next <= r.end && owners.has(intToIp(hint.next))) hint.next++;
      // Below the hint every address has an owner: of those, only self's own may be picked.
      let own: number | undefined;
      for (const ip of mine) {
        const n = ipToInt(ip);
        if (n !== undefined && n >= r.begin && n < hint.next && (own === undefined || n < own) && owners.get(ip) === self && !taken.has(ip)) own = n;
      }
      if (own !== undefined) return intToIp(own);
      for (let n = hint.next; n <= r.end; n++) {
        const ip = intToIp(n);
        const o = owners.get(ip);
        if ((o === undefined || o === self) && !taken.has(ip)) return ip;
      }
    }
    return undefined;
  }

  function candidateNetworks(store: Store, vip: Vip, cloud: string | undefined): Obj[] {
    const sub = vip.ipam_network_subnet as Obj | undefined;
    const ref = refUuid(sub?.network_ref) ?? refUuid(vip.network_ref);
    if (ref) {
      const n = store.get(ref);
      return n ? [n.obj] : [];
    }
    const c = cloud ? store.get(cloud) : undefined;
    const ipamUuid = refUuid(c?.obj.ipam_provider_ref);
    const prof = ipamUuid ? store.get(ipamUuid)?.obj : undefined;
    const internal = prof?.internal_profile as Obj | undefined;
    const refs: unknown[] = [];
    if (Array.isArray(internal?.usable_networks)) for (const u of internal.usable_networks as Obj[]) refs.push(u.nw_ref);
    if (Array.isArray(internal?.usable_network_refs)) refs.push(...(internal.usable_network_refs as unknown[]));
    const out: Obj[] = [];
    for (const r of refs) {
      const n = store.get(refUuid(r) ?? '');
      if (n) out.push(n.obj);
    }
    return out;
  }

  return {
    owners,
    onIndex(e) {
      if (e.type !== 'vsvip') return;
      for (const a of vipAddrs(e.obj)) owners.set(a, e.obj.uuid as string);
    },
    onUnindex(e) {
      if (e.type !== 'vsvip') return;
      for (const a of vipAddrs(e.obj)) {
        if (owners.get(a) !== e.obj.uuid) continue;
        owners.delete(a);
        const n = ipToInt(a);
        if (n !== undefined) for (const h of hints.values()) if (n >= h.begin && n < h.next) h.next = n;
      }
    },
    assign(store, obj, prev, cloud) {
      const self = obj.uuid as string;
      const vips = Array.isArray(obj.vip) ? (obj.vip as Vip[]) : [];
      const prevVips = prev && Array.isArray(prev.vip) ? (prev.vip as Vip[]) : [];
      const taken = new Set<string>();
      const mine = prev ? vipAddrs(prev) : [];
      const free = (ip: string): boolean => {
        const o = owners.get(ip);
        return (o === undefined || o === self) && !taken.has(ip);
      };
      // The IPv6 address of an auto-allocated vip of type V6_ONLY or V4_V6 (ip6_address).
      const ipv6 = (v: Vip, before: Vip | undefined): void => {
        const prev6 = before && before.avi_allocated_vip === true ? addrOf(before.ip6_address) : undefined;
        const given = addrOf(v.ip6_address);
        if (prev6 !== undefined) {
          if (given !== undefined && canonicalV6(given) !== canonicalV6(prev6)) {
            throw new ApiError(400, 'If a new preferred IP is needed, please recreate the VIP');
          }
          v.ip6_address = { addr: prev6, type: 'V6' };
          taken.add(canonicalV6(prev6));
          return;
        }
        const nets = candidateNetworks(store, v, cloud);
        if (nets.length === 0) throw new ApiError(400, 'No available free IPv6 IPs: no IPAM network found for the VIP');
        const names = nets.map((n) => n.name).join(', ');
        const sub6 = (v.ipam_network_subnet as Obj | undefined)?.subnet6;
        const want = sub6 === undefined ? undefined : prefix6(sub6);
        if (sub6 !== undefined && want === undefined) throw new ApiError(400, 'ipam_network_subnet.subnet6 must be an IPv6 prefix {ip_addr: {addr, type: V6}, mask: 0-128}');
        const ranges = nets.flatMap((n) => networkRanges6(n, want));
        if (ranges.length === 0) {
          const what = sub6 === undefined ? 'an IPv6 subnet' : `the IPv6 subnet ${(sub6 as { ip_addr: { addr: string } }).ip_addr.addr}/${want!.mask}`;
          throw new ApiError(400, `No available free IPv6 IPs: network ${names} has no static VIP range in ${what}`);
        }
        if (given !== undefined) {
          const n = v6ToBig(given);
          if (n === undefined) throw new ApiError(400, `ip6_address ${given} is not an IPv6 address`);
          if (!free(canonicalV6(given))) throw new ApiError(400, `Preferred IP ${given} is already in use; No available free IPs for the requested address`);
          if (!inRanges6(ranges, n)) throw new ApiError(400, `Preferred IP ${given} is not in the static ranges of the VIP network`);
          v.ip6_address = { addr: given, type: 'V6' };
          taken.add(canonicalV6(given));
          return;
        }
        const ip = pick6(ranges, free);
        if (ip === undefined) throw new ApiError(400, `No available free IPv6 IPs in network ${names}`);
        v.ip6_address = { addr: ip, type: 'V6' };
        taken.add(ip);
      };
      const primary = (v: Vip, before: Vip | undefined): void => {
        const wanted = addrOf(v.ip_address);
        const ipType = (v.auto_allocate_ip_type as string | undefined) ?? 'V4_ONLY';
        if (!['V4_ONLY', 'V6_ONLY', 'V4_V6'].includes(ipType)) {
          throw new ApiError(400, `Invalid auto_allocate_ip_type ${JSON.stringify(ipType)}: must be one of V4_ONLY, V6_ONLY, V4_V6`);
        }
        const static6 = v.auto_allocate_ip === true ? undefined : addrOf(v.ip6_address);
        if (static6 !== undefined) {
          if (!free(canonicalV6(static6))) throw new ApiError(400, `IP address ${static6} is already in use by another VsVip`);
          taken.add(canonicalV6(static6));
        }
        if (v.auto_allocate_ip === true && ipType !== 'V4_ONLY') {
          ipv6(v, before);
          if (ipType === 'V6_ONLY') {
            v.avi_allocated_vip = true;
            return;
          }
        }
        if (v.auto_allocate_ip === true) {
          const prevAddr = before && before.avi_allocated_vip === true ? addrOf(before.ip_address) : undefined;
          if (prevAddr !== undefined) {
            if (wanted !== undefined && wanted !== prevAddr) {
              throw new ApiError(400, 'If a new preferred IP is needed, please recreate the VIP');
            }
            v.ip_address = { addr: prevAddr, type: 'V4' };
            v.avi_allocated_vip = true;
            taken.add(prevAddr);
            return;
          }
          const nets = candidateNetworks(store, v, cloud);
          const ranges = nets.flatMap(networkRanges);
          if (wanted !== undefined) {
            // A preferred IP: honoured when it is in the network's ranges and free.
            const o = owners.get(wanted);
            if ((o !== undefined && o !== self) || taken.has(wanted)) {
              throw new ApiError(400, `Preferred IP ${wanted} is already in use; No available free IPs for the requested address`);
            }
            if (ranges.length > 0 && !inRanges(ranges, wanted)) {
              throw new ApiError(400, `Preferred IP ${wanted} is not in the static ranges of the VIP network`);
            }
            v.avi_allocated_vip = true;
            taken.add(wanted);
            return;
          }
          if (nets.length === 0) throw new ApiError(400, 'No available free IPs: no IPAM network found for the VIP');
          const ip = pick(ranges, self, taken, mine);
          if (ip === undefined) {
            const names = nets.map((n) => n.name).join(', ');
            throw new ApiError(400, `No available free IPs in network ${names}`);
          }
          v.ip_address = { addr: ip, type: 'V4' };
          v.avi_allocated_vip = true;
          taken.add(ip);
        } else if (wanted !== undefined) {
          const o = owners.get(wanted);
          if ((o !== undefined && o !== self) || taken.has(wanted)) {
            throw new ApiError(400, `IP address ${wanted} is already in use by another VsVip`);
          }
          if (v.avi_allocated_vip === undefined) v.avi_allocated_vip = false;
          taken.add(wanted);
        }
      };
      for (const v of vips) {
        const before = prevVips.find((p) => p.vip_id === v.vip_id);
        primary(v, before);
        if (v.auto_allocate_floating_ip === true && addrOf(v.floating_ip) === undefined) {
          const prevF = before ? addrOf(before.floating_ip) : undefined;
          v.floating_ip = { addr: prevF ?? pick(candidateNetworks(store, v, cloud).flatMap(networkRanges), self, taken, mine) ?? '', type: 'V4' };
          if (addrOf(v.floating_ip) === '') throw new ApiError(400, 'No available free IPs for the floating IP');
          taken.add(addrOf(v.floating_ip)!);
          v.avi_allocated_fip = true;
        }
      }
    },
  };
}
