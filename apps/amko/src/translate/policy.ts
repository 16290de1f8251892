// GlobalDeploymentPolicy and GSLBHostRule: schema validation plus the cross-object rules of spec amko.md §2.2/§2.3.
// Invalid input becomes a reason string, never an exception.
import { isIP } from 'node:net';
import {
  globalDeploymentPolicySpecSchema,
  gslbHostRuleSpecSchema,
  parseWith,
  type DownResponse,
  type GlobalDeploymentPolicySpec,
  type GSLBHostRuleSpec,
  type PoolAlgorithmSettings,
} from '@avi-k8s/crds';
import type { AmkoConfig, AviFacts, RawObject } from './types.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Objects in a stable order: oldest first, then by name (the first valid one wins). */
export function byAge<T extends RawObject>(objs: readonly T[]): T[] {
  return [...objs].sort((a, b) => {
    const ta = String(a.metadata?.creationTimestamp ?? '');
    const tb = String(b.metadata?.creationTimestamp ?? '');
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = `${a.metadata?.namespace}/${a.metadata?.name}`;
    const nb = `${b.metadata?.namespace}/${b.metadata?.name}`;
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

function checkLabels(what: string, labels: Record<string, string> | undefined): string | undefined {
  for (const [k, v] of Object.entries(labels ?? {})) if (!k || !v) return `${what}: empty label key or value`;
  return undefined;
}

export function checkPoolAlgorithm(p: PoolAlgorithmSettings | undefined): string | undefined {
  if (!p) return undefined;
  const algo = p.lbAlgorithm ?? 'GSLB_ALGORITHM_ROUND_ROBIN';
  if (algo === 'GSLB_ALGORITHM_CONSISTENT_HASH') {
    if (p.hashMask === undefined) return 'poolAlgorithmSettings: hashMask is required for GSLB_ALGORITHM_CONSISTENT_HASH';
    if (p.geoFallback) return 'poolAlgorithmSettings: geoFallback is only allowed with GSLB_ALGORITHM_GEO';
  } else if (algo === 'GSLB_ALGORITHM_GEO') {
    if (p.hashMask !== undefined) return 'poolAlgorithmSettings: hashMask is not allowed with GSLB_ALGORITHM_GEO (set it in geoFallback)';
    if (!p.geoFallback?.lbAlgorithm) return 'poolAlgorithmSettings: geoFallback.lbAlgorithm is required for GSLB_ALGORITHM_GEO';
    const fb = p.geoFallback;
    if (fb.lbAlgorithm === 'GSLB_ALGORITHM_CONSISTENT_HASH' && fb.hashMask === undefined) return 'poolAlgorithmSettings: geoFallback.hashMask is required for a consistent hash fallback';
    if (fb.lbAlgorithm === 'GSLB_ALGORITHM_ROUND_ROBIN' && fb.hashMask !== undefined) return 'poolAlgorithmSettings: geoFallback.hashMask is only allowed for a consistent hash fallback';
  } else if (p.hashMask !== undefined || p.geoFallback) {
    return `poolAlgorithmSettings: ${algo} takes neither hashMask nor geoFallback`;
  }
  return undefined;
}

export function checkDownResponse(d: DownResponse | undefined): string | undefined {
  if (!d) return undefined;
  if (d.type === 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP') {
    if (!d.fallbackIP) return 'downResponse: fallbackIP is required for GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP';
    if (isIP(d.fallbackIP) !== 4) return `downResponse: fallbackIP ${d.fallbackIP} is not an IPv4 address`;
  } else if (d.fallbackIP) return `downResponse: fallbackIP is only allowed with GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP`;
  return undefined;
}

function checkHealthMonitors(refs: readonly string[] | undefined, template: string | undefined, avi: AviFacts): string | undefined {
  if (refs?.length && template) return 'healthMonitorRefs and healthMonitorTemplate are mutually exclusive';
  for (const r of refs ?? []) {
    const hm = avi.healthMonitors[r];
    if (!hm) return `health monitor ${r} does not exist on the GSLB leader`;
    if (!hm.federated) return `health monitor ${r} is not federated`;
  }
  if (template) {
    const t = avi.healthMonitors[template];
    if (!t) return `health monitor template ${template} does not exist on the GSLB leader`;
    if (!t.federated) return `health monitor template ${template} is not federated`;
    if (t.type !== 'HEALTH_MONITOR_HTTP' && t.type !== 'HEALTH_MONITOR_HTTPS') return `health monitor template ${template} must be of type HTTP or HTTPS, not ${t.type}`;
    if (t.httpRequest !== undefined && t.httpRequest.trim().split(/\s+/).length !== 3) return `health monitor template ${template}: http_request must be three space-separated tokens (method, path, version)`;
  }
  return undefined;
}

const firstError = (...errs: (string | undefined)[]) => errs.find((e) => e !== undefined);

/** Validates one GDP against the GSLBConfig and the controller facts. */
export function checkGdp(obj: RawObject, config: AmkoConfig, avi: AviFacts): Checked<GlobalDeploymentPolicySpec> {
  const parsed = parseWith(globalDeploymentPolicySpecSchema, obj.spec ?? {});
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const s = parsed.value;
  const members = new Set(config.memberClusters);
  const err = firstError(
    checkLabels('matchRules.appSelector', s.matchRules?.appSelector?.label),
    checkLabels('matchRules.namespaceSelector', s.matchRules?.namespaceSelector?.label),
    ...(s.matchClusters ?? []).map((c) => (!c.cluster ? 'matchClusters: cluster is required' : members.has(c.cluster) ? undefined : `cluster context ${c.cluster} not present in GSLBConfig`)),
    ...(s.trafficSplit ?? []).map((t) => (!t.cluster ? 'trafficSplit: cluster is required' : members.has(t.cluster) ? undefined : `trafficSplit: cluster context ${t.cluster} not present in GSLBConfig`)),
    checkHealthMonitors(s.healthMonitorRefs, s.healthMonitorTemplate, avi),
    s.sitePersistenceRef === '' ? 'sitePersistenceRef must not be empty' : undefined,
    s.sitePersistenceRef && !avi.persistenceProfiles.includes(s.sitePersistenceRef) ? `application persistence profile ${s.sitePersistenceRef} does not exist on the GSLB leader` : undefined,
    s.pkiProfileRef && !avi.pkiProfiles.includes(s.pkiProfileRef) ? `pki profile ${s.pkiProfileRef} does not exist on the GSLB leader` : undefined,
    checkPoolAlgorithm(s.poolAlgorithmSettings),
    checkDownResponse(s.downResponse),
  );
  return err ? { ok: false, error: err } : { ok: true, value: s };
}

/** Validates one GSLBHostRule. */
export function checkHostRule(obj: RawObject, config: AmkoConfig, avi: AviFacts): Checked<GSLBHostRuleSpec & { fqdn: string }> {
  const parsed = parseWith(gslbHostRuleSpecSchema, obj.spec ?? {});
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const s = parsed.value;
  const members = new Set(config.memberClusters);
  const sp = s.sitePersistence;
  const err = firstError(
    !s.fqdn ? 'spec.fqdn is required' : undefined,
    checkHealthMonitors(s.healthMonitorRefs, s.healthMonitorTemplate, avi),
    sp?.enabled && !sp.profileRef ? 'sitePersistence: profileRef is required when enabled' : undefined,
    sp?.enabled && sp.profileRef && !avi.persistenceProfiles.includes(sp.profileRef) ? `application persistence profile ${sp.profileRef} does not exist on the GSLB leader` : undefined,
    sp?.enabled && sp.pkiProfileRef && !avi.pkiProfiles.includes(sp.pkiProfileRef) ? `pki profile ${sp.pkiProfileRef} does not exist on the GSLB leader` : undefined,
    ...(s.thirdPartyMembers ?? []).map((m) =>
      !m.vip || isIP(m.vip) !== 4
        ? `thirdPartyMembers: vip ${m.vip ?? ''} is not an IPv4 address`
        : !m.site || !avi.thirdPartySites.includes(m.site)
          ? `thirdPartyMembers: site ${m.site ?? ''} is not a third-party site of the GSLB configuration`
          : m.publicIP && !isIP(m.publicIP)
            ? `thirdPartyMembers: publicIP ${m.publicIP} is not an IP address`
            : undefined,
    ),
    ...(s.publicIP ?? []).map((p) => (!members.has(p.cluster) ? `publicIP: cluster context ${p.cluster} not present in GSLBConfig` : !isIP(p.ip) ? `publicIP: ${p.ip} is not an IP address` : undefined)),
    checkPoolAlgorithm(s.poolAlgorithmSettings),
    checkDownResponse(s.downResponse),
  );
  return err ? { ok: false, error: err } : { ok: true, value: { ...s, fqdn: s.fqdn! } };
}
