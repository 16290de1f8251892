/**
 * AviInfraSetting (ako.vmware.com v1beta1, cluster-scoped; spec ako.md "CRD AviInfraSetting", upstream
 * docs/crds/avinfrasetting.md): the SE group, VIP networks, RHI/BGP peer labels, public IP and L7 shard size of the
 * virtual services of the Ingresses whose IngressClass names it in `spec.parameters`, and of the LoadBalancer
 * Services annotated `aviinfrasetting.ako.vmware.com/name`. Pure: the setting's verdict (its status, with the Go
 * AKO's messages) and, for an accepted one, the AkoConfig its objects are built with (infraConfig): the same
 * builders then name them as the Go AKO does (`<cluster>--Shared-L7-<infra>-<n>`, `<cluster>--<infra>-<host>`, ...).
 */
import { isIPv6 } from 'node:net';
import type { V1Ingress, V1IngressClass, V1Namespace } from '@kubernetes/client-node';
import { accepted, rejected, TENANT_ANNOTATION, type Verdict } from './common.js';
import type { AkoConfig, VipNetwork } from './config.js';

export const INFRA_ANNOTATION = 'aviinfrasetting.ako.vmware.com/name';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const AVI_LB_CLASS = 'ako.vmware.com/avi-lb';

/** The AviInfraSetting fields translate reads (the operator parses the CR with the zod schema of @avi-k8s/crds). */
export interface AviInfraSettingSpec {
  readonly seGroup?: { readonly name?: string };
  readonly network?: {
    readonly vipNetworks?: readonly VipNetwork[];
    readonly nodeNetworks?: readonly { readonly networkName?: string; readonly networkUUID?: string; readonly cidrs?: readonly string[] }[];
    readonly enableRhi?: boolean;
    readonly enablePublicIP?: boolean;
    readonly listeners?: readonly unknown[];
    readonly bgpPeerLabels?: readonly string[];
  };
  readonly l7Settings?: { readonly shardSize?: string };
  readonly nsxSettings?: unknown;
}

export interface AviInfraSettingObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: AviInfraSettingSpec;
  /**
   * Not part of the CR: set by the operator's Store while the current spec is rejected, to the spec of the last
   * version it accepted. What the setting places keeps that placement (the Go AKO keeps the objects as they were
   * when a setting is rejected: a rejected update changes nothing); its status says Rejected.
   */
  readonly lastAcceptedSpec?: AviInfraSettingSpec;
}

/** The spec objects are placed with: the last accepted one while the current one is rejected (lastAcceptedSpec). */
export const placingSpec = (o: AviInfraSettingObject): AviInfraSettingSpec => o.lastAcceptedSpec ?? o.spec ?? {};

const nameOf = (o: AviInfraSettingObject): string => o.metadata?.name ?? '';

/** The Avi objects a setting names, as (Avi type, name): its SE group, VIP and node networks (by name). */
export function infraSettingAviRefs(spec: AviInfraSettingSpec | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (spec?.seGroup?.name) out.push(['serviceenginegroup', spec.seGroup.name]);
  for (const n of spec?.network?.vipNetworks ?? []) if (!n.networkUUID && n.networkName) out.push(['network', n.networkName]);
  for (const n of spec?.network?.nodeNetworks ?? []) if (!n.networkUUID && n.networkName) out.push(['network', n.networkName]);
  return out;
}

const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const validCidr = (s: string): boolean => {
  const m = CIDR4.exec(s);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
};

/** An IPv6 address, "/", a mask 0-128 (the Go AKO's IPv6 CIDR check). */
const validCidr6 = (s: string): boolean => {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(s);
  return !!m && isIPv6(m[1]!) && Number(m[2]) <= 128;
};

/** Fields this AKO does not implement yet: a setting using one is rejected (never accepted and ignored). */
function unsupported(spec: AviInfraSettingSpec): string | undefined {
  const net = spec.network ?? {};
  if ((net.nodeNetworks ?? []).some((n) => n.networkUUID)) return 'network.nodeNetworks[].networkUUID';
  if ((net.listeners ?? []).length > 0) return 'network.listeners';
  if (spec.nsxSettings !== undefined) return 'nsxSettings';
  if ((net.vipNetworks ?? []).some((n) => n.networkUUID)) return 'network.vipNetworks[].networkUUID';
  return undefined;
}

/** Why a setting is rejected (the Go AKO's texts where it has one), or undefined. `aviRefs` absent: not checked. */
export function infraSettingProblem(o: AviInfraSettingObject, aviRefs: readonly string[] | undefined): string | undefined {
  const spec = o.spec ?? {};
  const net = spec.network ?? {};
  if (net.enableRhi !== true && (net.bgpPeerLabels ?? []).length > 0) return 'BGPPeerLabels cannot be set if EnableRhi is false.';
  for (const n of net.vipNetworks ?? []) {
    if (n.cidr && !validCidr(n.cidr)) return `invalid CIDR configuration ${n.cidr} detected for networkName ${n.networkName ?? ''} in vipNetworkList`;
    if (n.v6cidr && !validCidr6(n.v6cidr)) return `invalid IPv6 CIDR configuration ${n.v6cidr} detected for networkName ${n.networkName ?? ''} in vipNetworkList`;
  }
  // The Go AKO skips a node network CIDR it cannot parse (a warning in its log, the pool without it): rejected here.
  for (const n of net.nodeNetworks ?? []) {
    for (const cidr of n.cidrs ?? []) if (!validCidr(cidr)) return `invalid CIDR configuration ${cidr} detected for networkName ${n.networkName ?? ''} in nodeNetworks`;
  }
  const field = unsupported(spec);
  if (field) return `${field} is not supported by this AKO yet`;
  const size = spec.l7Settings?.shardSize;
  if (size !== undefined && !['SMALL', 'MEDIUM', 'LARGE', 'DEDICATED'].includes(size)) return `l7Settings.shardSize ${JSON.stringify(size)} must be SMALL, MEDIUM, LARGE or DEDICATED`;
  if (aviRefs) {
    const known = new Set(aviRefs);
    for (const [t, n] of infraSettingAviRefs(spec)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  }
  return undefined;
}

export const infraSettingUnitOf = (o: AviInfraSettingObject): string => `AviInfraSetting/${nameOf(o)}`;

/** The setting's own unit: only its verdict (status `Accepted`, or `Rejected` with the reason). */
export function infraSettingVerdict(o: AviInfraSettingObject, aviRefs: readonly string[] | undefined): Verdict {
  const problem = infraSettingProblem(o, aviRefs);
  return problem ? rejected('AviInfraSetting', '', nameOf(o), problem) : accepted('AviInfraSetting', '', nameOf(o));
}

/** What the snapshot says about the infra settings (a structural subset of SnapshotIndex, also built by the Store). */
export interface InfraLookup {
  readonly ingressClasses: ReadonlyMap<string, V1IngressClass>;
  readonly infraSettings: ReadonlyMap<string, AviInfraSettingObject>;
  readonly snapshot: { readonly aviRefs?: readonly string[] };
  /** For the namespace annotation `ako.vmware.com/tenant-name` (tenantConfig). */
  readonly namespaces?: ReadonlyMap<string, V1Namespace>;
}

/** The IngressClass an Ingress belongs to: its own, or the default avi-lb class. */
function classOf(idx: Pick<InfraLookup, 'ingressClasses'>, ing: V1Ingress): V1IngressClass | undefined {
  const className = ing.spec?.ingressClassName;
  if (className) return idx.ingressClasses.get(className);
  return [...idx.ingressClasses.values()].find((ic) => ic.spec?.controller === AVI_LB_CLASS && ic.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
}

/** The AviInfraSetting an Ingress's IngressClass names in `spec.parameters` (apiGroup ako.vmware.com), if any. */
export function ingressInfraName(idx: Pick<InfraLookup, 'ingressClasses'>, ing: V1Ingress): { cls: string; infra: string } | undefined {
  const cls = classOf(idx, ing);
  const p = cls?.spec?.parameters;
  if (p?.kind !== 'AviInfraSetting' || !p.name || (p.apiGroup !== undefined && p.apiGroup !== 'ako.vmware.com')) return undefined;
  return { cls: cls?.metadata?.name ?? '', infra: p.name };
}

/** Why the objects placed by infra setting `name` cannot be built, or undefined (the Go AKO's wording). */
export function placementProblem(idx: InfraLookup, name: string): string | undefined {
  const o = idx.infraSettings.get(name);
  if (!o) return `AviInfraSetting ${name} not found`;
  if (o.lastAcceptedSpec) return undefined;
  return infraSettingProblem(o, idx.snapshot.aviRefs) ? `Referred AviInfraSetting ${name} is invalid` : undefined;
}

const overlays = new WeakMap<AkoConfig, WeakMap<AviInfraSettingObject, AkoConfig>>();

/**
 * The config the objects placed by `o` are built with: its SE group, VIP networks, RHI and BGP peer labels, public
 * IP and shard size over the AKO's own, and its name (inserted into the object names). Memoised per (config,
 * setting) so that per-config memos (hostTable) keep working.
 */
export function infraConfig(c: AkoConfig, o: AviInfraSettingObject): AkoConfig {
  const known = overlays.get(c)?.get(o);
  if (known) return known;
  const spec = placingSpec(o);
  const net = spec.network ?? {};
  const out: AkoConfig = {
    ...c,
    infraSetting: nameOf(o),
    infraBase: c,
    ...(spec.seGroup?.name ? { seGroupName: spec.seGroup.name } : {}),
    ...((net.vipNetworks ?? []).length > 0 ? { vipNetworkList: net.vipNetworks! } : {}),
    ...(net.enableRhi !== undefined ? { enableRHI: net.enableRhi } : {}),
    ...((net.bgpPeerLabels ?? []).length > 0 ? { bgpPeerLabels: net.bgpPeerLabels! } : {}),
    ...(net.enablePublicIP !== undefined ? { enablePublicIP: net.enablePublicIP } : {}),
    ...(spec.l7Settings?.shardSize ? { shardVSSize: spec.l7Settings.shardSize } : {}),
    ...((net.nodeNetworks ?? []).length > 0 ? { nodeNetworks: net.nodeNetworks! } : {}),
  };
  (overlays.get(c) ?? overlays.set(c, new WeakMap()).get(c)!).set(o, out);
  return out;
}

const tenants = new WeakMap<AkoConfig, Map<string, AkoConfig>>();

/**
 * The config of a namespace's L7 objects: in the tenant its annotation `ako.vmware.com/tenant-name` names (per
 * namespace tenancy, docs/ako_tenancy.md), with `unitTenant` set so that its shards are units of their own (the same
 * shard VS names exist in each tenant); `c` itself in AKO's own tenant.
 */
export function tenantConfig(idx: Pick<InfraLookup, 'namespaces'>, c: AkoConfig, namespace: string): AkoConfig {
  return inTenant(c, idx.namespaces?.get(namespace)?.metadata?.annotations?.[TENANT_ANNOTATION]);
}

/** `c` in tenant `t` (a tenant of its own: unitTenant set); `c` itself for AKO's own tenant or none. */
export function inTenant(c: AkoConfig, t: string | undefined): AkoConfig {
  const base = c.infraBase ?? c;
  if (!t || t === base.tenant) return c;
  const known = tenants.get(c)?.get(t);
  if (known) return known;
  const out: AkoConfig = { ...c, tenant: t, unitTenant: t };
  (tenants.get(c) ?? tenants.set(c, new Map()).get(c)!).set(t, out);
  return out;
}

/**
 * The config an Ingress's objects are built with: its infra setting's when its class names one that exists (accepted
 * or not: the unit its hosts belong to; a rejected setting rejects the Ingress, see ingress.ts), else `c`; in its
 * namespace's tenant.
 */
export function ingressConfig(idx: InfraLookup, c: AkoConfig, ing: V1Ingress): AkoConfig {
  const named = ingressInfraName(idx, ing);
  const o = named ? idx.infraSettings.get(named.infra) : undefined;
  return tenantConfig(idx, o ? infraConfig(c, o) : c, ing.metadata?.namespace ?? '');
}

/** The config of a LoadBalancer Service's objects: its annotated infra setting's, else `c`. */
export function serviceConfig(idx: InfraLookup, c: AkoConfig, annotations: Readonly<Record<string, string>>): AkoConfig {
  const name = annotations[INFRA_ANNOTATION];
  const o = name ? idx.infraSettings.get(name) : undefined;
  return o ? infraConfig(c, o) : c;
}

/**
 * The config of a host's objects: the infra setting of its first entry (the host's unit and placement), else `c`, in
 * the tenant of that entry's namespace.
 */
export function entriesConfig(idx: InfraLookup, c: AkoConfig, entries: readonly { readonly infra?: string; readonly namespace?: string }[]): AkoConfig {
  const name = entries[0]?.infra;
  const o = name ? idx.infraSettings.get(name) : undefined;
  return tenantConfig(idx, o ? infraConfig(c, o) : c, entries[0]?.namespace ?? '');
}

/**
 * A Namespace annotated `aviinfrasetting.ako.vmware.com/name` (the Go AKO places the namespace's Ingresses and
 * Services that name no setting themselves with it, names without the setting's name): not implemented yet, so what
 * it would place is not served rather than served where the user did not ask.
 */
export function namespaceInfraProblem(idx: Pick<InfraLookup, 'namespaces'>, namespace: string): string | undefined {
  const name = idx.namespaces?.get(namespace)?.metadata?.annotations?.[INFRA_ANNOTATION];
  return name ? `Namespace ${namespace} names AviInfraSetting ${name} (annotation ${INFRA_ANNOTATION}): an AviInfraSetting per namespace is not supported by this AKO yet; not served` : undefined;
}
