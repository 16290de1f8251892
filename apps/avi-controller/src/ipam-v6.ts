// IPv6 side of the IPAM: parsing/printing IPv6 addresses as bigints, and the IPv6 VIP ranges of a Network
// (configured_subnets whose prefix is a V6 address, their static_ip_ranges of a VIP type), optionally narrowed to
// the subnet a VsVip vip names in ipam_network_subnet.subnet6.

import type { Obj } from './store/store.js';

const MAX = (1n << 128n) - 1n;

/** An IPv6 address (with `::` and an optional dotted IPv4 tail) as a 128-bit integer, or undefined. */
export function v6ToBig(ip: string): bigint | undefined {
  if (!ip.includes(':') || /[^0-9a-fA-F:.]/.test(ip)) return undefined;
  let text = ip;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const o = tail.slice(1).map(Number);
    if (o.some((x) => x > 255)) return undefined;
    text = `${text.slice(0, tail.index)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** The RFC 5952 text of a 128-bit integer: lower case, the longest run of two or more zero groups as `::`. */
export function bigToV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an IPv6 address, or the input unchanged when it is not one. */
export function canonicalV6(ip: string): string {
  const n = v6ToBig(ip);
  return n === undefined ? ip : bigToV6(n);
}

export interface Range6 {
  begin: bigint;
  end: bigint;
}

interface Prefix6 {
  net: bigint;
  mask: number;
}

const maskBits = (mask: number): bigint => (mask <= 0 ? 0n : (MAX << BigInt(128 - Math.min(128, mask))) & MAX);

/** An IpAddrPrefix `{ip_addr: {addr}, mask}` as an IPv6 network (address masked), or undefined when not IPv6. */
export function prefix6(p: unknown): Prefix6 | undefined {
  const o = p as { ip_addr?: { addr?: unknown }; mask?: unknown } | undefined;
  const addr = typeof o?.ip_addr?.addr === 'string' ? v6ToBig(o.ip_addr.addr) : undefined;
  const mask = typeof o?.mask === 'number' ? o.mask : undefined;
  if (addr === undefined || mask === undefined || !Number.isInteger(mask) || mask < 0 || mask > 128) return undefined;
  return { net: addr & maskBits(mask), mask };
}

/** The IPv6 subnets (prefixes) configured on a network. */
export function networkPrefixes6(network: Obj): Prefix6[] {
  const subnets = Array.isArray(network.configured_subnets) ? (network.configured_subnets as Obj[]) : [];
  return subnets.map((s) => prefix6(s.prefix)).filter((p): p is Prefix6 => p !== undefined);
}

/**
 * IPv6 VIP ranges of a network: `static_ip_ranges` (type VIP or VIP_AND_SE) of its IPv6 configured subnets; with
 * `want` (a vip's subnet6), only those of the configured subnet equal to it.
 */
export function networkRanges6(network: Obj, want: Prefix6 | undefined): Range6[] {
  const out: Range6[] = [];
  const subnets = Array.isArray(network.configured_subnets) ? (network.configured_subnets as Obj[]) : [];
  for (const s of subnets) {
    const p = prefix6(s.prefix);
    if (!p || (want && (p.net !== want.net || p.mask !== want.mask))) continue;
    const ranges = Array.isArray(s.static_ip_ranges) ? (s.static_ip_ranges as Obj[]) : [];
    for (const r of ranges) {
      if (((r.type as string | undefined) ?? 'STATIC_IPS_FOR_VIP_AND_SE') === 'STATIC_IPS_FOR_SE') continue;
      const range = r.range as { begin?: { addr?: unknown }; end?: { addr?: unknown } } | undefined;
      const b = typeof range?.begin?.addr === 'string' ? v6ToBig(range.begin.addr) : undefined;
      const e = typeof range?.end?.addr === 'string' ? v6ToBig(range.end.addr) : undefined;
      if (b !== undefined && e !== undefined && b <= e) out.push({ begin: b, end: e });
    }
  }
  return out;
}

export const inRanges6 = (ranges: readonly Range6[], n: bigint): boolean => ranges.some((r) => n >= r.begin && n <= r.end);

/** The first address of the ranges that `free` accepts (terminates: at most |used| + 1 tries per range). */
export function pick6(ranges: readonly Range6[], free: (ip: string) => boolean): string | undefined {
  for (const r of ranges) {
    for (let n = r.begin; n <= r.end; n++) {
      const ip = bigToV6(n);
      if (free(ip)) return ip;
    }
  }
  return undefined;
}
