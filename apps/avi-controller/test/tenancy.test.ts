// Tenant isolation: users, roles and access as the Avi API models them. A Tenant-Admin of t1 works in t1 only,
// cannot make users or reach /debug; read-only roles read; the 403 bodies are the controller's wording.

import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, type Client } from './helpers.js';

let ctl: RunningController;
let admin: Client;
let t1Admin: Client;
let t1Reader: Client;
let t2PoolUuid: string;

async function as(user: string, password: string, tenant: string): Promise<Client> {
  const cl = await login(ctl, password, user);
  cl.tenant = tenant;
  cl.version = '30.2.1';
  return cl;
}

beforeAll(async () => {
  ctl = await start();
  admin = await login(ctl);
  admin.version = '30.2.1';
  for (const t of ['t1', 't2']) expect((await admin.post('/api/tenant', { name: t })).status).toBe(201);
  const mk = async (name: string, role: string) =>
    expect(
      (
        await admin.post('/api/user', {
          name,
          password: 'Pw-' + name,
          access: [{ tenant_ref: '/api/tenant?name=t1', role_ref: `/api/role?name=${role}` }],
          default_tenant_ref: '/api/tenant?name=t1',
        })
      ).status,
    ).toBe(201);
  await mk('alice', 'Tenant-Admin');
  await mk('reader', 'Read-Only');
  admin.tenant = 't2';
  t2PoolUuid = (await admin.post('/api/pool', { name: 'p-t2' })).json.uuid as string;
  admin.tenant = 'admin';
  t1Admin = await as('alice', 'Pw-alice', 't1');
  t1Reader = await as('reader', 'Pw-reader', 't1');
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

test('the login answer lists only the user\'s tenants and says it is not a superuser', async () => {
  const res = await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'Pw-alice' }) });
  expect(res.status).toBe(200);
  expect(res.json.user.is_superuser).toBe(false);
  expect((res.json.tenants as Array<{ name: string }>).map((t) => t.name)).toEqual(['t1']);
  expect(res.json.user.default_tenant_ref).toMatch(/\/api\/tenant\/tenant-/);
});

test('a Tenant-Admin creates, changes and deletes in its tenant', async () => {
  const p = await t1Admin.post('/api/pool', { name: 'p-t1' });
  expect(p.status).toBe(201);
  expect(p.json.tenant_ref).toMatch(/#t1$/);
  expect((await t1Admin.put(`/api/pool/${p.json.uuid as string}`, { ...p.json, description: 'x' })).status).toBe(200);
  expect((await t1Admin.del(`/api/pool/${p.json.uuid as string}`)).status).toBe(204);
});

test('without a tenant header a user works in its default tenant, not admin', async () => {
  const res = await t1Admin.post('/api/stringgroup', { name: 'sg-default', type: 'SG_TYPE_STRING' }, { 'X-Avi-Tenant': '' });
  expect(res.status).toBe(201);
  expect(res.json.tenant_ref).toMatch(/#t1$/);
});

test.each([
  ['GET', '/api/pool'],
  ['POST', '/api/pool'],
])('%s %s in another tenant (t2) is 403 with the controller\'s message', async (method, path) => {
  const res = await t1Admin.req(method, path, method === 'POST' ? { name: 'intruder' } : undefined, { 'X-Avi-Tenant': 't2' });
  expect(res.status).toBe(403);
  expect(res.json.error).toBe(`User 'alice' is not authorized to ${method === 'GET' ? 'read' : 'write'} on resource Pool in tenant t2`);
});

test('another tenant\'s object is invisible from the user\'s own tenant, by uuid too', async () => {
  expect((await t1Admin.get(`/api/pool/${t2PoolUuid}`)).status).toBe(404);
  expect((await t1Admin.del(`/api/pool/${t2PoolUuid}`)).status).toBe(404);
  expect((await t1Admin.put(`/api/pool/${t2PoolUuid}`, { name: 'hijack' })).status).toBe(404);
  const ref = await t1Admin.post('/api/poolgroup', { name: 'pg-steal', members: [{ pool_ref: `/api/pool/${t2PoolUuid}` }] });
  expect(ref.status).toBe(404);
  expect((await admin.get(`/api/pool/${t2PoolUuid}`, { 'X-Avi-Tenant': 't2' })).json.name).toBe('p-t2');
});

test('the all-tenants view and the admin tenant are refused to a tenant user', async () => {
  for (const tenant of ['*', 'admin']) {
    const res = await t1Admin.get('/api/pool', { 'X-Avi-Tenant': tenant });
    expect(res.status).toBe(403);
  }
});

test('a Tenant-Admin cannot create users (least of all a System-Admin), roles or tenants', async () => {
  const user = await t1Admin.post('/api/user', { name: 'mallory', password: 'x', is_superuser: true, access: [{ all_tenants: true, role_ref: '/api/role?name=System-Admin' }] });
  expect(user.status).toBe(403);
  expect(user.json.error).toBe("User 'alice' is not authorized to write on resource User in tenant t1");
  expect((await t1Admin.post('/api/role', { name: 'r' })).status).toBe(403);
  expect((await t1Admin.post('/api/tenant', { name: 't3' })).status).toBe(403);
  expect((await admin.get('/api/user?name=mallory')).json.count).toBe(0);
});

test('shared system objects are readable from the tenant but not writable', async () => {
  const hm = await t1Admin.get('/api/healthmonitor?name=System-HTTP');
  expect(hm.json.count).toBe(1);
  const put = await t1Admin.put(`/api/healthmonitor/${hm.json.results[0].uuid as string}`, { ...hm.json.results[0], send_interval: 1 });
  expect(put.status).toBe(403);
  expect((await t1Admin.get('/api/systemconfiguration')).status).toBe(200);
  const sc = await t1Admin.put('/api/systemconfiguration', (await admin.get('/api/systemconfiguration')).json);
  expect(sc.status).toBe(403);
  expect(sc.json.error).toBe("User 'alice' is not authorized to write on resource System in tenant t1");
});

test('tenant listings show only the user\'s tenants', async () => {
  const names = ((await t1Admin.get('/api/tenant')).json.results as Array<{ name: string }>).map((t) => t.name);
  expect(names).toEqual(['t1']);
});

test('a Read-Only user reads but cannot write', async () => {
  expect((await t1Reader.get('/api/pool')).status).toBe(200);
  const res = await t1Reader.post('/api/pool', { name: 'nope' });
  expect(res.status).toBe(403);
  expect(res.json.error).toBe("User 'reader' is not authorized to write on resource Pool in tenant t1");
});

test('/debug is for administrators only', async () => {
  expect((await t1Admin.get('/debug/dump?tenant=*')).status).toBe(403);
  expect((await t1Admin.req('PUT', '/debug/faults', { errorRate: 1 })).status).toBe(403);
  expect((await admin.get('/debug/ipam')).status).toBe(200);
});

describe('/api/useraccount', () => {
  test('a user changes its own password with the old one; the new one logs in, the old one no longer', async () => {
    const cl = await as('reader', 'Pw-reader', 't1');
    const wrong = await cl.put('/api/useraccount', { old_password: 'bad', password: 'New-pw-1' });
    expect(wrong.status).toBe(400);
    const ok = await cl.put('/api/useraccount', { username: 'reader', old_password: 'Pw-reader', password: 'New-pw-1' });
    expect(ok.status).toBe(200);
    expect(ok.json.password).toBeUndefined();
    await expect(login(ctl, 'Pw-reader', 'reader')).rejects.toThrow(/401/);
    const again = await login(ctl, 'New-pw-1', 'reader');
    again.tenant = 't1';
    expect((await again.get('/api/pool')).status).toBe(200);
  });

  test('nobody changes another user\'s password through it', async () => {
    const res = await t1Admin.put('/api/useraccount', { username: 'reader', old_password: 'New-pw-1', password: 'x' });
    expect(res.status).toBe(403);
  });

  test('admin changes its own password, which survives a restart', async () => {
    const own = await start();
    try {
      const a = await login(own);
      expect((await a.put('/api/useraccount', { old_password: own.adminPassword, password: 'Changed-Pw-9' })).status).toBe(200);
      await expect(login(own)).rejects.toThrow(/401/);
      await own.close();
      const again = await start({ dataDir: own.dataDir });
      try {
        await expect(login(again, 'Changed-Pw-9')).resolves.toBeDefined();
      } finally {
        await again.close();
      }
    } finally {
      await own.close();
      removeDir(own.dataDir);
    }
  });
});
