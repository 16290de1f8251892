// Table-driven tests of the pure parts of the data plane and the DNS server, fixtures in test/fixtures:
// routing decisions, SNI child choice, L4 rules, listener plans, round robin, the loopback guard, DNS wire format.

import { readFileSync } from 'node:fs';
import { isLoopback, pickOrder, smoothPick } from '../src/dataplane/balance.js';
import { decideHttp, decideL4, evhChild, groupMembers, poolServers, sniChild, type Lookup, type Obj } from '../src/dataplane/routing.js';
import { planListeners } from '../src/dataplane/plan.js';
import { createDatascriptEngine } from '../src/dataplane/datascript.js';
import { answerMessage, decodeResponse, encodeQuery, type Resolver } from '../src/dns-wire.js';
import { parseCliArgs } from '../src/cli-args.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cases = (list: Array<{ name: string }>): Array<[string, any]> => list.map((c) => [c.name, c]);

describe('HTTP routing', () => {
  const f = fixture('dataplane-routing.json');
  const objects = f.objects as Record<string, Obj>;
  const lookup: Lookup = (u) => objects[u];
  const engine = createDatascriptEngine();
  test.each(cases(f.http))('%s', (_n, c) => {
    const { req } = c as { req: Record<string, unknown> };
    const d = decideHttp(lookup, objects[c.vs]!, {
      host: req.host as string | undefined,
      path: req.path as string,
      query: (req.query as string) ?? '',
      method: (req.method as string) ?? 'GET',
      port: (req.port as number) ?? (req.secure ? 443 : 80),
      secure: req.secure === true,
    }, (script, r) => engine.run(script, r));
    expect(d).toMatchObject(c.expect);
  });
  test.each(cases(f.sni))('SNI: %s', (_n, c) => {
    const children = Object.values(objects).filter((o) => o.type === 'VS_TYPE_VH_CHILD');
    expect(sniChild(children, c.parent, c.serverName ?? undefined)?.uuid ?? null).toBe(c.expect);
  });
  test.each(cases(f.l4))('L4: %s', (_n, c) => {
    expect(decideL4(lookup, objects[c.vs]!, c.port, c.proto)).toMatchObject(c.expect);
  });
  test('pool servers: enabled only, default port, ratio; pool group members by label or all', () => {
    expect(
      poolServers({
        default_server_port: 8080,
        servers: [{ ip: { addr: '127.0.0.1' } }, { ip: { addr: '127.0.0.2' }, port: 81, ratio: 3 }, { ip: { addr: '127.0.0.3' }, enabled: false }, { hostname: 'x' }],
      }),
    ).toEqual([
      { ip: '127.0.0.1', port: 8080, ratio: 1 },
      { ip: '127.0.0.2', port: 81, ratio: 3 },
    ]);
    expect(poolServers({ enabled: false, servers: [{ ip: { addr: '127.0.0.1' } }] })).toEqual([]);
    expect(groupMembers(lookup, objects['pg-shard'], 'blog.test/api')).toEqual([{ pool: 'pool-api', ratio: 1 }]);
    expect(groupMembers(lookup, objects['pg-shard'], undefined).map((m) => m.pool)).toEqual(['pool-shop', 'pool-blog', 'pool-api']);
  });
});

describe('listener plan', () => {
  const f = fixture('dataplane-plan.json');
  const objects = f.objects as Record<string, Obj>;
  test.each(cases(f.cases))('%s', (_n, c) => {
    const plan = planListeners(c.vses, (u) => objects[u]);
    const got = plan.listeners.map((l) => `${l.key} ${l.vsUuid} ${l.mode}${l.tls ? ' tls' : ''}`).sort();
    expect(got).toEqual([...c.listeners].sort());
    expect([...plan.issues.keys()].sort()).toEqual(Object.keys(c.issues).sort());
    for (const [vs, wanted] of Object.entries(c.issues as Record<string, string[]>)) {
      const have = plan.issues.get(vs)!;
      expect(have).toHaveLength(wanted.length);
      wanted.forEach((w, i) => expect(have[i]).toContain(w));
    }
  });
});

describe('balance', () => {
  const f = fixture('balance.json');
  test.each(f.loopback as Array<[string, boolean]>)('isLoopback(%j) = %j', (addr, want) => {
    expect(isLoopback(addr)).toBe(want);
  });
  test.each(cases(f.rounds))('%s', (_n, c) => {
    const state = new Map<string, number>();
    const items = (c.items as Array<[string, number]>).map(([key, weight]) => ({ key, weight }));
    expect(c.picks.map(() => smoothPick(state, items) ?? null)).toEqual(c.picks);
  });
  test('pickOrder puts the choice first and the others after it as fallbacks', () => {
    const state = new Map<string, number>();
    const items = ['a', 'b', 'c'].map((key) => ({ key, weight: 1 }));
    expect(pickOrder(state, items)).toEqual(['a', 'b', 'c']);
    expect(pickOrder(state, items)).toEqual(['b', 'c', 'a']);
    expect(pickOrder(state, [])).toEqual([]);
  });
});

describe('DNS wire format', () => {
  const f = fixture('dns-wire.json');
  const records = f.records as Record<string, { addresses?: string[]; count?: number; ttl: number }>;
  const resolve: Resolver = (name) => {
    const r = records[name];
    if (!r) return undefined;
    return { ttl: r.ttl, addresses: r.addresses ?? Array.from({ length: r.count ?? 0 }, (_x, i) => `127.50.0.${i + 1}`) };
  };
  test.each(cases(f.queries))('%s', (_n, c) => {
    const out = answerMessage(encodeQuery(4242, c.qname, c.type), resolve, c.max ?? 65535)!;
    if (c.max) expect(out.length).toBeLessThanOrEqual(c.max);
    const r = decodeResponse(out);
    expect(r.id).toBe(4242);
    expect(r.rcode).toBe(c.expect.rcode);
    expect(r.authoritative).toBe(c.expect.aa);
    if (c.expect.answers) expect(r.answers.map((a) => a.address)).toEqual(c.expect.answers);
    if (c.expect.ttl !== undefined) for (const a of r.answers) expect(a.ttl).toBe(c.expect.ttl);
    if (c.expect.truncated !== undefined) expect(r.truncated).toBe(c.expect.truncated);
    if (c.expect.answerCount !== undefined) expect(r.answers).toHaveLength(c.expect.answerCount);
  });
  test.each(cases(f.malformed))('%s', (_n, c) => {
    const out = answerMessage(Buffer.from(String(c.hex).replace(/\s/g, ''), 'hex'), resolve);
    if (c.expect === 'drop') expect(out).toBeUndefined();
    else expect(decodeResponse(out!)).toMatchObject({ id: c.expect.id, rcode: c.expect.rcode, answers: [] });
  });
});

describe('serve flags', () => {
  const base = ['serve', '--listen', '127.0.0.1:0', '--data-dir', '/tmp/x'];
  test.each([
    [[], {}],
    [['--dataplane'], { dataplane: true }],
    [['--dns-listen', '127.0.0.1:5353'], { dnsListen: '127.0.0.1:5353' }],
    [['--dns-listen', '[::1]:53', '--dataplane'], { dnsListen: '[::1]:53', dataplane: true }],
  ])('%j', (args, want) => {
    const cmd = parseCliArgs([...base, ...(args as string[])]);
    expect(cmd.kind === 'serve' && { dataplane: cmd.options.dataplane, dnsListen: cmd.options.dnsListen }).toEqual({ dataplane: undefined, dnsListen: undefined, ...want });
  });
  test.each([['localhost:53'], ['127.0.0.1'], ['127.0.0.1:99999']])('--dns-listen %s is refused', (v) => {
    expect(() => parseCliArgs([...base, '--dns-listen', v])).toThrow(/--dns-listen/);
  });
});

describe('EVH child selection (vh_matches: host, then path rules)', () => {
  const rule = (criteria: string, str: string) => ({ name: 'r', matches: { path: { match_criteria: criteria, match_case: 'SENSITIVE', match_str: [str] } } });
  const child = (uuid: string, host: string, ...rules: object[]): Obj => ({
    uuid,
    type: 'VS_TYPE_VH_CHILD',
    vh_type: 'VS_TYPE_VH_ENHANCED',
    vh_parent_vs_ref: '/api/virtualservice/p1',
    vh_matches: [{ host, rules }],
  });
  const children: Obj[] = [
    child('a', 'a.test', rule('BEGINS_WITH', '/')),
    child('api', 'b.test', rule('BEGINS_WITH', '/api')),
    child('b', 'b.test', rule('BEGINS_WITH', '/')),
    child('wild', '*.w.test', rule('BEGINS_WITH', '/')),
    child('exact-w', 'x.w.test', rule('EQUALS', '/only')),
    { ...child('other-parent', 'c.test', rule('BEGINS_WITH', '/')), vh_parent_vs_ref: '/api/virtualservice/p2' },
    { ...child('sni', 'd.test'), vh_type: undefined, vh_domain_name: ['d.test'] },
    { ...child('off', 'e.test', rule('BEGINS_WITH', '/')), enabled: false },
    { ...child('no-rules', 'f.test') },
  ];
  test.each([
    ['the host, any path', 'a.test', '/x', 'a'],
    ['the host with a port, case-insensitive', 'A.Test:8080', '/', 'a'],
    ['the first child whose path rule matches', 'b.test', '/api/v1', 'api'],
    ['another child of the same host for other paths', 'b.test', '/web', 'b'],
    ['an exact host before a wildcard', 'x.w.test', '/only', 'exact-w'],
    ['a wildcard when the exact host has no matching path', 'x.w.test', '/other', 'wild'],
    ['a wildcard host', 'y.w.test', '/', 'wild'],
    ['no child of another parent', 'c.test', '/', null],
    ['no SNI (non-EVH) child', 'd.test', '/', null],
    ['no disabled child', 'e.test', '/', null],
    ['a match without path rules takes every path', 'f.test', '/z', 'no-rules'],
    ['no Host header', undefined, '/', null],
  ])('%s', (_n, host, path, expected) => {
    expect(evhChild(children, 'p1', host, path)?.uuid ?? null).toBe(expected);
  });
});
