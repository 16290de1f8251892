// Request routing decisions: which pool (or pool group, redirect, local answer) serves an HTTP request on a
// virtual service (HTTP policy sets, the VS datascripts run by a given runner, then the VS's pool group or pool), which pool serves an L4 connection (L4 policy set rules, then the VS's pool), which SNI child VS
// serves a TLS server name, and which EVH child a request's Host and path. Objects are read through `Lookup` (stored objects, refs `/api/<type>/<uuid>`).

import type { ScriptOutcome } from './datascript.js';

export type Obj = Readonly<Record<string, unknown>>;
export type Lookup = (uuid: string) => Obj | undefined;

export type Target = { readonly kind: 'pool'; readonly uuid: string } | { readonly kind: 'poolgroup'; readonly uuid: string; readonly label?: string };

export type Decision =
  | { readonly kind: 'forward'; readonly target: Target; readonly by: string }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly by: string }
  | { readonly kind: 'local'; readonly status: number; readonly by: string; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'none'; readonly status: number; readonly reason: string };

export interface HttpRequestInfo {
  /** Host header (may carry a port). */
  readonly host: string | undefined;
  /** Path without the query. */
  readonly path: string;
  /** Query without the `?` ('' when none). */
  readonly query: string;
  readonly method: string;
  /** The VS port the request arrived on. */
  readonly port: number;
  readonly secure: boolean;
  /** Request headers (lower-case names), for datascripts. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const byIndex = (a: Obj, b: Obj): number => Number(a.index ?? 0) - Number(b.index ?? 0);

/** The uuid of a stored ref `/api/<type>/<uuid>`. */
export function refUuidOf(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = /^\/api\/[a-z0-9-]+\/([^/?#]+)$/.exec(ref);
  return m ? m[1] : undefined;
}

export function deref(lookup: Lookup, ref: unknown): Obj | undefined {
  const u = refUuidOf(ref);
  return u ? lookup(u) : undefined;
}

/** Host without a port, lower case. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return h.toLowerCase();
}

function stringMatch(criteria: string, value: string, candidates: string[], sensitive: boolean): boolean {
  const v = sensitive ? value : value.toLowerCase();
  const cs = sensitive ? candidates : candidates.map((c) => c.toLowerCase());
  const neg = /DOES_NOT|NOT_EQUAL|DOES_NOT_MATCH/.test(criteria);
  const base = criteria.replace(/^HDR_/, '').replace('DOES_NOT_BEGIN_WITH', 'BEGINS_WITH').replace('DOES_NOT_END_WITH', 'ENDS_WITH')
    .replace('DOES_NOT_CONTAIN', 'CONTAINS').replace('DOES_NOT_EQUAL', 'EQUALS').replace('REGEX_DOES_NOT_MATCH', 'REGEX_MATCH');
  let hit: boolean;
  switch (base) {
    case 'BEGINS_WITH':
      hit = cs.some((c) => v.startsWith(c));
      break;
    case 'ENDS_WITH':
      hit = cs.some((c) => v.endsWith(c));
      break;
    case 'CONTAINS':
      hit = cs.some((c) => v.includes(c));
      break;
    case 'EQUALS':
      hit = cs.some((c) => v === c);
      break;
    case 'REGEX_MATCH':
      hit = candidates.some((c) => {
        try {
          return new RegExp(c, sensitive ? '' : 'i').test(value);
        } catch {
          return false;
        }
      });
      break;
    default:
      return false;
  }
  return neg ? !hit : hit;
}

function stringGroupValues(lookup: Lookup, refs: unknown): string[] {
  return strings(refs).flatMap((r) => list(deref(lookup, r)?.kv).map((kv) => kv.key).filter((k): k is string => typeof k === 'string'));
}

const KNOWN_MATCHES = new Set(['host_hdr', 'path', 'vs_port', 'protocol', 'method']);

/** Whether every configured match of a rule holds; a rule with a match kind we do not evaluate never matches. */
export function ruleMatches(lookup: Lookup, match: Obj | undefined, req: HttpRequestInfo): boolean {
  if (!match) return true;
  for (const [k, m] of Object.entries(match)) {
    if (m === undefined || m === null) continue;
    if (!KNOWN_MATCHES.has(k)) return false;
    const mm = m as Obj;
    const criteria = String(mm.match_criteria ?? '');
    if (k === 'host_hdr') {
      const host = hostName(req.host);
      if (criteria === 'HDR_EXISTS') {
        if (host === undefined) return false;
        continue;
      }
      if (criteria === 'HDR_DOES_NOT_EXIST') {
        if (host !== undefined) return false;
        continue;
      }
      if (host === undefined) return false;
      if (!stringMatch(criteria, host, strings(mm.value), mm.match_case === 'SENSITIVE')) return false;
    } else if (k === 'path') {
      const candidates = [...strings(mm.match_str), ...stringGroupValues(lookup, mm.string_group_refs)];
      if (!stringMatch(criteria, req.path, candidates, mm.match_case === 'SENSITIVE')) return false;
    } else if (k === 'vs_port') {
      const inList = list(mm.ports).map(Number).includes(req.port);
      if ((criteria === 'IS_NOT_IN') === inList) return false;
    } else if (k === 'protocol') {
      const proto = req.secure ? 'HTTPS' : 'HTTP';
      const protos = Array.isArray(mm.protocols) ? strings(mm.protocols) : strings([mm.protocols]);
      if ((criteria === 'IS_NOT_IN') === protos.includes(proto)) return false;
    } else if (k === 'method') {
      const inList = strings(mm.methods).includes(`HTTP_METHOD_${req.method.toUpperCase()}`);
      if ((criteria === 'IS_NOT_IN') === inList) return false;
    }
  }
  return true;
}

const REDIRECT_CODES: Record<string, number> = {
  HTTP_REDIRECT_STATUS_CODE_301: 301,
  HTTP_REDIRECT_STATUS_CODE_302: 302,
  HTTP_REDIRECT_STATUS_CODE_307: 307,
};

function tokenString(p: unknown): string | undefined {
  const tokens = list((p as Obj | undefined)?.tokens);
  if (tokens.length === 0) return undefined;
  const parts = tokens.map((t) => (t.type === 'URI_TOKEN_TYPE_STRING' || t.str_value !== undefined ? String(t.str_value ?? '') : undefined));
  return parts.every((x) => x !== undefined) ? parts.join('') : undefined;
}

export function redirectLocation(action: Obj, req: HttpRequestInfo): string {
  const protocol = action.protocol === 'HTTPS' || action.protocol === 'HTTP' ? (action.protocol as string) : req.secure ? 'HTTPS' : 'HTTP';
  const scheme = protocol.toLowerCase();
  const port = typeof action.port === 'number' ? action.port : protocol === 'HTTPS' ? 443 : 80;
  const host = tokenString(action.host) ?? hostName(req.host) ?? 'localhost';
  let path = tokenString(action.path);
  path = path === undefined ? req.path : path.startsWith('/') ? path : `/${path}`;
  const defaultPort = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
  const queryParts = [action.keep_query === false ? '' : req.query, typeof action.add_string === 'string' ? action.add_string : ''].filter(Boolean);
  return `${scheme}://${host}${defaultPort ? '' : `:${port}`}${path}${queryParts.length ? `?${queryParts.join('&')}` : ''}`;
}

const LOCAL_CODE = /_(\d{3})$/;

function policyDecision(lookup: Lookup, vs: Obj, req: HttpRequestInfo): Decision | undefined {
  for (const ref of [...list(vs.http_policies)].sort(byIndex)) {
    const set = deref(lookup, ref.http_policy_set_ref);
    if (!set) continue;
    const rules = [...list((set.http_request_policy as Obj | undefined)?.rules)].sort(byIndex);
    for (const rule of rules) {
      if (rule.enable === false) continue;
      if (!ruleMatches(lookup, rule.match as Obj | undefined, req)) continue;
      const by = `httppolicyset ${String(set.name)} rule ${String(rule.name ?? rule.index)}`;
      const redirect = rule.redirect_action as Obj | undefined;
      if (redirect) return { kind: 'redirect', status: REDIRECT_CODES[String(redirect.status_code)] ?? 302, location: redirectLocation(redirect, req), by };
      const sw = rule.switching_action as Obj | undefined;
      if (sw) {
        if (sw.action === 'HTTP_SWITCHING_SELECT_POOL' && refUuidOf(sw.pool_ref)) return { kind: 'forward', target: { kind: 'pool', uuid: refUuidOf(sw.pool_ref)! }, by };
        if (sw.action === 'HTTP_SWITCHING_SELECT_POOLGROUP' && refUuidOf(sw.pool_group_ref)) {
          return { kind: 'forward', target: { kind: 'poolgroup', uuid: refUuidOf(sw.pool_group_ref)! }, by };
        }
        if (sw.action === 'HTTP_SWITCHING_SELECT_LOCAL') {
          const code = typeof sw.other_status_code === 'number' ? sw.other_status_code : Number(LOCAL_CODE.exec(String(sw.status_code ?? ''))?.[1] ?? 200);
          return { kind: 'local', status: code, by };
        }
      }
    }
  }
  return undefined;
}

/**
 * The pool-group member label `avi.poolgroup.select(pg, label)` reaches: a member labelled exactly `label`, else the
 * longest member label that is a prefix of `label` at a `/` boundary (how the Go AKO's shard script, which passes
 * `<host>/<every path segment>`, reaches its `<host>/<first segment>` members). Case-sensitive: scripts choose.
 */
export function memberLabel(labels: readonly string[], label: string): string | undefined {
  if (labels.includes(label)) return label;
  let best: string | undefined;
  for (const l of labels) {
    const ok = label.startsWith(l) && (l.endsWith('/') || label[l.length] === '/');
    if (ok && (best === undefined || l.length > best.length)) best = l;
  }
  return best;
}

/** Runs a datascript over a request (datascript.ts); routing stays free of the Lua VM. */
export type ScriptRunner = (script: string, req: HttpRequestInfo) => ScriptOutcome;

/** The HTTP request datascripts of the VS, in order: the first that selects or answers decides. */
function datascriptDecision(lookup: Lookup, vs: Obj, req: HttpRequestInfo, runScript: ScriptRunner | undefined): Decision | undefined {
  if (!runScript) return undefined;
  for (const ref of [...list(vs.vs_datascripts)].sort(byIndex)) {
    const set = deref(lookup, ref.vs_datascript_set_ref);
    if (!set) continue;
    for (const ds of list(set.datascript)) {
      if (ds.evt !== 'VS_DATASCRIPT_EVT_HTTP_REQ' || typeof ds.script !== 'string') continue;
      const by = `vsdatascriptset ${String(set.name)}`;
      const out = runScript(ds.script, req);
      if (!out.ok) return { kind: 'none', status: 500, reason: `${by}: ${out.error}` };
      const a = out.action;
      if (!a) continue;
      if (a.kind === 'response') return { kind: 'local', status: a.status, body: a.body, headers: a.headers, by };
      if (a.kind === 'redirect') return { kind: 'redirect', status: a.status, location: a.location, by };
      if (a.kind === 'pool') {
        const poolUuid = strings(set.pool_refs).map(refUuidOf).find((u) => u && lookup(u)?.name === a.name);
        if (!poolUuid) return { kind: 'none', status: 503, reason: `${by}: pool ${a.name} not found` };
        return { kind: 'forward', target: { kind: 'pool', uuid: poolUuid }, by };
      }
      const pgUuid = strings(set.pool_group_refs).map(refUuidOf).find((u) => u && lookup(u)?.name === a.name);
      const pg = pgUuid ? lookup(pgUuid) : undefined;
      if (!pgUuid || !pg) return { kind: 'none', status: 503, reason: `${by}: pool group ${a.name} not found` };
      if (a.label === undefined) return { kind: 'forward', target: { kind: 'poolgroup', uuid: pgUuid }, by };
      const label = memberLabel(list(pg.members).map((m) => String(m.priority_label ?? '')).filter(Boolean), a.label);
      if (label === undefined) return { kind: 'none', status: 404, reason: `${by}: pool group ${a.name} has no member labelled ${a.label}` };
      return { kind: 'forward', target: { kind: 'poolgroup', uuid: pgUuid, label }, by };
    }
  }
  return undefined;
}

function defaultTarget(vs: Obj): Decision | undefined {
  const pg = refUuidOf(vs.pool_group_ref);
  if (pg) return { kind: 'forward', target: { kind: 'poolgroup', uuid: pg }, by: 'pool_group_ref' };
  const pool = refUuidOf(vs.pool_ref);
  if (pool) return { kind: 'forward', target: { kind: 'pool', uuid: pool }, by: 'pool_ref' };
  return undefined;
}

/** The application profile's `http_to_https`: a plain HTTP request on a VS with an SSL port is redirected there. */
function profileRedirect(lookup: Lookup, vs: Obj, req: HttpRequestInfo): Decision | undefined {
  if (req.secure) return undefined;
  const prof = deref(lookup, vs.application_profile_ref);
  if ((prof?.http_profile as Obj | undefined)?.http_to_https !== true) return undefined;
  const ssl = list(vs.services).find((s) => s.enable_ssl === true && typeof s.port === 'number');
  if (!ssl) return undefined;
  const by = `applicationprofile ${String(prof!.name)} http_to_https`;
  return { kind: 'redirect', status: 302, location: redirectLocation({ protocol: 'HTTPS', port: ssl.port }, req), by };
}

/**
 * How an HTTP request on `vs` (the SNI child when one was selected, else the parent) is served: the profile's
 * HTTP-to-HTTPS redirect; HTTP request policies (a redirect or local answer ends there; a pool switch can still be
 * overridden); the datascripts (run by `runScript`; without one they are skipped); the policy's switch; the VS pool.
 */
export function decideHttp(lookup: Lookup, vs: Obj, req: HttpRequestInfo, runScript?: ScriptRunner): Decision {
  const redirect = profileRedirect(lookup, vs, req);
  if (redirect) return redirect;
  const policy = policyDecision(lookup, vs, req);
  if (policy && policy.kind !== 'forward') return policy;
  return (
    datascriptDecision(lookup, vs, req, runScript) ??
    policy ??
    defaultTarget(vs) ?? { kind: 'none', status: 503, reason: `virtual service ${String(vs.name)} has no pool` }
  );
}

/** Whether a TLS server name is one of a child's `vh_domain_name`s (exact, or `*.suffix` wildcard). */
export function domainMatches(patterns: readonly string[], name: string): boolean {
  const n = name.toLowerCase();
  return patterns.some((p) => {
    const l = p.toLowerCase();
    return l === n || (l.startsWith('*.') && n.endsWith(l.slice(1)) && n.length > l.length - 1);
  });
}

/** The SNI child of `parentUuid` serving `serverName` (exact names before wildcards), among `children`. */
export function sniChild(children: readonly Obj[], parentUuid: string, serverName: string | undefined): Obj | undefined {
  if (!serverName) return undefined;
  const mine = children.filter((c) => refUuidOf(c.vh_parent_vs_ref) === parentUuid && c.enabled !== false);
  return (
    mine.find((c) => strings(c.vh_domain_name).some((d) => d.toLowerCase() === serverName.toLowerCase())) ??
    mine.find((c) => domainMatches(strings(c.vh_domain_name), serverName))
  );
}

/** Whether one `vh_matches` entry takes the request: its host (exact or `*.suffix`) and a path rule (none: every path). */
function vhMatchTakes(m: Obj, host: string, path: string, exact: boolean): boolean {
  const h = String(m.host ?? '').toLowerCase();
  if (exact ? h !== host : h === host || !domainMatches([h], host)) return false;
  // Path matches as rules (`rules[].matches.path`) or, in older API versions, a `path` list on the entry.
  const paths = [...list(m.rules).map((r) => (r.matches as Obj | undefined)?.path as Obj | undefined), ...list(m.path)].filter((x): x is Obj => x !== undefined);
  if (list(m.rules).length === 0 && paths.length === 0) return true;
  return paths.some((pm) => stringMatch(String(pm.match_criteria ?? ''), path, strings(pm.match_str), pm.match_case !== 'INSENSITIVE'));
}

/**
 * The enhanced virtual hosting (EVH) child of `parentUuid` serving a request, among `children`: the child whose
 * `vh_matches` take its Host header and path (exact hosts before wildcards). Plain HTTP and TLS alike: the parent
 * terminates TLS, children are chosen by Host.
 */
export function evhChild(children: readonly Obj[], parentUuid: string, host: string | undefined, path: string): Obj | undefined {
  const h = hostName(host);
  if (!h) return undefined;
  const mine = children.filter((c) => refUuidOf(c.vh_parent_vs_ref) === parentUuid && c.enabled !== false && c.vh_type === 'VS_TYPE_VH_ENHANCED');
  return (
    mine.find((c) => list(c.vh_matches).some((m) => vhMatchTakes(m, h, path, true))) ??
    mine.find((c) => list(c.vh_matches).some((m) => vhMatchTakes(m, h, path, false)))
  );
}

const L4_PROTOCOLS: Record<string, string> = { tcp: 'PROTOCOL_TCP', udp: 'PROTOCOL_UDP' };

/** The pool (or pool group) serving an L4 connection on `port`/`proto`: L4 policy rules first, then the VS's own. */
export function decideL4(lookup: Lookup, vs: Obj, port: number, proto: 'tcp' | 'udp'): Decision {
  for (const ref of [...list(vs.l4_policies)].sort(byIndex)) {
    const set = deref(lookup, ref.l4_policy_set_ref);
    if (!set) continue;
    for (const rule of [...list((set.l4_connection_policy as Obj | undefined)?.rules)].sort(byIndex)) {
      if (rule.enable === false) continue;
      const match = (rule.match ?? {}) as Obj;
      const pm = match.port as Obj | undefined;
      if (pm) {
        const inPorts = list(pm.ports).map(Number).includes(port) || list(pm.port_ranges).some((r) => port >= Number(r.start) && port <= Number(r.end));
        if ((pm.match_criteria === 'IS_NOT_IN') === inPorts) continue;
      }
      const prm = match.protocol as Obj | undefined;
      if (prm && prm.protocol !== undefined) {
        const same = prm.protocol === L4_PROTOCOLS[proto];
        if ((prm.match_criteria === 'IS_NOT_IN') === same) continue;
      }
      const sel = (rule.action as Obj | undefined)?.select_pool as Obj | undefined;
      const by = `l4policyset ${String(set.name)} rule ${String(rule.name ?? rule.index)}`;
      if (sel?.action_type === 'L4_RULE_ACTION_SELECT_POOLGROUP' && refUuidOf(sel.pool_group_ref)) {
        return { kind: 'forward', target: { kind: 'poolgroup', uuid: refUuidOf(sel.pool_group_ref)! }, by };
      }
      if (refUuidOf(sel?.pool_ref)) return { kind: 'forward', target: { kind: 'pool', uuid: refUuidOf(sel!.pool_ref)! }, by };
    }
  }
  return defaultTarget(vs) ?? { kind: 'none', status: 503, reason: `virtual service ${String(vs.name)} has no pool for ${proto}/${port}` };
}

export interface ServerChoice {
  readonly ip: string;
  readonly port: number;
  readonly ratio: number;
  /** The pool the server was chosen from (for analytics). */
  readonly pool?: string;
}

/** The enabled servers of a pool, with their ports (server port, else the pool's default, else 80) and ratios. */
export function poolServers(pool: Obj | undefined): ServerChoice[] {
  if (!pool || pool.enabled === false) return [];
  const def = typeof pool.default_server_port === 'number' ? pool.default_server_port : 80;
  const out: ServerChoice[] = [];
  for (const s of list(pool.servers)) {
    if (s.enabled === false) continue;
    const ip = (s.ip as Obj | undefined)?.addr;
    if (typeof ip !== 'string' || ip === '') continue;
    out.push({ ip, port: typeof s.port === 'number' && s.port > 0 ? s.port : def, ratio: typeof s.ratio === 'number' && s.ratio > 0 ? s.ratio : 1 });
  }
  return out;
}

export interface MemberChoice {
  readonly pool: string;
  readonly ratio: number;
}

/**
 * Pool group members eligible for a request: those with the selected label (datascript), else the members of
 * the highest `priority_label` present (numeric labels; members without one count as equal) whose pools have
 * enabled servers.
 */
export function groupMembers(lookup: Lookup, pg: Obj | undefined, label: string | undefined): MemberChoice[] {
  if (!pg) return [];
  const members = list(pg.members).filter((m) => m.enabled !== false && refUuidOf(m.pool_ref));
  const toChoice = (m: Obj): MemberChoice => ({ pool: refUuidOf(m.pool_ref)!, ratio: typeof m.ratio === 'number' && m.ratio > 0 ? m.ratio : 1 });
  if (label !== undefined) return members.filter((m) => m.priority_label === label).map(toChoice);
  const live = members.filter((m) => poolServers(lookup(refUuidOf(m.pool_ref)!)).length > 0);
  const prio = (m: Obj): number => (Number.isFinite(Number(m.priority_label)) ? Number(m.priority_label) : 0);
  const top = Math.max(...live.map(prio));
  return live.filter((m) => prio(m) === top).map(toChoice);
}
