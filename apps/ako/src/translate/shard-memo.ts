/**
 * A shard unit's translation, host by host: each host's part of the last translation (its plan, verdicts, warnings and
 * objects) is given again while every input it reads is the same object as then. The Store replaces an object on
 * each change and never changes one in place, so "the same object" means "unchanged". A change on one host of a
 * shard (thousands of hosts at 10k) then builds that host's objects, not the shard's. The parent's objects (VsVip,
 * pool group, datascript, redirect policy, VS: each lists every host) are given again while the hosts, their entries
 * and the shard's HostRule are the same: a change inside one host (an endpoint, a certificate) leaves them as they are.
 *
 * A reused host's objects are stubs: key, checksum and a reduced body (`reduce`: the refs and service_metadata the
 * status stage and a failure's report read). They are what the controller already has only if the unit's owned
 * objects have those checksums; the operator checks that and translates without the memo when they do not
 * (reconciler.ts), so a stub is never written. Translate stays pure: the memo changes how fast, never what.
 */
import type { AviBody, DesiredObject } from '@avi-k8s/avi-sync';
import type { AkoConfig } from './config.js';
import type { Verdict } from './common.js';
import { DEFAULT_SECRET, type HostPath } from './ingress.js';
import type { HostPlan } from './l7-host.js';
import { nsName, type SnapshotIndex } from './snapshot.js';
import type { ObjectWarning } from './warnings.js';
import { nextCertificateChange } from './cert-recheck.js';

/** What one host gave: its plan (undefined: nothing served) and verdicts; the rest once the shard's config is known. */
interface HostPart {
  readonly inputs: readonly unknown[];
  readonly plan: HostPlan | undefined;
  readonly verdicts: readonly Verdict[];
  /** Built with `config` (the shard's): its warnings and its objects' stubs; `until`: when a certificate's validity changes. */
  built?: { readonly config: AkoConfig; readonly warnings: readonly ObjectWarning[]; readonly stubs: readonly DesiredObject[]; readonly until: number | undefined };
}

export interface ShardMemo {
  /** Starts a translation: every part is dropped unless the inputs every host reads are the same as last time. */
  begin(idx: SnapshotIndex, c: AkoConfig): void;
  /** The host's plan and verdicts, reused or made by `make` (then kept). */
  plan(idx: SnapshotIndex, hc: AkoConfig, host: string, entries: readonly HostPath[], make: () => { plan: HostPlan | undefined; verdicts: Verdict[] }): { plan: HostPlan | undefined; verdicts: readonly Verdict[] };
  /** A planned host's warnings and objects with the shard's config: stubs when reused, else made by `make` (then kept as stubs). */
  built(plan: HostPlan, config: AkoConfig, now: number | undefined, make: () => { warnings: ObjectWarning[]; objects: DesiredObject[] }): { warnings: readonly ObjectWarning[]; objects: readonly DesiredObject[] };
  /** The shard's parent objects: stubs while `inputs` are the same items as last time, else made by `make` (then kept as stubs). */
  parents(inputs: readonly unknown[], make: () => DesiredObject[]): readonly DesiredObject[];
  /** Ends a translation: parts of hosts not seen are dropped. The earliest time a kept certificate's validity changes. */
  end(): number | undefined;
  /** Whether `o` is a stub (its body reduced). */
  isStub(o: DesiredObject): boolean;
  /** Drops every part. */
  clear(): void;
}

const sameItems = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** What every host of a shard reads beside its own inputs: the config, the cluster-wide lists, the Avi names. */
function globalInputs(idx: SnapshotIndex, c: AkoConfig): unknown[] {
  const s = idx.snapshot;
  const lists = [s.ingressClasses, s.nodes, s.namespaces, s.hostRules, s.l4Rules, s.httpRules, s.ssoRules, s.l7Rules, s.unsupportedCrs, s.aviInfraSettings, s.aviRefs];
  // HostRules and SSORules name Secrets of their own: with any of them, every Secret of the view is an input.
  const secrets = (s.hostRules?.length ?? 0) + (s.ssoRules?.length ?? 0) > 0 ? s.secrets : [];
  return [c, s.aviRefTypes, ...lists.flatMap((l) => [l?.length ?? -1, ...(l ?? [])]), secrets.length, ...secrets];
}

const ingressMaps = new WeakMap<SnapshotIndex, Map<string, unknown>>();
const ingressesOf = (idx: SnapshotIndex): Map<string, unknown> => {
  let m = ingressMaps.get(idx);
  if (!m) ingressMaps.set(idx, (m = new Map(idx.snapshot.ingresses.map((i) => [nsName(i.metadata?.namespace, i.metadata?.name), i]))));
  return m;
};

/** The objects one host's translation reads: its entries, their Ingresses, backends, EndpointSlices, Pods and Secrets. */
function hostInputs(idx: SnapshotIndex, hc: AkoConfig, entries: readonly HostPath[]): unknown[] {
  // Entries are kept per Ingress object (ingress.ts hostPaths): the same entries are the same objects.
  const out: unknown[] = [hc, entries.length, ...entries, idx.secrets.get(nsName(hc.akoNamespace, DEFAULT_SECRET))];
  const ings = ingressesOf(idx);
  for (const e of entries) {
    const svc = nsName(e.namespace, e.service);
    const slices = idx.slicesByService.get(svc) ?? [];
    out.push(ings.get(nsName(e.namespace, e.ingress)), idx.services.get(svc), slices.length, ...slices, e.secret === undefined ? undefined : idx.secrets.get(e.secret));
    if (hc.serviceType !== 'NodePortLocal') continue;
    for (const es of slices) for (const ep of es.endpoints ?? []) if (ep.targetRef?.kind === 'Pod') out.push(idx.pods.get(nsName(e.namespace, ep.targetRef.name)));
  }
  return out;
}

export function createShardMemo(reduce: (body: AviBody) => AviBody): ShardMemo {
  let globals: readonly unknown[] = [];
  let parts = new Map<string, HostPart>();
  let seen = new Map<string, HostPart>();
  const byPlan = new WeakMap<HostPlan, HostPart>();
  const stubs = new WeakSet<DesiredObject>();
  const stubOf = (o: DesiredObject): DesiredObject => {
    const s: DesiredObject = { tenant: o.tenant, type: o.type, name: o.name, checksum: o.checksum, body: reduce(o.body) };
    stubs.add(s);
    return s;
  };
  let parents: { readonly inputs: readonly unknown[]; readonly stubs: readonly DesiredObject[] } | undefined;
  let now: number | undefined;
  return {
    begin(idx, c) {
      const g = globalInputs(idx, c);
      if (!sameItems(g, globals)) {
        parts.clear();
        parents = undefined;
      }
      globals = g;
      seen = new Map();
      now = idx.snapshot.now;
    },
    plan(idx, hc, host, entries, make) {
      const inputs = hostInputs(idx, hc, entries);
      let p = parts.get(host);
      const stale = p?.built?.until !== undefined && now !== undefined && now >= p.built.until;
      if (!p || stale || !sameItems(p.inputs, inputs)) {
        const made = make();
        p = { inputs, ...made };
        if (made.plan) byPlan.set(made.plan, p);
      }
      seen.set(host, p);
      return p;
    },
    built(plan, config, at, make) {
      const p = byPlan.get(plan);
      if (p?.built && p.built.config === config) return { warnings: p.built.warnings, objects: p.built.stubs };
      const made = make();
      if (p) {
        p.built = { config, warnings: made.warnings, stubs: made.objects.map(stubOf), until: at === undefined ? undefined : nextCertificateChange(made.objects, at) };
      }
      return made;
    },
    parents(inputs, make) {
      if (parents && sameItems(parents.inputs, inputs)) return parents.stubs;
      const made = make();
      parents = { inputs, stubs: made.map(stubOf) };
      return made;
    },
    end() {
      parts = seen;
      seen = new Map();
      let until: number | undefined;
      for (const p of parts.values()) {
        const u = p.built?.until;
        if (u !== undefined && (until === undefined || u < until)) until = u;
      }
      return until;
    },
    isStub: (o) => stubs.has(o),
    clear() {
      parts.clear();
      parents = undefined;
      globals = [];
    },
  };
}
