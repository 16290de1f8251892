/**
 * The Go AKO's checksum rules for the objects where we reproduce them (spec ako.md §4.4; facts read from the
 * upstream `internal/nodes` and `internal/lib` sources, verified against the recorded corpus in test/parity):
 * FNV-1a 32 over Go's JSON encoding of small values, summed modulo 2^32.
 *  - markers: hash of the sorted non-empty marker values concatenated, plus hash("clustername" + <cluster>);
 *  - VsVip: hash(json(sorted FQDNs)) + hash(preferred IP) + hash(json(sorted "<network>:<cidr>[:<v6cidr>][:<uuid>]"))
 *    + hash(json(sorted BGP peer labels)) + hash(T1 LR) + the cluster label hash (each term only when set);
 *  - PoolGroup: hash(json(members sorted by pool_ref)) + markers.
 * With these values a switch from the Go AKO finds these objects up to date, and a switch back does too.
 */
import { fnv1a32 } from '@avi-k8s/avi-sync';
import type { MarkerFields } from './markers.js';

const add = (...xs: number[]): number => xs.reduce((a, b) => (a + b) >>> 0, 0);

/** Go's encoding/json for strings, string arrays and plain objects (HTML characters escaped as Go does). */
export function goJson(v: unknown): string {
  return (JSON.stringify(v) ?? 'null').replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const clusterLabelChecksum = (cluster: string): number => fnv1a32(`clustername${cluster}`);

/** `GetMarkersChecksum`: the marker values (multi-valued ones joined with '-' after sorting), sorted and concatenated. */
export function markersChecksum(cluster: string, fields: MarkerFields): number {
  const values: string[] = [];
  for (const v of Object.values(fields) as (string | readonly string[] | undefined)[]) {
    if (v === undefined) continue;
    values.push(typeof v === 'string' ? v : [...v].sort().join('-'));
  }
  const joined = values.filter((x) => x !== '').sort().join('');
  return add(joined ? fnv1a32(joined) : 0, clusterLabelChecksum(cluster));
}

export interface VsVipChecksumInput {
  readonly cluster: string;
  readonly fqdns: readonly string[];
  readonly ip?: string;
  readonly vipNetworks: readonly { networkName?: string; networkUUID?: string; cidr?: string; v6cidr?: string }[];
  readonly bgpPeerLabels?: readonly string[];
  readonly t1lr?: string;
}

export function vsVipChecksum(i: VsVipChecksumInput): string {
  const terms: number[] = [];
  if (i.fqdns.length > 0) terms.push(fnv1a32(goJson([...i.fqdns].sort())));
  if (i.ip) terms.push(fnv1a32(i.ip));
  if (i.vipNetworks.length > 0) {
    const nets = i.vipNetworks.map((n) => {
      let s = `${n.networkName ?? ''}:${n.cidr ?? ''}`;
      if (n.v6cidr) s += `:${n.v6cidr}`;
      if (n.networkUUID) s += `:${n.networkUUID}`;
      return s;
    });
    terms.push(fnv1a32(goJson(nets.sort())));
  }
  if (i.bgpPeerLabels && i.bgpPeerLabels.length > 0) terms.push(fnv1a32(goJson([...i.bgpPeerLabels].sort())));
  if (i.t1lr) terms.push(fnv1a32(i.t1lr));
  terms.push(clusterLabelChecksum(i.cluster));
  return String(add(...terms));
}

export interface PoolGroupMember {
  readonly pool_ref: string;
  readonly priority_label?: string;
  readonly ratio?: number;
}

export function poolGroupChecksum(cluster: string, members: readonly PoolGroupMember[], markers: MarkerFields): string {
  // Go's json of []*PoolGroupMember: pool_ref, priority_label (omitted when unset), ratio; nil list -> null.
  const sorted = [...members].sort((a, b) => (a.pool_ref < b.pool_ref ? -1 : a.pool_ref > b.pool_ref ? 1 : 0));
  const json = sorted.length === 0 ? 'null' : goJson(sorted.map((m) => ({ pool_ref: m.pool_ref, ...(m.priority_label !== undefined ? { priority_label: m.priority_label } : {}), ...(m.ratio !== undefined ? { ratio: m.ratio } : {}) })));
  return String(add(fnv1a32(json), markersChecksum(cluster, markers)));
}
