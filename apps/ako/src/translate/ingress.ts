/**
 * Which Ingresses this AKO handles and what they ask for (spec ako.md §1 "IngressClass", "Secure ingress",
 * "Default certificate"): a flat table of host/path entries, each with its backend and TLS secret.
 * Ingress-level problems are reported by the `Ingress/<ns>/<name>` unit; host-level ones by the host's unit.
 */
import type { V1Ingress } from '@kubernetes/client-node';
import { boolAnnotationWarning, warning, type ObjectWarning } from './warnings.js';
import { accepted, namespaceSynced, rejected, type UnitResult, type Verdict } from './common.js';
import { ingressConfig, ingressInfraName, namespaceInfraProblem, placementProblem } from './infra-setting.js';
import type { AkoConfig } from './config.js';
import { AVI_LB_CLASS } from './l4.js';
import { guardHosts } from './host-owner.js';
import type { LostName } from './name-claims.js';
import { isDedicated } from './shard.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const ENABLE_TLS_ANNOTATION = 'ako.vmware.com/enable-tls';
export const DEFAULT_SECRET = 'router-certs-default';

export type PathMatch = 'BEGINS_WITH' | 'EQUALS';
export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** One host/path of one Ingress. */
export interface HostPath {
  /** '' for a host-less rule and for `spec.defaultBackend` (served on the shard VS as the fallback). */
  readonly host: string;
  /** As written in the Ingress ('' when absent). */
  readonly path: string;
  readonly match: PathMatch;
  /** The rule's pathType (a missing one is ImplementationSpecific). */
  readonly pathType: PathType;
  /** Set for the entry of `spec.defaultBackend`. */
  readonly defaultBackend?: true;
  readonly namespace: string;
  readonly ingress: string;
  readonly service: string;
  readonly port: { readonly number?: number; readonly name?: string };
  /** `ns/name` of the TLS Secret when the host is secure in this Ingress. */
  readonly secret?: string;
  /** The AviInfraSetting placing this Ingress (through its IngressClass), if any. */
  readonly infra?: string;
}

const ns = (i: V1Ingress): string => i.metadata?.namespace ?? '';
const name = (i: V1Ingress): string => i.metadata?.name ?? '';

/** IngressClass check: explicit class with controller ako.vmware.com/avi-lb, or no class and avi-lb is the default. */
export function isOurIngress(idx: SnapshotIndex, c: AkoConfig, ing: V1Ingress): boolean {
  if (!namespaceSynced(idx, c, ns(ing))) return false;
  const className = ing.spec?.ingressClassName;
  if (className) return idx.ingressClasses.get(className)?.spec?.controller === AVI_LB_CLASS;
  return [...idx.ingressClasses.values()].some(
    (ic) => ic.spec?.controller === AVI_LB_CLASS && ic.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  );
}

/** Ingress-level problem, or undefined when the Ingress has something to program. */
function ingressProblem(idx: SnapshotIndex, ing: V1Ingress): string | undefined {
  // An AviInfraSetting that is missing or rejected: the Ingress is not served (as the Go AKO, which skips it).
  const infra = ingressInfraName(idx, ing);
  const infraProblem = infra ? placementProblem(idx, infra.infra) : undefined;
  if (infra && infraProblem) return `IngressClass ${infra.cls}: ${infraProblem}`;
  const nsInfra = infra ? undefined : namespaceInfraProblem(idx, ing.metadata?.namespace ?? '');
  if (nsInfra) return nsInfra;
  const rules = ing.spec?.rules ?? [];
  if (!rules.some((r) => (r.http?.paths ?? []).length > 0) && !ing.spec?.defaultBackend) return 'Ingress has no rule with paths and no defaultBackend';
  return undefined;
}

const pathTypeOf = (t: string | undefined): PathType => (t === 'Exact' || t === 'Prefix' ? t : 'ImplementationSpecific');

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const subdomains = (c: AkoConfig): string[] => c.dnsDomains.map((d) => d.replace(/^\./, '').toLowerCase()).filter(Boolean);

/**
 * The Go AKO serves an Ingress host only when it ends in one of the DNS sub-domains of the cloud's IPAM/DNS profile
 * (when the profile has any): the controller's DNS would not publish it otherwise.
 */
export function inDnsSubdomains(c: AkoConfig, host: string): boolean {
  const subs = subdomains(c);
  const h = host.toLowerCase();
  return subs.length === 0 || subs.some((d) => h === d || h.endsWith(`.${d}`));
}

const parsed = new WeakMap<V1Ingress, { readonly c: AkoConfig; readonly entries: readonly HostPath[]; readonly problems: readonly string[] }>();

/**
 * An Ingress's host/path entries and problems under config `c`, kept per Ingress object for its last config: the
 * Store replaces an Ingress on each change, so each translation of a unit after a change on another host gets the
 * same entries again (the same objects: the shard memo compares a host's entries by identity).
 */
export function hostPaths(c: AkoConfig, ing: V1Ingress): { readonly entries: readonly HostPath[]; readonly problems: readonly string[] } {
  const known = parsed.get(ing);
  if (known?.c === c) return known;
  const made = { c, ...parseHostPaths(c, ing) };
  parsed.set(ing, made);
  return made;
}

/** Host/path entries of an accepted Ingress, with the per-entry problems. */
function parseHostPaths(c: AkoConfig, ing: V1Ingress): { entries: HostPath[]; problems: string[] } {
  const entries: HostPath[] = [];
  const problems: string[] = [];
  const defaultTls = ing.metadata?.annotations?.[ENABLE_TLS_ANNOTATION] === 'true';
  const tlsSecret = new Map<string, string>();
  for (const t of ing.spec?.tls ?? []) {
    for (const h of t.hosts ?? []) {
      if (!t.secretName) problems.push(`TLS entry for host ${h} has no secretName`);
      else if (!tlsSecret.has(h)) tlsSecret.set(h, nsName(ns(ing), t.secretName));
    }
  }
  const backend = (host: string, path: string, svc: { name?: string; port?: { number?: number; name?: string } } | undefined): HostPath['port'] | undefined => {
    const where = host ? `host ${host} path ${path || '/'}` : path ? `host-less rule path ${path}` : 'defaultBackend';
    if (!svc?.name) {
      problems.push(`${where}: only Service backends are supported`);
      return undefined;
    }
    const port = svc.port ?? {};
    if (port.number === undefined && !port.name) {
      problems.push(`${where}: backend Service ${svc.name} has no port`);
      return undefined;
    }
    return port.number !== undefined ? { number: port.number } : { name: port.name! };
  };
  const hostless = (ing.spec?.rules ?? []).some((r) => !r.host && (r.http?.paths ?? []).length > 0) || ing.spec?.defaultBackend !== undefined;
  if (hostless && isDedicated(c)) problems.push('host-less rules and defaultBackend are not served in DEDICATED mode (no shard VS to fall back on)');
  const canHostless = hostless && !isDedicated(c);
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host ?? '';
    if (!host && !canHostless) continue;
    if (host && !HOST.test(host)) {
      problems.push(`host ${JSON.stringify(host)} is not a valid DNS name`);
      continue;
    }
    if (host && !inDnsSubdomains(c, host)) {
      problems.push(`host ${host} is not in a DNS sub-domain of cloud ${c.cloudName} (${subdomains(c).join(', ')}): not served`);
      continue;
    }
    for (const p of rule.http?.paths ?? []) {
      const svc = p.backend?.service;
      const port = backend(host, p.path ?? '', svc);
      if (!port) continue;
      // A host-less rule is plain HTTP only (TLS needs a host name).
      const secret = !host ? undefined : defaultTls ? nsName(c.akoNamespace, DEFAULT_SECRET) : tlsSecret.get(host);
      const pathType = pathTypeOf(p.pathType);
      entries.push({
        host,
        path: p.path ?? '',
        match: pathType === 'Exact' ? 'EQUALS' : 'BEGINS_WITH',
        pathType,
        namespace: ns(ing),
        ingress: name(ing),
        service: svc!.name!,
        port,
        ...(secret ? { secret } : {}),
        ...(c.infraSetting ? { infra: c.infraSetting } : {}),
      });
    }
  }
  const db = ing.spec?.defaultBackend;
  if (db && canHostless) {
    const port = backend('', '', db.service);
    if (port) {
      entries.push({ host: '', path: '', match: 'BEGINS_WITH', pathType: 'Prefix', defaultBackend: true, namespace: ns(ing), ingress: name(ing), service: db.service!.name!, port, ...(c.infraSetting ? { infra: c.infraSetting } : {}) });
    }
  }
  return { entries, problems };
}

/** Hosts named by an Ingress (rules and TLS; '' for host-less rules and defaultBackend), valid or not: the units it can touch. */
export function hostsOf(ing: V1Ingress): string[] {
  const hosts = new Set<string>();
  for (const r of ing.spec?.rules ?? []) hosts.add(r.host ?? '');
  if (ing.spec?.defaultBackend) hosts.add('');
  for (const t of ing.spec?.tls ?? []) for (const h of t.hosts ?? []) hosts.add(h);
  return [...hosts].sort();
}

export interface HostTable {
  /**
   * Entries of accepted Ingresses by host, sorted by (namespace, ingress), each Ingress in its own order: only the
   * host owner's namespace, without entries that lost an Avi name (host-owner.ts, name-claims.ts).
   */
  readonly byHost: ReadonlyMap<string, readonly HostPath[]>;
  readonly ourIngresses: readonly V1Ingress[];
  /** Hosts where entries were dropped: every entry claiming the host, and the verdicts of the dropped ones. */
  readonly rejections: ReadonlyMap<string, HostRejections>;
  /** Per source (name-claims.ts) that lost an Avi name, the reason: Services read theirs here. */
  readonly lostNames: ReadonlyMap<string, LostName>;
}

export interface HostRejections {
  readonly claimed: readonly HostPath[];
  readonly verdicts: readonly Verdict[];
}

export interface IngressEntries {
  readonly ing: V1Ingress;
  readonly entries: readonly HostPath[];
}

const perIngress = new WeakMap<SnapshotIndex, WeakMap<AkoConfig, { ours: V1Ingress[]; entries: IngressEntries[] }>>();

function ourEntries(idx: SnapshotIndex, c: AkoConfig): { ours: V1Ingress[]; entries: IngressEntries[] } {
  const cached = perIngress.get(idx)?.get(c);
  if (cached) return cached;
  const ours = idx.snapshot.ingresses.filter((i) => isOurIngress(idx, c, i)).sort((a, b) => cmp(ns(a), ns(b)) || cmp(name(a), name(b)));
  const entries = ours.filter((ing) => !ingressProblem(idx, ing)).map((ing) => ({ ing, entries: hostPaths(ingressConfig(idx, c, ing), ing).entries }));
  const out = { ours, entries };
  (perIngress.get(idx) ?? perIngress.set(idx, new WeakMap()).get(idx)!).set(c, out);
  return out;
}

/** Our Ingresses without an Ingress-level problem, with their host/path entries (memoised per index and config). */
export const ingressEntries = (idx: SnapshotIndex, c: AkoConfig): readonly IngressEntries[] => ourEntries(idx, c).entries;

const tables = new WeakMap<SnapshotIndex, WeakMap<AkoConfig, HostTable>>();

/** Host table of a snapshot (memoised per index and config; pure). */
export function hostTable(idx: SnapshotIndex, c: AkoConfig): HostTable {
  const cached = tables.get(idx)?.get(c);
  if (cached) return cached;
  const { ours, entries } = ourEntries(idx, c);
  const byHost = new Map<string, HostPath[]>();
  for (const { entries: list } of entries) for (const e of list) (byHost.get(e.host) ?? byHost.set(e.host, []).get(e.host)!).push(e);
  for (const list of byHost.values()) list.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.ingress, b.ingress));
  // A host belongs to one namespace; an entry whose Avi names another input claimed first is not served.
  const { rejections, lostNames } = guardHosts(idx, c, byHost, ours);
  const table: HostTable = { byHost, ourIngresses: ours, rejections, lostNames };
  (tables.get(idx) ?? tables.set(idx, new WeakMap()).get(idx)!).set(c, table);
  return table;
}

/** The `Ingress/<ns>/<name>` unit: only the Ingress-level verdict (host-level problems come from host units). */
export function translateIngressUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const [, namespace, ingName] = unit.split('/');
  const ing = idx.snapshot.ingresses.find((i) => ns(i) === namespace && name(i) === ingName);
  if (!ing || !isOurIngress(idx, c, ing)) return { unit, objects: [], verdicts: [] };
  const verdicts: Verdict[] = [];
  const problem = ingressProblem(idx, ing);
  if (problem) verdicts.push(rejected('Ingress', ns(ing), name(ing), problem));
  else {
    const { problems } = hostPaths(ingressConfig(idx, c, ing), ing);
    verdicts.push(problems.length > 0 ? rejected('Ingress', ns(ing), name(ing), problems.join('; ')) : accepted('Ingress', ns(ing), name(ing)));
  }
  const warnings = [...boolAnnotationWarning('Ingress', ns(ing), name(ing), ing.metadata?.annotations, ENABLE_TLS_ANNOTATION), ...strayTlsHostWarnings(ing)];
  return { unit, objects: [], verdicts, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** A `spec.tls` host that no rule of the Ingress names: nothing serves it (as in the Go AKO), said once per host. */
function strayTlsHostWarnings(ing: V1Ingress): ObjectWarning[] {
  const ruled = new Set((ing.spec?.rules ?? []).map((r) => r.host ?? ''));
  const stray = [...new Set((ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []))].filter((h) => h && !ruled.has(h)).sort();
  return stray.map((h) => warning('Ingress', ns(ing), name(ing), 'NotApplied', `TLS host ${h} is named by no rule of this Ingress: its TLS entry is not applied`));
}
