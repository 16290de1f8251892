/** Small pieces shared by the L4 and L7 translators: results, namespace filters, tenant, common refs. */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import type { AkoConfig } from './config.js';
import type { SnapshotIndex } from './snapshot.js';
import type { ObjectWarning } from './warnings.js';

/** Outcome for one Kubernetes object: accepted, or rejected with a reason (for status and Events). */
export interface Verdict {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly accepted: boolean;
  readonly reason: string;
}

/** What one translation unit (an L4 Service or shared-VIP group, a shard VS, an Ingress) produces. */
export interface UnitResult {
  readonly unit: string;
  readonly objects: readonly DesiredObject[];
  readonly verdicts: readonly Verdict[];
  /** Per Avi object (`tenant/type/name`), the Kubernetes objects it serves (`Service|Ingress/<ns>/<name>`), see served.ts. */
  readonly served?: ReadonlyMap<string, readonly string[]>;
  /** Inputs served but degraded (warnings.ts): a Warning Event each. */
  readonly warnings?: readonly ObjectWarning[];
  /** When the unit must be translated again with no input changed: a certificate of it becomes valid or expires. */
  readonly recheckAt?: number;
}

export const TENANT_ANNOTATION = 'ako.vmware.com/tenant-name';

export const accepted = (kind: string, namespace: string, name: string, reason = ''): Verdict => ({ kind, namespace, name, accepted: true, reason });
export const rejected = (kind: string, namespace: string, name: string, reason: string): Verdict => ({ kind, namespace, name, accepted: false, reason });

/** blockedNamespaceList and namespaceSelector (spec §1 "Namespace sync", "blockedNamespaceList"). */
export function namespaceSynced(idx: SnapshotIndex, c: AkoConfig, ns: string): boolean {
  if (c.blockedNamespaces.includes(ns)) return false;
  const sel = c.namespaceSelector;
  if (!sel) return true;
  return idx.namespaces.get(ns)?.metadata?.labels?.[sel.labelKey] === sel.labelValue;
}

/** Namespace annotation `ako.vmware.com/tenant-name`, else the configured tenant. */
export function tenantFor(idx: SnapshotIndex, c: AkoConfig, ns: string): string {
  const t = idx.namespaces.get(ns)?.metadata?.annotations?.[TENANT_ANNOTATION];
  return t ? t : c.tenant;
}

// Refs written exactly as the Go AKO writes them (spec §2.3).
export const tenantRef = (t: string): string => `/api/tenant/?name=${encodeURIComponent(t)}`;
// Names are URL-encoded (names.ts nameRef): unchanged for the names the Go AKO's objects use.
export const cloudRef = (c: AkoConfig): string => `/api/cloud?name=${encodeURIComponent(c.cloudName)}`;
export const seGroupRef = (c: AkoConfig): string => `/api/serviceenginegroup?name=${encodeURIComponent(c.seGroupName)}`;
export const vrfContextRef = (c: AkoConfig): string => `/api/vrfcontext?name=${encodeURIComponent(c.vrfName)}`;
export const appProfileRef = (name: string): string => `/api/applicationprofile/?name=${encodeURIComponent(name)}`;
export const networkProfileRef = (name: string): string => `/api/networkprofile/?name=${encodeURIComponent(name)}`;

/**
 * VRF or Tier-1 placement: VsVip (`vrf_context_ref`) and pools (`vrf_ref`) carry `tier1_lr` when an NSX-T Tier-1
 * is configured; a virtual service then carries neither (it follows its VsVip).
 */
export function placement(c: AkoConfig, vrfField: 'vrf_context_ref' | 'vrf_ref', kind: 'vs' | 'vsvip' | 'pool'): Record<string, unknown> {
  const nets = kind === 'pool' ? poolPlacementNetworks(c) : [];
  const more = nets.length > 0 ? { placement_networks: nets } : {};
  if (!c.nsxtT1LR) return { [vrfField]: vrfContextRef(c), ...more };
  return kind === 'vs' ? {} : { tier1_lr: c.nsxtT1LR, ...more };
}

/**
 * A pool's `placement_networks`: one per CIDR of each AviInfraSetting node network (network by name, the CIDR's
 * network address and mask), in a vCenter cloud only, as the Go AKO sends them; none elsewhere.
 */
export function poolPlacementNetworks(c: AkoConfig): Record<string, unknown>[] {
  if ((c.cloudType ?? 'CLOUD_VCENTER') !== 'CLOUD_VCENTER') return [];
  const out: Record<string, unknown>[] = [];
  for (const n of c.nodeNetworks ?? []) {
    for (const cidr of n.cidrs ?? []) {
      const [addr, mask] = cidr.split('/');
      const network = (addr ?? '').split('.').map(Number);
      const bits = Number(mask);
      const masked = network.map((o, i) => o & (0xff << (8 - Math.max(0, Math.min(8, bits - 8 * i)))) & 0xff).join('.');
      out.push({ network_ref: `/api/network/?name=${encodeURIComponent(n.networkName ?? '')}`, subnet: { ip_addr: { addr: masked, type: 'V4' }, mask: bits } });
    }
  }
  return out;
}

/** VsVip `vip[0]`: auto-allocated from the first VIP network, with the preferred address if any. */
export function vipEntry(c: AkoConfig, preferredIp: string | undefined, opts: { subnet?: boolean } = {}): Record<string, unknown> {
  const vip: Record<string, unknown> = { vip_id: '0', auto_allocate_ip: true };
  // AviInfraSetting enablePublicIP: a floating (public) IP besides the VIP.
  if (c.enablePublicIP !== undefined) vip.auto_allocate_floating_ip = c.enablePublicIP;
  if (preferredIp) vip.ip_address = { addr: preferredIp, type: preferredIp.includes(':') ? 'V6' : 'V4' };
  const net = c.vipNetworkList[0];
  if (net && (net.networkName || net.networkUUID)) {
    const subnet: Record<string, unknown> = { network_ref: net.networkUUID ? `/api/network/${net.networkUUID}` : `/api/network/?name=${encodeURIComponent(net.networkName ?? '')}` };
    if (net.cidr && opts.subnet !== false) {
      const [addr, mask] = net.cidr.split('/');
      subnet.subnet = { ip_addr: { addr, type: 'V4' }, mask: Number(mask) };
    }
    // A v6cidr, as the Go AKO: subnet6 is the CIDR split at "/" (the address as written), and the vip asks for
    // an IPv6 address besides the IPv4 one (V4_V6), or only one (V6_ONLY) when no IPv4 cidr is given.
    if (net.v6cidr && opts.subnet !== false) {
      const [addr, mask] = net.v6cidr.split('/');
      subnet.subnet6 = { ip_addr: { addr, type: 'V6' }, mask: Number(mask) };
    }
    if (net.v6cidr) vip.auto_allocate_ip_type = net.cidr ? 'V4_V6' : 'V6_ONLY';
    vip.ipam_network_subnet = subnet;
  }
  return vip;
}

/**
 * AKO's `service_metadata` JSON string in the Go AKO's shape (its ServiceMetadataObj marshalled: every key, in this
 * order, unset lists as null). The Go AKO reads it back at boot (its cache code dereferences it), so every pool and
 * virtual service carries it.
 */
export function serviceMetadata(m: {
  namespace_ingress_name?: readonly string[];
  ingress_name?: string;
  namespace?: string;
  hostnames?: readonly string[];
  namespace_svc_name?: readonly string[];
  pool_ratio?: number;
  /** The CRD applied to the VS (HostRule `ns/name`). */
  crd_status?: { type: string; value: string; status: string };
  /** EVH child VS: host -> the `ns/ingress` that define it (evh.ts). */
  host_namespace_ingress_name?: Readonly<Record<string, readonly string[]>>;
}): string {
  const list = (v: readonly string[] | undefined): readonly string[] | null => (v && v.length > 0 ? v : null);
  return JSON.stringify({
    namespace_ingress_name: list(m.namespace_ingress_name),
    ingress_name: m.ingress_name ?? '',
    namespace: m.namespace ?? '',
    hostnames: list(m.hostnames),
    namespace_svc_name: list(m.namespace_svc_name),
    crd_status: m.crd_status ?? { type: '', value: '', status: '' },
    pool_ratio: m.pool_ratio ?? 0,
    passthrough_parent_ref: '',
    passthrough_child_ref: '',
    gateway: '',
    httproute: '',
    httproute_rule_name: '',
    insecureedgetermallow: false,
    is_mci_ingress: false,
    fqdn_reuse_policy: '',
    host_namespace_ingress_name: m.host_namespace_ingress_name ?? null,
  });
}

export const isIp = (s: string): boolean =>
  (/^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((o) => Number(o) <= 255)) || (/^[0-9a-fA-F:]+$/.test(s) && s.includes(':'));
