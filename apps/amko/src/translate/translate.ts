// translate(snapshot, config) -> desired GslbServices and health monitors + verdicts. Pure and deterministic.
import type { GlobalDeploymentPolicySpec, GSLBHostRuleSpec } from '@avi-k8s/crds';
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { DEFAULT_PRIORITY, DEFAULT_WEIGHT, gslbServiceBody, type GsMember, type GsSettings } from './gslbservice.js';
import { defaultHealthMonitors, type HmTemplate } from './healthmonitor.js';
import { hostRuleView } from './hostrules.js';
import { patchState } from './incremental.js';
import { memberKeys, sameData, sameMembers, type GsState, type TranslateMemo, type TranslateState } from './memo.js';
import { byAge, checkGdp, checkHostRule } from './policy.js';
import { gsKey, selectAll, selectContext } from './select.js';
import type { AmkoConfig, AviFacts, RawObject, Snapshot, TranslateResult, Verdict } from './types.js';

type HostRuleSpec = GSLBHostRuleSpec & { fqdn: string };

const metaOf = (o: RawObject) => ({ namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });

/** The policy in force: the oldest valid GDP; every other one gets a verdict. */
function chooseGdp(s: Snapshot, config: AmkoConfig, verdicts: Verdict[]): GlobalDeploymentPolicySpec | undefined {
  let chosen: GlobalDeploymentPolicySpec | undefined;
  for (const gdp of byAge(s.gdps)) {
    const checked = checkGdp(gdp, config, s.avi);
    const base = { kind: 'GlobalDeploymentPolicy' as const, ...metaOf(gdp) };
    if (!checked.ok) verdicts.push({ ...base, accepted: false, reason: checked.error });
    else if (chosen) verdicts.push({ ...base, accepted: false, reason: "a GDP object already exists, can't add another" });
    else {
      chosen = checked.value;
      verdicts.push({ ...base, accepted: true, reason: 'success' });
    }
  }
  return chosen;
}

/** Valid GSLBHostRules by fqdn (the oldest wins a duplicate). */
function chooseHostRules(s: Snapshot, config: AmkoConfig, verdicts: Verdict[]): Map<string, HostRuleSpec> {
  const out = new Map<string, HostRuleSpec>();
  for (const ghr of byAge(s.hostRules)) {
    const checked = checkHostRule(ghr, config, s.avi);
    const base = { kind: 'GSLBHostRule' as const, ...metaOf(ghr) };
    if (!checked.ok) verdicts.push({ ...base, accepted: false, reason: checked.error });
    else if (out.has(checked.value.fqdn)) verdicts.push({ ...base, accepted: false, reason: "there's an existing GSLBHostRule for the same FQDN" });
    else {
      out.set(checked.value.fqdn, checked.value);
      verdicts.push({ ...base, accepted: true, reason: 'Accepted' });
    }
  }
  return out;
}

function split(gdp: GlobalDeploymentPolicySpec, ghr: HostRuleSpec | undefined, cluster: string) {
  const fromGhr = ghr?.trafficSplit?.find((t) => t.cluster === cluster);
  const fromGdp = gdp.trafficSplit?.find((t) => t.cluster === cluster);
  return {
    ratio: fromGhr?.weight ?? fromGdp?.weight ?? DEFAULT_WEIGHT,
    priority: fromGhr?.priority ?? fromGdp?.priority ?? DEFAULT_PRIORITY,
  };
}

/** The template in force: GSLBHostRule refs or template, then GDP refs or template (refs win over a template). */
function hmTemplate(gdp: GlobalDeploymentPolicySpec, ghr: HostRuleSpec | undefined, avi: AviFacts): HmTemplate | undefined {
  if (ghr?.healthMonitorRefs?.length) return undefined;
  const name = ghr?.healthMonitorTemplate ?? (gdp.healthMonitorRefs?.length ? undefined : gdp.healthMonitorTemplate);
  const fact = name ? avi.healthMonitors[name] : undefined;
  return name && fact ? { name, fact } : undefined;
}

function settingsFor(gdp: GlobalDeploymentPolicySpec, ghr: HostRuleSpec | undefined, tls: boolean, avi: AviFacts, ownHms: string[]): GsSettings {
  const controlPlaneOnly = ghr?.controlPlaneHmOnly ?? gdp.controlPlaneHmOnly ?? false;
  // GSLBHostRule refs > GSLBHostRule template > GDP refs > GDP template > AMKO's own monitors.
  const refs = ghr?.healthMonitorRefs?.length ? ghr.healthMonitorRefs : !ghr?.healthMonitorTemplate && gdp.healthMonitorRefs?.length ? gdp.healthMonitorRefs : undefined;
  const healthMonitors = controlPlaneOnly ? [] : (refs ?? ownHms);
  const minHealthMonitorsUp = controlPlaneOnly ? 1 : refs ? refs.length + 1 : 2;
  let sitePersistence: GsSettings['sitePersistence'];
  const sp = ghr?.sitePersistence;
  const profile = sp ? (sp.enabled ? sp.profileRef : undefined) : gdp.sitePersistenceRef;
  if (tls && profile) {
    const pki = (sp?.enabled ? sp.pkiProfileRef : undefined) ?? gdp.pkiProfileRef ?? avi.pkiProfiles[0];
    sitePersistence = { profile, ...(pki ? { pki } : {}) };
  }
  const ttl = ghr?.ttl ?? gdp.ttl;
  const poolAlgorithm = ghr?.poolAlgorithmSettings ?? gdp.poolAlgorithmSettings;
  const downResponse = ghr?.downResponse ?? gdp.downResponse;
  return {
    healthMonitors,
    minHealthMonitorsUp,
    ...(ttl !== undefined ? { ttl } : {}),
    ...(sitePersistence ? { sitePersistence } : {}),
    ...(poolAlgorithm ? { poolAlgorithm } : {}),
    ...(downResponse ? { downResponse } : {}),
  };
}

/** The desired objects of one GslbService (its monitors first) from its selected metas and the pass's policy. */
function buildGs(g: GsState, gdp: GlobalDeploymentPolicySpec, config: AmkoConfig, avi: AviFacts): DesiredObject[] {
  const { tenant, name, ghr, metas, domainNames } = g;
  const objects: DesiredObject[] = [];
  // One kind of source per GS decides its monitors: Ingress hosts win over a Service with the same hostname.
  const kind = metas.some((m) => m.kind === 'INGRESS') ? 'INGRESS' : 'LBSVC';
  const seenIps = new Set<string>();
  // Members are de-duplicated by IP, first (in cluster/namespace/name order) wins.
  const sources = metas.filter((m) => m.kind === kind && !seenIps.has(m.ip) && (seenIps.add(m.ip), true));
  const publicIp = (cluster: string) => ghr?.publicIP?.find((p) => p.cluster === cluster)?.ip;
  const members: GsMember[] = sources.map((m) => ({
    ip: m.ip,
    ...split(gdp, ghr, m.cluster),
    ...(m.syncVipOnly ? {} : { vsUuid: m.vsUuid!, clusterUuid: m.controllerUuid! }),
    ...(publicIp(m.cluster) ? { publicIp: publicIp(m.cluster)! } : {}),
  }));
  for (const t of ghr?.thirdPartyMembers ?? []) {
    members.push({ ip: t.vip!, ...split(gdp, ghr, t.site!), ...(t.publicIP ? { publicIp: t.publicIP } : {}) });
  }
  const template = hmTemplate(gdp, ghr, avi);
  const own = defaultHealthMonitors(name, tenant, config.amkoUuid, sources, template);
  const settings = settingsFor(gdp, ghr, sources.some((m) => m.tls), avi, own.map((h) => h.name));
  const usesOwn = settings.healthMonitors.length > 0 && settings.healthMonitors[0] === own[0]?.name;
  if (usesOwn) for (const hm of own) objects.push(desiredObject(tenant, 'healthmonitor', hm.name, hm.body));
  objects.push(desiredObject(tenant, 'gslbservice', name, gslbServiceBody({ name, domainNames, tenant, amkoUuid: config.amkoUuid, metas: sources, members, settings })));
  return objects;
}

interface Pass {
  s: Snapshot;
  config: AmkoConfig;
  gdp: GlobalDeploymentPolicySpec;
  hostRules: Map<string, HostRuleSpec>;
  /** The GDP, config and facts of the pass: a GslbService built under others is never reused. */
  global: string;
  /** The chosen GSLBHostRules: with `global` and the members' Namespaces and HostRules, the incremental context. */
  rules: string;
}

/**
 * Every member object selected and every GslbService grouped; PREV (an earlier pass's state) lends its host metas and
 * the desired objects of each GslbService whose inputs are equal.
 */
function fullPass(p: Pass, prev: TranslateState | undefined): TranslateState {
  const { s, config, gdp, hostRules, global } = p;
  const hr = hostRuleView(s.members, config.useCustomGlobalFqdn === true);
  const { clusters, unique } = selectAll(s.members, selectContext(config, gdp, hr), prev?.clusters);
  const gs = new Map<string, GsState>();
  for (const c of clusters) {
    for (const e of c.entries) {
      for (const m of e.selected) {
        const key = gsKey(m);
        let g = gs.get(key);
        if (!g) gs.set(key, (g = { tenant: m.gsTenant, name: m.gsName, entries: [], metas: [], domainNames: [], ghr: undefined, objects: [] }));
        if (g.entries[g.entries.length - 1] !== e) g.entries.push(e);
        g.metas.push(m);
      }
    }
  }
  const aliases = hr.aliases(new Set([...gs.values()].map((g) => g.name)));
  const keys = [...gs.keys()].sort();
  const reuse = prev?.global === global ? prev.gs : undefined;
  for (const key of keys) {
    const g = gs.get(key)!;
    g.domainNames = [g.name, ...(aliases.get(g.name) ?? [])];
    g.ghr = hostRules.get(g.name);
    const old = reuse?.get(key);
    g.objects = old && sameData(old.domainNames, g.domainNames) && sameData(old.ghr, g.ghr) && sameData(old.metas, g.metas) ? old.objects : buildGs(g, gdp, config, s.avi);
  }
  return { global, rules: p.rules, members: memberKeys(s.members), hr, clusters, unique, gs, keys, epoch: prev?.epoch ?? 0 };
}

/**
 * MEMO (optional, the operator keeps one across passes) lets a pass start from what an earlier one built (memo.ts):
 * while the context is the same, only the member objects that changed are selected again and only the GslbServices
 * they feed are rebuilt (incremental.ts). The result is the same without it.
 */
export function translate(s: Snapshot, config: AmkoConfig, memo?: TranslateMemo): TranslateResult {
  const verdicts: Verdict[] = [];
  const gdp = chooseGdp(s, config, verdicts);
  const hostRules = chooseHostRules(s, config, verdicts);
  if (!gdp) {
    const hold = s.gdps.length > 0 ? 'no valid GlobalDeploymentPolicy: keeping the GslbServices as they are' : undefined;
    return { objects: [], verdicts, ...(hold ? { hold } : {}) };
  }
  const p: Pass = { s, config, gdp, hostRules, global: JSON.stringify([gdp, config, s.avi]), rules: JSON.stringify([...hostRules]) };
  const prev = memo?.state;
  const same = prev && prev.unique && prev.global === p.global && prev.rules === p.rules && sameMembers(prev, s.members);
  const build = (g: GsState) => buildGs(g, gdp, config, s.avi);
  const state = (same && patchState(prev, s.members, selectContext(config, gdp, prev.hr), build)) || fullPass(p, prev);
  if (memo) memo.state = state;
  // Indexed loops: AMKO runs node --jitless, where each step of a for-of (or a spread) allocates.
  for (let i = 0; i < state.clusters.length; i++) {
    const entries = state.clusters[i]!.entries;
    for (let j = 0; j < entries.length; j++) if (entries[j]!.verdict) verdicts.push(entries[j]!.verdict!);
  }
  const objects: DesiredObject[] = [];
  for (let i = 0; i < state.keys.length; i++) {
    const built = state.gs.get(state.keys[i]!)!.objects;
    for (let j = 0; j < built.length; j++) objects.push(built[j]!);
  }
  return { objects, verdicts };
}
