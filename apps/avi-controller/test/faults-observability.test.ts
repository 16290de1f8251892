// Faults on demand, request log, metrics and the tenant dump.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, tempDir, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;
let logFile: string;
let basic: Record<string, string>;

beforeAll(async () => {
  const dir = tempDir();
  logFile = join(dir, 'requests.log');
  ctl = await start({ dataDir: dir, log: logFile });
  c = await login(ctl);
  basic = { Authorization: `Basic ${Buffer.from(`admin:${ctl.adminPassword}`).toString('base64')}`, 'Content-Type': 'application/json' };
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

const setFaults = (body: unknown) => raw(ctl, 'PUT', '/debug/faults', { headers: basic, body: JSON.stringify(body) });
const clearFaults = () => raw(ctl, 'DELETE', '/debug/faults', { headers: basic });

describe('faults', () => {
  afterEach(async () => {
    await clearFaults();
  });

  test('debug endpoints need admin credentials', async () => {
    expect((await raw(ctl, 'GET', '/debug/faults')).status).toBe(401);
    const wrong = { Authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` };
    expect((await raw(ctl, 'GET', '/debug/faults', { headers: wrong })).status).toBe(401);
    expect((await raw(ctl, 'GET', '/debug/faults', { headers: basic })).status).toBe(200);
  });

  test('bad fault settings are 400 and change nothing', async () => {
    expect((await setFaults({ errorRate: 2 })).status).toBe(400);
    expect((await setFaults({ bogus: 1 })).json.error).toMatch(/unknown fault bogus/);
    expect((await raw(ctl, 'GET', '/debug/faults', { headers: basic })).json.errorRate).toBe(0);
  });

  test('errorRate 1 answers the chosen 5xx; throttleRate 1 answers 429', async () => {
    await setFaults({ errorRate: 1, errorStatus: 502 });
    const r = await c.get('/api/pool');
    expect(r.status).toBe(502);
    expect(r.json.error).toMatch(/Injected fault/);
    await setFaults({ errorRate: 0, throttleRate: 1 });
    expect((await c.get('/api/pool')).status).toBe(429);
  });

  test('failNext fails exactly N requests; pathContains scopes a fault', async () => {
    await setFaults({ failNext: 2, pathContains: '/api/vsvip' });
    expect((await c.get('/api/pool')).status).toBe(200);
    expect((await c.get('/api/vsvip')).json).toEqual({ error: 'INITIALIZING' });
    expect((await c.get('/api/vsvip')).status).toBe(503);
    expect((await c.get('/api/vsvip')).status).toBe(200);
  });

  test('a forced 419 or 401 looks like an invalidated session', async () => {
    await setFaults({ failNext: 1, errorStatus: 419 });
    expect((await c.get('/api/pool')).status).toBe(419);
    await setFaults({ failNext: 1, errorStatus: 401, pathContains: '/login' });
    const l = await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ctl.adminPassword }) });
    expect(l.status).toBe(401);
    expect(l.json).toEqual({ error: 'Invalid credentials' });
  });

  test('dropRate 1 closes the connection without an answer', async () => {
    await setFaults({ dropRate: 1 });
    await expect(c.get('/api/pool')).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  test('upgrade lock refuses writes with 403 Configuration is disallowed during upgrade, reads still work', async () => {
    await setFaults({ upgradeInProgress: true });
    const w = await c.post('/api/pool', { name: 'during-upgrade' });
    expect(w.status).toBe(403);
    expect(w.json).toEqual({ error: 'Configuration is disallowed during upgrade' });
    expect((await c.get('/api/pool')).status).toBe(200);
    expect((await login(ctl)).cookies.get('csrftoken')).toBeDefined();
  });

  test('added latency still answers', async () => {
    await setFaults({ latencyMs: 20 });
    expect((await c.get('/api/pool?name=x')).status).toBe(200);
  });

  test('pathContains scopes added latency too: other paths answer while a slowed one waits', async () => {
    await setFaults({ latencyMs: 3000, pathContains: '/api/vsvip' });
    let slowDone = false;
    const slow = c.get('/api/vsvip').then((r) => {
      slowDone = true;
      return r;
    });
    expect((await c.get('/api/pool')).status).toBe(200);
    expect(slowDone).toBe(false);
    expect((await slow).status).toBe(200);
    await setFaults({ latencyMs: 0, pathContains: '' });
  });

  test('expireSessions ends every session: the next call is 401, a new login works', async () => {
    const other = await login(ctl);
    const res = await setFaults({ expireSessions: true });
    expect(res.json.expiredSessions).toBeGreaterThanOrEqual(2);
    expect((await other.get('/api/pool')).status).toBe(401);
    c = await login(ctl);
    expect((await c.get('/api/pool')).status).toBe(200);
  });
});

describe('observability', () => {
  test('metrics count requests by method, object type and status', async () => {
    await c.get('/api/pool?name=x');
    await c.get('/api/nosuch-type-a');
    const m = await raw(ctl, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/text\/plain/);
    expect(m.text).toMatch(/avi_controller_requests_total\{method="GET",object_type="pool",status="200"\} \d+/);
    expect(m.text).toMatch(/avi_controller_requests_total\{method="GET",object_type="other",status="404"\} \d+/);
    expect(m.text).toMatch(/avi_controller_objects \d+/);
  });

  test('the request log is JSON lines with method, path, status, tenant, user agent, duration and no secrets', async () => {
    await c.get('/api/pool?name=logged', { 'X-Avi-UserAgent': 'AKO' });
    await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ctl.adminPassword }) });
    // winston writes asynchronously: wait (bounded) until the lines are in the file
    let text = '';
    for (let i = 0; i < 50 && !(text.includes('/api/pool?name=logged') && text.includes('"/login"')); i++) {
      await new Promise((r) => setTimeout(r, 50));
      text = readFileSync(logFile, 'utf8');
    }
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.path === '/api/pool?name=logged');
    expect(line).toMatchObject({ method: 'GET', status: 200, tenant: 'admin', userAgent: 'AKO', message: 'request' });
    expect(typeof line!.durationMs).toBe('number');
    expect(lines.some((l) => l.path === '/login' && l.status === 200)).toBe(true);
    expect(text).not.toContain(ctl.adminPassword);
  });

  test('the dump lists every object of a tenant', async () => {
    await c.post('/api/tenant', { name: 'dump-t' });
    const t = await login(ctl);
    t.tenant = 'dump-t';
    await t.post('/api/pool', { name: 'dump-pool' });
    const d = await raw(ctl, 'GET', '/debug/dump?tenant=dump-t', { headers: basic });
    expect(d.status).toBe(200);
    expect(d.json.count).toBe(1);
    expect(d.json.objects.pool[0].name).toBe('dump-pool');
    const admin = await raw(ctl, 'GET', '/debug/dump', { headers: basic });
    expect(admin.json.objects.cloud.map((o: { name: string }) => o.name)).toContain('Default-Cloud');
    expect((await raw(ctl, 'GET', '/debug/dump?tenant=none', { headers: basic })).status).toBe(404);
  });

  test('healthz and readyz answer without credentials', async () => {
    expect((await raw(ctl, 'GET', '/healthz')).text).toBe('ok\n');
    expect((await raw(ctl, 'GET', '/readyz')).status).toBe(200);
  });
});
