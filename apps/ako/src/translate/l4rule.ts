/**
 * L4Rule (ako.vmware.com v1alpha2, spec ako.md "CRD L4Rule"): a LoadBalancer Service names one in its namespace with
 * the annotation `ako.vmware.com/l4rule`; an accepted rule sets VS properties (profiles, performance limits, security
 * and network security policies, datascripts, analytics policy), the VsVip's preferred VIP (loadBalancerIP) and, per
 * backend port, pool properties (algorithm, monitors, persistence, backend SSL/PKI, analytics), and listenerProperties
 * (one per Service port; enableSsl makes an L4 SSL VS: System-SSL-Application, sslProfileRef, sslKeyAndCertificateRefs,
 * a default pool instead of the L4PolicySet). Pure: rules, Services, Snapshot.aviRefs and
 * the profile types read on the controller (Snapshot.aviRefTypes) in; verdicts and fields out.
 */
import type { V1Service } from '@kubernetes/client-node';
import { accepted, isIp, rejected, type Verdict } from './common.js';
import { ruleRef } from './hostrule.js';
import { nsName, type SnapshotIndex } from './snapshot.js';
import { warning, type ObjectWarning } from './warnings.js';

export const L4RULE_ANNOTATION = 'ako.vmware.com/l4rule';

export interface L4RuleBackend {
  readonly port?: number;
  readonly protocol?: string;
  readonly enabled?: boolean;
  readonly lbAlgorithm?: string;
  readonly lbAlgorithmHash?: string;
  readonly lbAlgorithmConsistentHashHdr?: string;
  readonly healthMonitorRefs?: readonly string[];
  readonly applicationPersistenceProfileRef?: string;
  readonly minServersUp?: number;
  readonly sslProfileRef?: string;
  readonly pkiProfileRef?: string;
  readonly sslKeyAndCertificateRef?: string;
  readonly analyticsPolicy?: { readonly enableRealtimeMetrics?: boolean };
  readonly [k: string]: unknown;
}

/** One VS listener (listenerProperties[]): the Go AKO's L4Rule Spec.Services. */
export interface L4RuleListener {
  readonly port?: number;
  readonly protocol?: string;
  readonly enableSsl?: boolean;
}

export interface L4RuleSpec {
  readonly listenerProperties?: readonly L4RuleListener[];
  readonly sslProfileRef?: string;
  readonly sslKeyAndCertificateRefs?: readonly string[];
  readonly applicationProfileRef?: string;
  readonly networkProfileRef?: string;
  readonly analyticsProfileRef?: string;
  readonly performanceLimits?: { readonly maxConcurrentConnections?: number; readonly maxThroughput?: number };
  readonly backendProperties?: readonly L4RuleBackend[];
  readonly revokeVipRoute?: boolean;
  readonly loadBalancerIP?: string;
  readonly securityPolicyRef?: string;
  readonly networkSecurityPolicyRef?: string;
  readonly vsDatascriptRefs?: readonly string[];
  readonly analyticsPolicy?: { readonly fullClientLogs?: { readonly enabled?: boolean; readonly throttle?: number; readonly duration?: number } };
  readonly [k: string]: unknown;
}

export interface L4RuleObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string };
  readonly spec?: L4RuleSpec;
}

/**
 * Backend fields this AKO does not implement yet: a rule using one is rejected. healthMonitorCrdRefs needs the
 * ako-crd-operator's HealthMonitor CRD.
 */
const BACKEND_NOT_SUPPORTED = ['healthMonitorCrdRefs'];
const CONSISTENT_HASH = 'LB_ALGORITHM_CONSISTENT_HASH';
const CUSTOM_HEADER = 'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER';
const L4_APP = 'System-L4-Application';
const SSL_APP = 'System-SSL-Application';
const TCP_PROXY = 'System-TCP-Proxy';

const ns = (r: L4RuleObject): string => r.metadata?.namespace ?? '';
const name = (r: L4RuleObject): string => r.metadata?.name ?? '';

/** (Avi type, name) of the Avi objects a rule names (CRD defaults included). */
export function l4RuleAviRefs(spec: L4RuleSpec): [string, string][] {
  const out: [string, string][] = [
    ['applicationprofile', spec.applicationProfileRef ?? 'System-L4-Application'],
    ['networkprofile', spec.networkProfileRef ?? 'System-TCP-Proxy'],
    ['analyticsprofile', spec.analyticsProfileRef ?? 'System-Analytics-Profile'],
  ];
  if (spec.sslProfileRef) out.push(['sslprofile', spec.sslProfileRef]);
  for (const c of spec.sslKeyAndCertificateRefs ?? []) out.push(['sslkeyandcertificate', c]);
  if (spec.networkSecurityPolicyRef) out.push(['networksecuritypolicy', spec.networkSecurityPolicyRef]);
  if (spec.securityPolicyRef) out.push(['securitypolicy', spec.securityPolicyRef]);
  for (const d of spec.vsDatascriptRefs ?? []) out.push(['vsdatascriptset', d]);
  for (const b of spec.backendProperties ?? []) {
    if (b.applicationPersistenceProfileRef) out.push(['applicationpersistenceprofile', b.applicationPersistenceProfileRef]);
    for (const hm of b.healthMonitorRefs ?? []) out.push(['healthmonitor', hm]);
    if (b.pkiProfileRef) out.push(['pkiprofile', b.pkiProfileRef]);
    if (b.sslKeyAndCertificateRef) out.push(['sslkeyandcertificate', b.sslKeyAndCertificateRef]);
    if (b.sslProfileRef) out.push(['sslprofile', b.sslProfileRef]);
  }
  return out;
}

/** The Go AKO's check of a backend's LB algorithm fields (its texts). */
function lbAlgorithmProblem(b: L4RuleBackend): string | undefined {
  if (b.lbAlgorithm === undefined) return undefined;
  if (b.lbAlgorithm === CONSISTENT_HASH) {
    if (b.lbAlgorithmHash === undefined) return `lbAlgorithmHash must be specified when lbAlgorithm is "${CONSISTENT_HASH}"`;
    if (b.lbAlgorithmHash === CUSTOM_HEADER && b.lbAlgorithmConsistentHashHdr === undefined) return `lbAlgorithmConsistentHashHdr must be specified when lbAlgorithmHash is "${CUSTOM_HEADER}"`;
    return undefined;
  }
  if (b.lbAlgorithmHash !== undefined) return `lbAlgorithmHash must not be specified when lbAlgorithm is "${b.lbAlgorithm}"`;
  if (b.lbAlgorithmConsistentHashHdr !== undefined) return `lbAlgorithmConsistentHashHdr must not be specified when lbAlgorithm is "${b.lbAlgorithm}"`;
  return undefined;
}

/** Any listener with enableSsl. */
const hasSslListener = (spec: L4RuleSpec): boolean => (spec.listenerProperties ?? []).some((l) => l.enableSsl === true);

const APP_TYPE_L4 = 'APPLICATION_PROFILE_TYPE_L4';
const APP_TYPE_SSL = 'APPLICATION_PROFILE_TYPE_SSL';
const NET_TYPE_TCP_PROXY = 'PROTOCOL_TYPE_TCP_PROXY';
/** The types of the system profiles, for a snapshot without types read on the controller (aviRefTypes absent). */
const SYSTEM_TYPES: Record<string, string> = {
  [`applicationprofile/${L4_APP}`]: APP_TYPE_L4,
  [`applicationprofile/${SSL_APP}`]: APP_TYPE_SSL,
  [`networkprofile/${TCP_PROXY}`]: NET_TYPE_TCP_PROXY,
};

/**
 * The type of a referenced profile as read on the controller (Snapshot.aviRefTypes), or a not-found text when the
 * snapshot's aviRefs do not hold it (the Go AKO's checkForL4SSLAppProfile / checkForNetworkProfileTypeTCP read both).
 */
function profileType(idx: SnapshotIndex, type: string, n: string): { type?: string; missing?: string } {
  const key = `${type}/${n}`;
  const { aviRefs, aviRefTypes } = idx.snapshot;
  if (aviRefs && !aviRefs.includes(key)) return { missing: `${type} "${n}" not found on controller` };
  const t = aviRefTypes ? aviRefTypes[key] : SYSTEM_TYPES[key];
  return t === undefined ? {} : { type: t };
}

/** The Go AKO's checks of the application (and, for SSL, network) profile's type against the SSL fields (its texts). */
function sslProblem(idx: SnapshotIndex, spec: L4RuleSpec): string | undefined {
  const app = spec.applicationProfileRef ?? L4_APP;
  const ssl = hasSslListener(spec);
  const appType = profileType(idx, 'applicationprofile', app);
  if (appType.missing) return appType.missing;
  if (appType.type !== APP_TYPE_SSL && appType.type !== APP_TYPE_L4) {
    return `applicationprofile "${app}" found on controller is invalid, must be of type: ${APP_TYPE_L4} or ${APP_TYPE_SSL}`;
  }
  if (appType.type === APP_TYPE_SSL) {
    if (!ssl) return `SSL is not enabled in l4rule listener Spec but App Profile ${app} is of type SSL`;
    const net = spec.networkProfileRef ?? TCP_PROXY;
    const netType = profileType(idx, 'networkprofile', net);
    if (netType.missing) return netType.missing;
    if (netType.type !== NET_TYPE_TCP_PROXY) return `networkprofile "${net}" found on controller is invalid, must be of type: ${NET_TYPE_TCP_PROXY} for L4 SSL support`;
    return undefined;
  }
  // System-L4-Application with SSL listeners becomes System-SSL-Application (l4RuleVsFields); another L4 one cannot.
  if (app !== L4_APP && ssl) return `SSL is enabled in l4rule listener Spec but App Profile ${app} is not of type SSL`;
  if (spec.sslProfileRef !== undefined) return `App Profile ${app} is not of type SSL but SslProfileRef is set`;
  if ((spec.sslKeyAndCertificateRefs ?? []).length > 0) return `App Profile ${app} is not of type SSL but SslKeyAndCertificateRefs are set`;
  return undefined;
}

export function l4RuleProblem(idx: SnapshotIndex, r: L4RuleObject): string | undefined {
  const spec = r.spec ?? {};
  for (const b of spec.backendProperties ?? []) for (const f of BACKEND_NOT_SUPPORTED) if (b[f] !== undefined) return `backendProperties.${f} is not supported by this AKO yet`;
  // The Go AKO's order: the IP, the application profile against the SSL fields, each backend's LB algorithm, then the
  // Avi objects named.
  if (spec.loadBalancerIP !== undefined && !isIp(spec.loadBalancerIP)) return `loadBalancerIP ${spec.loadBalancerIP} is not valid`;
  const ssl = sslProblem(idx, spec);
  if (ssl) return ssl;
  for (const b of spec.backendProperties ?? []) {
    const p = lbAlgorithmProblem(b);
    if (p) return p;
  }
  const known = idx.snapshot.aviRefs ? new Set(idx.snapshot.aviRefs) : undefined;
  if (known) for (const [t, n] of l4RuleAviRefs(spec)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  return undefined;
}

export function l4RuleVerdict(idx: SnapshotIndex, r: L4RuleObject): Verdict {
  const p = l4RuleProblem(idx, r);
  return p ? rejected('L4Rule', ns(r), name(r), p) : accepted('L4Rule', ns(r), name(r));
}

/**
 * Why an accepted rule's listenerProperties do not fit a Service (the Go AKO's getL4Rule texts): one listener per
 * Service port, same port and protocol, SSL only on a one-port Service. Such a rule stays Accepted but is not applied
 * to that Service.
 */
export function l4RuleListenerProblem(r: L4RuleObject, svc: V1Service): string | undefined {
  const listeners = r.spec?.listenerProperties ?? [];
  if (listeners.length === 0) return undefined;
  const ports = svc.spec?.ports ?? [];
  const svcName = svc.metadata?.name ?? '';
  if (listeners.length !== ports.length) return `Number of port definitions in ${name(r)} l4rule listener spec does not match with the port definitons in ${svcName} service`;
  for (const l of listeners) if (l.enableSsl === true && ports.length > 1) return `Port ${l.port ?? ''} requires enabling SSL for L4 but there are multiple ports defined in ${svcName} service definition`;
  const keys = new Set(listeners.map((l) => `${l.port ?? ''}/${l.protocol ?? 'TCP'}`));
  for (const p of ports) if (!keys.has(`${p.port}/${p.protocol ?? 'TCP'}`)) return `Port ${p.port} defined in ${svcName} service definition is not present in ${name(r)} l4rule listener spec`;
  return undefined;
}

const namedRule = (idx: SnapshotIndex, svc: V1Service): L4RuleObject | undefined => {
  const want = svc.metadata?.annotations?.[L4RULE_ANNOTATION];
  if (!want) return undefined;
  return (idx.snapshot.l4Rules ?? []).find((x) => nsName(ns(x), name(x)) === nsName(svc.metadata?.namespace, want));
};

/** The accepted L4Rule a Service names, if any, and if its listeners fit the Service. */
export function l4RuleOf(idx: SnapshotIndex, svc: V1Service): L4RuleObject | undefined {
  const r = namedRule(idx, svc);
  return r && l4RuleProblem(idx, r) === undefined && l4RuleListenerProblem(r, svc) === undefined ? r : undefined;
}

/** A Service naming an L4Rule that does not exist or is rejected: served without it, with a warning. */
export function l4RuleWarnings(idx: SnapshotIndex, svc: V1Service): ObjectWarning[] {
  const want = svc.metadata?.annotations?.[L4RULE_ANNOTATION];
  if (!want || l4RuleOf(idx, svc)) return [];
  const where = `${svc.metadata?.namespace ?? ''}/${want}`;
  const r = namedRule(idx, svc);
  const listener = r && l4RuleProblem(idx, r) === undefined ? l4RuleListenerProblem(r, svc) : undefined;
  const why = listener ? `L4Rule ${where}: ${listener}` : r ? `L4Rule ${where} is rejected` : `L4Rule ${where} not found`;
  return [warning('Service', svc.metadata?.namespace ?? '', svc.metadata?.name ?? '', 'InvalidAnnotation', `annotation ${L4RULE_ANNOTATION}: ${why}: served without it`)];
}

/**
 * Whether an applied rule makes the VS an L4 SSL VS: an SSL listener, and AKO's own network profile for the Service
 * (before the rule) is System-TCP-Proxy (Enterprise licence, TCP only). Otherwise the Go AKO does not apply the rule's
 * VS fields at all (see l4RuleNotAppliedReason), the pools still take its backendProperties.
 */
export const l4RuleSsl = (r: L4RuleObject | undefined): boolean => r !== undefined && hasSslListener(r.spec ?? {});

/** Why the Go AKO applies none of a rule's VS fields to the VS (SSL listeners on a VS that is not a TCP proxy). */
export function l4RuleNotAppliedReason(r: L4RuleObject, aviNetworkProfile: string): string | undefined {
  if (!l4RuleSsl(r) || aviNetworkProfile === TCP_PROXY) return undefined;
  return `L4Rule ${ns(r)}/${name(r)} cannot be applied to the service as network profile is not equal to ${TCP_PROXY}`;
}

/** enable_ssl of the VS listener for a Service port, from the rule's listenerProperties. */
export function l4RuleListenerSsl(r: L4RuleObject | undefined, port: number, protocol: string): boolean {
  return (r?.spec?.listenerProperties ?? []).some((l) => l.port === port && (l.protocol ?? 'TCP') === protocol && l.enableSsl === true);
}

/** VS fields an accepted rule sets. */
export function l4RuleVsFields(r: L4RuleObject): Record<string, unknown> {
  const spec = r.spec ?? {};
  const ssl = l4RuleSsl(r);
  const app = spec.applicationProfileRef ?? L4_APP;
  const out: Record<string, unknown> = {
    // With SSL listeners the default L4 profile becomes the default L4 SSL one (as the Go AKO's buildWithL4Rule).
    application_profile_ref: ruleRef('applicationprofile', ssl && app === L4_APP ? SSL_APP : app),
    network_profile_ref: ruleRef('networkprofile', spec.networkProfileRef ?? 'System-TCP-Proxy'),
    analytics_profile_ref: ruleRef('analyticsprofile', spec.analyticsProfileRef ?? 'System-Analytics-Profile'),
    revoke_vip_route: spec.revokeVipRoute ?? false,
  };
  const pl = spec.performanceLimits;
  if (pl) {
    out.performance_limits = {
      ...(pl.maxConcurrentConnections !== undefined ? { max_concurrent_connections: pl.maxConcurrentConnections } : {}),
      ...(pl.maxThroughput !== undefined ? { max_throughput: pl.maxThroughput } : {}),
    };
  }
  if (ssl && spec.sslProfileRef) out.ssl_profile_ref = ruleRef('sslprofile', spec.sslProfileRef);
  const certs = spec.sslKeyAndCertificateRefs ?? [];
  if (ssl && certs.length > 0) out.ssl_key_and_certificate_refs = certs.map((c) => ruleRef('sslkeyandcertificate', c));
  if (spec.securityPolicyRef) out.security_policy_ref = ruleRef('securitypolicy', spec.securityPolicyRef);
  if (spec.networkSecurityPolicyRef) out.network_security_policy_ref = ruleRef('networksecuritypolicy', spec.networkSecurityPolicyRef);
  // In the order the rule lists them (the order Avi runs them in), indexed from 0.
  const ds = spec.vsDatascriptRefs ?? [];
  if (ds.length > 0) out.vs_datascripts = ds.map((d, index) => ({ index, vs_datascript_set_ref: ruleRef('vsdatascriptset', d) }));
  // full_client_logs with the CRD's defaults (throttle 10 logs/s, duration 30 minutes; 0 = no limit / forever).
  const f = spec.analyticsPolicy?.fullClientLogs;
  if (spec.analyticsPolicy) {
    out.analytics_policy = f ? { full_client_logs: { enabled: f.enabled ?? false, throttle: f.throttle ?? 10, duration: f.duration ?? 30 } } : {};
  }
  return out;
}

/** The preferred VIP an accepted rule asks for (the Service's spec.loadBalancerIP or annotation win over it). */
export const l4RuleLoadBalancerIP = (r: L4RuleObject | undefined): string | undefined => r?.spec?.loadBalancerIP || undefined;

/** Pool fields for one Service port from the rule's backendProperties entry of that port and protocol. */
export function l4RulePoolFields(r: L4RuleObject, port: number, protocol: string): Record<string, unknown> {
  const b = (r.spec?.backendProperties ?? []).find((x) => x.port === port && (x.protocol ?? 'TCP') === protocol);
  if (!b) return {};
  return {
    enabled: b.enabled ?? true,
    lb_algorithm: b.lbAlgorithm ?? 'LB_ALGORITHM_LEAST_CONNECTIONS',
    ...(b.lbAlgorithmHash ? { lb_algorithm_hash: b.lbAlgorithmHash } : {}),
    ...(b.lbAlgorithmConsistentHashHdr ? { lb_algorithm_consistent_hash_hdr: b.lbAlgorithmConsistentHashHdr } : {}),
    ...((b.healthMonitorRefs ?? []).length > 0 ? { health_monitor_refs: b.healthMonitorRefs!.map((h) => ruleRef('healthmonitor', h)) } : {}),
    ...(b.applicationPersistenceProfileRef ? { application_persistence_profile_ref: ruleRef('applicationpersistenceprofile', b.applicationPersistenceProfileRef) } : {}),
    ...(b.minServersUp !== undefined ? { min_servers_up: b.minServersUp } : {}),
    // Backend SSL: the SE re-encrypts to the servers with this profile, presents this certificate, checks theirs.
    ...(b.sslProfileRef ? { ssl_profile_ref: ruleRef('sslprofile', b.sslProfileRef) } : {}),
    ...(b.pkiProfileRef ? { pki_profile_ref: ruleRef('pkiprofile', b.pkiProfileRef) } : {}),
    ...(b.sslKeyAndCertificateRef ? { ssl_key_and_certificate_ref: ruleRef('sslkeyandcertificate', b.sslKeyAndCertificateRef) } : {}),
    ...(b.analyticsPolicy ? { analytics_policy: { enable_realtime_metrics: b.analyticsPolicy.enableRealtimeMetrics ?? false } } : {}),
  };
}
