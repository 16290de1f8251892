/**
 * L7Rule (ako.vmware.com v1alpha2, spec ako.md "CRD L7Rule", Go AKO docs/crds/l7rule.md): VS fields HostRule does
 * not have, named by a HostRule's `virtualhost.l7Rule` in the HostRule's namespace and set on the VS that HostRule
 * applies to (SNI child, dedicated VS, EVH child). Pure: the rule, the Avi names on the controller in; the rule's
 * verdict and the fields out. A rejected L7Rule applies nothing (its HostRule still applies).
 */
import { accepted, rejected, type UnitResult, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { warning } from './warnings.js';
import { nsName, type SnapshotIndex } from './snapshot.js';

interface AviRef {
  readonly kind?: string;
  readonly name?: string;
}

/** The L7Rule fields translate reads (CRD schema packages/crds/src/ako/l7rule.ts). */
export interface L7RuleSpec {
  readonly allowInvalidClientCert?: boolean;
  readonly botPolicyRef?: string;
  readonly closeClientConnOnConfigUpdate?: boolean;
  readonly hostNameXlate?: string;
  readonly ignPoolNetReach?: boolean;
  readonly minPoolsUp?: number;
  readonly performanceLimits?: { readonly maxConcurrentConnections?: number; readonly maxThroughput?: number };
  readonly removeListeningPortOnVsDown?: boolean;
  readonly securityPolicyRef?: string;
  readonly sslSessCacheAvgSize?: number;
  readonly trafficCloneProfileRef?: string;
  readonly analyticsProfile?: AviRef;
  readonly applicationProfile?: AviRef;
  readonly wafPolicy?: AviRef;
  readonly icapProfile?: AviRef;
  readonly errorPageProfile?: AviRef;
  readonly analyticsPolicy?: { readonly fullClientLogs?: { readonly enabled?: boolean; readonly throttle?: string; readonly duration?: number }; readonly logAllHeaders?: boolean };
  readonly httpPolicy?: { readonly policySets?: readonly string[]; readonly overwrite?: boolean };
}

export interface L7RuleObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string };
  readonly spec?: L7RuleSpec;
}

/** What an accepted L7Rule sets on a VS. */
export interface AppliedL7Rule {
  /** Fields set on every VS the rule applies to. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Fields the Go AKO sets on a parent or dedicated VS only, not on an SNI/EVH child (hostNameXlate, performanceLimits, securityPolicyRef). */
  readonly parentOnlyFields: Readonly<Record<string, unknown>>;
  readonly policySets: readonly string[];
  readonly overwritePolicies: boolean;
}

export const l7RuleKey = (r: L7RuleObject): string => nsName(r.metadata?.namespace, r.metadata?.name);
export const l7RuleUnit = (r: L7RuleObject): string => `L7Rule/${l7RuleKey(r)}`;

/**
 * Avi's full_client_logs.throttle is logs per second (an integer, swagger FullClientLogs; 10 is its default): the
 * CRD's level names as the Go AKO maps them.
 */
export const THROTTLE: Readonly<Record<string, number>> = { LOW: 50, MEDIUM: 30, HIGH: 10, DISABLED: 0 };

const ref = (type: string, n: string): string => `/api/${type}?name=${encodeURIComponent(n)}`;

const PROFILE_REFS: readonly [keyof L7RuleSpec, string][] = [
  ['analyticsProfile', 'analyticsprofile'],
  ['applicationProfile', 'applicationprofile'],
  ['wafPolicy', 'wafpolicy'],
  ['icapProfile', 'icapprofile'],
  ['errorPageProfile', 'errorpageprofile'],
];

/** The Avi objects an L7Rule names, as (Avi type, name). */
export function l7RuleAviRefs(spec: L7RuleSpec | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (!spec) return out;
  const add = (type: string, n: string | undefined): void => {
    if (n) out.push([type, n]);
  };
  add('botdetectionpolicy', spec.botPolicyRef);
  add('securitypolicy', spec.securityPolicyRef);
  add('trafficcloneprofile', spec.trafficCloneProfileRef);
  for (const [field, type] of PROFILE_REFS) add(type, (spec[field] as AviRef | undefined)?.name);
  for (const p of spec.httpPolicy?.policySets ?? []) add('httppolicyset', p);
  return out;
}

/** Why an L7Rule is rejected, or undefined. */
export function l7RuleProblem(idx: SnapshotIndex, r: L7RuleObject): string | undefined {
  const spec = r.spec ?? {};
  for (const [field] of PROFILE_REFS) {
    const p = spec[field] as AviRef | undefined;
    if (p === undefined) continue;
    if (p.kind !== undefined && p.kind !== 'AviRef') return `${field}.kind ${p.kind} is not supported: only AviRef`;
    if (!p.name) return `${field}.name is empty`;
  }
  const known = idx.snapshot.aviRefs ? new Set(idx.snapshot.aviRefs) : undefined;
  if (known) for (const [t, n] of l7RuleAviRefs(spec)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  return undefined;
}

export function l7RuleVerdict(idx: SnapshotIndex, r: L7RuleObject): Verdict {
  const ns = r.metadata?.namespace ?? '';
  const name = r.metadata?.name ?? '';
  const problem = l7RuleProblem(idx, r);
  return problem ? rejected('L7Rule', ns, name, problem) : accepted('L7Rule', ns, name);
}

/** The Warning an accepted rule gets in SNI mode, where (as in the Go AKO, docs/crds/l7rule.md) nothing is applied. */
export const L7RULE_SNI_NOT_APPLIED = 'L7Rule is applied in EVH mode only (as the Go AKO): nothing is set on the virtual service in SNI mode (AKOSettings.enableEVH false)';

/** The `L7Rule/<ns>/<name>` unit: the rule's verdict (its status), and in SNI mode a Warning that it applies nothing. */
export function translateL7RuleUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const r = (idx.snapshot.l7Rules ?? []).find((x) => l7RuleUnit(x) === unit);
  if (!r) return { unit, objects: [], verdicts: [] };
  const v = l7RuleVerdict(idx, r);
  const warnings = v.accepted && !c.enableEVH ? [warning('L7Rule', v.namespace, v.name, 'NotApplied', L7RULE_SNI_NOT_APPLIED)] : [];
  return { unit, objects: [], verdicts: [v], ...(warnings.length > 0 ? { warnings } : {}) };
}

export const findL7Rule = (idx: SnapshotIndex, namespace: string, name: string): L7RuleObject | undefined =>
  (idx.snapshot.l7Rules ?? []).find((r) => r.metadata?.namespace === namespace && r.metadata?.name === name);

/** A HostRule naming an L7Rule that does not exist is rejected with the Go AKO's message (its lister's NotFound). */
export const missingL7RuleReason = (name: string): string => `l7rule.ako.vmware.com "${name}" not found`;

/** What the L7Rule `namespace/name` sets, when it exists and is accepted. */
export function l7RuleFor(idx: SnapshotIndex, namespace: string, name: string): AppliedL7Rule | undefined {
  const r = findL7Rule(idx, namespace, name);
  if (!r || l7RuleProblem(idx, r) !== undefined) return undefined;
  const s = r.spec ?? {};
  const fields: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) fields[k] = v;
  };
  set('allow_invalid_client_cert', s.allowInvalidClientCert);
  set('close_client_conn_on_config_update', s.closeClientConnOnConfigUpdate);
  set('ign_pool_net_reach', s.ignPoolNetReach);
  set('remove_listening_port_on_vs_down', s.removeListeningPortOnVsDown);
  set('ssl_sess_cache_avg_size', s.sslSessCacheAvgSize);
  set('min_pools_up', s.minPoolsUp);
  if (s.botPolicyRef) fields.bot_policy_ref = ref('botdetectionpolicy', s.botPolicyRef);
  if (s.trafficCloneProfileRef) fields.traffic_clone_profile_ref = ref('trafficcloneprofile', s.trafficCloneProfileRef);
  if (s.analyticsProfile?.name) fields.analytics_profile_ref = ref('analyticsprofile', s.analyticsProfile.name);
  if (s.applicationProfile?.name) fields.application_profile_ref = ref('applicationprofile', s.applicationProfile.name);
  if (s.wafPolicy?.name) fields.waf_policy_ref = ref('wafpolicy', s.wafPolicy.name);
  if (s.icapProfile?.name) fields.icap_request_profile_refs = [ref('icapprofile', s.icapProfile.name)];
  if (s.errorPageProfile?.name) fields.error_page_profile_ref = ref('errorpageprofile', s.errorPageProfile.name);
  if (s.analyticsPolicy) {
    const f = s.analyticsPolicy.fullClientLogs;
    fields.analytics_policy = {
      ...(f ? { full_client_logs: { enabled: f.enabled ?? false, throttle: THROTTLE[f.throttle ?? 'HIGH'] ?? THROTTLE.HIGH, ...(f.duration !== undefined ? { duration: f.duration } : {}) } } : {}),
      all_headers: s.analyticsPolicy.logAllHeaders ?? false,
    };
  }
  const parentOnlyFields: Record<string, unknown> = {};
  if (s.hostNameXlate) parentOnlyFields.host_name_xlate = s.hostNameXlate;
  if (s.securityPolicyRef) parentOnlyFields.security_policy_ref = ref('securitypolicy', s.securityPolicyRef);
  const pl = s.performanceLimits;
  if (pl && (pl.maxConcurrentConnections !== undefined || pl.maxThroughput !== undefined)) {
    parentOnlyFields.performance_limits = {
      ...(pl.maxConcurrentConnections !== undefined ? { max_concurrent_connections: pl.maxConcurrentConnections } : {}),
      ...(pl.maxThroughput !== undefined ? { max_throughput: pl.maxThroughput } : {}),
    };
  }
  return { fields, parentOnlyFields, policySets: s.httpPolicy?.policySets ?? [], overwritePolicies: s.httpPolicy?.overwrite ?? false };
}
