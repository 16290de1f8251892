import { BlockList, isIP } from 'node:net';

// Server choice: the loopback guard (this data plane never dials anything else) and smooth weighted round robin
// (each item is chosen in proportion to its weight, interleaved: weights 2,1 give a, b, a).

/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped 127.x). The only addresses the data plane may dial or bind. */
export function isLoopback(addr: string): boolean {
  const a = addr.toLowerCase().replace(/^::ffff:/, '');
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

/**
 * CIDRs (IPv4 or IPv6, e.g. a node's pod network 10.88.0.0/16) as `--dataplane-dial` gives them; throws on a bad one.
 * The data plane then may dial (never bind) addresses in them, besides loopback.
 */
export function parseDialNetworks(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    const family = m ? isIP(m[1]!) : 0;
    const bits = m ? Number(m[2]) : -1;
    if (!m || family === 0 || bits > (family === 4 ? 32 : 128)) throw new Error(`not a CIDR (address/prefix): "${cidr}"`);
    list.addSubnet(m[1]!, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** The dial guard: loopback, or an address in one of the explicitly configured networks. */
export function dialGuard(networks?: BlockList): (addr: string) => boolean {
  return (addr) => {
    if (isLoopback(addr)) return true;
    const a = addr.replace(/^::ffff:/i, '');
    const family = isIP(a);
    return networks !== undefined && family !== 0 && networks.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}

export interface WeightedItem {
  readonly key: string;
  readonly weight: number;
}

/**
 * Smooth weighted round robin: `current` holds the running weight per key (state kept between calls; keys no
 * longer offered are dropped). Returns the chosen key, or undefined when nothing has a positive weight.
 */
export function smoothPick(current: Map<string, number>, items: readonly WeightedItem[]): string | undefined {
  const live = items.filter((i) => i.weight > 0);
  if (live.length === 0) return undefined;
  const keys = new Set(live.map((i) => i.key));
  for (const k of [...current.keys()]) if (!keys.has(k)) current.delete(k);
  let total = 0;
  let best: string | undefined;
  let bestWeight = -Infinity;
  for (const i of live) {
    const w = (current.get(i.key) ?? 0) + i.weight;
    current.set(i.key, w);
    total += i.weight;
    if (w > bestWeight) {
      bestWeight = w;
      best = i.key;
    }
  }
  current.set(best!, bestWeight - total);
  return best;
}

/** The chosen item first, then the others in their order after it (the fallbacks when a dial fails). */
export function pickOrder(current: Map<string, number>, items: readonly WeightedItem[]): string[] {
  const first = smoothPick(current, items);
  if (first === undefined) return [];
  const keys = items.filter((i) => i.weight > 0).map((i) => i.key);
  const at = keys.indexOf(first);
  return [...keys.slice(at), ...keys.slice(0, at)];
}
