/**
 * Services of type LoadBalancer -> one L4 VS + VsVip + a pool per port + an L4PolicySet (spec ako.md §2.3 "L4 Service").
 * Services annotated `ako.vmware.com/enable-shared-vip: <key>` in one namespace share one VS/VsVip named after the key.
 * Unit keys: `L4/<ns>/<service>` or `L4Shared/<ns>/<key>`.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { backendProblem } from './backend-check.js';
import { boolAnnotationWarning, warning, type ObjectWarning } from './warnings.js';
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { desiredObject } from './checksum.js';
import {
  accepted,
  appProfileRef,
  cloudRef,
  isIp,
  namespaceSynced,
  networkProfileRef,
  placement,
  rejected,
  seGroupRef,
  serviceMetadata,
  tenantFor,
  tenantRef,
  vipEntry,
  type UnitResult,
  type Verdict,
} from './common.js';
import type { AkoConfig } from './config.js';
import { l4Fqdns } from './fqdn.js';
import { l4PoolMarkers, l4PolicySetMarkers, l4SharedMarkers, l4SharedPoolMarkers, l4VsMarkers, sharedMarkers } from './markers.js';
import { vsVipChecksum } from './go-checksum.js';
import { akoUser, AVI_NAME_MAX_LENGTH, l4PolicySetName, nameRef, nameRefNoSlash, l4PoolName, l4SharedPoolName, l4VsName, l4VsVipName } from './names.js';
import { poolServers } from './servers.js';
import { cmp, type SnapshotIndex } from './snapshot.js';
import { serviceLoss } from './name-claims.js';
import { claimantOf, olderFirst } from './age.js';
import { l4RuleListenerSsl, l4RuleLoadBalancerIP, l4RuleNotAppliedReason, l4RuleOf, l4RulePoolFields, l4RuleVsFields, l4RuleWarnings } from './l4rule.js';
import { INFRA_ANNOTATION, namespaceInfraProblem, placementProblem, serviceConfig } from './infra-setting.js';

export const AVI_LB_CLASS = 'ako.vmware.com/avi-lb';
export const SHARED_VIP_ANNOTATION = 'ako.vmware.com/enable-shared-vip';
export const LB_IP_ANNOTATION = 'ako.vmware.com/load-balancer-ip';
export const APP_PROFILE_ANNOTATION = 'ako.vmware.com/application-profile';
export const DISABLE_TRAFFIC_ANNOTATION = 'ako.vmware.com/disable-traffic';
export { INFRA_ANNOTATION };
const DEFAULT_L4_APP_PROFILE = 'System-L4-Application';
const ENTERPRISE_TIERS = ['ENTERPRISE', 'ENTERPRISE_WITH_CLOUD_SERVICES'];
const HEALTH_MONITOR: Readonly<Record<string, string>> = { TCP: 'System-TCP', UDP: 'System-UDP', SCTP: 'System-SCTP' };
const L4_PROTOCOL: Readonly<Record<string, string>> = { TCP: 'PROTOCOL_TCP', UDP: 'PROTOCOL_UDP', SCTP: 'PROTOCOL_SCTP' };

const ns = (s: V1Service): string => s.metadata?.namespace ?? '';
const name = (s: V1Service): string => s.metadata?.name ?? '';
const annotations = (s: V1Service): Record<string, string> => s.metadata?.annotations ?? {};
const protocolOf = (p: V1ServicePort): string => p.protocol ?? 'TCP';

/** Whether this AKO handles the Service (type, loadBalancerClass, layer7Only, namespace filters). */
export function isOurLoadBalancer(idx: SnapshotIndex, c: AkoConfig, svc: V1Service): boolean {
  if (c.layer7Only || svc.spec?.type !== 'LoadBalancer') return false;
  const cls = svc.spec.loadBalancerClass;
  if (cls ? cls !== AVI_LB_CLASS : !c.defaultLBController) return false;
  return namespaceSynced(idx, c, ns(svc));
}

export function l4UnitOf(svc: V1Service): string {
  const key = annotations(svc)[SHARED_VIP_ANNOTATION];
  return key ? `L4Shared/${ns(svc)}/${key}` : `L4/${ns(svc)}/${name(svc)}`;
}

/** All L4 unit keys of the snapshot, sorted. */
export function l4Units(idx: SnapshotIndex, c: AkoConfig): string[] {
  return [...servicesByUnit(idx, c).keys()].sort();
}

function preferredIp(svc: V1Service): string | undefined {
  return svc.spec?.loadBalancerIP || annotations(svc)[LB_IP_ANNOTATION] || undefined;
}

/** Per-Service problems that stop translation (the Service gets a rejected verdict). */
function serviceProblem(idx: SnapshotIndex, c: AkoConfig, svc: V1Service): string | undefined {
  const ports = svc.spec?.ports ?? [];
  const infra = annotations(svc)[INFRA_ANNOTATION];
  const infraProblem = infra ? placementProblem(idx, infra) : undefined;
  if (infraProblem) return `annotation ${INFRA_ANNOTATION}: ${infraProblem}`;
  const nsInfra = infra ? undefined : namespaceInfraProblem(idx, ns(svc));
  if (nsInfra) return nsInfra;
  if (ports.length === 0) return 'Service has no ports';
  for (const p of ports) {
    if (!L4_PROTOCOL[protocolOf(p)]) return `protocol ${protocolOf(p)} of port ${p.port} is not supported`;
    if (protocolOf(p) === 'SCTP' && c.serviceType === 'NodePortLocal') return 'SCTP is not supported with serviceType NodePortLocal';
  }
  const ip = preferredIp(svc);
  if (ip !== undefined && !isIp(ip)) return `preferred VIP ${JSON.stringify(ip)} (spec.loadBalancerIP or ${LB_IP_ANNOTATION}) is not an IP address`;
  // A shared VIP's pools also carry its key (a key of 300 characters made every name of the group too long).
  const key = annotations(svc)[SHARED_VIP_ANNOTATION];
  const poolName = (p: V1ServicePort) => (key ? l4SharedPoolName(c, ns(svc), name(svc), key, protocolOf(p), p.port) : l4PoolName(c, ns(svc), name(svc), protocolOf(p), p.port));
  const longest = Math.max(...ports.map((p) => poolName(p).length));
  if (longest > AVI_NAME_MAX_LENGTH) return `Avi object names would exceed ${AVI_NAME_MAX_LENGTH} characters`;
  return undefined;
}

function networkProfile(c: AkoConfig, protocols: ReadonlySet<string>): string {
  const tcpProfile = ENTERPRISE_TIERS.includes(c.licenseTier) ? 'System-TCP-Proxy' : 'System-TCP-Fast-Path';
  if (protocols.size === 1 && protocols.has('SCTP')) return 'System-SCTP-Proxy';
  if (protocols.size === 1 && protocols.has('UDP')) return 'System-UDP-Fast-Path';
  return protocols.has('TCP') ? tcpProfile : 'System-UDP-Fast-Path';
}

const groups = new WeakMap<SnapshotIndex, WeakMap<AkoConfig, ReadonlyMap<string, readonly V1Service[]>>>();

/** Our LoadBalancer Services by unit, sorted by name (memoised per index and config; pure). */
function servicesByUnit(idx: SnapshotIndex, c: AkoConfig): ReadonlyMap<string, readonly V1Service[]> {
  const cached = groups.get(idx)?.get(c);
  if (cached) return cached;
  const byUnit = new Map<string, V1Service[]>();
  for (const s of idx.services.values()) {
    if (!isOurLoadBalancer(idx, c, s)) continue;
    const u = l4UnitOf(s);
    (byUnit.get(u) ?? byUnit.set(u, []).get(u)!).push(s);
  }
  for (const list of byUnit.values()) list.sort((a, b) => cmp(name(a), name(b)));
  (groups.get(idx) ?? groups.set(idx, new WeakMap()).get(idx)!).set(c, byUnit);
  return byUnit;
}

/** Translates one L4 unit. Services of the unit that are invalid are rejected; their neighbours are unaffected. */
export function translateL4Unit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const members = servicesByUnit(idx, c).get(unit) ?? [];
  if (members.length === 0) return { unit, objects: [], verdicts: [] };
  const verdicts: Verdict[] = [];
  const shared = unit.startsWith('L4Shared/');
  const namespace = ns(members[0]!);
  const vsKeyName = shared ? unit.slice(unit.indexOf('/', 'L4Shared/'.length) + 1) : name(members[0]!);

  let good = members.filter((s) => {
    // An Avi name another input claimed first (name-claims.ts).
    const problem = serviceProblem(idx, c, s) ?? serviceLoss(idx, c, s);
    if (problem) verdicts.push(rejected('Service', ns(s), name(s), problem));
    return !problem;
  });
  if (shared && good.length > 0) {
    // Another preferred VIP than the oldest member's, or a port an older member uses: the newer member loses, the
    // group stays as it was.
    const clashes = sharedGroupClashes(good, vsKeyName);
    for (const [s, why] of clashes) verdicts.push(rejected('Service', ns(s), name(s), why));
    good = good.filter((s) => !clashes.has(s));
  }
  if (good.length === 0) return { unit, objects: [], verdicts };
  for (const s of good) verdicts.push(accepted('Service', ns(s), name(s)));
  const warnings = l4Warnings(idx, c, good);
  return { unit, objects: buildL4Objects(idx, c, namespace, vsKeyName, good, shared), verdicts, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** Served Services' warnings: an annotation value AKO does not understand, a port whose pool has no server. */
function l4Warnings(idx: SnapshotIndex, c: AkoConfig, services: readonly V1Service[]): ObjectWarning[] {
  const out: ObjectWarning[] = [];
  for (const s of services) {
    out.push(...boolAnnotationWarning('Service', ns(s), name(s), s.metadata?.annotations, DISABLE_TRAFFIC_ANNOTATION), ...l4RuleWarnings(idx, s));
    const rule = l4RuleOf(idx, s);
    const notApplied = rule && l4RuleNotAppliedReason(rule, networkProfile(c, new Set((s.spec?.ports ?? []).map(protocolOf))));
    if (notApplied) out.push(warning('Service', ns(s), name(s), 'NotApplied', `${notApplied}: its VS fields are not applied`));
    const ports = new Set((s.spec?.ports ?? []).map((p) => p.port));
    for (const port of [...ports].sort((a, b) => a - b)) {
      const problem = backendProblem(idx, c, ns(s), name(s), { number: port });
      if (problem) out.push(warning('Service', ns(s), name(s), 'BackendWarning', problem));
    }
  }
  return out;
}

/**
 * Members of a shared-VIP group asking for another preferred VIP than the oldest member (creationTimestamp, then
 * name), or using a port/protocol an older member uses, with the reason naming both: only they are rejected, so a
 * new Service never takes the group's VS down (all members must carry the same preferred VIP, if any).
 */
function sharedGroupClashes(services: readonly V1Service[], key: string): Map<V1Service, string> {
  const held = new Map<string, string>();
  const out = new Map<V1Service, string>();
  const byAge = [...services].sort((a, b) => olderFirst(claimantOf('Service', a), claimantOf('Service', b)));
  const first = byAge[0]!;
  const vip = preferredIp(first) ?? '';
  for (const s of byAge) {
    if ((preferredIp(s) ?? '') !== vip) {
      const want = (x: V1Service) => (preferredIp(x) ? `preferred VIP ${preferredIp(x)!}` : 'no preferred VIP');
      out.set(s, `Services ${name(first)} and ${name(s)} sharing VIP key ${JSON.stringify(key)} ask for different VIPs (${want(first)}, ${want(s)}): not served for the newer, ${name(s)}`);
      continue;
    }
    const ports = [...new Set((s.spec?.ports ?? []).map((p) => `${p.port}/${protocolOf(p)}`))];
    const taken = ports.find((pp) => held.has(pp));
    if (taken !== undefined) {
      out.set(s, `Services ${held.get(taken)!} and ${name(s)} sharing VIP key ${JSON.stringify(key)} both use port ${taken}: not served for the newer, ${name(s)}`);
      continue;
    }
    for (const pp of ports) held.set(pp, name(s));
  }
  return out;
}

function buildL4Objects(idx: SnapshotIndex, base: AkoConfig, namespace: string, vsKeyName: string, services: readonly V1Service[], shared: boolean): DesiredObject[] {
  // An AviInfraSetting (annotation of the first Service) places the VS: its SE group, VIP network, RHI.
  const c = serviceConfig(idx, base, annotations(services[0]!));
  const tenant = tenantFor(idx, c, namespace);
  const vsName = l4VsName(c, namespace, vsKeyName);
  const vipName = l4VsVipName(c, namespace, vsKeyName);
  const psName = l4PolicySetName(c, namespace, vsKeyName);
  const common = { tenant_ref: tenantRef(tenant) };
  const fqdnsOf = (s: V1Service): string[] => l4Fqdns(c, namespace, name(s), annotations(s));
  const fqdns = [...new Set(services.flatMap(fqdnsOf))];
  const objects: DesiredObject[] = [];
  const rules4 = new Map(services.map((s) => [s, l4RuleOf(idx, s)]));
  // An L4Rule (of the first Service naming one) sets the VS profiles and limits, and a preferred VIP: the Service's
  // spec.loadBalancerIP or annotation win over the rule's loadBalancerIP (as the Go AKO picks it).
  const vsRule = services.map((s) => rules4.get(s)).find((r) => r !== undefined);
  const ip = preferredIp(services[0]!) ?? l4RuleLoadBalancerIP(vsRule);

  const vsvip: Record<string, unknown> = {
    name: vipName,
    ...common,
    cloud_ref: cloudRef(c),
    ...placement(c, 'vrf_context_ref', 'vsvip'),
    // The Go AKO sends an AviInfraSetting's VIP network without its subnet on an L4 VsVip (its checksum has it).
    vip: [vipEntry(c, ip, { subnet: !c.infraSetting })],
    east_west_placement: false,
    markers: sharedMarkers(c.clusterName),
  };
  if (fqdns.length > 0) vsvip.dns_info = [...fqdns].sort().map((fqdn) => ({ fqdn }));
  const bgp = c.enableRHI ? c.bgpPeerLabels : [];
  if (bgp.length > 0) vsvip.bgp_peer_labels = [...bgp];
  objects.push(
    desiredObject(tenant, 'vsvip', vipName, vsvip, vsVipChecksum({ cluster: c.clusterName, fqdns, ...(ip ? { ip } : {}), vipNetworks: c.vipNetworkList, bgpPeerLabels: bgp, t1lr: c.nsxtT1LR })),
  );

  const ports = services.flatMap((s) => (s.spec?.ports ?? []).map((p) => ({ s, p })));
  const rules: Record<string, unknown>[] = [];
  const vsServices: Record<string, unknown>[] = [];
  const protocols = new Set<string>();
  for (const { p } of ports) protocols.add(protocolOf(p));
  const profile = networkProfile(c, protocols);
  const mixed = protocols.size > 1;
  // The rule's VS fields apply unless it has SSL listeners on a VS that is not a TCP proxy; with SSL listeners that
  // apply, the VS is an L4 SSL VS: a default pool (the last one, as the Go AKO sets it) instead of the L4PolicySet.
  const vsRuleApplied = vsRule && !l4RuleNotAppliedReason(vsRule, profile) ? vsRule : undefined;
  const ssl = vsRuleApplied !== undefined && ports.some(({ p }) => l4RuleListenerSsl(vsRuleApplied, p.port, protocolOf(p)));
  let defaultPool: string | undefined;

  for (const { s, p } of ports) {
    const proto = protocolOf(p);
    const poolName = shared ? l4SharedPoolName(c, namespace, name(s), vsKeyName, proto, p.port) : l4PoolName(c, namespace, name(s), proto, p.port);
    const servers = poolServers(idx, c, s, p);
    objects.push(
      desiredObject(tenant, 'pool', poolName, {
        name: poolName,
        ...common,
        cloud_ref: cloudRef(c),
        ...placement(c, 'vrf_ref', 'pool'),
        created_by: akoUser(c),
        ...(servers.length > 0 ? { servers } : {}),
        health_monitor_refs: [`/api/healthmonitor/?name=${HEALTH_MONITOR[proto]}`],
        graceful_disable_timeout: 1,
        sni_enabled: false,
        markers: shared
          ? l4SharedPoolMarkers(c.clusterName, namespace, name(s), p.port, proto, vsKeyName)
          : l4PoolMarkers(c.clusterName, namespace, name(s), p.port),
        // A shared-VIP pool names its own Service and FQDN (status of each Service comes from its pools).
        service_metadata: shared ? serviceMetadata({ hostnames: fqdnsOf(s), namespace_svc_name: [`${namespace}/${name(s)}`] }) : serviceMetadata({}),
        ...(rules4.get(s) ? l4RulePoolFields(rules4.get(s)!, p.port, proto) : {}),
      }),
    );
    defaultPool = poolName;
    const poolRef = nameRefNoSlash('pool', poolName);
    rules.push({
      name: poolRef,
      index: rules.length,
      action: { select_pool: { action_type: 'L4_RULE_ACTION_SELECT_POOL', pool_ref: poolRef } },
      match: { port: { match_criteria: 'IS_IN', ports: [p.port] }, protocol: { match_criteria: 'IS_IN', protocol: L4_PROTOCOL[proto] } },
    });
  }
  // The VS listeners: each Service's ports sorted by port name (as the Go AKO lists them), Services in name order.
  for (const s of services) {
    for (const p of [...(s.spec?.ports ?? [])].sort((a, b) => cmp(a.name ?? '', b.name ?? ''))) {
      const proto = protocolOf(p);
      const svcEntry: Record<string, unknown> = { port: p.port, port_range_end: p.port, enable_ssl: l4RuleListenerSsl(vsRuleApplied, p.port, proto), enable_http2: false };
      if (mixed && proto === 'UDP') svcEntry.override_network_profile_ref = networkProfileRef('System-UDP-Fast-Path');
      if (mixed && proto === 'SCTP') svcEntry.override_network_profile_ref = networkProfileRef('System-SCTP-Proxy');
      vsServices.push(svcEntry);
    }
  }

  if (!ssl) {
    objects.push(
      desiredObject(tenant, 'l4policyset', psName, {
        name: psName,
        ...common,
        created_by: akoUser(c),
        l4_connection_policy: { rules },
        markers: shared ? l4SharedMarkers(c.clusterName, namespace, vsKeyName) : l4PolicySetMarkers(c.clusterName, namespace, vsKeyName, [...protocols]),
      }),
    );
  }

  const first = services[0]!;
  const vs: Record<string, unknown> = {
    name: vsName,
    ...common,
    created_by: akoUser(c),
    cloud_ref: cloudRef(c),
    ...placement(c, 'vrf_context_ref', 'vs'),
    se_group_ref: seGroupRef(c),
    application_profile_ref: appProfileRef(annotations(first)[APP_PROFILE_ANNOTATION] || DEFAULT_L4_APP_PROFILE),
    network_profile_ref: networkProfileRef(profile),
    vsvip_ref: nameRef('vsvip', vipName),
    services: vsServices,
    l4_policies: [{ l4_policy_set_ref: nameRef('l4policyset', psName), index: 0 }],
    remove_listening_port_on_vs_down: true,
    markers: shared ? l4SharedMarkers(c.clusterName, namespace, vsKeyName) : l4VsMarkers(c.clusterName, namespace, vsKeyName),
    service_metadata: serviceMetadata({ hostnames: fqdns, ...(shared ? {} : { namespace_svc_name: services.map((s) => `${namespace}/${name(s)}`) }) }),
  };
  if (c.enableRHI) vs.enable_rhi = true;
  if (ssl) {
    delete vs.l4_policies;
    delete vs.remove_listening_port_on_vs_down;
    vs.pool_ref = nameRef('pool', defaultPool!);
  }
  if (vsRuleApplied) Object.assign(vs, l4RuleVsFields(vsRuleApplied));
  const trafficDisabled = services.some((s) => annotations(s)[DISABLE_TRAFFIC_ANNOTATION] === 'true');
  // The Go AKO sets traffic_enabled on a Service's VS (not on a shared-VIP VS, unless traffic is disabled).
  if (trafficDisabled) vs.traffic_enabled = false;
  else if (!shared) vs.traffic_enabled = true;
  objects.push(desiredObject(tenant, 'virtualservice', vsName, vs));
  return objects;
}
