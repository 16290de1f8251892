import type { HostRuleObject } from './hostrule.js';
import type { L4RuleObject } from './l4rule.js';
import type { HttpRuleObject } from './httprule.js';
import type { CrObject } from './unsupported.js';
import type { AviInfraSettingObject } from './infra-setting.js';
import type { SsoRuleObject } from './sso.js';
import type { L7RuleObject } from './l7rule.js';
import type { V1EndpointSlice, V1Ingress, V1IngressClass, V1Namespace, V1Node, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';

/** Read-only view of the informer caches: the only input of translate() besides the config. Plain data. */
export interface Snapshot {
  readonly services: readonly V1Service[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly ingresses: readonly V1Ingress[];
  readonly ingressClasses: readonly V1IngressClass[];
  readonly secrets: readonly V1Secret[];
  readonly nodes: readonly V1Node[];
  readonly namespaces: readonly V1Namespace[];
  /** Only needed in NodePortLocal mode (Antrea's `nodeportlocal.antrea.io` pod annotation). */
  readonly pods?: readonly V1Pod[];
  /** ako.vmware.com HostRules (hostrule.ts). */
  readonly hostRules?: readonly HostRuleObject[];
  /** ako.vmware.com L4Rules (l4rule.ts). */
  readonly l4Rules?: readonly L4RuleObject[];
  /** ako.vmware.com HTTPRules (httprule.ts). */
  readonly httpRules?: readonly HttpRuleObject[];
  /** ako.vmware.com SSORules (sso.ts). */
  readonly ssoRules?: readonly SsoRuleObject[];
  /** ako.vmware.com L7Rules (l7rule.ts), applied through HostRule virtualhost.l7Rule. */
  readonly l7Rules?: readonly L7RuleObject[];
  /** ako.vmware.com CRs not implemented yet (unsupported.ts). */
  readonly unsupportedCrs?: readonly CrObject[];
  /** ako.vmware.com AviInfraSettings (cluster-scoped, infra-setting.ts). */
  readonly aviInfraSettings?: readonly AviInfraSettingObject[];
  /**
   * `<type>/<name>` of the Avi objects on the controller that CRDs may name (HostRule wafPolicy, sslProfile, ...):
   * a ref outside this list rejects the rule. Absent: refs are not checked.
   */
  readonly aviRefs?: readonly string[];
  /**
   * `<type>/<name>` -> the type read on the controller, for the application profiles (`type`) and network profiles
   * (`profile.type`) of aviRefs: an L4Rule's SSL checks read it. Absent or without the key: the type is unknown.
   */
  readonly aviRefTypes?: Readonly<Record<string, string>>;
  /**
   * The time (ms since the epoch) certificates are judged at (expired, not yet valid), fed by the operator so that
   * translate stays pure. Absent: validity is not checked.
   */
  readonly now?: number;
  /**
   * Set by the operator's Store when none of the view's own Ingresses and Services claims an Avi name that another
   * input claims from another source (its index of candidate claims, a superset of the names translate claims when no
   * AviInfraSetting places anything): no name can collide, and translate does not look for collisions (name-claims.ts).
   */
  readonly noNameCompetitors?: true;
}

export const EMPTY_SNAPSHOT: Snapshot = { services: [], endpointSlices: [], ingresses: [], ingressClasses: [], secrets: [], nodes: [], namespaces: [] };

/** A reference to one Kubernetes object, e.g. for verdicts and incremental translation. */
export interface ObjectRef {
  readonly kind: 'Service' | 'EndpointSlice' | 'Ingress' | 'IngressClass' | 'Secret' | 'Node' | 'Namespace' | 'Pod' | 'HostRule' | 'L4Rule' | 'HTTPRule' | 'SSORule' | 'L7Rule' | 'AviInfraSetting';
  readonly namespace: string;
  readonly name: string;
}

/** Lookup maps over a snapshot, built once per translation. */
export interface SnapshotIndex {
  readonly snapshot: Snapshot;
  readonly services: ReadonlyMap<string, V1Service>;
  /** `ns/service` -> the EndpointSlices labelled kubernetes.io/service-name=service. */
  readonly slicesByService: ReadonlyMap<string, readonly V1EndpointSlice[]>;
  readonly secrets: ReadonlyMap<string, V1Secret>;
  readonly namespaces: ReadonlyMap<string, V1Namespace>;
  readonly ingressClasses: ReadonlyMap<string, V1IngressClass>;
  readonly pods: ReadonlyMap<string, V1Pod>;
  /** AviInfraSettings by name. */
  readonly infraSettings: ReadonlyMap<string, AviInfraSettingObject>;
}

export const nsName = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;

export function indexSnapshot(s: Snapshot): SnapshotIndex {
  const services = new Map(s.services.map((x) => [nsName(x.metadata?.namespace, x.metadata?.name), x]));
  const slicesByService = new Map<string, V1EndpointSlice[]>();
  for (const es of s.endpointSlices) {
    const svc = es.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = nsName(es.metadata?.namespace, svc);
    (slicesByService.get(k) ?? slicesByService.set(k, []).get(k)!).push(es);
  }
  for (const list of slicesByService.values()) list.sort((a, b) => cmp(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  return {
    snapshot: s,
    services,
    slicesByService,
    secrets: new Map(s.secrets.map((x) => [nsName(x.metadata?.namespace, x.metadata?.name), x])),
    namespaces: new Map(s.namespaces.map((x) => [x.metadata?.name ?? '', x])),
    ingressClasses: new Map(s.ingressClasses.map((x) => [x.metadata?.name ?? '', x])),
    pods: new Map((s.pods ?? []).map((x) => [nsName(x.metadata?.namespace, x.metadata?.name), x])),
    infraSettings: new Map((s.aviInfraSettings ?? []).map((x) => [x.metadata?.name ?? '', x])),
  };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
