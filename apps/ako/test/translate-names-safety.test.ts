/**
 * Avi names and refs safe for any input (issue 11, deliver 1), hand-written expectations:
 *  - a `#`, `+`, `%xx`, space, `?`/`&` or non-ASCII character in an Ingress path stays in the Avi name (the Go AKO's
 *    name), and every `?name=` ref carries it URL-encoded, so it names exactly that object (URLSearchParams, as the
 *    controller reads it); a neighbour's names and refs are the Go AKO's;
 *  - two inputs whose Go AKO names coincide: the one that claimed the name first keeps it (creationTimestamp, then
 *    namespace/name), the other is rejected with a reason naming both, and nothing of it is created.
 */
import { body, backend, ingress, ingressClass, lbService, names, run, tlsSecret, verdictOf, type Result } from './translate-objects.js';
import type { K8sObject } from './translate-fixtures.js';

const OUR_TYPES = new Set(['pool', 'poolgroup', 'vsvip', 'vsdatascriptset', 'httppolicyset', 'sslkeyandcertificate', 'virtualservice', 'l4policyset']);

/** Every `?name=` ref of the result to a type we create, decoded as the controller decodes it. */
function nameRefs(r: Result): { type: string; name: string; raw: string }[] {
  const out: { type: string; name: string; raw: string }[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = /^\/api\/([a-z0-9]+)\/?\?(.*)$/.exec(v);
      const name = m ? new URLSearchParams(m[2]).get('name') : null;
      if (m && name !== null && OUR_TYPES.has(m[1]!)) out.push({ type: m[1]!, name, raw: v });
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const o of r.objects) walk(o.body);
  return out;
}

describe('an Ingress path with characters special in a URL', () => {
  const odd = ['/a#b', '/c+d', '/e%41', '/sp ace', '/été', '/q?x=1&y'];
  const objects: K8sObject[] = [
    ingressClass,
    ...backend('team-a', 'svc', '10.0.1.1'),
    ...backend('team-b', 'web', '10.0.2.1'),
    ingress('team-a', 'odd', 1, [{ host: 'odd.example.com', paths: odd.map((path) => ({ path, service: 'svc', pathType: 'ImplementationSpecific' })) }]),
    ingress('team-b', 'web', 2, [{ host: 'web.example.com', paths: [{ path: '/', service: 'web' }] }]),
  ];
  const r = run(objects);
  const members = (body(r, 'poolgroup', 'c--Shared-L7-0')?.members ?? []) as { pool_ref: string }[];

  test.each([
    ['/a#b', 'c--odd.example.com_a#b-team-a-odd', '/api/pool?name=c--odd.example.com_a%23b-team-a-odd'],
    ['/c+d', 'c--odd.example.com_c+d-team-a-odd', '/api/pool?name=c--odd.example.com_c%2Bd-team-a-odd'],
    ['/e%41', 'c--odd.example.com_e%41-team-a-odd', '/api/pool?name=c--odd.example.com_e%2541-team-a-odd'],
    ['/sp ace', 'c--odd.example.com_sp ace-team-a-odd', '/api/pool?name=c--odd.example.com_sp%20ace-team-a-odd'],
    ['/été', 'c--odd.example.com_été-team-a-odd', '/api/pool?name=c--odd.example.com_%C3%A9t%C3%A9-team-a-odd'],
    ['/q?x=1&y', 'c--odd.example.com_q?x=1&y-team-a-odd', '/api/pool?name=c--odd.example.com_q%3Fx%3D1%26y-team-a-odd'],
  ])('path %s: pool %s, member ref %s', (_path, pool, ref) => {
    expect(names(r, 'pool')).toContain(pool);
    expect(members.map((m) => m.pool_ref)).toContain(ref);
  });

  test('the neighbour keeps the Go AKO names and refs, and the Ingress is accepted', () => {
    expect(names(r, 'pool')).toContain('c--web.example.com_-team-b-web');
    expect(members.map((m) => m.pool_ref)).toContain('/api/pool?name=c--web.example.com_-team-b-web');
    expect(body(r, 'vsdatascriptset', 'c--Shared-L7-0')?.pool_group_refs).toEqual(['/api/poolgroup/?name=c--Shared-L7-0']);
    expect(verdictOf(r, 'Ingress', 'team-a', 'odd')).toMatchObject({ accepted: true });
    expect(verdictOf(r, 'Ingress', 'team-b', 'web')).toMatchObject({ accepted: true });
  });

  test('every ?name= ref names an object of the result, as the controller decodes it', () => {
    const refs = nameRefs(r);
    expect(refs.length).toBeGreaterThan(odd.length);
    const have = new Set(r.objects.map((o) => `${o.type}/${o.name}`));
    expect(refs.filter((x) => !have.has(`${x.type}/${x.name}`))).toEqual([]);
  });

  test('on a secure host: SNI pools and the pool-group refs of the HTTP policy', async () => {
    const secret = await tlsSecret('team-a', 'odd-tls', ['odd-tls.example.com']);
    const s = run([
      ...objects,
      secret,
      ingress('team-a', 'odd-tls', 3, [{ host: 'odd-tls.example.com', paths: [{ path: '/a#b', service: 'svc', pathType: 'ImplementationSpecific' }] }], { hosts: ['odd-tls.example.com'], secret: 'odd-tls' }),
    ]);
    expect(names(s, 'pool')).toContain('c--team-a-odd-tls.example.com_a#b-odd-tls');
    const rules = ((body(s, 'httppolicyset', 'c--team-a-odd-tls.example.com')?.http_request_policy as { rules: { switching_action: { pool_group_ref: string } }[] }).rules ?? []).map((x) => x.switching_action.pool_group_ref);
    expect(rules).toEqual(['/api/poolgroup/?name=c--team-a-odd-tls.example.com_a%23b-odd-tls']);
    const pg = body(s, 'poolgroup', 'c--team-a-odd-tls.example.com_a#b-odd-tls');
    expect(pg?.members).toEqual([{ pool_ref: '/api/pool?name=c--team-a-odd-tls.example.com_a%23b-odd-tls', ratio: 100 }]);
    expect(nameRefs(s).filter((x) => !s.objects.some((o) => o.type === x.type && o.name === x.name))).toEqual([]);
  });
});

test('a path whose pool name would exceed 255 bytes: that Ingress is rejected, the shard keeps serving its neighbour', () => {
  const long = `/${'x'.repeat(300)}`;
  const r = run([
    ingressClass,
    ...backend('team-a', 'svc', '10.0.1.1'),
    ...backend('team-b', 'web', '10.0.2.1'),
    ingress('team-a', 'long', 1, [{ host: 'long.example.com', paths: [{ path: long, service: 'svc' }] }]),
    ingress('team-b', 'web', 2, [{ host: 'web.example.com', paths: [{ path: '/', service: 'web' }] }]),
  ]);
  // c-- (3) + long.example.com (16) + _ and 300 x (301) + -team-a-long (12) = 332 bytes.
  expect(verdictOf(r, 'Ingress', 'team-a', 'long')).toMatchObject({
    accepted: false,
    reason: `host long.example.com path ${long}: Avi pool name c--long.example.com_${'x'.repeat(40)}... would be 332 bytes long, the controller takes at most 255: not served (shorten the path, host or names)`,
  });
  expect(verdictOf(r, 'Ingress', 'team-b', 'web')).toMatchObject({ accepted: true });
  expect(r.objects.filter((o) => Buffer.byteLength(o.name) > 255)).toEqual([]);
  expect(body(r, 'poolgroup', 'c--Shared-L7-0')?.members).toEqual([{ pool_ref: '/api/pool?name=c--web.example.com_-team-b-web', priority_label: 'web.example.com/', ratio: 100 }]);
});

const GO = "(the Go AKO's names cannot tell them apart; rename one of them)";

describe('inputs whose Go AKO names coincide', () => {
  interface Case {
    readonly objects: () => Promise<K8sObject[]>;
    /** [kind, namespace, name, reason] of the rejected input; undefined when both are accepted. */
    readonly rejected?: readonly [string, string, string, string];
    /** [type, name] that must exist exactly once. */
    readonly kept: readonly (readonly [string, string])[];
    /** [type, name] that must not exist. */
    readonly absent: readonly (readonly [string, string])[];
  }
  const cases: [string, Case][] = [
    [
      'Service team-0/lb-5 (older) and a secure host team-0-lb-5: the Ingress is rejected',
      {
        objects: async () => [ingressClass, ...backend('other', 'web', '10.0.3.1'), await tlsSecret('other', 'site-tls', ['team-0-lb-5']), lbService('team-0', 'lb-5', 1), ingress('other', 'site', 2, [{ host: 'team-0-lb-5', paths: [{ path: '/', service: 'web' }] }], { hosts: ['team-0-lb-5'], secret: 'site-tls' })],
        rejected: ['Ingress', 'other', 'site', `Avi virtualservice c--team-0-lb-5 would be the name for both Ingress other/site (host team-0-lb-5 path /) and Service team-0/lb-5 (its virtual service), which claimed it first: not served for Ingress other/site ${GO}`],
        kept: [['virtualservice', 'c--team-0-lb-5'], ['vsvip', 'c--team-0-lb-5'], ['pool', 'c--team-0-lb-5-TCP-80']],
        absent: [['sslkeyandcertificate', 'c--team-0-lb-5'], ['httppolicyset', 'c--other-team-0-lb-5']],
      },
    ],
    [
      'a secure host team-0-lb-5 (older) and Service team-0/lb-5: the Service is rejected',
      {
        objects: async () => [ingressClass, ...backend('other', 'web', '10.0.3.1'), await tlsSecret('other', 'site-tls', ['team-0-lb-5']), lbService('team-0', 'lb-5', 2), ingress('other', 'site', 1, [{ host: 'team-0-lb-5', paths: [{ path: '/', service: 'web' }] }], { hosts: ['team-0-lb-5'], secret: 'site-tls' })],
        rejected: ['Service', 'team-0', 'lb-5', `Avi virtualservice c--team-0-lb-5 would be the name for both Service team-0/lb-5 (its virtual service) and Ingress other/site (host team-0-lb-5 path /), which claimed it first: not served for Service team-0/lb-5 ${GO}`],
        kept: [['virtualservice', 'c--team-0-lb-5'], ['sslkeyandcertificate', 'c--team-0-lb-5']],
        absent: [['vsvip', 'c--team-0-lb-5'], ['pool', 'c--team-0-lb-5-TCP-80'], ['l4policyset', 'c--team-0-lb-5']],
      },
    ],
    [
      'secure hosts a-b.example.com in namespace coll and b.example.com in namespace coll-a (newer)',
      {
        objects: async () => [
          ingressClass,
          ...backend('coll', 'web', '10.0.4.1'),
          ...backend('coll-a', 'web', '10.0.5.1'),
          await tlsSecret('coll', 'tls', ['a-b.example.com']),
          await tlsSecret('coll-a', 'tls', ['b.example.com']),
          ingress('coll', 'x', 1, [{ host: 'a-b.example.com', paths: [{ path: '/', service: 'web' }] }], { hosts: ['a-b.example.com'], secret: 'tls' }),
          ingress('coll-a', 'x', 2, [{ host: 'b.example.com', paths: [{ path: '/', service: 'web' }] }], { hosts: ['b.example.com'], secret: 'tls' }),
        ],
        rejected: ['Ingress', 'coll-a', 'x', `Avi httppolicyset c--coll-a-b.example.com would be the name for both Ingress coll-a/x (host b.example.com path /) and Ingress coll/x (host a-b.example.com path /), which claimed it first: not served for Ingress coll-a/x ${GO}`],
        kept: [['virtualservice', 'c--a-b.example.com'], ['pool', 'c--coll-a-b.example.com_-x'], ['poolgroup', 'c--coll-a-b.example.com_-x'], ['httppolicyset', 'c--coll-a-b.example.com']],
        absent: [['virtualservice', 'c--b.example.com'], ['sslkeyandcertificate', 'c--b.example.com']],
      },
    ],
    [
      'the same two hosts over plain HTTP: their shard pools differ, both are served',
      {
        objects: async () => [
          ingressClass,
          ...backend('coll', 'web', '10.0.4.1'),
          ...backend('coll-a', 'web', '10.0.5.1'),
          ingress('coll', 'x', 1, [{ host: 'a-b.example.com', paths: [{ path: '/', service: 'web' }] }]),
          ingress('coll-a', 'x', 2, [{ host: 'b.example.com', paths: [{ path: '/', service: 'web' }] }]),
        ],
        kept: [['pool', 'c--a-b.example.com_-coll-x'], ['pool', 'c--b.example.com_-coll-a-x']],
        absent: [],
      },
    ],
    [
      'paths /a/b and /a_b of one Ingress (same age: /a/b comes first)',
      {
        objects: async () => [
          ingressClass,
          ...backend('ns1', 'one', '10.0.6.1'),
          ...backend('ns1', 'two', '10.0.6.2'),
          ingress('ns1', 'paths', 1, [{ host: 'h2.example.com', paths: [{ path: '/a/b', service: 'one' }, { path: '/a_b', service: 'two' }] }]),
        ],
        rejected: ['Ingress', 'ns1', 'paths', `Avi pool c--h2.example.com_a_b-ns1-paths would be the name for both Ingress ns1/paths (host h2.example.com path /a_b) and Ingress ns1/paths (host h2.example.com path /a/b), which claimed it first: not served for Ingress ns1/paths ${GO}`],
        kept: [['pool', 'c--h2.example.com_a_b-ns1-paths']],
        absent: [],
      },
    ],
    [
      'Services team-0/lb-5 and team/0-lb-5 (older)',
      {
        objects: async () => [lbService('team-0', 'lb-5', 2), lbService('team', '0-lb-5', 1)],
        rejected: ['Service', 'team-0', 'lb-5', `Avi virtualservice c--team-0-lb-5 would be the name for both Service team-0/lb-5 (its virtual service) and Service team/0-lb-5 (its virtual service), which claimed it first: not served for Service team-0/lb-5 ${GO}`],
        kept: [['virtualservice', 'c--team-0-lb-5'], ['pool', 'c--team-0-lb-5-TCP-80']],
        absent: [],
      },
    ],
    [
      'Service ns/x (older) and a shared-VIP group with key x in the same namespace',
      {
        objects: async () => [lbService('ns', 'x', 1), lbService('ns', 's1', 2, { 'ako.vmware.com/enable-shared-vip': 'x' })],
        rejected: ['Service', 'ns', 's1', `Avi virtualservice c--ns-x would be the name for both Service ns/s1 (shared VIP x) and Service ns/x (its virtual service), which claimed it first: not served for Service ns/s1 ${GO}`],
        kept: [['virtualservice', 'c--ns-x'], ['pool', 'c--ns-x-TCP-80']],
        absent: [['pool', 'c--ns-s1-x-TCP-80']],
      },
    ],
  ];

  test.each(cases)('%s', async (_name, c) => {
    const r = run(await c.objects());
    const rejected = r.verdicts.filter((v) => !v.accepted).map((v) => [v.kind, v.namespace, v.name, v.reason]);
    expect(rejected).toEqual(c.rejected ? [c.rejected] : []);
    for (const [type, name] of c.kept) expect([type, name, r.objects.filter((o) => o.type === type && o.name === name).length]).toEqual([type, name, 1]);
    for (const [type, name] of c.absent) expect([type, name, names(r, type).includes(name)]).toEqual([type, name, false]);
  });

  test('the older input keeps its backends: the pool of a-b.example.com serves namespace coll only', async () => {
    const [, objects] = cases[2]!;
    const r = run(await objects.objects());
    expect(body(r, 'pool', 'c--coll-a-b.example.com_-x')?.servers).toEqual([{ ip: { addr: '10.0.4.1', type: 'V4' }, port: 8080, enabled: true, external_uuid: '10.0.4.1:8080' }]);
  });

  test('the rejection follows creationTimestamp, not the order of the inputs', async () => {
    const [, c] = cases[0]!;
    const objects = await c.objects();
    const a = run(objects);
    const b = run([...objects].reverse());
    expect(b).toEqual(a);
  });
});
