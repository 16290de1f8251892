/**
 * Which AviInfraSettings this AKO judges (writes the status of): every one, as the Go AKO; but when AKO syncs only
 * some namespaces (AKOSettings.namespaceSelector, blockedNamespaceList: other AKOs may share the cluster, each with
 * its own controller) only those an Ingress or LoadBalancer Service it syncs names, so that an AKO never writes a
 * verdict, judged against its controller, on another AKO's setting.
 */
import type { V1Ingress, V1Service } from '@kubernetes/client-node';
import type { AkoConfig } from './config.js';
import { hostTable } from './ingress.js';
import { INFRA_ANNOTATION, infraSettingUnitOf, infraSettingVerdict, ingressInfraName, type AviInfraSettingObject } from './infra-setting.js';
import { isOurLoadBalancer } from './l4.js';
import type { SnapshotIndex } from './snapshot.js';
import type { UnitResult } from './common.js';
import { warning } from './warnings.js';

const judged = new WeakMap<SnapshotIndex, WeakMap<AkoConfig, ReadonlySet<string>>>();

/** Names of the AviInfraSettings our Ingresses (through their IngressClass) and LoadBalancer Services name. */
function namedByOurs(idx: SnapshotIndex, c: AkoConfig): ReadonlySet<string> {
  const known = judged.get(idx)?.get(c);
  if (known) return known;
  const out = new Set<string>();
  for (const ing of hostTable(idx, c).ourIngresses) {
    const n = ingressInfraName(idx, ing);
    if (n) out.add(n.infra);
  }
  for (const s of idx.services.values()) {
    const n = s.metadata?.annotations?.[INFRA_ANNOTATION];
    if (n && isOurLoadBalancer(idx, c, s)) out.add(n);
  }
  (judged.get(idx) ?? judged.set(idx, new WeakMap()).get(idx)!).set(c, out);
  return out;
}

const filtered = (c: AkoConfig): boolean => c.blockedNamespaces.length > 0 || c.namespaceSelector !== undefined;

export function isJudged(idx: SnapshotIndex, c: AkoConfig, o: AviInfraSettingObject): boolean {
  return !filtered(c) || namedByOurs(idx, c).has(o.metadata?.name ?? '');
}

/** The `AviInfraSetting/<name>` units of the snapshot. */
export function infraSettingUnits(idx: SnapshotIndex, c: AkoConfig): string[] {
  return (idx.snapshot.aviInfraSettings ?? []).filter((o) => isJudged(idx, c, o)).map(infraSettingUnitOf);
}

/**
 * An `AviInfraSetting/<name>` unit: the setting's verdict when this AKO judges it; an accepted setting with node
 * networks in a cloud other than vCenter also gets a NotApplied warning (the Go AKO accepts it and sets no pool
 * placement network there, silently).
 */
export function translateInfraSettingUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const o = idx.infraSettings.get(unit.slice('AviInfraSetting/'.length));
  if (!o || !isJudged(idx, c, o)) return { unit, objects: [], verdicts: [] };
  const v = infraSettingVerdict(o, idx.snapshot.aviRefs);
  const cloud = c.cloudType ?? 'CLOUD_VCENTER';
  const nodeNets = (o.spec?.network?.nodeNetworks ?? []).length > 0;
  const warnings = v.accepted && nodeNets && cloud !== 'CLOUD_VCENTER' ? [warning('AviInfraSetting', '', o.metadata?.name ?? '', 'NotApplied', `network.nodeNetworks: pools get placement networks in a vCenter cloud only; cloud ${c.cloudName} is ${cloud}`)] : [];
  return { unit, objects: [], verdicts: [v], ...(warnings.length > 0 ? { warnings } : {}) };
}

/** The unit of the AviInfraSetting an Ingress (its IngressClass) or a Service names, if any: its judging may change. */
export function infraUnitNamedBy(idx: Pick<SnapshotIndex, 'ingressClasses'>, o: { kind: 'Ingress'; ing: V1Ingress } | { kind: 'Service'; svc: V1Service }): string | undefined {
  const name = o.kind === 'Ingress' ? ingressInfraName(idx, o.ing)?.infra : o.svc.metadata?.annotations?.[INFRA_ANNOTATION];
  return name ? `AviInfraSetting/${name}` : undefined;
}
