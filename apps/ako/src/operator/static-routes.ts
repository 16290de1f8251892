// ClusterIP mode: one static route per Node pod CIDR in the VRF context (spec ako.md §1 "Static route sync"), so the
// service engines reach pod IPs through their Nodes. The VRF is shared with other clusters and tools: read, keep every
// route not labelled clustername=<cluster>, replace ours, write back only when ours changed (412: read again, retry).
import type { V1Node } from '@kubernetes/client-node';
import { AviError, type AviClient } from '@avi-k8s/avi-sdk';
import type { Logger } from '@avi-k8s/kube';
import type { AkoSettings } from '../config/settings.js';
import { serialPasses } from './serial-passes.js';

type Obj = Record<string, unknown>;

export interface StaticRoute {
  route_id: string;
  prefix: { ip_addr: { addr: string; type: 'V4' | 'V6' }; mask: number };
  next_hop: { addr: string; type: 'V4' | 'V6' };
  labels: { key: string; value: string }[];
}

/** Whether this AKO keeps static routes (the Go AKO: ClusterIP mode, primary instance, not NSX-T, not disabled). */
export function staticRoutesEnabled(s: Pick<AkoSettings, 'serviceType' | 'disableStaticRouteSync' | 'primaryInstance' | 'nsxtT1LR'>): boolean {
  return s.serviceType === 'ClusterIP' && !s.disableStaticRouteSync && s.primaryInstance && !s.nsxtT1LR;
}

const ipType = (addr: string): 'V4' | 'V6' => (addr.includes(':') ? 'V6' : 'V4');

/** The pod CIDRs of a Node: spec.podCIDRs, else spec.podCIDR, else annotation ako.vmware.com/pod-cidrs (comma-separated). */
function podCidrs(n: V1Node): string[] {
  const fromSpec = n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [];
  if (fromSpec.length > 0) return fromSpec;
  return (n.metadata?.annotations?.['ako.vmware.com/pod-cidrs'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

/**
 * This cluster's routes for `nodes`, by Node name: per pod CIDR (of the Node's InternalIP family) a route to its
 * InternalIP, `route_id` `<cluster>-<node uid>-<index>` (as the Go AKO writes them, corpus c09).
 */
export function desiredStaticRoutes(cluster: string, nodes: readonly V1Node[]): StaticRoute[] {
  const out: StaticRoute[] = [];
  const sorted = [...nodes].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const n of sorted) {
    const internal = (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
    const uid = n.metadata?.uid;
    if (!uid || internal.length === 0) continue;
    let index = 0;
    for (const cidr of podCidrs(n)) {
      const [addr, maskText] = cidr.split('/');
      const mask = Number(maskText);
      if (!addr || !Number.isInteger(mask)) continue;
      const hop = internal.find((ip) => ipType(ip) === ipType(addr));
      if (!hop) continue;
      out.push({
        route_id: `${cluster}-${uid}-${index}`,
        prefix: { ip_addr: { addr, type: ipType(addr) }, mask },
        next_hop: { addr: hop, type: ipType(hop) },
        labels: [{ key: 'clustername', value: cluster }],
      });
      index += 1;
    }
  }
  return out;
}

const ours = (cluster: string) => (r: Obj): boolean =>
  Array.isArray(r.labels) && (r.labels as Obj[]).some((l) => l.key === 'clustername' && l.value === cluster);

/** The VRF's routes with ours replaced by `want`; undefined when ours already equal `want` (nothing to write). */
export function mergedRoutes(cluster: string, current: readonly Obj[], want: readonly StaticRoute[]): Obj[] | undefined {
  const mine = current.filter(ours(cluster));
  const same = mine.length === want.length && mine.every((r, i) => JSON.stringify(normalise(r)) === JSON.stringify(want[i]));
  if (same) return undefined;
  return [...current.filter((r) => !ours(cluster)(r)), ...want.map((r) => ({ ...r }))];
}

const normalise = (r: Obj): StaticRoute => ({
  route_id: r.route_id as string,
  prefix: r.prefix as StaticRoute['prefix'],
  next_hop: r.next_hop as StaticRoute['next_hop'],
  labels: r.labels as StaticRoute['labels'],
});

// VRF contexts belong to the admin tenant (another tenant may not change them).
const ADMIN = { tenant: 'admin' };

/** One read-merge-write of the VRF; returns whether it wrote. */
export async function syncStaticRoutes(client: AviClient, s: Pick<AkoSettings, 'clusterName' | 'cloudName'>, vrfName: string, nodes: readonly V1Node[]): Promise<boolean> {
  const want = desiredStaticRoutes(s.clusterName, nodes);
  for (let attempt = 0; ; attempt++) {
    const found = (await client.list('vrfcontext', { ...ADMIN, params: { name: vrfName, 'cloud_ref.name': s.cloudName }, pageSize: 2 })).results[0] as Obj | undefined;
    if (!found || typeof found.uuid !== 'string') throw new Error(`VRF ${vrfName} not found in cloud ${s.cloudName}`);
    const vrf = (await client.get('vrfcontext', found.uuid, ADMIN)) as Obj;
    const merged = mergedRoutes(s.clusterName, (vrf.static_routes as Obj[] | undefined) ?? [], want);
    if (!merged) return false;
    try {
      await client.update('vrfcontext', found.uuid, { ...vrf, static_routes: merged } as never, { ...ADMIN, validate: false });
      return true;
    } catch (err) {
      // Another writer changed the VRF between our read and write: read it again.
      if (err instanceof AviError && err.status === 412 && attempt < 5) continue;
      throw err;
    }
  }
}

/** Keeps the routes in step with the Nodes: one sync at a time, a change during a sync runs one more. */
export function staticRouteSync(o: { client: AviClient; settings: AkoSettings; vrfName: string; nodes: () => readonly V1Node[]; logger: Logger; enabled: () => boolean }) {
  let started = false;
  const once = async (): Promise<void> => {
    try {
      const wrote = await syncStaticRoutes(o.client, o.settings, o.vrfName, o.enabled() ? o.nodes() : []);
      if (wrote) o.logger.info('static routes updated in the VRF', { key: o.vrfName, nodes: o.nodes().length });
    } catch (err) {
      o.logger.error('static route sync failed', { key: o.vrfName, error: (err as Error).message });
      setTimeout(() => kick(), 5000).unref();
    }
  };
  const passes = serialPasses(once, () => started);
  const kick = passes.kick;
  return {
    /** Starts syncing (when this instance leads) with one full pass. */
    start(): void {
      started = true;
      kick();
    },
    changed: kick,
    /** No further syncs (the one running finishes). */
    stop(): void {
      started = false;
    },
    idle: passes.idle,
  };
}
