/**
 * HostRule (ako.vmware.com v1beta1/v1alpha1, spec ako.md "CRD HostRule"): per-FQDN settings of the VS that serves a
 * host. Pure: the rule objects, the Secrets and the names of the Avi objects on the controller (Snapshot.aviRefs)
 * in; the rule's verdict (its status) and the settings to apply out. A rejected rule applies nothing.
 */
import { isIPv4 } from 'node:net';
import type { Verdict } from './common.js';
import { accepted, rejected } from './common.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';
import { readTlsSecret, type TlsMaterial } from './tls.js';
import { findL7Rule, l7RuleFor, missingL7RuleReason, THROTTLE } from './l7rule.js';

/** The HostRule fields translate reads (the operator parses the CR with the zod schema of @avi-k8s/crds). */
export interface HostRuleVirtualHost {
  readonly fqdn?: string;
  readonly fqdnType?: 'Exact' | 'Wildcard' | 'Contains';
  readonly enableVirtualHost?: boolean;
  readonly tls?: {
    readonly sslKeyCertificate?: { readonly name?: string; readonly type?: 'ref' | 'secret'; readonly alternateCertificate?: { readonly name?: string; readonly type?: 'ref' | 'secret' } };
    readonly sslProfile?: string;
    readonly termination?: string;
  };
  readonly httpPolicy?: { readonly policySets?: readonly string[]; readonly overwrite?: boolean };
  readonly wafPolicy?: string;
  readonly applicationProfile?: string;
  readonly analyticsProfile?: string;
  readonly analyticsPolicy?: { readonly fullClientLogs?: { readonly enabled?: boolean; readonly throttle?: string; readonly duration?: number }; readonly logAllHeaders?: boolean };
  readonly icapProfile?: readonly string[];
  readonly errorPageProfile?: string;
  readonly datascripts?: readonly string[];
  readonly networkSecurityPolicy?: string;
  readonly l7Rule?: string;
  readonly gslb?: { readonly fqdn?: string; readonly includeAliases?: boolean };
  readonly aliases?: readonly string[];
  readonly tcpSettings?: { readonly listeners?: readonly { readonly port?: number; readonly enableSSL?: boolean }[]; readonly loadBalancerIP?: string };
  readonly useRegex?: boolean;
  readonly applicationRootPath?: string;
}

export interface HostRuleObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly creationTimestamp?: string | Date };
  readonly spec?: { readonly virtualhost?: HostRuleVirtualHost };
}

/** What an accepted rule sets on the VS of a host. */
export interface AppliedHostRule {
  /** `ns/name` of the rule (service_metadata crd_status). */
  readonly key: string;
  /** `vh_domain_name`, the Host markers and the redirect's hosts: the host, its aliases and GSLB FQDN, sorted. */
  readonly domains: readonly string[];
  /** DNS names for the VsVip: the host and its aliases (the GSLB FQDN is AMKO's). */
  readonly dnsNames: readonly string[];
  /** Replaces the Ingress's certificate: Avi certificate names (type ref), or a Secret's material (type secret). */
  readonly certRefs?: readonly string[];
  readonly certSecret?: TlsMaterial;
  /** Fields set on the VS (the named L7Rule's under the HostRule's own). */
  readonly vsFields: Readonly<Record<string, unknown>>;
  /** The L7Rule's fields the Go AKO sets on a dedicated VS only, not on an SNI/EVH child (l7rule.ts). */
  readonly parentOnlyFields?: Readonly<Record<string, unknown>>;
  readonly policySets: readonly string[];
  readonly overwritePolicies: boolean;
  readonly datascripts: readonly string[];
  /**
   * tcpSettings, applied on a shared parent VS or a dedicated VS only (Go AKO docs/crds/hostrule.md "Configure TCP
   * Settings"): `services` replace the VS's ports 80/443 when listeners are given; `loadBalancerIP` is the VsVip's IP.
   */
  readonly tcp?: { readonly services?: readonly { readonly port: number; readonly enableSSL: boolean }[]; readonly loadBalancerIP?: string };
  /** useRegex: every path of the host is a case-insensitive regular expression (host-paths.ts). */
  readonly useRegex: boolean;
  /** applicationRootPath: `/` redirected there (host-paths.ts). */
  readonly applicationRootPath?: string;
}

const ns = (r: HostRuleObject): string => r.metadata?.namespace ?? '';
const name = (r: HostRuleObject): string => r.metadata?.name ?? '';
export const hostRuleKey = (r: HostRuleObject): string => nsName(ns(r), name(r));
const vhOf = (r: HostRuleObject): HostRuleVirtualHost => r.spec?.virtualhost ?? {};

/** Avi refs as the Go AKO writes HostRule refs: `/api/<type>?name=<name>` (name URL-encoded, see names.ts nameRef). */
export const ruleRef = (type: string, n: string): string => `/api/${type}?name=${encodeURIComponent(n)}`;

/** The Go AKO's substring of shared VS names (lib.ShardVSSubstring): useRegex/applicationRootPath are refused there. */
const SHARED_VS_SUBSTRING = 'Shared-';

/** The Avi objects a rule names, as (Avi type, name). */
export function aviRefsOf(vh: HostRuleVirtualHost): [string, string][] {
  const out: [string, string][] = [];
  const add = (type: string, n: string | undefined): void => {
    if (n) out.push([type, n]);
  };
  const cert = vh.tls?.sslKeyCertificate;
  if (cert?.type === 'ref') add('sslkeyandcertificate', cert.name);
  if (cert?.alternateCertificate?.type === 'ref') add('sslkeyandcertificate', cert.alternateCertificate.name);
  add('sslprofile', vh.tls?.sslProfile);
  add('wafpolicy', vh.wafPolicy);
  add('applicationprofile', vh.applicationProfile);
  add('analyticsprofile', vh.analyticsProfile);
  add('errorpageprofile', vh.errorPageProfile);
  add('networksecuritypolicy', vh.networkSecurityPolicy);
  for (const p of vh.icapProfile ?? []) add('icapprofile', p);
  for (const p of vh.httpPolicy?.policySets ?? []) add('httppolicyset', p);
  for (const d of vh.datascripts ?? []) add('vsdatascriptset', d);
  return out;
}

/** Why a rule is rejected, or undefined. `others`: every HostRule of the snapshot (duplicate FQDNs). */
export function hostRuleProblem(idx: SnapshotIndex, r: HostRuleObject, akoNamespace?: string): string | undefined {
  const vh = vhOf(r);
  const fqdn = vh.fqdn ?? '';
  const type = vh.fqdnType ?? 'Exact';
  if (fqdn === '') return 'fqdn is empty';
  if ((vh.aliases ?? []).length > 0 && type !== 'Exact') return 'Aliases is supported only when FQDN type is set as Exact';
  if ((vh.aliases ?? []).includes(fqdn)) return 'Duplicate entry found. Aliases field has same entry as the FQDN field';
  if (new Set(vh.aliases).size !== (vh.aliases ?? []).length) return 'Aliases must be unique';
  if (vh.gslb?.fqdn && vh.gslb.fqdn === fqdn) return 'GSLB FQDN and local FQDN are same';
  // tcpSettings as the Go AKO validates them (its texts).
  const lbIP = vh.tcpSettings?.loadBalancerIP;
  if (lbIP && !isIPv4(lbIP)) return `loadBalancerIP ${lbIP} is not a valid IP`;
  const listeners = vh.tcpSettings?.listeners ?? [];
  if (listeners.length > 0 && !listeners.some((l) => l.enableSSL === true)) return 'Hosting parent virtualservice must have SSL enabled';
  // Ours: a listener without a port, or a port twice, would be refused by the controller (the VS then never syncs).
  const missing = listeners.findIndex((l) => l.port === undefined);
  if (missing >= 0) return `tcpSettings.listeners[${missing}] has no port`;
  const twice = listeners.find((l, i) => listeners.findIndex((o) => o.port === l.port) !== i);
  if (twice) return `tcpSettings.listeners: port ${twice.port} is listed twice`;
  // Ours: the Go AKO drops the first character of the path (`/foo` -> `foo` in the redirect), so it must start with `/`.
  const root = vh.applicationRootPath;
  if (root !== undefined && root !== '' && (!root.startsWith('/') || root === '/')) return `applicationRootPath ${root} must be a path starting with / other than /`;
  // One accepted rule per FQDN among the rules that may apply together: the oldest (then namespace/name) keeps it.
  // Rules of two namespaces other than AKO's never compete: only the host's namespace's applies (host ownership,
  // l7-host.ts), so another team's older rule cannot make the owner's rule a duplicate.
  const competes = (o: HostRuleObject): boolean => ns(o) === ns(r) || ns(o) === akoNamespace || ns(r) === akoNamespace;
  const first = rulesByAge(idx).find((o) => (vhOf(o).fqdn ?? '') === fqdn && (vhOf(o).fqdnType ?? 'Exact') === type && competes(o));
  if (first && hostRuleKey(first) !== hostRuleKey(r)) return `duplicate fqdn ${fqdn} found in ${hostRuleKey(first)}`;
  const known = idx.snapshot.aviRefs ? new Set(idx.snapshot.aviRefs) : undefined;
  if (known) for (const [t, n] of aviRefsOf(vh)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  for (const cert of [vh.tls?.sslKeyCertificate, vh.tls?.sslKeyCertificate?.alternateCertificate]) {
    if (cert?.type !== 'secret' || !cert.name) continue;
    const m = readTlsSecret(idx, nsName(ns(r), cert.name));
    if ('problem' in m) return m.problem;
  }
  // As the Go AKO: the L7Rule must exist in the HostRule's namespace (a rejected one is just not applied).
  if (vh.l7Rule && !findL7Rule(idx, ns(r), vh.l7Rule)) return missingL7RuleReason(vh.l7Rule);
  if (fqdn.includes(SHARED_VS_SUBSTRING) && vh.useRegex) return `hostrule useRegex with fqdn ${fqdn} cannot be applied to shared virtualservices`;
  if (fqdn.includes(SHARED_VS_SUBSTRING) && vh.applicationRootPath) return `hostrule applicationRootPath with fqdn ${fqdn} cannot be applied to shared virtualservices`;
  return undefined;
}

const age = (r: HostRuleObject): string => {
  const t = r.metadata?.creationTimestamp;
  return t instanceof Date ? t.toISOString() : (t ?? '');
};

function rulesByAge(idx: SnapshotIndex): HostRuleObject[] {
  return [...(idx.snapshot.hostRules ?? [])].sort((a, b) => cmp(age(a), age(b)) || cmp(hostRuleKey(a), hostRuleKey(b)));
}

export function hostRuleVerdict(idx: SnapshotIndex, r: HostRuleObject, akoNamespace?: string): Verdict {
  const problem = hostRuleProblem(idx, r, akoNamespace);
  return problem ? rejected('HostRule', ns(r), name(r), problem) : accepted('HostRule', ns(r), name(r));
}

function matches(vh: HostRuleVirtualHost, host: string): boolean {
  const fqdn = vh.fqdn ?? '';
  switch (vh.fqdnType ?? 'Exact') {
    case 'Contains':
      return host.includes(fqdn);
    case 'Wildcard': {
      const re = new RegExp(`^${fqdn.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return re.test(host);
    }
    default:
      return host === fqdn;
  }
}

/** The HostRules whose FQDN matches `host`, oldest first. */
export const hostRulesMatching = (idx: SnapshotIndex, host: string): HostRuleObject[] => rulesByAge(idx).filter((o) => matches(vhOf(o), host));

/**
 * The accepted HostRule for `host` (the oldest when several match), with what it sets; only a rule of a namespace
 * `mayApply` allows (host ownership: the host's namespace or AKO's, host-owner.ts).
 */
export function hostRuleFor(
  idx: SnapshotIndex,
  host: string,
  mayApply: (namespace: string) => boolean = () => true,
  akoNamespace?: string,
  evh = false,
): AppliedHostRule | undefined {
  const r = rulesByAge(idx).find((o) => matches(vhOf(o), host) && mayApply(ns(o)) && hostRuleProblem(idx, o, akoNamespace) === undefined);
  if (!r) return undefined;
  const vh = vhOf(r);
  const aliases = vh.aliases ?? [];
  const gslb = vh.gslb?.fqdn ? [vh.gslb.fqdn] : [];
  const domains = [...new Set([host, ...aliases, ...gslb])].sort();
  const dnsNames = [...new Set([host, ...aliases])].sort();
  const vsFields: Record<string, unknown> = { enabled: vh.enableVirtualHost ?? true };
  if (vh.tls?.sslProfile) vsFields.ssl_profile_ref = ruleRef('sslprofile', vh.tls.sslProfile);
  if (vh.wafPolicy) vsFields.waf_policy_ref = ruleRef('wafpolicy', vh.wafPolicy);
  if (vh.applicationProfile) vsFields.application_profile_ref = ruleRef('applicationprofile', vh.applicationProfile);
  if (vh.analyticsProfile) vsFields.analytics_profile_ref = ruleRef('analyticsprofile', vh.analyticsProfile);
  if (vh.errorPageProfile) vsFields.error_page_profile_ref = ruleRef('errorpageprofile', vh.errorPageProfile);
  if (vh.networkSecurityPolicy) vsFields.network_security_policy_ref = ruleRef('networksecuritypolicy', vh.networkSecurityPolicy);
  if ((vh.icapProfile ?? []).length > 0) vsFields.icap_request_profile_refs = vh.icapProfile!.map((p) => ruleRef('icapprofile', p));
  if (vh.analyticsPolicy) {
    const f = vh.analyticsPolicy.fullClientLogs;
    vsFields.analytics_policy = {
      ...(f ? { full_client_logs: { enabled: f.enabled ?? false, throttle: THROTTLE[f.throttle ?? 'HIGH'] ?? THROTTLE.HIGH, ...(f.duration !== undefined ? { duration: f.duration } : {}) } } : {}),
      all_headers: vh.analyticsPolicy.logAllHeaders ?? false,
    };
  }
  // The L7Rule's fields, under the HostRule's own where both set one (Go AKO docs/crds/l7rule.md "Field Priority").
  // As the Go AKO (docs/crds/l7rule.md): an L7Rule applies in EVH mode only; in SNI mode its unit warns NotApplied.
  const l7 = vh.l7Rule && evh ? l7RuleFor(idx, ns(r), vh.l7Rule) : undefined;
  const ownPolicies = (vh.httpPolicy?.policySets ?? []).length > 0;
  const cert = vh.tls?.sslKeyCertificate;
  let certRefs: string[] | undefined;
  let certSecret: TlsMaterial | undefined;
  if (cert?.type === 'ref' && cert.name) {
    certRefs = [cert.name, ...(cert.alternateCertificate?.type === 'ref' && cert.alternateCertificate.name ? [cert.alternateCertificate.name] : [])];
  } else if (cert?.type === 'secret' && cert.name) {
    const m = readTlsSecret(idx, nsName(ns(r), cert.name));
    if (!('problem' in m)) certSecret = m;
  }
  return {
    key: hostRuleKey(r),
    domains,
    dnsNames,
    ...(certRefs ? { certRefs } : {}),
    ...(certSecret ? { certSecret } : {}),
    vsFields: l7 ? { ...l7.fields, ...vsFields } : vsFields,
    ...(l7 && Object.keys(l7.parentOnlyFields).length > 0 ? { parentOnlyFields: l7.parentOnlyFields } : {}),
    policySets: ownPolicies || !l7 ? (vh.httpPolicy?.policySets ?? []) : l7.policySets,
    overwritePolicies: ownPolicies || !l7 ? (vh.httpPolicy?.overwrite ?? false) : l7.overwritePolicies,
    datascripts: vh.datascripts ?? [],
    ...(vh.tcpSettings ? { tcp: tcpOf(vh.tcpSettings) } : {}),
    useRegex: vh.useRegex === true,
    ...(vh.applicationRootPath ? { applicationRootPath: vh.applicationRootPath } : {}),
  };
}

/** The Go AKO's reading of tcpSettings: each listener an HTTP port (SSL when enableSSL), listeners replacing 80/443. */
function tcpOf(t: NonNullable<HostRuleVirtualHost['tcpSettings']>): NonNullable<AppliedHostRule['tcp']> {
  return {
    // As the Go AKO: an empty list keeps the VS's own ports.
    ...(t.listeners && t.listeners.length > 0 ? { services: t.listeners.map((l) => ({ port: l.port ?? 0, enableSSL: l.enableSSL === true })) } : {}),
    ...(t.loadBalancerIP ? { loadBalancerIP: t.loadBalancerIP } : {}),
  };
}

/** A VS's `services` with a HostRule's listeners in place of its own (a shared parent or dedicated VS). */
export interface VsService {
  readonly port: number;
  readonly port_range_end: number;
  readonly enable_ssl: boolean;
  readonly enable_http2: boolean;
}
export function tcpServices(rule: AppliedHostRule | undefined, own: readonly VsService[]): VsService[] {
  const s = rule?.tcp?.services;
  return s ? s.map((l) => ({ port: l.port, port_range_end: l.port, enable_ssl: l.enableSSL, enable_http2: false })) : [...own];
}

/** Index of the first HostRule HTTP policy set on a VS (after AKO's own at 11..). */
export const HOST_RULE_POLICY_INDEX = 17;
