/**
 * Avi name collisions (README "Avi names"). The Go AKO's names join their parts with `-` and turn every `/` of a path
 * into `_`, so different inputs can give one name: namespace `coll` Ingress `a-b` and namespace `coll-a` Ingress `b`
 * share a pool name; a secure host `team-0-lb-5` and Service `team-0/lb-5` share a virtual service name; paths `/a_b`
 * and `/a/b` share a pool. We keep those names (a switch from the Go AKO must not rename anything) and detect the
 * ambiguity instead: every input claims the names it would create, each claim with its source (the parts the name
 * is made of); a name claimed by two different sources goes to the source whose oldest claimant came first
 * (creationTimestamp, then namespace/name), and the inputs of the other source are rejected for it, with a reason
 * naming both. Several inputs of one source share its names (the Ingresses of one host share its virtual service).
 *
 * Claims are a function of one object and the config (never of other objects), so that a unit's view of the store
 * (the objects claiming any name its own objects claim) decides exactly as the full snapshot. An insecure path
 * claims the names it would have on an SNI child as well (another Ingress may make its host secure).
 */
import type { V1Service } from '@kubernetes/client-node';
import { claimantOf as claimantOf_, describe, olderFirst, type Claimant } from './age.js';
import { tenantFor } from './common.js';
import type { AkoConfig } from './config.js';
import type { HostPath } from './ingress.js';
import { hostTable, ingressEntries } from './ingress.js';
import { isOurLoadBalancer, l4UnitOf, SHARED_VIP_ANNOTATION } from './l4.js';
import { ingressConfig } from './infra-setting.js';
import { AVI_NAME_MAX_LENGTH, defaultCertName, defaultBackendPoolName, l4PoolName, l4SharedPoolName, l4VsName, l7PoolName, sniPoolGroupName, sniPoolName, sniHttpPolicySetName, sniVsName, tlsCertName } from './names.js';
import { DEFAULT_SECRET } from './ingress.js';
import { hostUnit, isDedicated } from './shard.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';

/** One name an input would create: `key` = `<tenant>/<type>/<name>`; `source` = what the name is made of. */
export interface NameClaim {
  readonly tenant: string;
  readonly type: string;
  readonly name: string;
  readonly source: string;
  /** What of the claimant the name is for (`host h path p`), for the reason. */
  readonly detail: string;
  /** `<tenant>\0<type>\0<name>`: the name claimed. */
  readonly key: string;
}

const SEP = '\u0000';
const nameClaim = (tenant: string, type: string, name: string, source: string, detail: string): NameClaim => ({ tenant, type, name, source, detail, key: `${tenant}${SEP}${type}${SEP}${name}` });
const src = (...parts: (string | number | undefined)[]): string => parts.map((p) => String(p ?? '')).join(SEP);
const POLICY_TO_POOL = '--policy-to-pool';

const entryDetail = (e: HostPath): string =>
  e.defaultBackend ? 'defaultBackend' : e.host ? `host ${e.host} path ${e.path || '/'}` : `host-less rule path ${e.path || '/'}`;

/**
 * How an entry's host is served, for its claims: `{ secret }` (the host's Secret, first in namespace/Ingress order,
 * absent for a plain HTTP host), or `candidate`: every name the entry could have (either way), for the Store's index.
 */
export type HostSecurity = { readonly secret?: string } | 'candidate';

/**
 * The names one Ingress host/path entry creates (SNI mode or DEDICATED; EVH names are derived from these): on a plain
 * HTTP host a pool of the shard; on a secure host (every host in DEDICATED mode) a pool, pool group and the
 * namespace's HTTP policy set, and on a secure host the host's virtual service and certificates.
 */
export function entryClaims(c: AkoConfig, tenant: string, e: HostPath, host: HostSecurity): NameClaim[] {
  const detail = entryDetail(e);
  const out: NameClaim[] = [];
  const claim = (type: string, name: string, source: string): void => void out.push(nameClaim(tenant, type, name, source, detail));
  const backend = `${e.service}:${e.port.number ?? e.port.name ?? ''}`;
  const dedicated = isDedicated(c);
  // The AviInfraSetting placing the Ingress, inserted into its names.
  const infra = (e as HostPath & { readonly infra?: string }).infra;
  const candidate = host === 'candidate';
  const secret = candidate ? e.secret : host.secret;
  if (e.defaultBackend) {
    if (!dedicated) claim('pool', defaultBackendPoolName(c, e.namespace, e.ingress), src('dbpool', e.namespace, e.ingress, backend));
    return out;
  }
  const onChild = e.host !== '' && (dedicated || candidate || secret !== undefined);
  if (!dedicated && (candidate || !onChild)) claim('pool', l7PoolName(c, e.host, e.path, e.namespace, e.ingress, infra), src('l7pool', infra, e.host, e.path, e.namespace, e.ingress, backend));
  if (!onChild) return out;
  const snipool = src('snipool', infra, e.namespace, e.host, e.path, e.ingress, backend);
  const base = sniPoolName(c, e.ingress, e.namespace, e.host, e.path, infra, dedicated);
  if (c.noPGForSNI) claim('pool', `${base}${POLICY_TO_POOL}`, snipool);
  else {
    claim('pool', base, snipool);
    claim('poolgroup', sniPoolGroupName(c, e.ingress, e.namespace, e.host, e.path, infra, dedicated), snipool);
  }
  claim('httppolicyset', sniHttpPolicySetName(c, e.namespace, e.host, infra), src('hps', infra, e.namespace, e.host));
  if (secret === undefined) return out;
  if (!dedicated) claim('virtualservice', sniVsName(c, e.host, infra), src('vs', infra, e.host));
  if (secret === nsName(c.akoNamespace, DEFAULT_SECRET)) {
    claim('sslkeyandcertificate', defaultCertName(c, DEFAULT_SECRET), src('defaultcert'));
    claim('sslkeyandcertificate', defaultCertName(c, `${DEFAULT_SECRET}-alt`), src('defaultcert'));
  } else {
    claim('sslkeyandcertificate', tlsCertName(c, e.host, infra), src('cert', infra, e.host));
    claim('sslkeyandcertificate', tlsCertName(c, e.host, infra, true), src('cert', infra, e.host));
  }
  return out;
}

// C0 and C1 control characters and DEL (a path may carry a tab): the controller refuses them in names.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why an entry's names cannot be created (one longer than the controller's 255 bytes, or with a control character),
 * or undefined.
 */
export function tooLongName(c: AkoConfig, e: HostPath, host: HostSecurity): string | undefined {
  // Entries are kept per Ingress object (ingress.ts hostPaths): each translation of a shard checks all of its own.
  const secret = host === 'candidate' ? host : host.secret;
  const ok = withinLimits.get(e);
  if (ok?.c === c && ok.secret === secret) return undefined;
  const reason = nameProblem(c, e, host);
  if (reason === undefined) withinLimits.set(e, { c, secret });
  return reason;
}

/** Entries whose names were found fine, with the config and the Secret (or `candidate`) they were checked with. */
const withinLimits = new WeakMap<HostPath, { readonly c: AkoConfig; readonly secret: string | undefined }>();

function nameProblem(c: AkoConfig, e: HostPath, host: HostSecurity): string | undefined {
  const claims = entryClaims(c, c.tenant, e, host);
  const long = claims.find((x) => Buffer.byteLength(x.name, 'utf8') > AVI_NAME_MAX_LENGTH);
  if (long) {
    const bytes = Buffer.byteLength(long.name, 'utf8');
    return `${entryDetail(e)}: Avi ${long.type} name ${long.name.slice(0, 60)}... would be ${bytes} bytes long, the controller takes at most ${AVI_NAME_MAX_LENGTH}: not served (shorten the path, host or names)`;
  }
  const control = claims.find((x) => CONTROL.test(x.name));
  if (control) return `${entryDetail(e)}: Avi ${control.type} name ${JSON.stringify(control.name.slice(0, 80))} would hold a control character, which the controller refuses: not served`;
  return undefined;
}

/** The Secret a host is served with: its first entry's (namespace/Ingress order) that has one (planHost). */
export const hostSecretOf = (entries: readonly HostPath[]): { secret?: string } => {
  const s = entries.find((e) => e.secret !== undefined)?.secret;
  return s === undefined ? {} : { secret: s };
};

/** The names a Service of type LoadBalancer may create: VS, VsVip, L4PolicySet and a pool per port. */
export function serviceClaims(c: AkoConfig, tenant: string, svc: V1Service): NameClaim[] {
  const ns = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const key = svc.metadata?.annotations?.[SHARED_VIP_ANNOTATION];
  const out: NameClaim[] = [];
  const vsName = l4VsName(c, ns, key || name);
  const vsSource = key ? src('l4shared', ns, key) : src('l4', ns, name);
  const detail = key ? `shared VIP ${key}` : 'its virtual service';
  for (const type of ['virtualservice', 'vsvip', 'l4policyset']) out.push(nameClaim(tenant, type, vsName, vsSource, detail));
  for (const p of svc.spec?.ports ?? []) {
    const proto = p.protocol ?? 'TCP';
    const pool = key ? l4SharedPoolName(c, ns, name, key, proto, p.port) : l4PoolName(c, ns, name, proto, p.port);
    out.push(nameClaim(tenant, 'pool', pool, src(key ? 'l4spool' : 'l4pool', ns, name, key, proto, p.port), `port ${proto}/${p.port}`));
  }
  return out;
}

/** The reason given to an input that lost a name. */
export function collisionReason(type: string, name: string, loser: { who: Claimant; detail: string }, winner: { who: Claimant; detail: string }): string {
  return (
    `Avi ${type} ${name} would be the name for both ${describe(loser.who)} (${loser.detail}) and ${describe(winner.who)} (${winner.detail}), ` +
    `which claimed it first: not served for ${describe(loser.who)} (the Go AKO's names cannot tell them apart; rename one of them)`
  );
}

const TYPE_ORDER = ['virtualservice', 'sslkeyandcertificate', 'httppolicyset', 'poolgroup', 'pool', 'vsvip', 'l4policyset'];

interface Held {
  readonly who: Claimant;
  readonly detail: string;
}

/** A source's lost name: the reason, and the rank of the name's type (the most telling name is reported). */
export interface LostName {
  readonly reason: string;
  readonly rank: number;
}

/** Per losing source, the reason (the first name it lost, virtual services first, then in name order). Pure. */
export function resolveClaims(claims: readonly { claim: NameClaim; who: Claimant }[]): Map<string, LostName> {
  // Nearly every name has one source: its first claim stands for it until another source claims the name.
  const first = new Map<string, { claim: NameClaim; who: Claimant }>();
  const byKey = new Map<string, Map<string, Held>>();
  for (const c of claims) {
    const { claim, who } = c;
    const k = claim.key;
    const one = first.get(k);
    if (!one) {
      first.set(k, c);
      continue;
    }
    let sources = byKey.get(k);
    if (!sources) {
      if (one.claim.source === claim.source) {
        if (olderFirst(who, one.who) < 0) first.set(k, c);
        continue;
      }
      sources = new Map([[one.claim.source, { who: one.who, detail: one.claim.detail }]]);
      byKey.set(k, sources);
    }
    const held = sources.get(claim.source);
    if (!held || olderFirst(who, held.who) < 0) sources.set(claim.source, { who, detail: claim.detail });
  }
  const lost = new Map<string, LostName>();
  // The reason names the most telling object first (a virtual service before its pools).
  const rank = (k: string): number => {
    const i = TYPE_ORDER.indexOf(first.get(k)!.claim.type);
    return i < 0 ? TYPE_ORDER.length : i;
  };
  // Nearly every name has one claimant: only the contested ones are sorted (the same order among them).
  const contested: string[] = [];
  for (const [k, sources] of byKey) if (sources.size >= 2) contested.push(k);
  for (const k of contested.sort((a, b) => rank(a) - rank(b) || cmp(a, b))) {
    const sources = byKey.get(k)!;
    const ranked = [...sources.entries()].sort(([sa, a], [sb, b]) => olderFirst(a.who, b.who) || cmp(sa, sb));
    const [, winner] = ranked[0]!;
    const { type, name } = first.get(k)!.claim;
    for (const [source, held] of ranked.slice(1)) {
      if (!lost.has(source)) lost.set(source, { reason: collisionReason(type, name, held, winner), rank: rank(k) });
    }
  }
  return lost;
}

/**
 * The losing sources of a snapshot: the claims of the entries left after host ownership (`byHost`, whose hosts are
 * complete in any unit's view) and of our LoadBalancer Services. Pure.
 */
export function nameConflicts(idx: SnapshotIndex, c: AkoConfig, byHost: ReadonlyMap<string, readonly HostPath[]>, claimantOf: (e: HostPath) => Claimant): Map<string, LostName> {
  // The Store's claim index holds names without an AviInfraSetting's part: only without one is it a superset.
  if (idx.snapshot.noNameCompetitors && (idx.snapshot.aviInfraSettings?.length ?? 0) === 0) return new Map();
  const claims: { claim: NameClaim; who: Claimant }[] = [];
  for (const entries of byHost.values()) {
    const host = hostSecretOf(entries);
    for (const e of entries) for (const claim of entryClaims(c, c.tenant, e, host)) claims.push({ claim, who: claimantOf(e) });
  }
  for (const svc of idx.services.values()) {
    if (!isOurLoadBalancer(idx, c, svc)) continue;
    const who = claimantOf_('Service', svc);
    for (const claim of serviceClaims(c, tenantFor(idx, c, who.namespace), svc)) claims.push({ claim, who });
  }
  return resolveClaims(claims);
}

/** The reason of the most telling of the names `claims` lost, or undefined. */
function lossOf(lost: ReadonlyMap<string, LostName>, claims: readonly NameClaim[]): string | undefined {
  let best: LostName | undefined;
  for (const claim of claims) {
    const l = lost.get(claim.source);
    if (l && (!best || l.rank < best.rank)) best = l;
  }
  return best?.reason;
}

/** Why this entry (on a host served as `host`) may not create its names, or undefined. */
export function entryLoss(lost: ReadonlyMap<string, LostName>, c: AkoConfig, e: HostPath, host: HostSecurity): string | undefined {
  return lost.size === 0 ? undefined : lossOf(lost, entryClaims(c, c.tenant, e, host));
}

/** Why this Service may not create its names, or undefined. */
export function serviceLoss(idx: SnapshotIndex, c: AkoConfig, svc: V1Service): string | undefined {
  const lost = hostTable(idx, c).lostNames;
  return lost.size === 0 ? undefined : lossOf(lost, serviceClaims(c, tenantFor(idx, c, svc.metadata?.namespace ?? ''), svc));
}

/** The names (`<type>/<name>`, without tenant) an object may claim: the Store's index of competing objects. */
export function claimedNames(c: AkoConfig, kind: 'Ingress' | 'Service', entriesOrService: readonly HostPath[] | V1Service): { name: string; source: string }[] {
  const claims = kind === 'Ingress' ? (entriesOrService as readonly HostPath[]).flatMap((e) => entryClaims(c, '', e, 'candidate')) : serviceClaims(c, '', entriesOrService as V1Service);
  return claims.map((x) => ({ name: `${x.type}/${x.name}`, source: x.source }));
}

/**
 * The units whose verdicts may change when `ref` comes or goes, through Avi names: those of every input claiming, from
 * another source, a name that `ref` or an Ingress sharing a host with it may claim (candidate claims: a change of
 * `ref` can make a neighbour's host secure). For unitsAffectedBy, on the snapshot before and after a change.
 */
export function competingUnits(idx: SnapshotIndex, c: AkoConfig, ref: { kind: string; namespace: string; name: string }): string[] {
  if (ref.kind !== 'Ingress' && ref.kind !== 'Service') return [];
  interface Who {
    readonly kind: 'Ingress' | 'Service';
    readonly key: string;
    readonly hosts: ReadonlySet<string>;
    readonly units: ReadonlySet<string>;
    readonly claims: readonly NameClaim[];
  }
  const all: Who[] = [];
  for (const { ing, entries } of ingressEntries(idx, c)) {
    const hc = ingressConfig(idx, c, ing);
    all.push({
      kind: 'Ingress',
      key: nsName(ing.metadata?.namespace, ing.metadata?.name),
      hosts: new Set(entries.map((e) => e.host)),
      units: new Set(entries.map((e) => hostUnit(hc, e.host))),
      claims: entries.flatMap((e) => entryClaims(c, c.tenant, e, 'candidate')),
    });
  }
  for (const svc of idx.services.values()) {
    if (!isOurLoadBalancer(idx, c, svc)) continue;
    const claims = serviceClaims(c, tenantFor(idx, c, svc.metadata?.namespace ?? ''), svc);
    all.push({ kind: 'Service', key: nsName(svc.metadata?.namespace, svc.metadata?.name), hosts: new Set(), units: new Set([l4UnitOf(svc)]), claims });
  }
  const keyOf = (x: NameClaim): string => `${x.tenant}${SEP}${x.type}${SEP}${x.name}`;
  const byKey = new Map<string, { sources: Set<string>; who: Set<Who> }>();
  for (const w of all) {
    for (const x of w.claims) {
      const k = keyOf(x);
      const e = byKey.get(k) ?? byKey.set(k, { sources: new Set(), who: new Set() }).get(k)!;
      e.sources.add(x.source);
      e.who.add(w);
    }
  }
  const self = all.find((w) => w.kind === ref.kind && w.key === nsName(ref.namespace, ref.name));
  if (!self) return [];
  const start = [self, ...all.filter((w) => w !== self && w.kind === 'Ingress' && [...w.hosts].some((h) => self.hosts.has(h)))];
  const out = new Set<string>();
  for (const w of start) {
    for (const x of w.claims) {
      const e = byKey.get(keyOf(x))!;
      if (e.sources.size < 2) continue;
      for (const o of e.who) o.units.forEach((u) => out.add(u));
    }
  }
  return [...out].sort(cmp);
}
