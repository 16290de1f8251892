// What one translate() pass keeps for the next (issue 15: every pass used to re-select every member object and
// rebuild, or fingerprint, every GslbService). Purely a cache: translate's result is the same with or without it
// (test/translate/memo.test.ts, incremental.test.ts).
// - the pass's context: the chosen GDP, the GSLBHostRules, config and Avi facts (as one string), and each member's
//   Namespaces and AKO HostRules (by object identity: the informers replace an object when it changes);
// - per selected member cluster, each Ingress and Service (by identity) with its host metas, verdict and selected
//   metas (select.ts);
// - per GslbService, the entries feeding it, its inputs (domain names, GSLBHostRule, selected metas) and its desired
//   objects.
// While the context is unchanged, a pass re-selects only the objects that changed and rebuilds only the GslbServices
// they feed (incremental.ts); otherwise it selects everything and reuses each GslbService whose inputs are equal.
import type { GSLBHostRuleSpec } from '@avi-k8s/crds';
import type { DesiredObject } from '@avi-k8s/avi-sync';
import type { HostRuleView } from './hostrules.js';
import type { ClusterState, Entry, Selected } from './select.js';
import type { MemberSnapshot } from './types.js';

export interface GsState {
  tenant: string;
  name: string;
  /** The entries with a selected meta for this GslbService, by cluster then order. */
  entries: Entry[];
  metas: Selected[];
  domainNames: string[];
  ghr: (GSLBHostRuleSpec & { fqdn: string }) | undefined;
  objects: DesiredObject[];
}

export interface TranslateState {
  /** The GDP, config and Avi facts (JSON). */
  global: string;
  /** The chosen GSLBHostRules (JSON). */
  rules: string;
  /** Each member's Namespaces and AKO HostRules as the state was built with them. */
  members: { name: string; namespaces: readonly object[]; hostRules: readonly object[] }[];
  hr: HostRuleView;
  clusters: ClusterState[];
  /** False when two objects of a cluster share an order key: every pass is then a full one. */
  unique: boolean;
  gs: Map<string, GsState>;
  /** The GslbService keys (`tenant/name`), sorted: the order of the desired objects. */
  keys: string[];
  /** Incremented by each incremental pass (Entry.seen). */
  epoch: number;
}

export interface TranslateMemo {
  state?: TranslateState;
}

export function createTranslateMemo(): TranslateMemo {
  return {};
}

const sameList = (a: readonly object[], b: readonly object[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether MEMBERS have the same names (in order), Namespaces and AKO HostRules as the state was built with. */
export function sameMembers(state: TranslateState, members: readonly MemberSnapshot[]): boolean {
  if (state.members.length !== members.length) return false;
  return members.every((m, i) => {
    const p = state.members[i]!;
    return p.name === m.name && sameList(p.namespaces, m.namespaces) && sameList(p.hostRules, m.hostRules ?? []);
  });
}

export const memberKeys = (members: readonly MemberSnapshot[]): TranslateState['members'] => members.map((m) => ({ name: m.name, namespaces: m.namespaces, hostRules: m.hostRules ?? [] }));

/** Deep equality of plain data (what JSON.stringify of both would compare, key order included). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameData(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
