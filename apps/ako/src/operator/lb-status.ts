// Which VIP and hostnames each Service and Ingress gets in its status, from the synced Avi objects (the Go AKO's
// svc_status.go / ing_status.go, computed here from plain data). Pure.
import { keyOf, parseRef, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';
import { cmp } from '../translate/snapshot.js';

export interface VipInfo {
  ip?: string;
  /** The vip's ip6_address (an IPv6 VIP, auto_allocate_ip_type V6_ONLY or V4_V6): in the status after the IPv4 one. */
  ip6?: string;
  fqdns: readonly string[];
}

export interface LoadBalancerStatus {
  /** status.loadBalancer.ingress, sorted by hostname. */
  ingress: { ip?: string; hostname?: string }[];
  /** ako.vmware.com/host-fqdn-vs-uuid-map: host -> VS uuid. */
  hostVsUuid: Record<string, string>;
  tenant: string;
}

type Obj = Record<string, unknown>;

/** The service_metadata keys metadata() reads (boot-results.ts keeps only these in the status bodies it holds). */
export const STATUS_METADATA_KEYS = ['namespace_svc_name', 'namespace_ingress_name', 'ingress_name', 'namespace', 'hostnames'] as const;

function metadata(body: AviBody): { svcs: string[]; ings: string[]; hostnames: string[] } {
  let m: Obj = {};
  try {
    m = typeof body.service_metadata === 'string' ? (JSON.parse(body.service_metadata) as Obj) : {};
  } catch {
    m = {};
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const ings = list(m.namespace_ingress_name);
  if (typeof m.ingress_name === 'string' && m.ingress_name !== '' && typeof m.namespace === 'string' && m.namespace !== '') ings.push(`${m.namespace}/${m.ingress_name}`);
  return { svcs: list(m.namespace_svc_name), ings, hostnames: list(m.hostnames) };
}

const refKey = (tenant: string, value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const r = parseRef(value);
  return r && r.by === 'name' ? keyOf({ tenant: r.tenant ?? tenant, type: r.type, name: r.name }) : undefined;
};

type ServingGraph = ReturnType<typeof buildServingGraph>;

/**
 * One unit's graph per translation (the same array of objects): a shard unit's status is computed again each
 * second while its writes run, and the graph (every service_metadata parsed) depends on the objects alone.
 */
const graphs = new WeakMap<readonly DesiredObject[], ServingGraph>();
function servingGraph(desired: readonly DesiredObject[]): ServingGraph {
  const known = graphs.get(desired);
  if (known) return known;
  const g = buildServingGraph(desired);
  graphs.set(desired, g);
  return g;
}

/** Which virtual services serve each pool (through pool groups), and each object's service_metadata. */
function buildServingGraph(desired: readonly DesiredObject[]) {
  const byKey = new Map(desired.map((d) => [keyOf(d), d]));
  const users = new Map<string, string[]>();
  const addUser = (target: string | undefined, user: string) => {
    if (target) (users.get(target) ?? users.set(target, []).get(target)!).push(user);
  };
  for (const d of desired) {
    const k = keyOf(d);
    if (d.type === 'poolgroup') for (const m of (d.body.members as Obj[] | undefined) ?? []) addUser(refKey(d.tenant, m.pool_ref), k);
    // A shard VS selects its pool group through its datascript; an L4 VS its pools through its L4 policy set.
    if (d.type === 'vsdatascriptset') for (const pg of (d.body.pool_group_refs as string[] | undefined) ?? []) addUser(refKey(d.tenant, pg), k);
    if (d.type === 'l4policyset') {
      const rules = ((d.body.l4_connection_policy as Obj | undefined)?.rules as Obj[] | undefined) ?? [];
      for (const r of rules) addUser(refKey(d.tenant, ((r.action as Obj | undefined)?.select_pool as Obj | undefined)?.pool_ref), k);
    }
    if (d.type === 'virtualservice') {
      addUser(refKey(d.tenant, d.body.pool_group_ref), k);
      addUser(refKey(d.tenant, d.body.pool_ref), k);
      for (const ds of (d.body.vs_datascripts as Obj[] | undefined) ?? []) addUser(refKey(d.tenant, ds.vs_datascript_set_ref), k);
      for (const l4 of (d.body.l4_policies as Obj[] | undefined) ?? []) addUser(refKey(d.tenant, l4.l4_policy_set_ref), k);
    }
  }
  /** The virtual services that serve the object `key` (itself, for a VS). */
  const vsOf = (key: string, seen = new Set<string>()): string[] => {
    if (seen.has(key)) return [];
    seen.add(key);
    if (byKey.get(key)?.type === 'virtualservice') return [key];
    return (users.get(key) ?? []).flatMap((u) => vsOf(u, seen));
  };
  /** VS and pool bodies with the Kubernetes objects their service_metadata names. */
  const served = desired
    .filter((d) => d.type === 'virtualservice' || d.type === 'pool')
    .map((d) => ({ d, m: metadata(d.body), vss: vsOf(keyOf(d)) }));
  /** The VsVip key of each virtual service: its own, else its parent's (an SNI child's is its shard's). */
  const vipKeys = new Map<string, string | undefined>();
  const vipKeyOf = (vsKey: string, depth = 0): string | undefined => {
    if (vipKeys.has(vsKey)) return vipKeys.get(vsKey);
    const vs = byKey.get(vsKey);
    const own = vs && refKey(vs.tenant, vs.body.vsvip_ref);
    const parent = vs && !own ? refKey(vs.tenant, vs.body.vh_parent_vs_ref) : undefined;
    const k = own ?? (parent && depth < 8 ? vipKeyOf(parent, depth + 1) : undefined);
    vipKeys.set(vsKey, k);
    return k;
  };
  for (const { vss } of served) for (const vs of vss) vipKeyOf(vs);
  return { byKey, served, vipKeys };
}

/**
 * Status per Kubernetes object key (`Service/ns/name`, `Ingress/ns/name`). `uuids` and `vips` are keyed by
 * `tenant/type/name`; objects not yet on the controller (no uuid or no VIP) contribute nothing.
 */
export function loadBalancerStatuses(
  desired: readonly DesiredObject[],
  uuids: ReadonlyMap<string, string>,
  vips: ReadonlyMap<string, VipInfo>,
): Map<string, LoadBalancerStatus> {
  const { served, vipKeys } = servingGraph(desired);
  const vipOfVs = (vsKey: string): VipInfo | undefined => {
    const k = vipKeys.get(vsKey);
    return k === undefined ? undefined : vips.get(k);
  };
  const out = new Map<string, LoadBalancerStatus>();
  const add = (objKey: string, tenant: string, vsKey: string, hostname: string | undefined) => {
    const vip = vipOfVs(vsKey);
    const uuid = uuids.get(vsKey);
    const ips = [vip?.ip, vip?.ip6].filter((a): a is string => !!a);
    if (ips.length === 0 || !uuid) return;
    const status = out.get(objKey) ?? out.set(objKey, { ingress: [], hostVsUuid: {}, tenant }).get(objKey)!;
    // The apiserver refuses a wildcard in status.loadBalancer.ingress[].hostname: such a host gets the VIP alone
    // (the Go AKO writes it, and every status write of that Ingress fails).
    const shown = hostname?.startsWith('*.') ? undefined : hostname;
    for (const ip of ips) {
      if (!status.ingress.some((i) => i.ip === ip && i.hostname === shown)) status.ingress.push(shown ? { ip, hostname: shown } : { ip });
    }
    if (hostname) status.hostVsUuid[hostname] = uuid;
  };
  for (const { d, m, vss } of served) {
    for (const vsKey of vss) {
      for (const svc of m.svcs) {
        // A Service's status carries its first FQDN; the annotation maps every FQDN to the VS.
        const fqdns = m.hostnames.length ? m.hostnames : [...(vipOfVs(vsKey)?.fqdns ?? [])];
        add(`Service/${svc}`, d.tenant, vsKey, fqdns[0]);
        const status = out.get(`Service/${svc}`);
        const uuid = uuids.get(vsKey);
        if (status && uuid) for (const f of fqdns.slice(1)) status.hostVsUuid[f] = uuid;
      }
      for (const ing of m.ings) for (const host of m.hostnames) add(`Ingress/${ing}`, d.tenant, vsKey, host);
    }
  }
  for (const s of out.values()) s.ingress.sort((a, b) => cmp(a.hostname ?? '', b.hostname ?? '') || cmp(a.ip ?? '', b.ip ?? ''));
  return out;
}

/** The VIP and FQDNs of a VsVip as the controller returns it. */
export function vipInfo(body: AviBody): VipInfo {
  const vip = Array.isArray(body.vip) ? (body.vip[0] as Obj | undefined) : undefined;
  const ip = (vip?.ip_address as Obj | undefined)?.addr;
  const ip6 = (vip?.ip6_address as Obj | undefined)?.addr;
  const fqdns = (Array.isArray(body.dns_info) ? (body.dns_info as Obj[]) : []).map((d) => d.fqdn).filter((f): f is string => typeof f === 'string');
  return { ...(typeof ip === 'string' ? { ip } : {}), ...(typeof ip6 === 'string' ? { ip6 } : {}), fqdns };
}

/** For each virtual service (key), the Kubernetes objects (`Service/ns/name`, `Ingress/ns/name`) it serves. */
export function objectsByVirtualService(desired: readonly DesiredObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { m, vss } of servingGraph(desired).served) {
    const objs = [...m.svcs.map((s) => `Service/${s}`), ...m.ings.map((i) => `Ingress/${i}`)];
    for (const vs of objs.length ? vss : []) {
      const set = out.get(vs) ?? out.set(vs, new Set()).get(vs)!;
      objs.forEach((o) => set.add(o));
    }
  }
  return out;
}
