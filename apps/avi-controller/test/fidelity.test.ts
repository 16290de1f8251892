// What the official clients rely on that a real controller does: empty refs are "not set", bare-uuid refs,
// repeated cookies, system defaults that cannot be deleted, name limits, Referer on writes, X-Avi-Version shaping,
// full SystemConfiguration/Tenant defaults, nested PATCH.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, uuidOf, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;

beforeAll(async () => {
  ctl = await start();
  c = await login(ctl);
  c.version = '30.2.1';
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

describe('empty refs are "not set"', () => {
  test('a VS with error_page_profile_ref "" (as the Go AKO posts every VS) is created without the field', async () => {
    const vip = await c.post('/api/vsvip', { name: 'er-vip', vip: [{ auto_allocate_ip: true }], vsvip_cloud_config_cksum: '' });
    expect(vip.status).toBe(201);
    const res = await c.post('/api/virtualservice', {
      name: 'er-vs',
      vsvip_ref: `/api/vsvip/${vip.json.uuid as string}`,
      services: [{ port: 80 }],
      error_page_profile_ref: '',
      pool_group_ref: '',
      ssl_profile_ref: '',
      http_policies: [],
      vs_datascripts: [{ index: 1, vs_datascript_set_ref: '' }],
      ssl_key_and_certificate_refs: ['', ''],
    });
    expect(res.status).toBe(201);
    expect(res.json.error_page_profile_ref).toBeUndefined();
    expect(res.json.pool_group_ref).toBeUndefined();
    expect(res.json.ssl_key_and_certificate_refs).toEqual([]);
    expect(res.json.vs_datascripts[0].vs_datascript_set_ref).toBeUndefined();
    // and a PUT of the same shape is accepted too
    const put = await c.put(`/api/virtualservice/${res.json.uuid as string}`, { ...res.json, error_page_profile_ref: '' });
    expect(put.status).toBe(200);
  });

  test('a ref that is not empty and not a ref is still refused', async () => {
    const res = await c.post('/api/pool', { name: 'bad-ref', health_monitor_refs: ['not a ref'] });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Invalid reference 'not a ref' in field health_monitor_refs");
  });
});

describe('bare-uuid refs (the Go SDK examples form)', () => {
  test('"pool_ref": "pool-<uuid>" resolves to the pool', async () => {
    const pool = await c.post('/api/pool', { name: 'bare-pool' });
    const vip = await c.post('/api/vsvip', { name: 'bare-vip', vip: [{ auto_allocate_ip: true }] });
    const vs = await c.post('/api/virtualservice', { name: 'bare-vs', pool_ref: pool.json.uuid, vsvip_ref: vip.json.uuid, services: [{ port: 8080 }] });
    expect(vs.status).toBe(201);
    expect(uuidOf(vs.json.pool_ref)).toBe(pool.json.uuid);
    expect(uuidOf(vs.json.vsvip_ref)).toBe(vip.json.uuid);
    expect(vs.json.pool_ref).toMatch(/#bare-pool$/);
  });

  test('a seeded uuid without a type prefix resolves too (tenant admin)', async () => {
    const res = await c.post('/api/stringgroup', { name: 'bare-sg', type: 'SG_TYPE_STRING', tenant_ref: 'admin' });
    expect(res.status).toBe(201);
    expect(res.json.tenant_ref).toMatch(/\/api\/tenant\/admin#admin$/);
  });

  test('an unknown bare uuid is the not-found answer of its type', async () => {
    const res = await c.post('/api/virtualservice', { name: 'bare-missing', pool_ref: 'pool-00000000-0000-4000-8000-000000000000', services: [{ port: 1 }] });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('Pool object not found!');
  });
});

test('a Cookie header with a repeated name counts with its last value (two avisdk sessions of one user)', async () => {
  const old = await login(ctl);
  const fresh = await login(ctl);
  await old.req('POST', '/logout', {});
  const cookie = [
    `csrftoken=${old.cookies.get('csrftoken')!}`,
    `sessionid=${old.cookies.get('sessionid')!}`,
    `csrftoken=${fresh.cookies.get('csrftoken')!}`,
    `sessionid=${fresh.cookies.get('sessionid')!}`,
  ].join('; ');
  const res = await raw(ctl, 'POST', '/api/stringgroup', {
    headers: { Cookie: cookie, 'X-CSRFToken': fresh.cookies.get('csrftoken')!, Referer: ctl.url, 'Content-Type': 'application/json', 'X-Avi-Version': '30.2.1' },
    body: JSON.stringify({ name: 'cookie-sg', type: 'SG_TYPE_STRING' }),
  });
  expect(res.status).toBe(201);
});

describe('system default objects', () => {
  test.each([
    ['healthmonitor', 'System-HTTP'],
    ['applicationprofile', 'System-L4-Application'],
    ['networkprofile', 'System-TCP-Proxy'],
    ['cloud', 'Default-Cloud'],
    ['serviceenginegroup', 'Default-Group'],
    ['tenant', 'admin'],
    ['role', 'Tenant-Admin'],
    ['sslkeyandcertificate', 'System-Default-Cert'],
  ])('%s %s cannot be deleted', async (type, name) => {
    const list = await c.get(`/api/${type}?name=${name}`);
    expect(list.json.count).toBe(1);
    const uuid = list.json.results[0].uuid as string;
    const res = await c.del(`/api/${type}/${uuid}`);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('Cannot delete system default object');
    expect((await c.get(`/api/${type}/${uuid}`)).status).toBe(200);
  });

  test('a user object of the same kind can be deleted', async () => {
    const hm = await c.post('/api/healthmonitor', { name: 'my-hm', type: 'HEALTH_MONITOR_TCP' });
    expect((await c.del(`/api/healthmonitor/${hm.json.uuid as string}`)).status).toBe(204);
  });
});

describe('names', () => {
  test('255 characters are accepted, 256 are refused with a clear 400', async () => {
    expect((await c.post('/api/stringgroup', { name: 'n'.repeat(255), type: 'SG_TYPE_STRING' })).status).toBe(201);
    const res = await c.post('/api/stringgroup', { name: 'n'.repeat(256), type: 'SG_TYPE_STRING' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('StringGroup: name is 256 characters long; it must not exceed 255 characters');
  });

  test.each([['a\nb'], ['tab\there'], ['nul\u0000'], ['del\u007f']])('a name with a control character (%j) is refused', async (name) => {
    const res = await c.post('/api/stringgroup', { name, type: 'SG_TYPE_STRING' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('StringGroup: name must not contain control characters');
  });

  test('unicode names are fine', async () => {
    expect((await c.post('/api/stringgroup', { name: 'grüße-東京', type: 'SG_TYPE_STRING' })).status).toBe(201);
  });
});

test('a session write without Referer is refused as the CSRF check does; Basic auth needs none', async () => {
  const res = await c.req('POST', '/api/stringgroup', { name: 'no-referer', type: 'SG_TYPE_STRING' }, { Referer: '' });
  expect(res.status).toBe(403);
  expect(res.json.error).toBe('CSRF Failed: Referer checking failed - no Referer.');
  expect((await c.get('/api/stringgroup?name=no-referer')).json.count).toBe(0);
});

describe('X-Avi-Version shapes answers and writes', () => {
  // From Pool.json: graceful_hm_down_disable_timeout "Field introduced in 30.2.1" (default -1), pool_type 22.1.1,
  // append_port 21.1.1, delete_server_on_dns_refresh 18.2.3; name and servers have no version.
  test('a 20.1.1 client does not see fields introduced later; a 30.2.1 client does', async () => {
    const created = await c.post('/api/pool', { name: 'ver-pool', graceful_hm_down_disable_timeout: 7 });
    expect(created.json.graceful_hm_down_disable_timeout).toBe(7);
    const uuid = created.json.uuid as string;
    const old = await c.get(`/api/pool/${uuid}`, { 'X-Avi-Version': '20.1.1' });
    expect(old.json.name).toBe('ver-pool');
    expect(old.json.delete_server_on_dns_refresh).toBe(true);
    for (const k of ['graceful_hm_down_disable_timeout', 'pool_type', 'append_port']) expect(old.json).not.toHaveProperty(k);
    const mid = await c.get(`/api/pool/${uuid}`, { 'X-Avi-Version': '22.1.3' });
    expect(mid.json.pool_type).toBe('POOL_TYPE_GENERIC_APP');
    expect(mid.json).not.toHaveProperty('graceful_hm_down_disable_timeout');
    const list = await c.get('/api/pool?name=ver-pool', { 'X-Avi-Version': '20.1.1' });
    expect(list.json.results[0]).not.toHaveProperty('append_port');
  });

  test('an older client PUTting what it read keeps the newer fields; newer fields it sends are ignored', async () => {
    const created = await c.post('/api/pool', { name: 'ver-pool-2', graceful_hm_down_disable_timeout: 9 });
    const uuid = created.json.uuid as string;
    const old = await c.get(`/api/pool/${uuid}`, { 'X-Avi-Version': '20.1.1' });
    const put = await c.put(`/api/pool/${uuid}`, { ...old.json, description: 'from 20.1.1', append_port: 'ALWAYS' }, { 'X-Avi-Version': '20.1.1' });
    expect(put.status).toBe(200);
    const now = await c.get(`/api/pool/${uuid}`);
    expect(now.json.description).toBe('from 20.1.1');
    expect(now.json.graceful_hm_down_disable_timeout).toBe(9);
    expect(now.json.append_port).toBe('NON_DEFAULT_80_443');
  });
});

describe('SystemConfiguration and Tenant carry their full defaults', () => {
  test('a fresh controller shows the nested settings with their swagger defaults', async () => {
    const sc = (await c.get('/api/systemconfiguration')).json;
    for (const k of ['dns_configuration', 'email_configuration', 'global_tenant_config', 'portal_configuration', 'ntp_configuration', 'linux_configuration']) {
      expect(sc).toHaveProperty(k);
    }
    // SystemConfiguration.json: docker_mode default false; TenantConfiguration defaults from Tenant.json.
    expect(sc.docker_mode).toBe(false);
    expect(sc.email_configuration.smtp_type).toBe('SMTP_LOCAL_HOST');
    expect(sc.global_tenant_config).toMatchObject({ tenant_vrf: false, se_in_provider_context: true, tenant_access_to_provider_se: true });
    const t = await c.post('/api/tenant', { name: 'defaults-t' });
    expect(t.json.config_settings).toMatchObject({ tenant_vrf: false, se_in_provider_context: true, tenant_access_to_provider_se: true });
  });

  test('a PUT without a body is refused and changes nothing; a PUT with the object keeps what it sends', async () => {
    await c.patch('/api/systemconfiguration', { replace: { portal_configuration: { allow_basic_authentication: true } } });
    const empty = await c.req('PUT', '/api/systemconfiguration');
    expect(empty.status).toBe(400);
    const sc = (await c.get('/api/systemconfiguration')).json;
    expect(sc.portal_configuration.allow_basic_authentication).toBe(true);
    expect(sc.portal_configuration.api_force_timeout).toBe(24);
    const put = await c.put('/api/systemconfiguration', sc);
    expect(put.status).toBe(200);
    expect(put.json.portal_configuration.allow_basic_authentication).toBe(true);
    await c.patch('/api/systemconfiguration', { replace: { portal_configuration: { allow_basic_authentication: false } } });
  });
});

test('PATCH add appends to a nested list (internal_profile.dns_service_domain)', async () => {
  const prof = (await c.get('/api/ipamdnsproviderprofile?name=avi-dns')).json.results[0];
  const res = await c.patch(`/api/ipamdnsproviderprofile/${prof.uuid as string}`, { add: { internal_profile: { dns_service_domain: [{ domain_name: 'par.test' }] } } });
  expect(res.status).toBe(200);
  const domains = (res.json.internal_profile.dns_service_domain as Array<{ domain_name: string }>).map((d) => d.domain_name);
  expect(domains).toEqual(['avi.internal', 'par.test']);
  expect(res.json.internal_profile.ttl).toBe(30);
});

test('the data dir files that hold private keys are readable by the owner only', async () => {
  const own = await start();
  try {
    const cl = await login(own);
    await cl.post('/api/stringgroup', { name: 'perm-sg', type: 'SG_TYPE_STRING' });
    expect(statSync(join(own.dataDir, 'objects.journal')).mode & 0o777).toBe(0o600);
    await own.close();
    for (const f of ['objects.journal', 'objects.snapshot.json']) expect(statSync(join(own.dataDir, f)).mode & 0o777).toBe(0o600);
  } finally {
    await own.close();
    removeDir(own.dataDir);
  }
});
