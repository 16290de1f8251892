// The SDK against the real avi-controller (apps/avi-controller) over HTTPS, run as a separate process.
import { AviError, createAviClient, parseRef } from '../src/index.js';
import type { AviClient, AviClientOptions, CallEvent } from '../src/index.js';
import { startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';

let ctl: ControllerProcess;
const clients: AviClient[] = [];

beforeAll(async () => {
  ctl = await startControllerProcess({ args: ['--session-idle-timeout', '1'] });
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await ctl?.stop();
});

function client(extra: Partial<AviClientOptions> = {}): AviClient {
  const c = createAviClient({
    controller: ctl.url,
    username: 'admin',
    password: ctl.password,
    caPem: ctl.caPem,
    userAgent: 'avi-sdk-test',
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
  clients.push(c);
  return c;
}

test('login, version from initial-data, singletons, seeded objects', async () => {
  const c = client();
  const initial = await c.initialData();
  expect(c.apiVersion).toBe(initial.version?.Version);
  const cluster = await c.getSingleton('cluster');
  expect(cluster.uuid).toMatch(/^cluster-/);
  const cloud = await c.getByName('cloud', 'Default-Cloud');
  expect(cloud?.name).toBe('Default-Cloud');
});

test('bad password is an auth error with the controller message', async () => {
  const c = client({ password: 'wrong-password' });
  await expect(c.list('pool')).rejects.toMatchObject({ status: 401, kind: 'auth', controllerMessage: expect.stringContaining('Invalid credentials') });
});

test('CRUD with refs by name; responses carry #name refs the SDK parses', async () => {
  const c = client();
  const pool = await c.create('pool', { name: 'it-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }] });
  expect(pool.lb_algorithm).toBe('LB_ALGORITHM_LEAST_CONNECTIONS');
  const vsvip = await c.create('vsvip', { name: 'it-vip', vip: [{ ip_address: { addr: '127.100.9.1', type: 'V4' } }] });
  const vs = await c.create('virtualservice', {
    name: 'it-vs',
    services: [{ port: 80 }],
    vsvip_ref: `/api/vsvip/?name=${vsvip.name}`,
    pool_ref: '/api/pool?name=it-pool',
  });
  expect(parseRef(vs.pool_ref!)).toMatchObject({ type: 'pool', uuid: pool.uuid, name: 'it-pool' });
  expect(parseRef(vs.tenant_ref!)).toMatchObject({ type: 'tenant', uuid: 'admin', name: 'admin' });

  const got = await c.get('pool', pool.uuid!, { includeName: true });
  expect(parseRef(got.cloud_ref!)?.name).toBe('Default-Cloud');

  const updated = await c.update('pool', pool.uuid!, { name: 'it-pool', lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' });
  expect(updated.lb_algorithm).toBe('LB_ALGORITHM_ROUND_ROBIN');
  const patched = await c.patch('pool', pool.uuid!, 'add', { servers: [{ ip: { addr: '127.0.0.2', type: 'V4' } }] });
  expect(patched.servers?.map((s) => s.ip?.addr)).toContain('127.0.0.2');

  await expect(c.create('pool', { name: 'it-pool' })).rejects.toMatchObject({ status: 409, kind: 'conflict' });
  const referenced = await c.delete('pool', pool.uuid!).catch((e: unknown) => e);
  expect(referenced).toBeInstanceOf(AviError);
  expect(referenced).toMatchObject({ kind: 'conflict', controllerMessage: expect.stringContaining('Cannot delete, object is referred by') });

  expect(await c.delete('virtualservice', vs.uuid!)).toBe(true);
  expect(await c.delete('pool', pool.uuid!)).toBe(true);
  expect(await c.delete('pool', pool.uuid!, { notFoundOk: true })).toBe(false);
  await expect(c.get('pool', pool.uuid!)).rejects.toMatchObject({ status: 404, kind: 'not-found' });
});

test('paging follows next; count is the total; filters pass through; strict input catches undeclared fields', async () => {
  const c = client();
  await expect(c.create('stringgroup', { name: 'sg', type: 'SG_TYPE_STRING', created_by: 'x' } as never)).rejects.toMatchObject({
    kind: 'invalid-input',
    status: 0,
  });
  for (let i = 0; i < 5; i++) await c.create('stringgroup', { name: `it-sg-${i}`, type: 'SG_TYPE_STRING' });
  const all = await c.list('stringgroup', { pageSize: 2, params: { 'name.contains': 'it-sg-' } });
  expect(all.count).toBe(5);
  expect(all.results.map((s) => s.name).sort()).toEqual(['it-sg-0', 'it-sg-1', 'it-sg-2', 'it-sg-3', 'it-sg-4']);
});

test('tenants: objects land in the header tenant; * sees all', async () => {
  const c = client();
  await c.create('tenant', { name: 'it-team' });
  const p = await c.create('pool', { name: 'it-tenant-pool' }, { tenant: 'it-team' });
  expect(parseRef(p.tenant_ref!)?.name).toBe('it-team');
  expect(await c.getByName('pool', 'it-tenant-pool')).toBeUndefined();
  expect((await c.getByName('pool', 'it-tenant-pool', { tenant: 'it-team' }))?.uuid).toBe(p.uuid);
  expect((await c.getByName('pool', 'it-tenant-pool', { tenant: '*' }))?.uuid).toBe(p.uuid);
});

test('macro create and runtime', async () => {
  const c = client();
  const created = await c.macro('Pool', { name: 'it-macro-pool', servers: [{ ip: { addr: '127.0.0.3', type: 'V4' } }] });
  expect(JSON.stringify(created)).toContain('it-macro-pool');
  const pool = await c.getByName('pool', 'it-macro-pool');
  const rt = (await c.runtime('pool', pool!.uuid!)) as { oper_status?: { state?: string } };
  expect(typeof rt.oper_status?.state).toBe('string');
});

test('an idle-expired session is re-established and the call replayed', async () => {
  const events: CallEvent[] = [];
  const c = client({ onCall: (e) => events.push(e) });
  await c.list('pool');
  await new Promise((r) => setTimeout(r, 1500));
  await expect(c.list('pool')).resolves.toMatchObject({ count: expect.any(Number) });
  expect(events.map((e) => `${e.objectType} ${e.status}`)).toEqual([
    'login 200',
    'initial-data 200',
    'pool 200',
    'pool 401',
    'login 200',
    'pool 200',
  ]);
});
