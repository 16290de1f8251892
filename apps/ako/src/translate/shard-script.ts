/**
 * Our shard VS datascript (Lua, our own code): the host/path routes of the shard's insecure hosts are written into
 * the script, which picks the pool-group member label of the route that matches the request, following the
 * Kubernetes Ingress API (README "Differences from the Go AKO"):
 *  - hosts are compared without the port and case-insensitively; an exact host before a wildcard host, and
 *    `*.foo.com` matches a Host with exactly one more label (`a.foo.com`, not `foo.com` nor `a.b.foo.com`);
 *  - paths are case-sensitive; `Exact` matches the path only; `Prefix` matches by path element (`/foo` matches
 *    `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; trailing slashes in the rule are ignored; `/` matches all);
 *    `ImplementationSpecific` is a plain string prefix (the Go AKO's behaviour); within a host Exact routes come
 *    first, then the longest path;
 *  - what no host rule matches falls back to the host-less rules, then to a defaultBackend (shard 0 only);
 *  - nothing matches: 404.
 * The pool group, its members and labels stay the Go AKO's; only this text differs.
 */
import type { HostPath } from './ingress.js';
import { cmp } from './snapshot.js';

export interface ShardRoute {
  readonly entry: HostPath;
  /** The pool-group member label of the entry's pool. */
  readonly label: string;
}

/** A Lua string literal: printable ASCII as is, everything else as decimal byte escapes. */
export function luaString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** `Prefix` paths without their trailing slashes ('' for `/`). */
export const prefixPath = (p: string): string => p.replace(/\/+$/, '');

const kindOf = (e: HostPath): 'E' | 'P' | 'I' => (e.pathType === 'Exact' ? 'E' : e.pathType === 'Prefix' ? 'P' : 'I');
const matchPath = (e: HostPath): string => (e.pathType === 'Prefix' ? prefixPath(e.path) : e.path);

/** Order of routes within one host: Exact first, then the longest path, defaultBackend last. */
function byPrecedence(a: ShardRoute, b: ShardRoute): number {
  const d = Number(a.entry.defaultBackend === true) - Number(b.entry.defaultBackend === true);
  if (d !== 0) return d;
  const ex = Number(b.entry.pathType === 'Exact') - Number(a.entry.pathType === 'Exact');
  if (ex !== 0) return ex;
  return matchPath(b.entry).length - matchPath(a.entry).length || cmp(matchPath(a.entry), matchPath(b.entry)) || cmp(a.label, b.label);
}

function routeList(routes: readonly ShardRoute[]): string {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const r of [...routes].sort(byPrecedence)) {
    const item = `{${luaString(kindOf(r.entry))}, ${luaString(matchPath(r.entry))}, ${luaString(r.label)}}`;
    if (seen.has(item)) continue;
    seen.add(item);
    items.push(item);
  }
  return `{${items.join(', ')}}`;
}

function hostTable(groups: ReadonlyMap<string, ShardRoute[]>): string {
  const keys = [...groups.keys()].sort(cmp);
  return keys.length === 0 ? '{}' : `{\n${keys.map((k) => `  [${luaString(k)}] = ${routeList(groups.get(k)!)},`).join('\n')}\n}`;
}

/** The shard datascript selecting a member of `poolGroup` for the routes of the shard's insecure hosts. */
export function shardScript(poolGroup: string, routes: readonly ShardRoute[]): string {
  const exact = new Map<string, ShardRoute[]>();
  const wildcard = new Map<string, ShardRoute[]>();
  const fallback: ShardRoute[] = [];
  for (const r of routes) {
    const h = r.entry.host.toLowerCase();
    if (h === '') fallback.push(r);
    else if (h.startsWith('*.')) (wildcard.get(h.slice(2)) ?? wildcard.set(h.slice(2), []).get(h.slice(2))!).push(r);
    else (exact.get(h) ?? exact.set(h, []).get(h)!).push(r);
  }
  return [
    '-- Routes of the Ingress host/paths on this shard: {kind, path, pool-group member label};',
    '-- kind E = Exact, P = Prefix (by path element), I = ImplementationSpecific (string prefix).',
    `local exact = ${hostTable(exact)}`,
    `local wildcard = ${hostTable(wildcard)}`,
    `local fallback = ${routeList(fallback)}`,
    'local function pick(routes, path)',
    '  if routes == nil then return nil end',
    '  for _, r in ipairs(routes) do',
    '    local kind, p = r[1], r[2]',
    '    if kind == "E" then',
    '      if path == p then return r[3] end',
    '    elseif kind == "P" then',
    '      if p == "" or path == p or string.sub(path, 1, #p + 1) == p .. "/" then return r[3] end',
    '    elseif string.sub(path, 1, #p) == p then',
    '      return r[3]',
    '    end',
    '  end',
    '  return nil',
    'end',
    'local host = string.lower(string.gsub(avi.http.get_header("host") or "", ":%d+$", ""))',
    'local path = avi.http.get_path(false)',
    'local label = pick(exact[host], path)',
    'if label == nil then',
    '  local dot = string.find(host, ".", 1, true)',
    '  if dot ~= nil and dot > 1 then label = pick(wildcard[string.sub(host, dot + 1)], path) end',
    'end',
    'if label == nil then label = pick(fallback, path) end',
    'if label == nil then',
    '  avi.http.response(404)',
    'else',
    `  avi.poolgroup.select(${luaString(poolGroup)}, label)`,
    'end',
  ].join('\n');
}

/**
 * For a wildcard host's own VS (SNI child or dedicated VS): Avi matches `*.foo.com` against any number of leading
 * labels, the Ingress API against exactly one; a Host with more (or none) gets 404.
 */
export function wildcardHostScript(wildcardHost: string): string {
  const suffix = wildcardHost.toLowerCase().slice(2);
  return [
    `-- Host ${wildcardHost}: exactly one label before ${suffix}.`,
    'local host = string.lower(string.gsub(avi.http.get_header("host") or "", ":%d+$", ""))',
    'local dot = string.find(host, ".", 1, true)',
    `if dot == nil or dot == 1 or string.sub(host, dot + 1) ~= ${luaString(suffix)} then avi.http.response(404) end`,
  ].join('\n');
}
