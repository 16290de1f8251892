/**
 * translate(snapshot, config) -> {objects, verdicts}: pure and deterministic (no I/O, no clock, no exceptions for
 * bad input). The result is the union of independent units (an L4 Service or shared-VIP group, a shard VS, an
 * Ingress), so a change can be translated incrementally: recompute only unitsAffectedBy(change) and keep the rest.
 * That incremental result equals the full computation (tested).
 */
import { keyOf, type DesiredObject } from '@avi-k8s/avi-sync';
import { namespaceSynced, rejected, type UnitResult, type Verdict } from './common.js';
import { validateConfig, type AkoConfig } from './config.js';
import { isOurLoadBalancer, l4UnitOf, l4Units, translateL4Unit } from './l4.js';
import { l7Units, l7UnitsForObject, translateL7Unit } from './l7.js';
import { servedObjects } from './served.js';
import { nextCertificateChange } from './cert-recheck.js';
import type { ShardMemo } from './shard-memo.js';
import { ssoRuleSecrets } from './sso.js';
import { competingUnits } from './name-claims.js';
import { mergeWarnings, type ObjectWarning } from './warnings.js';
import { cmp, indexSnapshot, nsName, type ObjectRef, type Snapshot, type SnapshotIndex } from './snapshot.js';

export interface TranslateResult {
  /** Sorted by (tenant, type, name). */
  readonly objects: readonly DesiredObject[];
  /** One per Kubernetes object, sorted by (kind, namespace, name). */
  readonly verdicts: readonly Verdict[];
  /** Served but degraded inputs (warnings.ts), sorted. */
  readonly warnings?: readonly ObjectWarning[];
}

const synced = new WeakMap<SnapshotIndex, SnapshotIndex>();
/**
 * The index with only the CRs (HostRule, HTTPRule, L4Rule, SSORule, L7Rule) of namespaces AKO syncs: as the Go AKO,
 * a rule in a blocked namespace, or one the namespace selector leaves out, is not read at all (no status, no effect).
 */
function syncedCrs(idx: SnapshotIndex, c: AkoConfig): SnapshotIndex {
  if (c.blockedNamespaces.length === 0 && !c.namespaceSelector) return idx;
  const done = synced.get(idx);
  if (done) return done;
  const keep = <T extends { metadata?: { namespace?: string } }>(l: readonly T[] | undefined) => l?.filter((o) => namespaceSynced(idx, c, o.metadata?.namespace ?? ''));
  const s = idx.snapshot;
  const out: SnapshotIndex = {
    ...idx,
    snapshot: {
      ...s,
      ...(s.hostRules ? { hostRules: keep(s.hostRules) } : {}),
      ...(s.httpRules ? { httpRules: keep(s.httpRules) } : {}),
      ...(s.l4Rules ? { l4Rules: keep(s.l4Rules) } : {}),
      ...(s.unsupportedCrs ? { unsupportedCrs: keep(s.unsupportedCrs) } : {}),
      ...(s.ssoRules ? { ssoRules: keep(s.ssoRules) } : {}),
      ...(s.l7Rules ? { l7Rules: keep(s.l7Rules) } : {}),
    },
  };
  synced.set(idx, out);
  return out;
}

/** Every unit of the snapshot, sorted. */
export function translationUnits(idx: SnapshotIndex, c: AkoConfig): string[] {
  if (validateConfig(c).length > 0) return [];
  const i = syncedCrs(idx, c);
  return [...l4Units(i, c), ...l7Units(i, c)];
}

/**
 * One unit's objects, verdicts, and which Kubernetes objects each Avi object serves (served.ts); `served: false`
 * leaves that map out, for callers that read only what is desired (the operator's claims pass, which translates
 * every unit once more before the first sync and drops the result). `memo`: a shard unit's hosts translated last
 * time (shard-memo.ts).
 */
export function translateUnit(idx: SnapshotIndex, c: AkoConfig, unit: string, opts?: { served?: boolean; memo?: ShardMemo }): UnitResult {
  if (validateConfig(c).length > 0) return { unit, objects: [], verdicts: [] };
  const i = syncedCrs(idx, c);
  const r = unit.startsWith('L4/') || unit.startsWith('L4Shared/') ? translateL4Unit(i, c, unit) : translateL7Unit(i, c, unit, opts?.memo);
  // A reused host's certificates are stubs: the memo tells when one of theirs changes validity (r.recheckAt).
  const fromObjects = idx.snapshot.now === undefined ? undefined : nextCertificateChange(r.objects, idx.snapshot.now);
  const recheckAt = fromObjects === undefined || (r.recheckAt !== undefined && r.recheckAt < fromObjects) ? r.recheckAt : fromObjects;
  return { ...r, ...(opts?.served === false ? {} : { served: servedObjects(r.objects) }), ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

export function translate(snapshot: Snapshot, c: AkoConfig): TranslateResult {
  const problems = validateConfig(c);
  if (problems.length > 0) {
    return { objects: [], verdicts: [rejected('ConfigMap', c.akoNamespace, 'avi-k8s-config', problems.join('; '))] };
  }
  const idx = indexSnapshot(snapshot);
  return combine(translationUnits(idx, c).map((u) => translateUnit(idx, c, u)));
}

/** Units whose output may read `ref` in this snapshot. Use on the snapshot before and after a change. */
export function unitsAffectedBy(idx: SnapshotIndex, c: AkoConfig, ref: ObjectRef): string[] {
  const out = new Set<string>();
  const all = (): void => translationUnits(idx, c).forEach((u) => out.add(u));
  switch (ref.kind) {
    case 'Service': {
      const svc = idx.services.get(nsName(ref.namespace, ref.name));
      if (svc && isOurLoadBalancer(idx, c, svc)) out.add(l4UnitOf(svc));
      break;
    }
    case 'EndpointSlice': {
      const es = idx.snapshot.endpointSlices.find((e) => e.metadata?.namespace === ref.namespace && e.metadata?.name === ref.name);
      const svcName = es?.metadata?.labels?.['kubernetes.io/service-name'];
      if (svcName) unitsAffectedBy(idx, c, { kind: 'Service', namespace: ref.namespace, name: svcName }).forEach((u) => out.add(u));
      break;
    }
    case 'Secret':
      // An SSORule's client or resource-server Secret: the rule's unit and the EVH child of its FQDN read it.
      if ((idx.snapshot.ssoRules ?? []).some((r) => ssoRuleSecrets(r).some((s) => s.secret === nsName(ref.namespace, ref.name)))) {
        all();
        return [...out].sort();
      }
      break;
    case 'Pod':
      // NodePortLocal servers: the pod's endpoints lead to its Services.
      for (const es of idx.snapshot.endpointSlices) {
        if (es.metadata?.namespace !== ref.namespace) continue;
        if (!(es.endpoints ?? []).some((e) => e.targetRef?.kind === 'Pod' && e.targetRef.name === ref.name)) continue;
        unitsAffectedBy(idx, c, { kind: 'EndpointSlice', namespace: ref.namespace, name: es.metadata?.name ?? '' }).forEach((u) => out.add(u));
      }
      break;
    case 'Node':
    case 'Namespace':
    case 'IngressClass':
    case 'HostRule':
    case 'L4Rule':
    case 'HTTPRule':
    case 'SSORule':
    case 'L7Rule':
    case 'AviInfraSetting':
      all();
      return [...out].sort();
    default:
      break;
  }
  for (const u of l7UnitsForObject(idx, c, ref)) out.add(u);
  // Inputs claiming an Avi name `ref` claims (name-claims.ts): which of them is rejected may change.
  for (const u of competingUnits(idx, c, ref)) out.add(u);
  return [...out].sort();
}

/**
 * Merges unit results, independent of their order: objects sorted by key; one object when units agree on it (the
 * default certificate), all versions when they do not (two names colliding), so that avi-sync rejects them with a
 * clear reason instead of one silently winning; verdicts of one Kubernetes object merged.
 */
export function combine(units: readonly UnitResult[]): TranslateResult {
  const byKey = new Map<string, Map<string, DesiredObject>>();
  for (const u of units) {
    for (const o of u.objects) {
      const k = keyOf(o);
      (byKey.get(k) ?? byKey.set(k, new Map()).get(k)!).set(o.checksum, o);
    }
  }
  const objects = [...byKey.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .flatMap(([, versions]) => [...versions.entries()].sort(([a], [b]) => cmp(a, b)).map(([, o]) => o));
  const warnings = mergeWarnings(units.flatMap((u) => u.warnings ?? []));
  return { objects, verdicts: mergeVerdicts(units.flatMap((u) => u.verdicts)), ...(warnings.length > 0 ? { warnings } : {}) };
}

export function mergeVerdicts(verdicts: readonly Verdict[]): Verdict[] {
  const byObject = new Map<string, Verdict[]>();
  for (const v of verdicts) {
    const k = `${v.kind}\u0000${v.namespace}\u0000${v.name}`;
    (byObject.get(k) ?? byObject.set(k, []).get(k)!).push(v);
  }
  const out: Verdict[] = [];
  for (const vs of byObject.values()) {
    const bad = vs.filter((v) => !v.accepted);
    const reasons = [...new Set((bad.length > 0 ? bad : vs).map((v) => v.reason).filter((r) => r !== ''))].sort();
    out.push({ kind: vs[0]!.kind, namespace: vs[0]!.namespace, name: vs[0]!.name, accepted: bad.length === 0, reason: reasons.join('; ') });
  }
  return out.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}
