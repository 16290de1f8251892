// The client against a local HTTPS server with real TLS, sessions, cookies and CSRF, injecting faults.
import { AviError, createAviClient, createLimiter } from '../src/index.js';
import type { AviClient, AviClientOptions, CallEvent } from '../src/index.js';
import { startFaultServer } from './support/fault-server.js';
import type { FaultServer } from './support/fault-server.js';

let server: FaultServer;
const clients: AviClient[] = [];

beforeEach(async () => {
  server = await startFaultServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await server.close();
});

function client(extra: Partial<AviClientOptions> = {}): AviClient {
  const c = createAviClient({
    controller: server.origin,
    username: 'admin',
    password: 'secret',
    caPem: server.caPem,
    timeoutMs: 2000,
    deadlineMs: 10_000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
  clients.push(c);
  return c;
}

const apiCalls = () => server.seen.filter((r) => r.path.startsWith('/api/pool'));
const headerOf = (r: { headers: Record<string, unknown> }, h: string) => r.headers[h] as string | undefined;

describe('session', () => {
  test('lazy JSON login, cookies, version capped from initial-data, tenant, user agent, CSRF and Referer on writes', async () => {
    const c = client({ userAgent: 'AKO' });
    expect(server.seen).toHaveLength(0);
    const created = await c.create('pool', { name: 'p1' }, { tenant: 't1' });
    await c.get('pool', created.uuid!);

    const [login, initial, post, get] = server.seen;
    expect(login!.path).toBe('/login');
    expect(headerOf(login!, 'content-type')).toBe('application/json');
    expect(JSON.parse(login!.body)).toEqual({ username: 'admin', password: 'secret' });
    expect(initial!.path).toBe('/api/initial-data');
    expect(c.apiVersion).toBe('30.2.1');

    expect(headerOf(post!, 'x-avi-version')).toBe('30.2.1');
    expect(headerOf(post!, 'x-avi-tenant')).toBe('t1');
    expect(headerOf(post!, 'x-avi-useragent')).toBe('AKO');
    expect(headerOf(post!, 'x-csrftoken')).toMatch(/^[0-9a-f]{32}$/);
    expect(headerOf(post!, 'referer')).toBe(`${server.origin}/`);
    expect(headerOf(post!, 'cookie')).toMatch(/csrftoken=.*avi-sessionid=.*sessionid=/);

    expect(headerOf(get!, 'x-avi-tenant')).toBe('admin');
    expect(headerOf(get!, 'x-csrftoken')).toBeUndefined();
    expect(created.tenant_ref).toBe('/api/tenant/t1');
  });

  test('form login with a token; a configured version skips initial-data', async () => {
    await server.close();
    server = await startFaultServer({ token: 'tok-1' });
    const c = client({ password: undefined, authToken: async () => 'tok-1', loginEncoding: 'form', version: '22.1.2' });
    await c.list('pool');
    const [login, list] = server.seen;
    expect(headerOf(login!, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(login!.body).toBe('username=admin&token=tok-1');
    expect(list!.path).toMatch(/^\/api\/pool\?page_size=100/);
    expect(headerOf(list!, 'x-avi-version')).toBe('22.1.2');
    expect(server.seen.some((r) => r.path === '/api/initial-data')).toBe(false);
  });

  test('bad credentials: one auth error, no retries, message from the controller', async () => {
    const c = client({ password: 'wrong' });
    const err = await c.get('pool', 'pool-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AviError);
    expect(err).toMatchObject({ status: 401, kind: 'auth', controllerMessage: 'Invalid credentials', path: '/login' });
    expect(server.seen.filter((r) => r.path === '/login')).toHaveLength(1);
    expect((err as Error).message).not.toContain('wrong');
  });

  test.each([401, 419] as const)('session expiry (%i) mid-run: one re-login for concurrent calls, each replayed once', async (status) => {
    const c = client();
    const p = await c.create('pool', { name: 'p1' });
    server.inject('GET', '/api/pool', { kind: 'expire-sessions', status }, 1);
    // a slow login, so that every 401 arrives while the re-login is under way
    server.inject('POST', '/login', { kind: 'delay', ms: 100 }, 1);
    const results = await Promise.all([1, 2, 3, 4].map(() => c.get('pool', p.uuid!)));
    expect(results.map((r) => r.name)).toEqual(['p1', 'p1', 'p1', 'p1']);
    expect(server.logins).toBe(2);
  });

  test('a rotated csrftoken cookie is sent back on the next write', async () => {
    const c = client();
    await c.list('pool');
    server.rotateCsrf();
    await c.list('pool');
    await c.create('pool', { name: 'after-rotation' });
    expect(server.pools.size).toBe(1);
  });

  test('logout ends the session; the next call logs in again', async () => {
    const c = client();
    await c.list('pool');
    await c.logout();
    expect(server.seen.at(-1)!.path).toBe('/logout');
    expect(headerOf(server.seen.at(-1)!, 'x-csrftoken')).toBeDefined();
    await c.list('pool');
    expect(server.logins).toBe(2);
  });

  test('TLS: verification is on by default; insecure is an explicit switch', async () => {
    const strict = client({ caPem: undefined, retry: { maxRetries: 0 } });
    const err = await strict.list('pool').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, kind: 'unexpected' });
    const loose = client({ caPem: undefined, insecure: true });
    await expect(loose.list('pool')).resolves.toEqual({ count: 0, results: [] });
  });
});

describe('operations', () => {
  test('CRUD, patch, delete with 404-as-success, conflicts and not-found', async () => {
    const c = client();
    const p = await c.create('pool', { name: 'web', servers: [{ ip: { addr: '10.0.0.1', type: 'V4' } }] }, { forceUuid: 'pool-forced' });
    expect(p.uuid).toBe('pool-forced');
    expect((await c.getByName('pool', 'web'))?.uuid).toBe('pool-forced');
    expect(await c.getByName('pool', 'nope')).toBeUndefined();

    const updated = await c.update('pool', p.uuid!, { name: 'web', lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' });
    expect(updated.lb_algorithm).toBe('LB_ALGORITHM_ROUND_ROBIN');
    const added = await c.patch('pool', p.uuid!, 'add', { servers: [{ ip: { addr: '10.0.0.2', type: 'V4' } }] });
    expect(added.servers).toHaveLength(1);
    const removed = await c.patch('pool', p.uuid!, 'delete', { servers: [{ ip: { addr: '10.0.0.2', type: 'V4' } }] });
    expect(removed.servers).toHaveLength(0);
    expect(JSON.parse(server.seen.at(-1)!.body)).toEqual({ delete: { servers: [{ ip: { addr: '10.0.0.2', type: 'V4' } }] } });

    await expect(c.create('pool', { name: 'web' })).rejects.toMatchObject({ status: 409, kind: 'conflict' });
    expect(await c.delete('pool', p.uuid!)).toBe(true);
    expect(await c.delete('pool', p.uuid!, { notFoundOk: true })).toBe(false);
    await expect(c.delete('pool', p.uuid!)).rejects.toMatchObject({ status: 404, kind: 'not-found', controllerMessage: 'Pool object not found!' });
    await expect(c.get('pool', 'pool-missing')).rejects.toMatchObject({ status: 404, kind: 'not-found' });
  });

  test('list follows next (absolute URL naming another host) and count is the total', async () => {
    const c = client();
    for (const n of ['a', 'b', 'c', 'd', 'e']) await c.create('pool', { name: n });
    const before = server.seen.length;
    const all = await c.list('pool', { pageSize: 2, includeName: true });
    expect(all.count).toBe(5);
    expect(all.results.map((p) => p.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const gets = server.seen.slice(before);
    expect(gets.map((r) => r.path)).toEqual([
      '/api/pool?page_size=2&include_name=true',
      '/api/pool/?page_size=2&include_name=true&page=2',
      '/api/pool/?page_size=2&include_name=true&page=3',
    ]);
    const names: string[] = [];
    for await (const p of c.iterate('pool', { pageSize: 3 })) names.push(p.name!);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('input is validated before anything is sent; validation can be switched off per call', async () => {
    const c = client();
    const bad = { name: 'x', lb_algoritm: 'typo' } as never;
    const err = await c.create('pool', bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid-input', status: 0 });
    expect((err as AviError).controllerMessage).toContain('lb_algoritm');
    expect(server.seen).toHaveLength(0);
    await expect(c.create('pool', bad, { validate: false })).resolves.toMatchObject({ name: 'x' });
  });

  test('answers (writes, lists) are checked against the output model unless checkAnswer is false (then returned as parsed JSON)', async () => {
    const c = client();
    // analytics_profile_ref is a string in the pool model: an answer carrying a number there does not match it.
    const offModel = JSON.stringify({ uuid: 'pool-off', name: 'off', analytics_profile_ref: 42 });
    server.inject('POST', '/api/pool', { kind: 'status', status: 200, body: offModel });
    await expect(c.create('pool', { name: 'off' })).rejects.toMatchObject({ kind: 'unexpected' });
    server.inject('POST', '/api/pool', { kind: 'status', status: 200, body: offModel });
    await expect(c.create('pool', { name: 'off' }, { checkAnswer: false })).resolves.toEqual(JSON.parse(offModel));
    const p = await c.create('pool', { name: 'on' });
    server.inject('PUT', `/api/pool/${p.uuid}`, { kind: 'status', status: 200, body: offModel });
    await expect(c.update('pool', p.uuid!, { name: 'on' })).rejects.toMatchObject({ kind: 'unexpected' });
    server.inject('PUT', `/api/pool/${p.uuid}`, { kind: 'status', status: 200, body: offModel });
    await expect(c.update('pool', p.uuid!, { name: 'on' }, { checkAnswer: false })).resolves.toEqual(JSON.parse(offModel));
    const page = JSON.stringify({ count: 1, results: [JSON.parse(offModel)] });
    server.inject('GET', '/api/pool', { kind: 'status', status: 200, body: page });
    await expect(c.list('pool')).rejects.toMatchObject({ kind: 'unexpected' });
    server.inject('GET', '/api/pool', { kind: 'status', status: 200, body: page });
    await expect(c.list('pool', { checkAnswer: false })).resolves.toEqual({ count: 1, results: [JSON.parse(offModel)] });
    server.inject('GET', '/api/pool', { kind: 'status', status: 200, body: page });
    const read: unknown[] = [];
    for await (const o of c.iterate('pool', { checkAnswer: false })) read.push(o);
    expect(read).toEqual([JSON.parse(offModel)]);
  });

  test('macro and runtime endpoints', async () => {
    const c = client();
    const p = await c.create('pool', { name: 'rt' });
    await expect(c.runtime('pool', p.uuid!)).resolves.toEqual({ oper_status: { state: 'OPER_UP' }, num_servers: 0 });
    expect(server.seen.at(-1)!.path).toBe(`/api/pool/${p.uuid}/runtime/`);
    await c.runtime('pool', p.uuid!, 'detail');
    expect(server.seen.at(-1)!.path).toBe(`/api/pool/${p.uuid}/runtime/detail/`);
    const macro = await c.macro('VirtualService', { name: 'vs1', services: [{ port: 80 }] });
    expect(macro).toEqual([{ name: 'vs1', services: [{ port: 80 }], uuid: 'virtualservice-macro' }]);
    expect(JSON.parse(server.seen.at(-1)!.body)).toEqual({ model_name: 'VirtualService', data: { name: 'vs1', services: [{ port: 80 }] } });
  });
});

describe('write guard (beforeWrite)', () => {
  test('a refused write is never sent and fails with the guard\'s error, unretried; reads and the login are not guarded', async () => {
    let open = true;
    const refusal = new Error('fenced');
    const asked: string[] = [];
    const c = client({
      beforeWrite: (method, path) => {
        asked.push(`${method} ${path}`);
        if (!open) throw refusal;
      },
    });
    const p = await c.create('pool', { name: 'guarded' });
    open = false;
    const before = apiCalls().length;
    await expect(c.update('pool', p.uuid!, { name: 'guarded', description: 'x' })).rejects.toBe(refusal);
    await expect(c.delete('pool', p.uuid!)).rejects.toBe(refusal);
    expect(apiCalls()).toHaveLength(before);
    await expect(c.get('pool', p.uuid!)).resolves.toMatchObject({ name: 'guarded' });
    expect(asked).toEqual(['POST /api/pool', `PUT /api/pool/${p.uuid}`, `DELETE /api/pool/${p.uuid}`]);
  });

  test('each retry of a write asks again: a write whose first attempt failed is not sent once the guard refuses', async () => {
    let open = true;
    const c = client({
      retry: { baseDelayMs: 50, maxDelayMs: 50 },
      beforeWrite: () => {
        if (!open) throw new Error('fenced');
      },
      // The guard closes as the first attempt's 503 is seen, before the retry's backoff (whatever its jitter).
      onCall: (e) => {
        if (e.method === 'PUT' && e.status === 503) open = false;
      },
    });
    const p = await c.create('pool', { name: 'retried' });
    server.inject('PUT', '/api/pool', { kind: 'status', status: 503, body: 'busy' }, 1);
    const puts = () => server.seen.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/pool')).length;
    await expect(c.update('pool', p.uuid!, { name: 'retried', description: 'late' })).rejects.toThrow('fenced');
    expect(puts()).toBe(1);
    await expect(c.get('pool', p.uuid!)).resolves.not.toHaveProperty('description', 'late');
  });
});

describe('faults and retries', () => {
  test('a burst of 5xx is retried, and the hook sees every attempt', async () => {
    const events: CallEvent[] = [];
    const c = client({ onCall: (e) => events.push(e) });
    await c.create('pool', { name: 'p' });
    server.inject('GET', '/api/pool', { kind: 'status', status: 502, body: 'Bad Gateway' }, 2);
    server.inject('GET', '/api/pool', { kind: 'status', status: 500, body: '{"error": "record not found"}' }, 1);
    await expect(c.list('pool')).resolves.toMatchObject({ count: 1 });
    const gets = events.filter((e) => e.method === 'GET' && e.objectType === 'pool');
    expect(gets.map((e) => [e.status, e.attempt, e.errorKind])).toEqual([
      [502, 0, 'transient'],
      [502, 1, 'transient'],
      [500, 2, 'transient'],
      [200, 3, undefined],
    ]);
  });

  test('503 beyond the retry budget surfaces as a retry-later AviError with the plain-text body', async () => {
    const c = client({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    server.inject('GET', '/api/pool', { kind: 'status', status: 503, body: 'INITIALIZING' }, 10);
    const err = await c.list('pool').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, kind: 'retry-later', controllerMessage: 'INITIALIZING' });
    expect(apiCalls()).toHaveLength(3);
  });

  test('429 with Retry-After is waited out; a Retry-After past the deadline fails at once', async () => {
    const c = client();
    server.inject('GET', '/api/pool', { kind: 'status', status: 429, body: '{"error":"slow down"}', headers: { 'retry-after': '0.05' } });
    await expect(c.list('pool')).resolves.toMatchObject({ count: 0 });
    const short = client({ deadlineMs: 1000 });
    server.inject('GET', '/api/pool', { kind: 'status', status: 429, body: '{"error":"slow down"}', headers: { 'retry-after': '120' } });
    await expect(short.list('pool')).rejects.toMatchObject({ status: 429, kind: 'retry-later', retryAfterMs: 120_000 });
  });

  test('a connection reset on a read is retried', async () => {
    const c = client();
    await c.list('pool');
    server.inject('GET', '/api/pool', { kind: 'reset' }, 2);
    await expect(c.list('pool')).resolves.toMatchObject({ count: 0 });
  });

  test('a slow response times out and is retried', async () => {
    const c = client({ timeoutMs: 100 });
    await c.list('pool');
    server.inject('GET', '/api/pool', { kind: 'delay', ms: 400 }, 1);
    await expect(c.list('pool')).resolves.toMatchObject({ count: 0 });
    expect(apiCalls().length).toBeGreaterThanOrEqual(3);
  });

  test('create whose response was lost is not repeated blindly: it is found by name', async () => {
    const c = client();
    server.inject('POST', '/api/pool', { kind: 'apply-then-reset' });
    const p = await c.create('pool', { name: 'once' });
    expect(p.name).toBe('once');
    expect(server.pools.size).toBe(1);
    expect(apiCalls().map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  test('create that never reached the store is sent again after the name check', async () => {
    const c = client();
    server.inject('POST', '/api/pool', { kind: 'reset' });
    await c.create('pool', { name: 'twice' });
    expect(server.pools.size).toBe(1);
    expect(apiCalls().map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
  });

  test('a non-idempotent macro is not repeated after an ambiguous 502', async () => {
    const c = client();
    server.inject('POST', '/api/macro', { kind: 'status', status: 502, body: 'Bad Gateway' });
    await expect(c.macro('Pool', { name: 'm' })).rejects.toMatchObject({ status: 502, kind: 'transient' });
    expect(server.seen.filter((r) => r.path === '/api/macro')).toHaveLength(1);
  });

  test('plain-text error bodies become the controller message', async () => {
    const c = client();
    server.inject('PUT', '/api/pool', { kind: 'status', status: 400, body: 'Something is wrong with this pool' });
    const p = await c.create('pool', { name: 'p' });
    await expect(c.update('pool', p.uuid!, { name: 'p' })).rejects.toMatchObject({
      status: 400,
      kind: 'invalid-input',
      controllerMessage: 'Something is wrong with this pool',
      method: 'PUT',
      path: `/api/pool/${p.uuid}`,
    });
  });

  test('clients sharing a limiter share the bound', async () => {
    const limiter = createLimiter(2);
    const a = client({ limiter });
    const b = client({ limiter });
    await Promise.all([a.list('pool'), b.list('pool')]);
    server.inject('GET', '/api/pool', { kind: 'delay', ms: 30 }, 6);
    await Promise.all([a, b, a, b, a, b].map((c) => c.list('pool')));
    expect(server.maxConcurrent).toBe(2);
  });

  test('the call deadline covers the wait for a request slot', async () => {
    const limiter = createLimiter(1);
    const slow = client({ limiter });
    const hurried = client({ limiter, deadlineMs: 200 });
    await Promise.all([slow.list('pool'), hurried.list('pool')]);
    server.inject('GET', '/api/pool', { kind: 'delay', ms: 600 }, 1);
    const first = slow.list('pool');
    await new Promise((r) => setTimeout(r, 20));
    const err = await hurried.list('pool').catch((e: unknown) => e);
    await first;
    expect(err).toMatchObject({ code: 'ETIMEDOUT', status: 0 });
    expect((err as AviError).controllerMessage).toBe('call deadline passed before a request slot was free');
  });

  test('requests in flight never exceed maxInFlight', async () => {
    const c = client({ maxInFlight: 2 });
    await c.list('pool');
    server.inject('GET', '/api/pool', { kind: 'delay', ms: 30 }, 6);
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => c.list('pool')));
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
    expect(server.maxConcurrent).toBe(2);
  });
});
