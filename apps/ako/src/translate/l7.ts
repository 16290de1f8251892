/**
 * Ingress -> Avi objects (spec ako.md §2.2/§2.3, SNI mode with EVH off). Units:
 *  - `L7/<shard VS name>`: a shared parent VS and everything under it (l7-shard.ts);
 *  - `L7Dedicated/<host>`: shardVSSize DEDICATED, one normal VS per host (l7-dedicated.ts);
 *  - `Ingress/<ns>/<name>`: the Ingress-level verdict (ingress.ts).
 */
import type { V1Ingress } from '@kubernetes/client-node';
import type { UnitResult } from './common.js';
import type { AkoConfig } from './config.js';
import { DEFAULT_SECRET, ENABLE_TLS_ANNOTATION, hostsOf, hostTable, isOurIngress, translateIngressUnit } from './ingress.js';
import { translateDedicatedUnit } from './l7-dedicated.js';
import { translateShardUnit } from './l7-shard.js';
import type { ShardMemo } from './shard-memo.js';
import { hostRuleVerdict } from './hostrule.js';
import { l4RuleVerdict } from './l4rule.js';
import { httpRuleVerdict } from './httprule.js';
import { translateUnsupportedUnit, unsupportedUnits } from './unsupported.js';
import { refuseEvhDedicatedUnit, translateEvhShardUnit } from './evh.js';
import { ssoRuleUnit, translateSsoRuleUnit } from './sso.js';
import { l7RuleUnit, translateL7RuleUnit } from './l7rule.js';
import { hostUnit } from './shard.js';
import { droppedVerdicts } from './host-owner.js';
import { entriesConfig, ingressConfig } from './infra-setting.js';
import { infraSettingUnits, infraUnitNamedBy, translateInfraSettingUnit } from './infra-units.js';
import type { ObjectRef, SnapshotIndex } from './snapshot.js';


export function l7Units(idx: SnapshotIndex, c: AkoConfig): string[] {
  const t = hostTable(idx, c);
  const units = new Set<string>();
  for (const [host, entries] of t.byHost) units.add(hostUnit(entriesConfig(idx, c, entries), host));
  for (const [host, r] of t.rejections) units.add(hostUnit(entriesConfig(idx, c, r.claimed), host));
  for (const ing of t.ourIngresses) units.add(`Ingress/${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`);
  // A HostRule's status: its own unit (the hosts' units apply an accepted rule).
  for (const r of idx.snapshot.hostRules ?? []) units.add(`HostRule/${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`);
  for (const r of idx.snapshot.l4Rules ?? []) units.add(`L4Rule/${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`);
  for (const r of idx.snapshot.httpRules ?? []) units.add(`HTTPRule/${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`);
  for (const r of idx.snapshot.ssoRules ?? []) units.add(ssoRuleUnit(r));
  for (const r of idx.snapshot.l7Rules ?? []) units.add(l7RuleUnit(r));
  for (const u of unsupportedUnits(idx)) units.add(u);
  for (const u of infraSettingUnits(idx, c)) units.add(u);
  return [...units].sort();
}

/** L7 units that read `ref` in this snapshot (Ingress, Service, Secret; EndpointSlices and Pods go through Services). */
export function l7UnitsForObject(idx: SnapshotIndex, c: AkoConfig, ref: ObjectRef): string[] {
  const units = new Set<string>();
  const ingresses = idx.snapshot.ingresses.filter((i) => isOurIngress(idx, c, i));
  // An Ingress's hosts are on the shards of its AviInfraSetting, if any.
  const addHosts = (hosts: readonly string[], ing?: V1Ingress): void => {
    const hc = ing ? ingressConfig(idx, c, ing) : c;
    hosts.forEach((h) => units.add(hostUnit(hc, h)));
  };
  if (ref.kind === 'Ingress') {
    units.add(`Ingress/${ref.namespace}/${ref.name}`);
    const ing = idx.snapshot.ingresses.find((i) => i.metadata?.namespace === ref.namespace && i.metadata?.name === ref.name);
    if (ing) addHosts(hostsOf(ing), ing);
    // The AviInfraSetting it names: judged only while something synced names it (infra-units.ts).
    const infraUnit = ing ? infraUnitNamedBy(idx, { kind: 'Ingress', ing }) : undefined;
    if (infraUnit) units.add(infraUnit);
  } else if (ref.kind === 'Service') {
    const svc = idx.services.get(`${ref.namespace}/${ref.name}`);
    const infraUnit = svc ? infraUnitNamedBy(idx, { kind: 'Service', svc }) : undefined;
    if (infraUnit) units.add(infraUnit);
    for (const ing of ingresses) {
      if (ing.metadata?.namespace !== ref.namespace) continue;
      for (const r of ing.spec?.rules ?? []) {
        if ((r.http?.paths ?? []).some((p) => p.backend?.service?.name === ref.name)) addHosts([r.host ?? ''], ing);
      }
      if (ing.spec?.defaultBackend?.service?.name === ref.name) addHosts([''], ing);
    }
  } else if (ref.kind === 'Secret') {
    for (const ing of ingresses) {
      const byDefault = ref.namespace === c.akoNamespace && ref.name === DEFAULT_SECRET && ing.metadata?.annotations?.[ENABLE_TLS_ANNOTATION] === 'true';
      if (byDefault) addHosts(hostsOf(ing), ing);
      else if (ing.metadata?.namespace === ref.namespace) for (const t of ing.spec?.tls ?? []) if (t.secretName === ref.name) addHosts(t.hosts ?? [], ing);
    }
  }
  return [...units].sort();
}

export function translateL7Unit(idx: SnapshotIndex, c: AkoConfig, unit: string, memo?: ShardMemo): UnitResult {
  if (unit.startsWith('Ingress/')) return translateIngressUnit(idx, c, unit);
  if (unit.startsWith('HostRule/')) {
    const r = (idx.snapshot.hostRules ?? []).find((x) => `HostRule/${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}` === unit);
    return { unit, objects: [], verdicts: r ? [hostRuleVerdict(idx, r, c.akoNamespace)] : [] };
  }
  if (unit.startsWith('SSORule/')) return translateSsoRuleUnit(idx, c, unit);
  if (unit.startsWith('CR/')) return translateUnsupportedUnit(idx, unit);
  if (unit.startsWith('L7Rule/')) return translateL7RuleUnit(idx, c, unit);
  if (unit.startsWith('AviInfraSetting/')) return translateInfraSettingUnit(idx, c, unit);
  if (unit.startsWith('HTTPRule/')) {
    const r = (idx.snapshot.httpRules ?? []).find((x) => `HTTPRule/${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}` === unit);
    return { unit, objects: [], verdicts: r ? [httpRuleVerdict(idx, r)] : [] };
  }
  if (unit.startsWith('L4Rule/')) {
    const r = (idx.snapshot.l4Rules ?? []).find((x) => `L4Rule/${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}` === unit);
    return { unit, objects: [], verdicts: r ? [l4RuleVerdict(idx, r)] : [] };
  }
  // Host ownership and Avi name collisions: the verdicts of the entries dropped from the unit's hosts (host-owner.ts).
  const withDropped = (r: UnitResult): UnitResult => {
    const dropped = droppedVerdicts(idx, c, unit);
    return dropped.length === 0 ? r : { ...r, verdicts: [...r.verdicts, ...dropped] };
  };
  if (unit.startsWith('L7Dedicated/')) return withDropped(c.enableEVH ? refuseEvhDedicatedUnit(idx, c, unit) : translateDedicatedUnit(idx, c, unit));
  return withDropped(c.enableEVH ? translateEvhShardUnit(idx, c, unit) : translateShardUnit(idx, c, unit, memo));
}

