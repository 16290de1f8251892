// translate(snapshot, config) -> desired GslbServices and health monitors + verdicts. Pure and deterministic.
import type { GlobalDeploymentPolicySpec, GSLBHostRuleSpec } from '@avi-k8s/crds';
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { DEFAULT_PRIORITY, DEFAULT_WEIGHT, gslbServiceBody, type GsMember, type GsSettings } from './gslbservice.js';
import { defaultHealthMonitors, type HmTemplate } from './healthmonitor.js';
import { hostRuleView, type HostRuleView } from './hostrules.js';
import { ANN_TENANT, ingressMetas, serviceMetas, type Extracted, type HostMeta } from './members.js';
import { memoExtract, type TranslateMemo } from './memo.js';
import { byAge, checkGdp, checkHostRule } from './policy.js';
import type { AmkoConfig, AviFacts, RawObject, Snapshot, TranslateResult, Verdict } from './types.js';

type HostRuleSpec = GSLBHostRuleSpec & { fqdn: string };

/** Every label of the selector (its entries, listed once per pass) has the same value in HAVE. */
const matchesAll = (want: readonly (readonly [string, string])[], have: Readonly<Record<string, string>>) => {
  for (const [k, v] of want) if (have[k] !== v) return false;
  return true;
};

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

interface Selected extends HostMeta {
  gsTenant: string;
  /** The GslbService name: the host, or in custom global FQDN mode its HostRule's gslb.fqdn. */
  gsName: string;
  syncVipOnly: boolean;
}

/** Accepted host metas of every member cluster (spec §3.4, with every selector label required). */
function select(s: Snapshot, config: AmkoConfig, gdp: GlobalDeploymentPolicySpec, hr: HostRuleView, verdicts: Verdict[], memo: TranslateMemo | undefined): Selected[] {
  const clusters = new Map((gdp.matchClusters ?? []).map((c) => [c.cluster!, c.syncVipOnly === true]));
  const nsSel = gdp.matchRules?.namespaceSelector?.label;
  const appSel = gdp.matchRules?.appSelector?.label;
  // Listed once per pass, not once per object (a VIP change pass at 1000 FQDNs allocated ~0.8 MiB doing so).
  const nsEntries = Object.entries(nsSel ?? {});
  const appEntries = Object.entries(appSel ?? {});
  const hasNsSel = nsEntries.length > 0;
  const hasAppSel = appEntries.length > 0;
  const out: Selected[] = [];
  for (const m of [...s.members].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!clusters.has(m.name)) continue;
    const syncVipOnly = clusters.get(m.name)!;
    const namespaces = new Map(m.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata ?? {}]));
    // The order key is built once per object, not once per comparison.
    const source = (kind: 'Ingress' | 'Service', extracted: Extracted, ns: string, name: string) => ({ kind, extracted, ns, name, order: `${kind}/${ns}/${name}` });
    const sources: { kind: 'Ingress' | 'Service'; extracted: Extracted; ns: string; name: string; order: string }[] = [
      ...m.ingresses.map((i) => source('Ingress', memoExtract(memo, m.name, i, ingressMetas), i.metadata?.namespace ?? '', i.metadata?.name ?? '')),
      ...m.services.map((v) => source('Service', memoExtract(memo, m.name, v, serviceMetas), v.metadata?.namespace ?? '', v.metadata?.name ?? '')),
    ].sort((a, b) => (a.order < b.order ? -1 : 1));
    for (const src of sources) {
      const e = src.extracted;
      if (e.ok === 'skip') continue;
      const verdict = (accepted: boolean, reason: string) => verdicts.push({ kind: src.kind, cluster: m.name, namespace: src.ns, name: src.name, accepted, reason });
      const nsMeta = namespaces.get(src.ns);
      const labels = e.ok ? (e.metas[0]?.labels ?? {}) : {};
      if (!hasNsSel && !hasAppSel) continue; // nothing is selected: not worth a verdict per object
      if (hasNsSel && !matchesAll(nsEntries, nsMeta?.labels ?? {})) continue;
      if (hasAppSel && !matchesAll(appEntries, labels)) continue;
      if (!e.ok) {
        verdict(false, e.reason);
        continue;
      }
      const nsTenant = nsMeta?.annotations?.[ANN_TENANT];
      const tenant = nsTenant ?? config.tenant;
      const own = e.metas[0]?.tenant;
      if (own !== undefined && own !== tenant) {
        verdict(false, `tenant ${own} of the object differs from tenant ${tenant} of its namespace`);
        continue;
      }
      // Arrays are built only when something is missing or unmapped (the usual object has neither).
      const annotated = (x: (typeof e.metas)[number]) => !!x.vsUuid && !!x.controllerUuid;
      if (!syncVipOnly && !e.metas.every(annotated)) {
        const missing = e.metas.filter((x) => !annotated(x)).map((x) => x.host);
        verdict(false, `no AKO virtual service annotations (host-fqdn-vs-uuid-map, controller-cluster-uuid) for ${missing.join(', ')}`);
        continue;
      }
      const isMapped = (x: (typeof e.metas)[number]) => hr.gsName(m.name, x.host) !== undefined;
      const mapped = e.metas.every(isMapped) ? e.metas : e.metas.filter(isMapped);
      if (mapped.length === 0) {
        verdict(false, `no Accepted HostRule with gslb.fqdn for ${e.metas.map((x) => x.host).join(', ')} (useCustomGlobalFqdn)`);
        continue;
      }
      verdict(true, 'selected');
      for (const x of mapped) out.push({ ...x, tls: x.tls || hr.tls(m.name, x.host), gsName: hr.gsName(m.name, x.host)!, gsTenant: tenant, syncVipOnly });
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

/**
 * MEMO (optional, the operator keeps one across passes) lets a pass reuse what an earlier one built from the same
 * inputs (memo.ts); the result is the same without it.
 */
export function translate(s: Snapshot, config: AmkoConfig, memo?: TranslateMemo): TranslateResult {
  const verdicts: Verdict[] = [];
  const gdp = chooseGdp(s, config, verdicts);
  const hostRules = chooseHostRules(s, config, verdicts);
  if (!gdp) {
    const hold = s.gdps.length > 0 ? 'no valid GlobalDeploymentPolicy: keeping the GslbServices as they are' : undefined;
    return { objects: [], verdicts, ...(hold ? { hold } : {}) };
  }
  const hr = hostRuleView(s.members, config.useCustomGlobalFqdn === true);
  const selected = select(s, config, gdp, hr, verdicts, memo);
  if (memo) {
    const global = JSON.stringify([gdp, config, s.avi]);
    if (memo.global !== global) memo.objects.clear();
    memo.global = global;
  }
  const built = new Map<string, { fp: string; objects: DesiredObject[] }>();
  const byGs = new Map<string, Selected[]>();
  for (const m of selected) {
    const key = `${m.gsTenant}/${m.gsName}`;
    (byGs.get(key) ?? byGs.set(key, []).get(key)!).push(m);
  }
  const aliases = hr.aliases(new Set(selected.map((m) => m.gsName)));
  const objects: DesiredObject[] = [];
  for (const key of [...byGs.keys()].sort()) {
    const metas = byGs.get(key)!;
    const { gsTenant: tenant, gsName: name } = metas[0]!;
    const ghr = hostRules.get(name);
    const domainNames = [name, ...(aliases.get(name) ?? [])];
    const fp = memo ? JSON.stringify([domainNames, ghr ?? null, metas]) : '';
    const known = memo?.objects.get(key);
    if (known && known.fp === fp) {
      objects.push(...known.objects);
      built.set(key, known);
      continue;
    }
    const first = objects.length;
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
    const template = hmTemplate(gdp, ghr, s.avi);
    const own = defaultHealthMonitors(name, tenant, config.amkoUuid, sources, template);
    const settings = settingsFor(gdp, ghr, sources.some((m) => m.tls), s.avi, own.map((h) => h.name));
    const usesOwn = settings.healthMonitors.length > 0 && settings.healthMonitors[0] === own[0]?.name;
    if (usesOwn) for (const hm of own) objects.push(desiredObject(tenant, 'healthmonitor', hm.name, hm.body));
    objects.push(desiredObject(tenant, 'gslbservice', name, gslbServiceBody({ name, domainNames, tenant, amkoUuid: config.amkoUuid, metas: sources, members, settings })));
    if (memo) built.set(key, { fp, objects: objects.slice(first) });
  }
  if (memo) memo.objects = built;
  return { objects, verdicts };
}
