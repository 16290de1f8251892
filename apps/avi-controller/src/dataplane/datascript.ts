// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- fengari ships no types; the declaration must travel with this file (tests type-check it too)
/// <reference path="./fengari.d.ts" />
// DataScripts run for real: each VS_DATASCRIPT_EVT_HTTP_REQ script is compiled once (per distinct text) into its own
// sandboxed Lua 5.3 state (fengari; base, string, table and math libraries, no io/os/package/load), and run per
// request with a small `avi.*` API over that request. A script error, a compile error or a runaway script
// (instruction limit, wall-clock limit) ends that run with an error: the request gets a 500, the error is counted.
//
// The API (names and arguments from the Avi DataScript reference; semantics as we read them):
//   avi.http.hostname()               Host header without the port, lower case (nil when absent)
//   avi.http.get_host_tokens([ctx,] [start [, end]])  the Host header's dot-separated labels start..end (1-based)
//   avi.http.get_path([decode])       the path (percent-decoded unless `false`)
//   avi.http.get_path_tokens([start [, end]])  the path's `/`-separated segments start..end, joined by `/` (nil if none)
//   avi.http.get_query()              the query without `?`
//   avi.http.get_uri()                path and query as requested
//   avi.http.method(), avi.http.protocol(), avi.http.get_header(name), avi.vs.port()
//   avi.poolgroup.select(name [, priority_label]), avi.pool.select(name)
//   avi.http.response(status [, headers [, body]]), avi.http.redirect(uri [, status])
//   string.contains(s, sub)           plain substring test (an Avi addition to the string library)

import fengari, { type LuaState } from 'fengari';
import type { HttpRequestInfo } from './routing.js';

const { lua, lauxlib, lualib, to_luastring: ls, to_jsstring: js } = fengari;

/** What a script sees of the request: the request as routing has it. */
export type ScriptRequest = HttpRequestInfo;

export type ScriptAction =
  | { readonly kind: 'poolgroup'; readonly name: string; readonly label?: string }
  | { readonly kind: 'pool'; readonly name: string }
  | { readonly kind: 'response'; readonly status: number; readonly headers: Record<string, string>; readonly body: string }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string };

export type ScriptOutcome = { readonly ok: true; readonly action?: ScriptAction } | { readonly ok: false; readonly error: string };

export interface ScriptStats {
  /** Script runs (one per request and script). */
  runs: number;
  /** Runs that ended in an error (compile error, Lua error, instruction or time limit). */
  errors: number;
  /** Distinct script texts compiled. */
  compiled: number;
}

export interface DatascriptEngine {
  run(script: string, req: ScriptRequest): ScriptOutcome;
  readonly stats: ScriptStats;
}

export interface EngineLimits {
  /** Lua VM instructions per run. */
  readonly instructions: number;
  /** Wall-clock milliseconds per run. */
  readonly millis: number;
  /** Compiled scripts kept (least recently used dropped beyond). */
  readonly cache: number;
}

const DEFAULT_LIMITS: EngineLimits = { instructions: 1_000_000, millis: 100, cache: 512 };
const HOOK_EVERY = 1000;

interface Run {
  req: ScriptRequest;
  action?: ScriptAction;
  /** The first response or redirect wins; a later pool selection does not undo it. */
  answered: boolean;
  executed: number;
  deadline: number;
}

type Compiled = { ok: true; L: LuaState; fn: number; bind(run: Run | undefined): void } | { ok: false; error: string };

const strArg = (L: LuaState, i: number): string | undefined => {
  const t = lua.lua_type(L, i);
  if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) return undefined;
  const s = lua.lua_tostring(L, i);
  return s === null ? undefined : js(s);
};
const numArg = (L: LuaState, i: number): number | undefined => (lua.lua_type(L, i) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, i) : undefined);
const pushStr = (L: LuaState, s: string | undefined): number => {
  if (s === undefined) lua.lua_pushnil(L);
  else lua.lua_pushstring(L, ls(s));
  return 1;
};

function stripPort(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}

function tokens(list: string[], start: number | undefined, end: number | undefined, sep: string): string | undefined {
  const s = Math.max(1, Math.trunc(start ?? 1));
  const e = Math.min(list.length, Math.trunc(end ?? list.length));
  return s > e ? undefined : list.slice(s - 1, e).join(sep);
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** The string keys and values of the Lua table at `idx` (headers of avi.http.response). */
function stringTable(L: LuaState, idx: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (lua.lua_type(L, idx) !== lua.LUA_TTABLE) return out;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, idx) !== 0) {
    const k = strArg(L, -2);
    const v = strArg(L, -1);
    if (k !== undefined && v !== undefined) out[k.replace(/_/g, '-')] = v;
    lua.lua_pop(L, 1);
  }
  return out;
}

function compile(script: string, limits: EngineLimits): Compiled {
  const L = lauxlib.luaL_newstate();
  for (const [name, open] of [
    ['_G', lualib.luaopen_base],
    ['string', lualib.luaopen_string],
    ['table', lualib.luaopen_table],
    ['math', lualib.luaopen_math],
  ] as const) {
    lauxlib.luaL_requiref(L, ls(name), open, 1);
    lua.lua_settop(L, 0);
  }
  // No file or code loading from a script.
  for (const g of ['dofile', 'loadfile', 'load', 'require', 'collectgarbage']) {
    lua.lua_pushnil(L);
    lua.lua_setglobal(L, ls(g));
  }
  let run: Run | undefined;
  const current = (): Run => {
    if (!run) lauxlib.luaL_error(L, ls('avi API called outside a request'));
    return run!;
  };
  const fns = (table: Record<string, (L: LuaState) => number>): void => {
    lua.lua_newtable(L);
    for (const [k, f] of Object.entries(table)) {
      lua.lua_pushjsfunction(L, f);
      lua.lua_setfield(L, -2, ls(k));
    }
  };
  const header = (name: string): string | undefined => {
    const v = current().req.headers?.[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };

  lua.lua_newtable(L); // avi
  fns({
    hostname: (S) => {
      const h = current().req.host;
      return pushStr(S, h ? stripPort(h).toLowerCase() : undefined);
    },
    get_host_tokens: (S) => {
      // An optional leading string argument (a context such as "MODIFIED") is accepted and ignored.
      const off = lua.lua_type(S, 1) === lua.LUA_TSTRING ? 1 : 0;
      const h = current().req.host;
      return pushStr(S, h ? tokens(h.split('.'), numArg(S, 1 + off), numArg(S, 2 + off), '.') : undefined);
    },
    get_path: (S) => {
      const p = current().req.path;
      return pushStr(S, lua.lua_type(S, 1) === lua.LUA_TBOOLEAN && !lua.lua_toboolean(S, 1) ? p : safeDecode(p));
    },
    get_path_tokens: (S) => pushStr(S, tokens(current().req.path.split('/').filter((x) => x !== ''), numArg(S, 1), numArg(S, 2), '/')),
    get_query: (S) => pushStr(S, current().req.query),
    get_uri: (S) => pushStr(S, current().req.query ? `${current().req.path}?${current().req.query}` : current().req.path),
    method: (S) => pushStr(S, current().req.method.toUpperCase()),
    protocol: (S) => pushStr(S, current().req.secure ? 'https' : 'http'),
    get_header: (S) => {
      const name = strArg(S, 1);
      return pushStr(S, name === undefined ? undefined : header(name));
    },
    response: (S) => {
      const r = current();
      const status = numArg(S, 1);
      if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) lauxlib.luaL_error(S, ls('avi.http.response: status must be an HTTP status code'));
      if (!r.answered) {
        r.action = { kind: 'response', status: status!, headers: stringTable(S, 2), body: strArg(S, 3) ?? '' };
        r.answered = true;
      }
      return 0;
    },
    redirect: (S) => {
      const r = current();
      const uri = strArg(S, 1);
      if (uri === undefined) lauxlib.luaL_error(S, ls('avi.http.redirect: a URI is required'));
      const status = numArg(S, 2) ?? 302;
      if (!r.answered) {
        r.action = { kind: 'redirect', status, location: uri! };
        r.answered = true;
      }
      return 0;
    },
  });
  lua.lua_setfield(L, -2, ls('http'));
  fns({
    select: (S) => {
      const r = current();
      const name = strArg(S, 1);
      if (name === undefined) lauxlib.luaL_error(S, ls('avi.poolgroup.select: a pool group name is required'));
      const label = strArg(S, 2);
      if (!r.answered) r.action = { kind: 'poolgroup', name: name!, ...(label !== undefined ? { label } : {}) };
      return 0;
    },
  });
  lua.lua_setfield(L, -2, ls('poolgroup'));
  fns({
    select: (S) => {
      const r = current();
      const name = strArg(S, 1);
      if (name === undefined) lauxlib.luaL_error(S, ls('avi.pool.select: a pool name is required'));
      if (!r.answered) r.action = { kind: 'pool', name: name! };
      return 0;
    },
  });
  lua.lua_setfield(L, -2, ls('pool'));
  fns({ port: (S) => (lua.lua_pushinteger(S, current().req.port), 1) });
  lua.lua_setfield(L, -2, ls('vs'));
  lua.lua_setglobal(L, ls('avi'));

  lua.lua_getglobal(L, ls('string'));
  lua.lua_pushjsfunction(L, (S) => {
    const s = strArg(S, 1);
    const sub = strArg(S, 2);
    lua.lua_pushboolean(S, s !== undefined && sub !== undefined && s.includes(sub));
    return 1;
  });
  lua.lua_setfield(L, -2, ls('contains'));
  lua.lua_settop(L, 0);
  // string.rep is the one library call that can allocate without bound in a single instruction: capped.
  const prelude = 'local rep = string.rep\nstring.rep = function(s, n, sep) if #tostring(s) * (tonumber(n) or 0) > 1048576 then error("string.rep: result larger than 1 MiB") end return rep(s, n, sep) end';
  if (lauxlib.luaL_loadbuffer(L, ls(prelude), null, ls('=prelude')) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) throw new Error('datascript prelude failed');
  lua.lua_settop(L, 0);

  lua.lua_sethook(
    L,
    (S) => {
      const r = run;
      if (!r) return;
      r.executed += HOOK_EVERY;
      if (r.executed > limits.instructions) lauxlib.luaL_error(S, ls(`instruction limit (${limits.instructions}) exceeded`));
      if (Date.now() > r.deadline) lauxlib.luaL_error(S, ls(`time limit (${limits.millis} ms) exceeded`));
    },
    lua.LUA_MASKCOUNT,
    HOOK_EVERY,
  );

  if (lauxlib.luaL_loadbuffer(L, ls(script), null, ls('=datascript')) !== lua.LUA_OK) {
    const msg = lua.lua_tostring(L, -1);
    return { ok: false, error: `compile error: ${msg ? js(msg) : 'unknown'}` };
  }
  const fn = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  return { ok: true, L, fn, bind: (r) => (run = r) };
}

export function createDatascriptEngine(limits: EngineLimits = DEFAULT_LIMITS): DatascriptEngine {
  const cache = new Map<string, Compiled>();
  const stats: ScriptStats = { runs: 0, errors: 0, compiled: 0 };
  const compiled = (script: string): Compiled => {
    let c = cache.get(script);
    if (c) {
      cache.delete(script); // most recently used last
      cache.set(script, c);
      return c;
    }
    c = compile(script, limits);
    stats.compiled++;
    cache.set(script, c);
    while (cache.size > limits.cache) cache.delete(cache.keys().next().value!);
    return c;
  };
  return {
    stats,
    run(script, req) {
      stats.runs++;
      const c = compiled(script);
      if (!c.ok) {
        stats.errors++;
        return { ok: false, error: c.error };
      }
      const run: Run = { req, answered: false, executed: 0, deadline: Date.now() + limits.millis };
      c.bind(run);
      try {
        lua.lua_settop(c.L, 0);
        lua.lua_rawgeti(c.L, lua.LUA_REGISTRYINDEX, c.fn);
        if (lua.lua_pcall(c.L, 0, 0, 0) !== lua.LUA_OK) {
          const msg = lua.lua_tostring(c.L, -1);
          stats.errors++;
          return { ok: false, error: msg ? js(msg) : 'script error' };
        }
        return run.action ? { ok: true, action: run.action } : { ok: true };
      } catch (e) {
        stats.errors++;
        return { ok: false, error: (e as Error).message };
      } finally {
        c.bind(undefined);
        lua.lua_settop(c.L, 0);
      }
    },
  };
}
