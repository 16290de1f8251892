// The datascript engine: real Lua (fengari) over the `avi.*` request API; errors and runaway scripts end only their
// own run (the data plane answers 500) and are counted; each script text is compiled once.

import { createDatascriptEngine, type ScriptRequest } from '../src/dataplane/datascript.js';

const req = (over: Partial<ScriptRequest> = {}): ScriptRequest => ({
  host: 'Shop.Test:8080',
  path: '/a%20b/c',
  query: 'x=1',
  method: 'get',
  port: 80,
  secure: false,
  headers: { 'x-user': 'ann' },
  ...over,
});

describe('datascript engine', () => {
  test('request API: host, tokens, path (decoded or raw), query, uri, method, protocol, header, port', () => {
    const e = createDatascriptEngine();
    const script = [
      'local parts = {',
      '  avi.http.hostname(), avi.http.get_host_tokens(1, 1), avi.http.get_host_tokens("MODIFIED", 2),',
      '  avi.http.get_path(), avi.http.get_path(false), avi.http.get_path_tokens(1), avi.http.get_path_tokens(2, 2),',
      '  avi.http.get_query(), avi.http.get_uri(), avi.http.method(), avi.http.protocol(), avi.http.get_header("X-User"),',
      '  tostring(avi.vs.port()), tostring(string.contains("abc", "b")), tostring(avi.http.get_path_tokens(5) == nil)',
      '}',
      'avi.http.response(200, {content_type = "text/x"}, table.concat(parts, "|"))',
    ].join('\n');
    expect(e.run(script, req())).toEqual({
      ok: true,
      action: {
        kind: 'response',
        status: 200,
        headers: { 'content-type': 'text/x' },
        body: 'shop.test|Shop|Test:8080|/a b/c|/a%20b/c|a%20b/c|c|x=1|/a%20b/c?x=1|GET|http|ann|80|true|true',
      },
    });
  });

  test('pool group and pool selection; the first answer wins over a later selection', () => {
    const e = createDatascriptEngine();
    expect(e.run('avi.poolgroup.select("pg", "a/b")', req())).toEqual({ ok: true, action: { kind: 'poolgroup', name: 'pg', label: 'a/b' } });
    expect(e.run('avi.poolgroup.select("pg")', req())).toEqual({ ok: true, action: { kind: 'poolgroup', name: 'pg' } });
    expect(e.run('avi.pool.select("p1")', req())).toEqual({ ok: true, action: { kind: 'pool', name: 'p1' } });
    expect(e.run('avi.http.redirect("https://x.test/")\navi.pool.select("p1")', req())).toEqual({
      ok: true,
      action: { kind: 'redirect', status: 302, location: 'https://x.test/' },
    });
    expect(e.run('local x = 1', req())).toEqual({ ok: true });
  });

  test('a Lua error, a compile error and a bad API call are errors of that run, counted', () => {
    const e = createDatascriptEngine();
    const a = e.run('local t = nil\nlocal y = t.field', req());
    expect(a.ok).toBe(false);
    expect(!a.ok && a.error).toMatch(/attempt to index/);
    const b = e.run('if then', req());
    expect(!b.ok && b.error).toMatch(/^compile error: /);
    const c = e.run('avi.http.response("nope")', req());
    expect(!c.ok && c.error).toMatch(/status must be an HTTP status code/);
    expect(e.stats).toEqual({ runs: 3, errors: 3, compiled: 3 });
  });

  test('a runaway script is stopped by the instruction limit and the next run works', () => {
    const e = createDatascriptEngine({ instructions: 50_000, millis: 10_000, cache: 8 });
    const out = e.run('local i = 0\nwhile true do i = i + 1 end', req());
    expect(!out.ok && out.error).toMatch(/instruction limit \(50000\) exceeded/);
    expect(e.run('avi.pool.select("p")', req())).toEqual({ ok: true, action: { kind: 'pool', name: 'p' } });
  });

  test('a slow script is stopped by the time limit', () => {
    const e = createDatascriptEngine({ instructions: 1e12, millis: 20, cache: 8 });
    const out = e.run('local s = 0\nfor i = 1, 1e12 do s = s + i end', req());
    expect(!out.ok && out.error).toMatch(/time limit \(20 ms\) exceeded/);
  });

  test('sandbox: no io, os, package, load, dofile; string.rep is capped', () => {
    const e = createDatascriptEngine();
    const out = e.run('avi.http.response(200, {}, tostring(io) .. tostring(os) .. tostring(package) .. tostring(load) .. tostring(dofile))', req());
    expect(out).toEqual({ ok: true, action: { kind: 'response', status: 200, headers: {}, body: 'nilnilnilnilnil' } });
    const big = e.run('local s = string.rep("x", 1e9)', req());
    expect(!big.ok && big.error).toMatch(/larger than 1 MiB/);
  });

  test('a script is compiled once, however many requests run it; globals do not leak requests', () => {
    const e = createDatascriptEngine();
    const script = 'avi.http.response(200, {}, avi.http.get_path())';
    for (const p of ['/1', '/2', '/3']) expect(e.run(script, req({ path: p }))).toMatchObject({ action: { body: p } });
    expect(e.stats).toEqual({ runs: 3, errors: 0, compiled: 1 });
    expect(e.run('avi.http.response(200, {}, tostring(avi.http.hostname()))', req({ host: undefined }))).toMatchObject({ action: { body: 'nil' } });
  });
});
