// Session protocol over HTTPS: login encodings, cookies, CSRF, versions, tenants, expiry, tokens, paths.

import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, setCookies } from './helpers.js';

let ctl: RunningController;

beforeAll(async () => {
  ctl = await start({ sessionIdleTimeoutMs: 1500 });
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

describe('login', () => {
  test('JSON login sets csrftoken, sessionid and avi-sessionid and returns the controller body', async () => {
    const res = await raw(ctl, 'POST', '/login', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ctl.adminPassword }),
    });
    expect(res.status).toBe(200);
    const cookies = new Map<string, string>();
    setCookies(cookies, res);
    expect(cookies.get('csrftoken')).toMatch(/^[a-z0-9]{32}$/);
    expect(cookies.get('avi-sessionid')).toMatch(/^[a-z0-9]{32}$/);
    expect(cookies.get('sessionid')).toBe(cookies.get('avi-sessionid'));
    const sc = (res.headers['set-cookie'] ?? []).join('\n');
    expect(sc).toMatch(/avi-sessionid=[^;]+;.*HttpOnly; Max-Age=86400; Path=\/; Secure/);
    expect(sc).toMatch(/csrftoken=[^;]+;.*Max-Age=31449600; Path=\/; Secure/);
    expect(res.json.session_cookie_name).toBe('avi-sessionid');
    expect(res.json.version.Version).toBe('30.2.1');
    expect(res.json.user.username).toBe('admin');
    expect(res.json.tenants).toEqual([{ url: `${ctl.url}/api/tenant/admin`, uuid: 'admin', name: 'admin', local: true }]);
    expect(res.json.system_config.portal_configuration.allow_basic_authentication).toBe(false);
    expect(res.json.controller.api_idle_timeout).toBe(15);
  });

  test('form-encoded login works', async () => {
    const res = await raw(ctl, 'POST', '/login', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `username=admin&password=${encodeURIComponent(ctl.adminPassword)}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toHaveLength(3);
  });

  test.each([
    ['wrong password', { username: 'admin', password: 'nope' }],
    ['unknown user', { username: 'bob', password: 'Test-Passw0rd' }],
    ['no password', { username: 'admin' }],
  ])('%s is 401 Invalid credentials', async (_name, body) => {
    const res = await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'Invalid credentials' });
  });
});

describe('authenticated calls', () => {
  test('no session is 401; initial-data and cluster/status need none', async () => {
    expect((await raw(ctl, 'GET', '/api/tenant')).status).toBe(401);
    expect((await raw(ctl, 'GET', '/api/initial-data')).status).toBe(200);
    expect((await raw(ctl, 'GET', '/api/cluster/status')).status).toBe(200);
  });

  test('a GET re-sends the session cookies and echoes the API version', async () => {
    const c = await login(ctl);
    const res = await c.get('/api/tenant');
    expect(res.status).toBe(200);
    expect((res.headers['set-cookie'] ?? []).some((s) => s.startsWith('avi-sessionid='))).toBe(true);
    expect(res.headers['avi_api_version']).toBe('22.1.3');
  });

  test('CSRF mismatch on a write is 401 with the plain-text body and a JSON content type', async () => {
    const c = await login(ctl);
    const res = await c.post('/api/tenant', { name: 't-csrf' }, { 'X-CSRFToken': 'invalid' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('CSRF token missing or incorrect.');
    expect(res.headers['content-type']).toBe('application/json');
    expect((res.headers['set-cookie'] ?? []).some((s) => s.startsWith('sessionid='))).toBe(true);
    const missing = await c.post('/api/tenant', { name: 't-csrf' }, { 'X-CSRFToken': '' });
    expect(missing.text).toBe('CSRF token missing or incorrect.');
    const ok = await c.post('/api/tenant', { name: 't-csrf' });
    expect(ok.status).toBe(201);
  });

  test('X-Avi-Version: missing is accepted, newer than the controller is 400 Invalid version', async () => {
    const c = await login(ctl);
    const none = await c.get('/api/tenant', { 'X-Avi-Version': '' });
    expect(none.status).toBe(200);
    expect(none.headers['avi_api_version']).toBe('16.4.1');
    const tooNew = await c.get('/api/tenant', { 'X-Avi-Version': '31.2.2' });
    expect(tooNew.status).toBe(400);
    expect(tooNew.json.error).toMatch(/^Invalid version 31\.2\.2/);
    expect((await c.get('/api/tenant', { 'X-Avi-Version': 'abc' })).json.error).toMatch(/Invalid version/);
  });

  test('unknown tenant header is 403 with the controller message; tenant uuid header works', async () => {
    const c = await login(ctl);
    const res = await c.get('/api/pool', { 'X-Avi-Tenant': 'nope' });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: "Tenant 'nope' does not exist!" });
    const byUuid = await c.get('/api/tenant?name=admin', { 'X-Avi-Tenant': '', 'X-Avi-Tenant-UUID': 'admin' });
    expect(byUuid.json.count).toBe(1);
  });

  test('paths: double slashes, trailing slashes and bare include_name are normalised', async () => {
    const c = await login(ctl);
    const a = await c.get('//api/cloud/?include_name&name=Default-Cloud');
    expect(a.status).toBe(200);
    expect(a.json.count).toBe(1);
    expect(a.json.results[0].url).toMatch(/#Default-Cloud$/);
    const uuid = a.json.results[0].uuid as string;
    const b = await c.get(`//api/cloud/${uuid}/?include_name=`);
    expect(b.json.tenant_ref).toBe(`${ctl.url}/api/tenant/admin#admin`);
  });

  test('logout ends the session', async () => {
    const c = await login(ctl);
    expect((await c.post('/logout', {})).status).toBe(200);
    expect((await c.get('/api/tenant')).status).toBe(401);
  });

  test('an idle session expires (401), a fresh login works again', async () => {
    const c = await login(ctl);
    expect((await c.get('/api/tenant')).status).toBe(200);
    await sleep(2500);
    expect((await c.get('/api/tenant')).status).toBe(401);
    expect((await (await login(ctl)).get('/api/tenant')).status).toBe(200);
  });
});

describe('users', () => {
  test('a user created through the API can log in with its password, which is never returned', async () => {
    const c = await login(ctl);
    const u = await c.post('/api/user', { name: 'ako-user', password: 'Ako-Passw0rd', access: [{ role_ref: '/api/role?name=System-Admin', tenant_ref: '/api/tenant?name=admin' }] });
    expect(u.status).toBe(201);
    expect(u.json.password).toBeUndefined();
    expect(u.json.username).toBe('ako-user');
    const found = await c.get('/api/user?name=ako-user&include_service_accounts=true&fields=uuid');
    expect(found.json.results).toEqual([{ url: u.json.url.split('#')[0], uuid: u.json.uuid, name: 'ako-user' }]);
    expect((await login(ctl, 'Ako-Passw0rd', 'ako-user')).cookies.get('csrftoken')).toBeDefined();
    await expect(login(ctl, 'wrong', 'ako-user')).rejects.toThrow(/401/);
    expect((await c.del(`/api/user/${u.json.uuid as string}`)).status).toBe(204);
    await expect(login(ctl, 'Ako-Passw0rd', 'ako-user')).rejects.toThrow(/401/);
  });
});

describe('user tokens and basic auth', () => {
  test('a user token logs in instead of the password, and can be deleted', async () => {
    const c = await login(ctl);
    const created = await c.post('/api/user-token', { hours: '2' });
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^[0-9a-f]{40}$/);
    const list = await c.get('/api/user-token');
    expect(list.json.results.map((t: { uuid: string }) => t.uuid)).toContain(created.json.uuid);
    expect(Date.parse(list.json.results[0].expires_at)).toBeGreaterThan(Date.now());
    const viaToken = await raw(ctl, 'POST', '/login', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', token: created.json.token }),
    });
    expect(viaToken.status).toBe(200);
    expect((await c.del(`/api/user-token/${created.json.uuid as string}`)).status).toBe(204);
    const again = await raw(ctl, 'POST', '/login', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', token: created.json.token }),
    });
    expect(again.status).toBe(401);
  });

  test('basic auth works only once the system configuration allows it', async () => {
    const basic = { Authorization: `Basic ${Buffer.from(`admin:${ctl.adminPassword}`).toString('base64')}`, 'X-Avi-Version': '22.1.3' };
    expect((await raw(ctl, 'GET', '/api/tenant', { headers: basic })).status).toBe(401);
    const c = await login(ctl);
    const sc = await c.get('/api/systemconfiguration');
    const put = await c.put('/api/systemconfiguration', {
      ...sc.json,
      portal_configuration: { ...sc.json.portal_configuration, allow_basic_authentication: true },
    });
    expect(put.status).toBe(200);
    expect((await raw(ctl, 'GET', '/api/tenant', { headers: basic })).status).toBe(200);
    const post = await raw(ctl, 'POST', '/api/tenant', { headers: { ...basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 't-basic' }) });
    expect(post.status).toBe(201);
  });
});
