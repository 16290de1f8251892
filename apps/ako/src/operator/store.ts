// The indexed Store: the informers' (transformed) objects, with the indexes that answer "which units does this
// change touch?" and "what does this unit read?" in time proportional to the unit, not to the cluster. Nothing else
// in AKO reads Kubernetes. Events that change nothing translate reads (relevance.ts) touch no unit.
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type { AkoConfig, Snapshot } from '../translate/index.js';
import { DEFAULT_SECRET, hostsOf } from '../translate/ingress.js';
import { l4UnitOf, SHARED_VIP_ANNOTATION } from '../translate/l4.js';
import { hostUnit } from '../translate/shard.js';
import { infraSettingProblem, ingressConfig, type AviInfraSettingObject, type AviInfraSettingSpec, type InfraLookup } from '../translate/infra-setting.js';
import { infraUnitNamedBy } from '../translate/infra-units.js';
import { translateView } from './relevance.js';
import { createClaimIndex } from './name-claim-index.js';
import type { HostRuleObject } from '../translate/hostrule.js';
import type { L4RuleObject } from '../translate/l4rule.js';
import type { HttpRuleObject } from '../translate/httprule.js';
import { ssoRuleSecrets, type SsoRuleObject } from '../translate/sso.js';
import type { L7RuleObject } from '../translate/l7rule.js';

/** Secrets SSORules read (OAuth client and resource server secrets, in the rule's namespace). */
const ssoSecrets = (rules: readonly SsoRuleObject[]): string[] => rules.flatMap((r) => ssoRuleSecrets(r).map((s) => s.secret));

/** Secrets HostRules name (`tls.sslKeyCertificate` of type secret, in the rule's namespace). */
const hostRuleSecrets = (rules: readonly HostRuleObject[]): string[] =>
  rules.flatMap((r) => {
    const c = r.spec?.virtualhost?.tls?.sslKeyCertificate;
    return [c, c?.alternateCertificate].filter((x) => x?.type === 'secret' && x.name).map((x) => `${r.metadata?.namespace ?? ''}/${x!.name}`);
  });

export type Kind = 'Service' | 'EndpointSlice' | 'Ingress' | 'IngressClass' | 'Secret' | 'Node' | 'Namespace' | 'Pod' | 'HostRule' | 'L4Rule' | 'HTTPRule' | 'SSORule' | 'L7Rule' | 'AviInfraSetting';
export const KINDS: readonly Kind[] = ['Service', 'EndpointSlice', 'Ingress', 'IngressClass', 'Secret', 'Node', 'Namespace', 'Pod', 'HostRule', 'L4Rule', 'HTTPRule', 'SSORule', 'L7Rule', 'AviInfraSetting'];

/** Units a change touches: a list, or every unit (a Node, Namespace or IngressClass change). */
export type Touched = readonly string[] | 'all';

const digest = (view: string): string => createHash('sha256').update(view).digest('base64');
const keyOf = (o: k8s.KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** A Map of Sets with add/remove of one member. */
class MultiMap {
  private readonly m = new Map<string, Set<string>>();
  add(k: string, v: string): void {
    (this.m.get(k) ?? this.m.set(k, new Set()).get(k)!).add(v);
  }
  remove(k: string, v: string): boolean {
    const s = this.m.get(k);
    if (!s) return false;
    s.delete(v);
    if (s.size === 0) this.m.delete(k);
    return !this.m.has(k);
  }
  get(k: string): ReadonlySet<string> {
    return this.m.get(k) ?? EMPTY;
  }
  keys(): IterableIterator<string> {
    return this.m.keys();
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/** Services an Ingress sends traffic to (rules and defaultBackend), as `ns/name`. */
function backendsOf(ing: k8s.V1Ingress): string[] {
  const ns = ing.metadata?.namespace ?? '';
  const out = new Set<string>();
  const d = ing.spec?.defaultBackend?.service?.name;
  if (d) out.add(`${ns}/${d}`);
  for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend?.service?.name) out.add(`${ns}/${p.backend.service.name}`);
  return [...out];
}

const secretsOf = (ing: k8s.V1Ingress): string[] =>
  [...new Set((ing.spec?.tls ?? []).map((t) => t.secretName).filter((s): s is string => !!s))].map((s) => `${ing.metadata?.namespace ?? ''}/${s}`);

export function createStore(config: AkoConfig) {
  const objects = Object.fromEntries(KINDS.map((k) => [k, new Map<string, k8s.KubernetesObject>()])) as Record<Kind, Map<string, k8s.KubernetesObject>>;
  const views = Object.fromEntries(KINDS.map((k) => [k, new Map<string, string>()])) as Record<Kind, Map<string, string>>;
  // Indexes (all keys `ns/name` unless said otherwise).
  const slicesOfService = new MultiMap();
  const ingressesOfHost = new MultiMap(); // host -> ingresses
  const hostsOfUnit = new MultiMap(); // L7 unit -> hosts
  const ingressesOfService = new MultiMap();
  const ingressesOfSecret = new MultiMap();
  const servicesOfSharedVip = new MultiMap(); // `ns/key` -> services
  const slicesOfPod = new MultiMap();
  const cachedLists = new Map<Kind, readonly k8s.KubernetesObject[]>();
  /** Names of the Avi objects CRDs may name (Snapshot.aviRefs), read from the controller by the operator. */
  let aviRefs: readonly string[] | undefined;
  /** The types read for some of them (Snapshot.aviRefTypes). */
  let aviRefTypes: Readonly<Record<string, string>> = {};
  /** Avi names claimed by Ingresses and Services: competitors read each other (name-claim-index.ts). */
  const claimIndex = createClaimIndex(config);

  // An Ingress's hosts are on the shards of the AviInfraSetting its IngressClass names (infra-setting.ts): the unit of
  // each (Ingress, host) is kept as indexed, and every Ingress is indexed again when an IngressClass or AviInfraSetting
  // changes.
  const unitHostsOfIngress = new Map<string, (readonly [string, string])[]>();
  const ingressesOfUnitHost = new MultiMap(); // `unit\nhost` -> ingresses
  let lookup: InfraLookup | undefined;
  const infraLookup = (): InfraLookup =>
    (lookup ??= {
      ingressClasses: new Map([...objects.IngressClass.values()].map((o) => [o.metadata?.name ?? '', o as k8s.V1IngressClass])),
      infraSettings: new Map(infraSettings().map((o) => [o.metadata?.name ?? '', o])),
      snapshot: {},
      namespaces: new Map([...objects.Namespace.values()].map((o) => [o.metadata?.name ?? '', o as k8s.V1Namespace])),
    });
  const hostUnitOf = (ing: k8s.V1Ingress, h: string): string => hostUnit(ingressConfig(infraLookup(), config, ing), h);
  // The AviInfraSetting an Ingress or Service names: judged only while something synced names it (infra-units.ts).
  const infraUnitOf = (u: string | undefined, out: Set<string>): void => {
    if (u) out.add(u);
  };
  // The spec of each AviInfraSetting's last accepted version: while the current one is rejected, what it places stays
  // as that one placed it (AviInfraSettingObject.lastAcceptedSpec).
  const lastAccepted = new Map<string, AviInfraSettingSpec>();
  let decorated: readonly AviInfraSettingObject[] | undefined;
  function judgeInfraSettings(): void {
    decorated = undefined;
    for (const o of objects.AviInfraSetting.values() as Iterable<AviInfraSettingObject>) {
      if (!infraSettingProblem(o, aviRefs)) lastAccepted.set(o.metadata?.name ?? '', o.spec ?? {});
    }
    for (const n of [...lastAccepted.keys()]) if (!objects.AviInfraSetting.has(`/${n}`)) lastAccepted.delete(n);
  }
  const infraSettings = (): readonly AviInfraSettingObject[] =>
    (decorated ??= [...(objects.AviInfraSetting.values() as Iterable<AviInfraSettingObject>)].map((o) => {
      const last = lastAccepted.get(o.metadata?.name ?? '');
      return last && infraSettingProblem(o, aviRefs) ? { ...o, lastAcceptedSpec: last } : o;
    }));
  function reindexIngresses(): void {
    lookup = undefined;
    for (const [k, o] of objects.Ingress) {
      index('Ingress', k, o, false);
      index('Ingress', k, o, true);
    }
  }

  function index(kind: Kind, k: string, o: k8s.KubernetesObject, on: boolean): void {
    const add = (mm: MultiMap, key: string) => (on ? mm.add(key, k) : mm.remove(key, k));
    if (kind === 'Ingress' || kind === 'Service') claimIndex.update(kind, k, on ? o : undefined);
    switch (kind) {
      case 'EndpointSlice': {
        const svc = o.metadata?.labels?.[SERVICE_NAME_LABEL];
        if (svc) add(slicesOfService, `${o.metadata?.namespace ?? ''}/${svc}`);
        for (const ep of (o as k8s.V1EndpointSlice).endpoints ?? []) {
          if (ep.targetRef?.kind === 'Pod' && ep.targetRef.name) add(slicesOfPod, `${o.metadata?.namespace ?? ''}/${ep.targetRef.name}`);
        }
        break;
      }
      case 'Service': {
        const shared = o.metadata?.annotations?.[SHARED_VIP_ANNOTATION];
        if (shared) add(servicesOfSharedVip, `${o.metadata?.namespace ?? ''}/${shared}`);
        break;
      }
      case 'Ingress': {
        const ing = o as k8s.V1Ingress;
        if (on) {
          const pairs = hostsOf(ing).map((h) => [hostUnitOf(ing, h), h] as const);
          unitHostsOfIngress.set(k, pairs);
          for (const [u, h] of pairs) {
            ingressesOfHost.add(h, k);
            ingressesOfUnitHost.add(`${u}\n${h}`, k);
            hostsOfUnit.add(u, h);
          }
        } else {
          for (const [u, h] of unitHostsOfIngress.get(k) ?? []) {
            ingressesOfHost.remove(h, k);
            if (ingressesOfUnitHost.remove(`${u}\n${h}`, k)) hostsOfUnit.remove(u, h);
          }
          unitHostsOfIngress.delete(k);
        }
        for (const s of backendsOf(ing)) add(ingressesOfService, s);
        for (const s of secretsOf(ing)) add(ingressesOfSecret, s);
        break;
      }
      default:
        break;
    }
  }

  const hostUnitsOfIngresses = (ings: Iterable<string>, out: Set<string>): void => {
    for (const i of ings) {
      for (const [u] of unitHostsOfIngress.get(i) ?? []) out.add(u);
    }
  };

  function serviceUnits(svcKey: string, out: Set<string>): void {
    const svc = objects.Service.get(svcKey) as k8s.V1Service | undefined;
    if (svc) out.add(l4UnitOf(svc));
    hostUnitsOfIngresses(ingressesOfService.get(svcKey), out);
  }

  /** The units of the Ingresses and Services that claim an Avi name `kind/k` claims, from another source. */
  function competitorUnits(kind: 'Ingress' | 'Service', k: string, out: Set<string>): void {
    for (const who of claimIndex.competitors(kind, k)) {
      const key = who.slice(who.indexOf('/') + 1);
      if (who.startsWith('Ingress/')) hostUnitsOfIngresses([key], out);
      else {
        const svc = objects.Service.get(key) as k8s.V1Service | undefined;
        if (svc) out.add(l4UnitOf(svc));
      }
    }
  }

  /** Adds to a unit's view the Ingresses and Services competing for an Avi name with the view's own. */
  function withCompetitors(view: { services: readonly k8s.V1Service[]; ingresses: readonly k8s.V1Ingress[] }, own: { services: Iterable<string>; ingresses: Iterable<string> }) {
    const svcKeys = new Set(view.services.map(keyOf));
    const ingKeys = new Set(view.ingresses.map(keyOf));
    const services = [...view.services];
    const ingresses = [...view.ingresses];
    let competing = false;
    const add = (who: string): void => {
      competing = true;
      const key = who.slice(who.indexOf('/') + 1);
      if (who.startsWith('Ingress/')) {
        // With every Ingress of its hosts: which names it claims depends on who owns them and whether they are secure.
        const o = objects.Ingress.get(key) as k8s.V1Ingress | undefined;
        for (const i of o ? [key, ...hostsOf(o).flatMap((h) => [...ingressesOfHost.get(h)])] : []) {
          const x = objects.Ingress.get(i) as k8s.V1Ingress | undefined;
          if (x && !ingKeys.has(i)) {
            ingKeys.add(i);
            ingresses.push(x);
          }
        }
      } else {
        const o = objects.Service.get(key) as k8s.V1Service | undefined;
        if (o && !svcKeys.has(key)) {
          svcKeys.add(key);
          services.push(o);
        }
      }
    };
    for (const k of own.services) claimIndex.competitors('Service', k).forEach(add);
    for (const k of own.ingresses) claimIndex.competitors('Ingress', k).forEach(add);
    return { services, ingresses, ...(competing ? {} : { noNameCompetitors: true as const }) };
  }

  /** Units that read this object in the store's current state. */
  function unitsReading(kind: Kind, k: string, o: k8s.KubernetesObject | undefined): Set<string> | 'all' {
    const out = new Set<string>();
    if (!o) return out;
    switch (kind) {
      case 'Service':
        out.add(l4UnitOf(o as k8s.V1Service));
        hostUnitsOfIngresses(ingressesOfService.get(k), out);
        infraUnitOf(infraUnitNamedBy(infraLookup(), { kind: 'Service', svc: o as k8s.V1Service }), out);
        competitorUnits('Service', k, out);
        break;
      case 'EndpointSlice': {
        const svc = o.metadata?.labels?.[SERVICE_NAME_LABEL];
        if (svc) serviceUnits(`${o.metadata?.namespace ?? ''}/${svc}`, out);
        break;
      }
      case 'Ingress':
        out.add(`Ingress/${k}`);
        hostUnitsOfIngresses([k], out);
        infraUnitOf(infraUnitNamedBy(infraLookup(), { kind: 'Ingress', ing: o as k8s.V1Ingress }), out);
        // It may change the names its hosts' other Ingresses claim too (ownership, TLS).
        for (const i of new Set([k, ...hostsOf(o as k8s.V1Ingress).flatMap((h) => [...ingressesOfHost.get(h)])])) competitorUnits('Ingress', i, out);
        break;
      case 'Secret':
        hostUnitsOfIngresses(ingressesOfSecret.get(k), out);
        if (k === `${config.akoNamespace}/${DEFAULT_SECRET}`) return 'all';
        // An SSORule's secret: its rule and the host it applies to (any unit) read it.
        if (ssoSecrets(list('SSORule') as readonly SsoRuleObject[]).includes(k)) return 'all';
        break;
      case 'Pod':
        for (const es of slicesOfPod.get(k)) {
          const slice = objects.EndpointSlice.get(es);
          const svc = slice?.metadata?.labels?.[SERVICE_NAME_LABEL];
          if (svc) serviceUnits(`${slice?.metadata?.namespace ?? ''}/${svc}`, out);
        }
        break;
      default:
        return 'all';
    }
    return out;
  }

  const list = <T extends k8s.KubernetesObject>(kind: Kind): readonly T[] => {
    const known = cachedLists.get(kind);
    if (known) return known as readonly T[];
    const l = [...objects[kind].values()];
    cachedLists.set(kind, l);
    return l as T[];
  };
  const pick = <T extends k8s.KubernetesObject>(kind: Kind, keys: Iterable<string>): T[] => {
    const out: T[] = [];
    for (const k of keys) {
      const o = objects[kind].get(k);
      if (o) out.push(o as T);
    }
    return out;
  };

  /** The objects the Services `svcKeys` read: themselves, their EndpointSlices, the Pods behind those (NPL). */
  function serviceInputs(svcKeys: Iterable<string>) {
    const services: k8s.V1Service[] = [];
    const slices: k8s.V1EndpointSlice[] = [];
    const pods = new Set<string>();
    for (const s of svcKeys) {
      const svc = objects.Service.get(s) as k8s.V1Service | undefined;
      if (svc) services.push(svc);
      for (const es of pick<k8s.V1EndpointSlice>('EndpointSlice', slicesOfService.get(s))) {
        slices.push(es);
        for (const ep of es.endpoints ?? []) if (ep.targetRef?.kind === 'Pod' && ep.targetRef.name) pods.add(`${es.metadata?.namespace ?? ''}/${ep.targetRef.name}`);
      }
    }
    return { services, endpointSlices: slices, pods: pick<k8s.V1Pod>('Pod', pods) };
  }

  // HostRules are few and any may match any host (Contains, Wildcard): every unit reads all of them.
  const everywhere = () => ({
    ingressClasses: list<k8s.V1IngressClass>('IngressClass'),
    nodes: list<k8s.V1Node>('Node'),
    namespaces: list<k8s.V1Namespace>('Namespace'),
    hostRules: list('HostRule') as readonly HostRuleObject[],
    l4Rules: list('L4Rule') as readonly L4RuleObject[],
    httpRules: list('HTTPRule') as readonly HttpRuleObject[],
    ssoRules: list('SSORule') as readonly SsoRuleObject[],
    l7Rules: list('L7Rule') as readonly L7RuleObject[],
    aviInfraSettings: infraSettings(),
    ...(aviRefs ? { aviRefs, aviRefTypes } : {}),
  });

  return {
    /**
     * Applies an informer event. Returns the units whose input changed (before or after), or undefined when the
     * event changes nothing translate reads (the store still keeps the new object for the status stage).
     */
    apply(kind: Kind, event: 'add' | 'update' | 'delete', obj: k8s.KubernetesObject): Touched | undefined {
      const k = keyOf(obj);
      const before = objects[kind].get(k);
      // A digest of the view: the views of all objects (TLS data, endpoints) would be as big as the objects.
      const view = event === 'delete' ? undefined : digest(translateView(kind, obj));
      const relevant = view !== views[kind].get(k);
      if (!relevant) {
        if (event !== 'delete' && before) objects[kind].set(k, obj);
        cachedLists.delete(kind);
        return undefined;
      }
      const touched = new Set<string>();
      const was = unitsReading(kind, k, before);
      if (before) index(kind, k, before, false);
      if (event === 'delete') {
        objects[kind].delete(k);
        views[kind].delete(k);
      } else {
        objects[kind].set(k, obj);
        views[kind].set(k, view!);
        index(kind, k, obj, true);
      }
      cachedLists.delete(kind);
      if (kind === 'AviInfraSetting') judgeInfraSettings();
      // The shards of an Ingress's hosts follow its IngressClass's AviInfraSetting and its namespace's tenant.
      if (kind === 'IngressClass' || kind === 'AviInfraSetting' || kind === 'Namespace') reindexIngresses();
      const now = unitsReading(kind, k, event === 'delete' ? undefined : obj);
      if (was === 'all' || now === 'all') return 'all';
      for (const u of was) touched.add(u);
      for (const u of now) touched.add(u);
      return [...touched];
    },

    get<T extends k8s.KubernetesObject>(kind: Kind, namespace: string, name: string): T | undefined {
      return objects[kind].get(`${namespace}/${name}`) as T | undefined;
    },
    list,

    /** Every object: the input of a full translation (boot, tests, units of unknown kinds). */
    full(): Snapshot {
      return {
        services: list('Service'),
        endpointSlices: list('EndpointSlice'),
        ingresses: list('Ingress'),
        secrets: list('Secret'),
        pods: list('Pod'),
        ...everywhere(),
      };
    },

    /** What one unit reads: enough for translateUnit to give the same result as on the full snapshot. */
    snapshotFor(unit: string): Snapshot {
      const slash = unit.indexOf('/');
      const kind = unit.slice(0, slash);
      const rest = unit.slice(slash + 1);
      if (kind === 'L4' || kind === 'L4Shared') {
        const svcs = kind === 'L4' ? [rest] : [...servicesOfSharedVip.get(rest)];
        const inputs = serviceInputs(svcs);
        return { ...inputs, ...withCompetitors({ services: inputs.services, ingresses: [] }, { services: svcs, ingresses: [] }), secrets: [], ...everywhere() };
      }
      if (kind === 'L7' || kind === 'L7Dedicated' || kind === 'Ingress') {
        const ingKeys = new Set<string>();
        if (kind === 'Ingress') ingKeys.add(rest);
        else for (const h of hostsOfUnit.get(unit)) for (const i of ingressesOfHost.get(h)) ingKeys.add(i);
        const ingresses = pick<k8s.V1Ingress>('Ingress', ingKeys);
        const svcKeys = new Set(ingresses.flatMap(backendsOf));
        const secretKeys = new Set([...ingresses.flatMap(secretsOf), `${config.akoNamespace}/${DEFAULT_SECRET}`, ...hostRuleSecrets(list('HostRule') as readonly HostRuleObject[]), ...ssoSecrets(list('SSORule') as readonly SsoRuleObject[])]);
        const inputs = serviceInputs(svcKeys);
        const viewed = kind === 'Ingress' ? { services: inputs.services, ingresses } : withCompetitors({ services: inputs.services, ingresses }, { services: [], ingresses: ingKeys });
        return { ...inputs, ...viewed, secrets: pick<k8s.V1Secret>('Secret', secretKeys), ...everywhere() };
      }
      return this.full();
    },

    /** Which L7 units have at least one host, and which L4 units at least one Service (for "every unit"). */
    knownUnits(): Set<string> {
      const out = new Set<string>(hostsOfUnit.keys());
      for (const s of objects.Service.values()) out.add(l4UnitOf(s as k8s.V1Service));
      for (const k of objects.Ingress.keys()) out.add(`Ingress/${k}`);
      for (const k of objects.HostRule.keys()) out.add(`HostRule/${k}`);
      for (const k of objects.L4Rule.keys()) out.add(`L4Rule/${k}`);
      for (const k of objects.HTTPRule.keys()) out.add(`HTTPRule/${k}`);
      for (const k of objects.SSORule.keys()) out.add(`SSORule/${k}`);
      for (const k of objects.L7Rule.keys()) out.add(`L7Rule/${k}`);
      for (const o of objects.AviInfraSetting.values()) out.add(`AviInfraSetting/${o.metadata?.name ?? ''}`);
      return out;
    },

    /** Sets the Avi object names CRDs are checked against; true when they changed (every unit then reads them). */
    setAviRefs(refs: readonly string[], types: Readonly<Record<string, string>> = {}): boolean {
      const sorted = [...new Set(refs)].sort();
      const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (aviRefs && JSON.stringify(aviRefs) === JSON.stringify(sorted) && JSON.stringify(aviRefTypes) === JSON.stringify(sortedTypes)) return false;
      aviRefs = sorted;
      aviRefTypes = sortedTypes;
      // Which AviInfraSettings are accepted may change, and with it the shards their Ingresses' hosts are on.
      if (objects.AviInfraSetting.size > 0) {
        judgeInfraSettings();
        reindexIngresses();
      }
      return true;
    },
  };
}

export type Store = ReturnType<typeof createStore>;
