// The official Avi Go SDK (github.com/vmware/alb-sdk/go, session + clients, version pinned in
// official-clients/go/go.mod) against the controller over HTTPS, verified with the controller's CA, through
// the alb-sdk-probe program. Expected values: the documented answers of a real controller
// (shared/spec/avi-api.md), the Go SDK's README (refs are bare uuids) and its own tests (TestUpdatePassword:
// PUT api/useraccount; getValidTokenV2: POST api/user-token {"hours": "2"}), and the SDK's error texts.

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningController } from '../src/index.js';
import { login, removeDir, start } from './helpers.js';
import { goProbe, goSdk } from './official-clients/run.js';

let probe: string;
let ctl: RunningController;

beforeAll(async () => {
  probe = await goProbe();
  ctl = await start();
}, 600_000);
afterAll(async () => {
  await ctl?.close();
  if (ctl) removeDir(ctl.dataDir);
});

const ref = (type: string, uuid: string, name?: string) => `${ctl.url}/api/${type}/${uuid}${name ? `#${name}` : ''}`;

describe('Go SDK (alb-sdk) session and clients', () => {
  test('session: password login over verified TLS and SetInsecure, version, wrong password, user tokens', async () => {
    const r = await goSdk(probe, ctl, 'session');
    expect(r.login).toBe('ok');
    expect(r.controller_version).toBe('30.2.1');
    expect(r.tenants).toContain('admin');
    expect(r.default_cloud).toEqual({ uuid: expect.stringMatching(/^cloud-/), vtype: 'CLOUD_NONE' });
    expect(r.logins_with_password_session).toBe(1);
    expect(r.logout).toBe('ok');
    // restRequest logs in on the 401 and once more before its retry: two logins for one 401.
    expect(r.after_logout).toEqual({ logins: 3, unauthorized: 1 });
    expect(r.wrong_password.status).toBe(401);
    expect(r.wrong_password.message).toBe('map[error:Invalid credentials]');
    expect(r.user_token_keys).toContain('token');
    expect(r.token_session_get).toBe(1);
    expect(r.token_callback_session).toEqual({ callbacks: 1 });
    expect(r.insecure_session).toBe('ok');
  });

  test('clients: the README flow (bare-uuid pool_ref/vsvip_ref), refs by name, GetByName, Update, deletes', async () => {
    const r = await goSdk(probe, ctl, 'crud');
    const poolUuid = r.pool_create.uuid as string;
    expect(poolUuid).toMatch(/^pool-[0-9a-f-]{36}$/);
    expect(r.pool_create).toMatchObject({ servers: 1, server_hostname: '10.90.20.12', lb_algorithm: 'LB_ALGORITHM_LEAST_CONNECTIONS' });
    expect(r.vsvip_create.addr).toBe('10.90.20.51');
    expect(r.vs_uuid_refs.pool_ref).toBe(ref('pool', poolUuid, 'go-pool'));
    expect(r.vs_uuid_refs.vsvip_ref).toBe(ref('vsvip', r.vsvip_create.uuid, 'go-vip'));
    expect(r.vs_uuid_refs.application_profile_ref).toMatch(/#System-HTTP$/);
    // A GET without include_name renders refs without `#name`.
    expect(r.vs_get).toEqual({ name: 'go-vs', pool_ref: ref('pool', poolUuid), vsvip_ref: ref('vsvip', r.vsvip_create.uuid) });
    expect(r.vs_name_refs.pool_ref).toBe(ref('pool', poolUuid, 'go-pool'));
    expect(r.vs_name_refs.vsvip_ref).toMatch(/\/api\/vsvip\/vsvip-[0-9a-f-]{36}#go-vip2$/);
    expect(r.pool_by_name).toBe(poolUuid);
    expect(r.pool_update).toBe('LB_ALGORITHM_ROUND_ROBIN');
    expect(r.pool_by_name_missing.error).toBe('No object of type pool with name no-such-pool is found');
    expect(r.pool_delete_referenced.status).toBe(403);
    expect(r.pool_delete_referenced.message).toMatch(/^map\[error:Cannot delete, object is referred by: \[.*'VirtualService go-vs'/);
    expect(r.vs_delete).toBe('ok');
    expect(r.vs_delete_by_name).toBe('ok');
    expect(r.pool_delete).toBe('ok');
    expect(r.pool_get_deleted).toMatchObject({ status: 404, message: 'map[error:Pool object not found!]' });
    expect(r.unauthorized_retries).toBe(0);
  });

  test('tenants: SetTenant session and SetOptTenant per call; * sees all', async () => {
    const r = await goSdk(probe, ctl, 'tenants');
    expect(r.tenant_create.name).toBe('go-tenant');
    expect(r.pool_in_tenant.tenant_ref).toBe(ref('tenant', r.tenant_create.uuid, 'go-tenant'));
    expect(r.pool_in_admin).toBe('ok');
    expect(r.pools_tenant).toEqual(['go-pool-in-tenant']);
    expect(r.pools_tenant_session).toEqual(['go-pool-in-tenant']);
    expect(r.pools_admin).toContain('go-pool-in-admin');
    expect(r.pools_admin).not.toContain('go-pool-in-tenant');
    expect(r.pools_all).toEqual(expect.arrayContaining(['go-pool-in-admin', 'go-pool-in-tenant']));
    expect(r.tenant_pool_by_name_from_admin.error).toBe('No object of type pool with name go-pool-in-tenant is found');
    expect([r.pool_delete_in_tenant, r.pool_delete_in_admin, r.tenant_delete]).toEqual(['ok', 'ok', 'ok']);
  });

  test('pagination: GetCollectionRaw with page_size, following next', async () => {
    const r = await goSdk(probe, ctl, 'paging');
    expect(r.pages.map((p: { count: number; results: number }) => [p.count, p.results])).toEqual([[5, 2], [5, 2], [5, 1]]);
    expect(r.pages[2].next).toBe('');
    const next = new URL(r.pages[0].next);
    expect(`${next.origin}${next.pathname}`).toBe(`${ctl.url}/api/pool`);
    expect(next.searchParams.get('page')).toBe('2');
    expect(r.names).toEqual([1, 2, 3, 4, 5].map((i) => `go-page-${i}`));
    expect(r.get_all_page_size_200).toBe(5);
  });

  test('PATCH through PoolClient.Patch (add, delete, replace) and AviSession.Patch add to a nested list', async () => {
    const r = await goSdk(probe, ctl, 'patch');
    expect(r.add_servers).toEqual(['1.1.1.0', '1.1.1.1', '1.1.1.2']);
    expect(r.delete_server).toEqual(['1.1.1.0', '1.1.1.1']);
    expect(r.replace_lb_algorithm).toEqual({ lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN', servers: ['1.1.1.0', '1.1.1.1'] });
    expect(r.nested_add_domains).toEqual(['a.go.example', 'b.go.example']);
    expect(r.nested_add_domains_get).toEqual(['a.go.example', 'b.go.example']);
  });

  test('password change: PUT api/useraccount as in the SDK\'s TestUpdatePassword', async () => {
    const r = await goSdk(probe, ctl, 'password');
    expect(r.new_password_before_change).toMatchObject({ status: 401, message: 'map[error:Invalid credentials]' });
    expect(r.change).toEqual(expect.arrayContaining(['username', 'uuid']));
    expect(r.change).not.toContain('password');
    expect(r.new_password_after_change).toBe('ok');
    expect(r.old_password_login_after_change).toMatchObject({ status: 401 });
    expect(r.change_with_wrong_old_password.status).toBeGreaterThanOrEqual(400);
    expect(r.change_with_wrong_old_password.status).toBeLessThan(500);
    expect(r.change_back).toBe('ok');
    expect(r.original_password_login).toBe('ok');
  });

  test('SetVersion shapes answers: fields introduced after the session\'s version are left out', async () => {
    const r = await goSdk(probe, ctl, 'versions');
    expect(r['create_20.1.1']).toBe('ok');
    // Pool.json: append_port "Field introduced in 21.1.1", pool_type 22.1.1, graceful_hm_down_disable_timeout 30.2.1.
    expect(r['get_20.1.1']).toEqual({ append_port: false, pool_type: false, graceful_hm_down_disable_timeout: false, lb_algorithm: true });
    expect(r['get_30.2.1']).toEqual({ append_port: true, pool_type: true, graceful_hm_down_disable_timeout: true, lb_algorithm: true });
  });

  test('an empty error_page_profile_ref (as the Go AKO sends it) is "not set"; system defaults cannot be deleted', async () => {
    const r = await goSdk(probe, ctl, 'defaults');
    expect(r.vs_empty_ref.error_page_profile_ref).toBe('');
    expect(r.vs_empty_ref.pool_ref).toMatch(/\/api\/pool\/pool-[0-9a-f-]{36}#go-empty-ref-pool$/);
    for (const k of ['delete_system_http', 'delete_default_group']) {
      expect(r[k].status).toBeGreaterThanOrEqual(400);
      expect(r[k].status).toBeLessThan(500);
      expect(r[k].message).toMatch(/system default/i);
    }
    expect(r.system_http_still_there).toBe(true);
  });

  test('typed clients decode every seeded type, the singletons and virtualservice-inventory into the SDK models', async () => {
    const c = await login(ctl);
    expect((await c.post('/api/pool', { name: 'go-typed-pool', servers: [{ ip: { addr: '10.90.40.1', type: 'V4' }, port: 80 }] })).status).toBe(201);
    expect((await c.post('/api/vsvip', { name: 'go-typed-vip', vip: [{ vip_id: '0', ip_address: { addr: '10.90.40.2', type: 'V4' } }] })).status).toBe(201);
    expect((await c.post('/api/virtualservice', {
      name: 'go-typed-vs', services: [{ port: 80 }], pool_ref: '/api/pool?name=go-typed-pool', vsvip_ref: '/api/vsvip?name=go-typed-vip',
    })).status).toBe(201);
    const r = await goSdk(probe, ctl, 'typed');
    // Seeded (README "Seed"): one cloud, SE group, tenant, user and GSLB config, VRFs global and management, the
    // avi-ipam and avi-dns profiles, vip-network, the System-* profiles, monitors and certificates, five roles.
    const atLeast: Record<string, number> = {
      tenant: 1, cloud: 1, serviceenginegroup: 1, vrfcontext: 2, network: 1, ipamdnsproviderprofile: 2, healthmonitor: 1,
      applicationprofile: 1, networkprofile: 1, applicationpersistenceprofile: 1, sslprofile: 1, sslkeyandcertificate: 1,
      analyticsprofile: 1, wafpolicy: 1, role: 5, user: 1, gslb: 1, virtualservice: 1, vsvip: 1, pool: 1,
      virtualservice_inventory: 1, cluster_nodes: 1,
    };
    for (const [type, n] of Object.entries(atLeast)) expect([type, r[type] >= n ? 'ok' : r[type]]).toEqual([type, 'ok']);
    for (const type of ['poolgroup', 'httppolicyset', 'stringgroup', 'errorpageprofile']) expect([type, typeof r[type]]).toEqual([type, 'number']);
    expect(r.systemconfiguration).toEqual({ uuid: 'default', dns_configuration: true, email_configuration: true, global_tenant_config: true, portal_configuration: true });
    expect(r.controllerproperties).toEqual({ api_idle_timeout: 15 });
  });
});

describe('Go SDK (alb-sdk) analytics with the data plane', () => {
  let dp: RunningController;
  let backend: Server;
  const net = `127.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  const vsPort = 20000 + Math.floor(Math.random() * 20000);

  beforeAll(async () => {
    dp = await start({ dataplane: true, vipNetwork: { name: 'vip-network', subnet: `${net}.0/24`, begin: `${net}.10`, end: `${net}.200` } });
    backend = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await dp?.close();
    if (dp) removeDir(dp.dataDir);
    await new Promise((r) => backend?.close(r));
  });

  const get = (ip: string, path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: ip, port: vsPort, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  test('GET analytics/metrics/virtualservice/<uuid> answers series whose values follow the traffic', async () => {
    const c = await login(dp);
    const port = (backend.address() as AddressInfo).port;
    expect((await c.post('/api/pool', { name: 'go-m-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port }] })).status).toBe(201);
    const vip = await c.post('/api/vsvip', { name: 'go-m-vip', vip: [{ vip_id: '0', auto_allocate_ip: true }] });
    const addr = vip.json.vip[0].ip_address.addr as string;
    const vs = await c.post('/api/virtualservice', {
      name: 'go-m-vs', services: [{ port: vsPort }], pool_ref: '/api/pool?name=go-m-pool', vsvip_ref: '/api/vsvip?name=go-m-vip',
    });
    expect(vs.status).toBe(201);
    await dp.dataplane!.settled();
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push(await get(addr, `/r${i}`));
    expect(statuses).toEqual(Array(10).fill(200));

    const r = await goSdk(probe, dp, 'metrics', ['-vs', 'go-m-vs']);
    const m = r.vs_metrics;
    expect(m.entity_uuid).toBe(vs.json.uuid);
    expect(m.metric_entity).toBe('VSERVER_METRICS_ENTITY');
    const byName = Object.fromEntries(
      (m.series as Array<{ header: { name: string }; data: Array<{ timestamp: string; value: number }> }>).map((s) => [s.header.name, s.data]),
    );
    expect(Object.keys(byName).sort()).toEqual(['l4_client.avg_bandwidth', 'l7_client.avg_complete_responses']);
    expect(byName['l7_client.avg_complete_responses']).toHaveLength(1);
    expect(byName['l7_client.avg_complete_responses']![0]!.value).toBeGreaterThan(0);
    expect(byName['l4_client.avg_bandwidth']![0]!.value).toBeGreaterThan(0);
  });
});
