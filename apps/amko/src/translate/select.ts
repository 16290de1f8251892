// Which member Ingresses and Services a GDP selects (spec §3.4, with every selector label required), one object at a
// time: its verdict (if it gets one) and the host metas it feeds into GslbServices. The outcome of an object depends
// only on the object and on the pass's context (the GDP, config, the member's namespaces and AKO HostRules), which is
// what lets a pass re-select only the objects that changed (incremental.ts).
import type * as k8s from '@kubernetes/client-node';
import type { GlobalDeploymentPolicySpec } from '@avi-k8s/crds';
import type { HostRuleView } from './hostrules.js';
import { ANN_TENANT, ingressMetas, serviceMetas, type Extracted, type HostMeta } from './members.js';
import type { AmkoConfig, MemberSnapshot, Verdict } from './types.js';

export interface Selected extends HostMeta {
  gsTenant: string;
  /** The GslbService name: the host, or in custom global FQDN mode its HostRule's gslb.fqdn. */
  gsName: string;
  syncVipOnly: boolean;
}

/** The GslbService a selected meta feeds: `tenant/name`. */
export const gsKey = (m: Selected) => `${m.gsTenant}/${m.gsName}`;

/** What the selection of one object depends on besides the object (listed once per pass, not once per object). */
export interface SelectContext {
  config: AmkoConfig;
  hr: HostRuleView;
  /** matchClusters: cluster -> syncVipOnly. */
  clusters: Map<string, boolean>;
  nsEntries: readonly (readonly [string, string])[];
  appEntries: readonly (readonly [string, string])[];
}

export function selectContext(config: AmkoConfig, gdp: GlobalDeploymentPolicySpec, hr: HostRuleView): SelectContext {
  return {
    config,
    hr,
    clusters: new Map((gdp.matchClusters ?? []).map((c) => [c.cluster!, c.syncVipOnly === true])),
    nsEntries: Object.entries(gdp.matchRules?.namespaceSelector?.label ?? {}),
    appEntries: Object.entries(gdp.matchRules?.appSelector?.label ?? {}),
  };
}

/** One Ingress or Service of a member cluster, as the selection keeps it between passes. */
export interface Entry {
  obj: object;
  kind: 'Ingress' | 'Service';
  /** `kind/namespace/name`: the order of verdicts and host metas within a cluster. */
  order: string;
  /** Index of its cluster among the selected clusters (by name): the order across clusters. */
  cluster: number;
  extracted: Extracted;
  verdict?: Verdict;
  selected: readonly Selected[];
  /** The pass that last saw the object in its member's lists (incremental.ts). */
  seen: number;
}

/** A member cluster that matchClusters names: its namespaces' metadata and its objects in order. */
export interface ClusterState {
  name: string;
  syncVipOnly: boolean;
  namespaces: Map<string, k8s.V1ObjectMeta>;
  entries: Entry[];
  byObj: Map<object, Entry>;
}

const NONE: readonly Selected[] = [];

/** Every label of the selector has the same value in HAVE. */
const matchesAll = (want: SelectContext['nsEntries'], have: Readonly<Record<string, string>>) => {
  for (const [k, v] of want) if (have[k] !== v) return false;
  return true;
};

type Obj = k8s.V1Ingress | k8s.V1Service;

/** The entry of OBJ (of KIND) in cluster C (index INDEX); EXTRACTED when an earlier pass already extracted it. */
export function selectOne(ctx: SelectContext, c: ClusterState, index: number, kind: Entry['kind'], obj: Obj, extracted?: Extracted): Entry {
  const ns = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  const e = extracted ?? (kind === 'Ingress' ? ingressMetas(c.name, obj as k8s.V1Ingress) : serviceMetas(c.name, obj as k8s.V1Service));
  const entry: Entry = { obj, kind, order: `${kind}/${ns}/${name}`, cluster: index, extracted: e, selected: NONE, seen: 0 };
  const verdict = (accepted: boolean, reason: string) => {
    entry.verdict = { kind, cluster: c.name, namespace: ns, name, accepted, reason };
    return entry;
  };
  if (e.ok === 'skip') return entry;
  const hasNsSel = ctx.nsEntries.length > 0;
  const hasAppSel = ctx.appEntries.length > 0;
  if (!hasNsSel && !hasAppSel) return entry; // nothing is selected: not worth a verdict per object
  const nsMeta = c.namespaces.get(ns);
  if (hasNsSel && !matchesAll(ctx.nsEntries, nsMeta?.labels ?? {})) return entry;
  if (hasAppSel && !matchesAll(ctx.appEntries, e.ok ? (e.metas[0]?.labels ?? {}) : {})) return entry;
  if (!e.ok) return verdict(false, e.reason);
  const tenant = nsMeta?.annotations?.[ANN_TENANT] ?? ctx.config.tenant;
  const own = e.metas[0]?.tenant;
  if (own !== undefined && own !== tenant) return verdict(false, `tenant ${own} of the object differs from tenant ${tenant} of its namespace`);
  // Arrays are built only when something is missing or unmapped (the usual object has neither).
  const annotated = (x: HostMeta) => !!x.vsUuid && !!x.controllerUuid;
  if (!c.syncVipOnly && !e.metas.every(annotated)) {
    const missing = e.metas.filter((x) => !annotated(x)).map((x) => x.host);
    return verdict(false, `no AKO virtual service annotations (host-fqdn-vs-uuid-map, controller-cluster-uuid) for ${missing.join(', ')}`);
  }
  const { hr } = ctx;
  const isMapped = (x: HostMeta) => hr.gsName(c.name, x.host) !== undefined;
  const mapped = e.metas.every(isMapped) ? e.metas : e.metas.filter(isMapped);
  if (mapped.length === 0) return verdict(false, `no Accepted HostRule with gslb.fqdn for ${e.metas.map((x) => x.host).join(', ')} (useCustomGlobalFqdn)`);
  verdict(true, 'selected');
  entry.selected = mapped.map((x) => ({ ...x, tls: x.tls || hr.tls(c.name, x.host), gsName: hr.gsName(c.name, x.host)!, gsTenant: tenant, syncVipOnly: c.syncVipOnly }));
  return entry;
}

const byOrder = (a: { order: string }, b: { order: string }) => (a.order < b.order ? -1 : 1);

/**
 * Every selected member cluster (by name) with all its objects selected. PREV (the state of an earlier pass) lends
 * the host metas of objects it already extracted. `unique` is false when two objects of a cluster share an order
 * key (the incremental pass then cannot place a changed one).
 */
export function selectAll(members: readonly MemberSnapshot[], ctx: SelectContext, prev: readonly ClusterState[] | undefined): { clusters: ClusterState[]; unique: boolean } {
  const clusters: ClusterState[] = [];
  let unique = true;
  for (const m of [...members].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const syncVipOnly = ctx.clusters.get(m.name);
    if (syncVipOnly === undefined) continue;
    const c: ClusterState = { name: m.name, syncVipOnly, namespaces: new Map(m.namespaces.map((n) => [n.metadata?.name ?? '', n.metadata ?? {}])), entries: [], byObj: new Map() };
    const old = prev?.find((p) => p.name === m.name)?.byObj;
    const index = clusters.length;
    const add = (kind: Entry['kind'], obj: Obj) => {
      const known = old?.get(obj);
      const entry = selectOne(ctx, c, index, kind, obj, known?.kind === kind ? known.extracted : undefined);
      c.entries.push(entry);
      c.byObj.set(obj, entry);
    };
    for (const i of m.ingresses) add('Ingress', i);
    for (const v of m.services) add('Service', v);
    c.entries.sort(byOrder);
    for (let i = 1; i < c.entries.length; i++) if (c.entries[i - 1]!.order === c.entries[i]!.order) unique = false;
    clusters.push(c);
  }
  return { clusters, unique };
}
