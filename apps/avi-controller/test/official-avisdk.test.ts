// The official Avi Python SDK (avisdk from PyPI, pinned in official-clients/python/requirements.txt) against
// the controller over HTTPS, verified with the controller's CA. Each script prints what the SDK returned;
// expected values are the documented answers of a real controller (shared/spec/avi-api.md: login body,
// 201 on POST, `#name` on write answers, 403 "Cannot delete, object is referred by", 404 "<Model> object not
// found!", `Tenant '<t>' does not exist!`, DOC-PATCH; the avi_useraccount module's password change; the
// metrics API guide: `entity_uuid`, `metric_entity`, `series[].header.name`, `data[].timestamp/value`).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import type { RunningController } from '../src/index.js';
import { removeDir, start, tempDir } from './helpers.js';
import { AVISDK_VERSION, avisdk, avisdkPython } from './official-clients/run.js';

let python: string;
let ctl: RunningController;

beforeAll(async () => {
  python = await avisdkPython();
  ctl = await start();
}, 300_000);
afterAll(async () => {
  await ctl?.close();
  if (ctl) removeDir(ctl.dataDir);
});

const ref = (type: string, uuid: string, name?: string) => `${ctl.url}/api/${type}/${uuid}${name ? `#${name}` : ''}`;

describe(`avisdk ${AVISDK_VERSION}`, () => {
  test('sessions: password login over verified TLS, wrong password, user-token login, X-Avi-Tenant-UUID', async () => {
    const r = await avisdk(python, ctl, 'session_login');
    expect(r.remote_api_version.Version).toBe('30.2.1');
    expect(r.tenants).toContain('admin');
    expect(r.tenant_by_uuid_header).toBe(1);
    expect(r.default_cloud).toEqual({ uuid: expect.stringMatching(/^cloud-/), vtype: 'CLOUD_NONE' });
    expect(r.logins).toBe(1);
    expect(r.context_reuse).toEqual({ get: 200, post: 201, logins: 0 });
    expect(r.logout).toBe(200);
    expect([r.after_logout.status, r.after_logout.logins, r.after_logout.unauthorized]).toEqual([200, 2, 1]);
    expect(r.wrong_password).toMatchObject({ type: 'APIError', status: 401, body: { error: 'Invalid credentials' } });
    expect(r.user_token.body.token).toEqual(expect.any(String));
    expect(r.token_login).toEqual({ pools: 200, tenant_header: 'admin' });
    expect(r.wrong_token).toMatchObject({ type: 'APIError', status: 401 });
    // verify=True without the controller's CA: the client refuses the certificate (the CA really is checked).
    expect(r.verify_without_ca.type).toBe('SSLError');
  });

  test('objects: refs by name and by bare uuid, get_object_by_name, put, referenced delete refused, deletes', async () => {
    const r = await avisdk(python, ctl, 'crud');
    expect(r.pool_create.status).toBe(201);
    expect(r.pool_create.body.health_monitor_refs).toEqual([ref('healthmonitor', r.system_http_uuid, 'System-HTTP')]);
    expect(r.pool_create.body.servers[0].hostname).toBe('10.10.1.1');
    expect(r.vs_name_refs.status).toBe(201);
    expect(r.vs_name_refs.body.pool_ref).toBe(ref('pool', r.pool_uuid, 'py-pool'));
    expect(r.vs_name_refs.body.cloud_ref).toMatch(/#Default-Cloud$/);
    // The Go SDK README form: `"pool_ref": "pool-<uuid>"`, `"vsvip_ref": "vsvip-<uuid>"`.
    expect(r.vs_uuid_refs.status).toBe(201);
    expect(r.vs_uuid_refs.body.pool_ref).toBe(ref('pool', r.pool_uuid, 'py-pool'));
    expect(r.vs_uuid_refs.body.vsvip_ref).toBe(ref('vsvip', r.vsvip2_uuid, 'py-vip2'));
    expect(r.vs_by_name.pool_ref).toBe(ref('pool', r.pool_uuid, 'py-pool'));
    expect(r.pool_put.status).toBe(200);
    expect(r.pool_put.body.lb_algorithm).toBe('LB_ALGORITHM_ROUND_ROBIN');
    expect(r.pool_delete_referenced.status).toBe(403);
    expect(r.pool_delete_referenced.body.error).toMatch(/^Cannot delete, object is referred by: \[.*'VirtualService py-vs'/);
    expect(r.pool_delete_referenced.body.error).toContain("'VirtualService py-vs-uuid'");
    expect(r.vs_delete_by_name.status).toBe(204);
    expect(r.vs_uuid_delete_by_name.status).toBe(204);
    expect(r.pool_delete.status).toBe(204);
    expect(r.pool_get_deleted).toEqual({ status: 404, body: { error: 'Pool object not found!' } });
    expect(r.by_name_missing).toBeNull();
    expect(r.force_uuid).toEqual({ uuid: 'pool-force-42', url: ref('pool', 'pool-force-42', 'py-forced') });
  });

  test('tenants: objects per tenant by X-Avi-Tenant, X-Avi-Tenant-UUID and a tenant session; * sees all', async () => {
    const r = await avisdk(python, ctl, 'tenants');
    expect(r.tenant_create.status).toBe(201);
    expect(r.pool_in_tenant.body.tenant_ref).toBe(ref('tenant', r.tenant_create.body.uuid, 'py-tenant'));
    expect(r.pool_by_tenant_session.body.tenant_ref).toBe(ref('tenant', r.tenant_create.body.uuid, 'py-tenant'));
    expect(r.pools_admin).toContain('py-pool-a');
    expect(r.pools_admin).not.toContain('py-pool-t');
    expect(r.pools_tenant).toEqual(['py-pool-t', 'py-pool-t2']);
    expect(r.pools_tenant_uuid).toEqual(['py-pool-t', 'py-pool-t2']);
    expect(r.pools_tenant_session).toEqual(['py-pool-t', 'py-pool-t2']);
    expect(r.pools_all).toEqual(expect.arrayContaining(['py-pool-a', 'py-pool-t', 'py-pool-t2']));
    expect(r.unknown_tenant).toEqual({ status: 403, body: { error: "Tenant 'no-such-tenant' does not exist!" } });
    expect(r['delete_py-pool-t'].status).toBe(204);
    expect(r.tenant_delete.status).toBe(204);
  });

  test('pagination: page_size and next; get_objects_iter follows next page by page', async () => {
    const r = await avisdk(python, ctl, 'paging');
    expect(r.first_page.count).toBe(7);
    expect(r.first_page.names).toEqual(['py-page-1', 'py-page-2', 'py-page-3']);
    const next = new URL(r.first_page.next);
    expect(`${next.origin}${next.pathname}`).toBe(`${ctl.url}/api/pool`);
    expect(Object.fromEntries(next.searchParams)).toEqual({ page: '2', page_size: '3', sort: 'name' });
    expect(r.last_page).toEqual({ count: 7, names: ['py-page-7'], next: null });
    expect(r.iter_names).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `py-page-${i}`));
    expect(r.iter_requests).toEqual([
      '/api/pool?page_size=3&sort=name',
      '/api/pool?page_size=3&sort=name&page=2',
      '/api/pool?page_size=3&sort=name&page=3',
    ]);
    expect(r.bad_page_size.status).toBe(400);
    expect(r.bad_page_size.body.error).toEqual(expect.any(String));
  });

  test('PATCH add/delete/replace (DOC-PATCH), and add to a nested list', async () => {
    const r = await avisdk(python, ctl, 'patch');
    expect(r.add_servers).toMatchObject({ status: 200, servers: ['1.1.1.0', '1.1.1.1', '1.1.1.2'] });
    expect(r.delete_server).toMatchObject({ status: 200, servers: ['1.1.1.0', '1.1.1.1'] });
    expect(r.replace_lb_algorithm).toEqual({ status: 200, servers: ['1.1.1.0', '1.1.1.1'], lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' });
    expect(r.bad_op.status).toBe(400);
    expect(r.nested_add).toEqual(['a.py.example', 'b.py.example']);
    expect(r.nested_add_get).toEqual(['a.py.example', 'b.py.example']);
  });

  test('two sessions of one user send duplicate cookie names; the last value counts, no 401 and no re-login', async () => {
    const r = await avisdk(python, ctl, 'cookies');
    const write = r.a_exchanges.find((e: { method: string; path: string }) => e.method === 'POST' && e.path === '/api/pool');
    // What avisdk sends: its own jar's cookies first, then the shared session's (precondition of this test).
    const csrf = [...write.cookie.matchAll(/(?:^|; )csrftoken=([^;]+)/g)].map((m: RegExpMatchArray) => m[1]);
    expect(csrf).toHaveLength(2);
    expect(csrf[0]).not.toBe(csrf[1]);
    expect([r.a_post, r.b_post, r.a_put, r.a_delete]).toEqual([201, 201, 200, 204]);
    expect(r.a_exchanges.filter((e: { status: number }) => e.status === 401)).toEqual([]);
    expect(r.a_exchanges.filter((e: { path: string }) => e.path === '/login')).toHaveLength(1);
  });

  test('password change through PUT useraccount (avi_useraccount module): new password in, old out', async () => {
    const r = await avisdk(python, ctl, 'password');
    expect(r.change.status).toBe(200);
    expect(r.change.body).not.toHaveProperty('password');
    expect(r.login_new_password).toBe(200);
    expect(r.login_old_password).toMatchObject({ status: 401, body: { error: 'Invalid credentials' } });
    expect(r.change_wrong_old_password.status).toBeGreaterThanOrEqual(400);
    expect(r.change_wrong_old_password.status).toBeLessThan(500);
    expect(r.login_after_refused_change).toBe(200);
    expect(r.change_back).toBe(200);
    expect(r.login_original_password).toBe(200);
  });

  test('X-Avi-Version shapes answers: fields introduced after the requested version are left out', async () => {
    const r = await avisdk(python, ctl, 'versions');
    expect(r.create_at_20_1_1).toMatch(/^pool-/);
    // Pool.json: append_port and server_disable_type "Field introduced in 21.1.1", pool_type 22.1.1,
    // graceful_hm_down_disable_timeout 30.2.1; lb_algorithm is older than all of them.
    expect(r['get_20.1.1']).toEqual(['lb_algorithm']);
    expect(r['get_22.1.1']).toEqual(['append_port', 'lb_algorithm', 'pool_type', 'server_disable_type']);
    expect(r['get_30.2.1']).toEqual(['append_port', 'graceful_hm_down_disable_timeout', 'lb_algorithm', 'pool_type', 'server_disable_type']);
    expect(r.session_20_1_1).toEqual(['lb_algorithm']);
    expect(r.newer_than_controller.status).toBe(400);
  });

  test('empty refs mean "not set"; system default objects cannot be deleted', async () => {
    const r = await avisdk(python, ctl, 'system_defaults');
    expect(r.vs_empty_refs).toEqual({ status: 201, error: null, set: [] });
    for (const [t, n] of [['healthmonitor', 'System-HTTP'], ['applicationprofile', 'System-HTTP'], ['cloud', 'Default-Cloud'],
      ['serviceenginegroup', 'Default-Group'], ['tenant', 'admin']]) {
      const del = r[`delete_${t}_${n}`];
      expect([t, n, del.status]).toEqual([t, n, expect.any(Number)]);
      expect(del.status).toBeGreaterThanOrEqual(400);
      expect(del.status).toBeLessThan(500);
      expect(del.body.error).toMatch(/system default/i);
      expect(r[`still_there_${t}_${n}`]).toBe(true);
    }
  });

  test('a Tenant-Admin of one tenant works there and gets 403 in the others and for a superuser', async () => {
    const r = await avisdk(python, ctl, 'tenant_access');
    expect(r.create_user).toBe(201);
    expect(r.create_in_own_tenant.status).toBe(201);
    expect(r.create_in_own_tenant.body.tenant_ref).toBe(ref('tenant', r.t1_uuid, 'py-t1'));
    expect(r.list_own_tenant).toEqual(['py-t1-pool']);
    for (const k of ['list_admin_tenant', 'get_admin_object', 'delete_admin_object', 'list_other_tenant', 'put_other_tenant_object', 'create_superuser']) {
      expect([k, r[k].status]).toEqual([k, 403]);
      expect(r[k].body.error).toEqual(expect.any(String));
    }
    expect(r.admin_object_still_there).toBe('py-admin-only');
  });

  test('Basic authentication: refused by default, allowed by a GET-modify-PUT of systemconfiguration, no login', async () => {
    const r = await avisdk(python, ctl, 'basic_auth');
    // avisdk retries a 401 with the same Authorization header, then raises APIError.
    expect(r.before_enabled).toMatchObject({ type: 'APIError', status: 401 });
    expect(r.enable).toEqual({ status: 200, allow: true });
    expect(r.post).toBe(201);
    expect(r.get).toEqual(['py-basic']);
    expect(r.requests.filter((e: { path: string }) => e.path === '/login')).toEqual([]);
    expect(r.wrong_password).toMatchObject({ type: 'APIError', status: 401 });
  });

  test('certificates: ApiUtils.import_ssl_certificate, and generation with certificate.self_signed + subject', async () => {
    const ca = await createCA('py-import-ca');
    const issued = await issueCertificate(ca, { commonName: 'import.py.example', dnsNames: ['import.py.example'], usage: 'server' });
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'cert.pem'), issued.certPem);
      writeFileSync(join(dir, 'key.pem'), issued.keyPem);
      const r = await avisdk(python, ctl, 'certificates', ['--cert-file', join(dir, 'cert.pem'), '--key-file', join(dir, 'key.pem')]);
      expect(r.import).toMatchObject({ status: 201, type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE', subject_cn: 'import.py.example', issuer_cn: 'py-import-ca' });
      expect(r.generate).toMatchObject({ status: 201, subject_cn: 'gen.py.example', issuer_cn: 'gen.py.example', self_signed: true });
      expect(Date.parse(r.generate.not_after)).toBeGreaterThan(Date.now());
      // The PEM the controller generated, as a GET answers it, decoded by Python's ssl module.
      expect(r.get_generated).toMatchObject({ status: 200, subject_cn: 'gen.py.example' });
      expect(r.get_generated.decoded).toEqual({ subject_cn: ['gen.py.example'], issuer_cn: ['gen.py.example'], dns_names: ['gen.py.example', 'www.gen.py.example'] });
      // A certificate that does not parse: 500 "Import error ... common_name" (spec §3.6; AKO's SSLImportError).
      expect(r.import_garbage.status).toBe(500);
      expect(r.import_garbage.error).toMatch(/Import error.*common_name/);
    } finally {
      removeDir(dir);
    }
  });
});

describe(`avisdk ${AVISDK_VERSION} ApiUtils metrics with the data plane`, () => {
  let dp: RunningController;
  const net = `127.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  const vsPort = 20000 + Math.floor(Math.random() * 20000);
  beforeAll(async () => {
    dp = await start({ dataplane: true, vipNetwork: { name: 'vip-network', subnet: `${net}.0/24`, begin: `${net}.10`, end: `${net}.200` } });
  });
  afterAll(async () => {
    await dp?.close();
    if (dp) removeDir(dp.dataDir);
  });

  type Series = { header: { name: string; entity_uuid?: string }; data?: Array<{ timestamp: string; value: number }> };
  const lastValue = (body: { series?: Series[] }, id: string): number => {
    const s = (body.series ?? []).find((x) => x.header.name === id);
    return s?.data?.at(-1)?.value ?? 0;
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let r: any;
  beforeAll(async () => {
    r = await avisdk(python, dp, 'metrics', ['--vs-port', String(vsPort), '--ok', '12', '--missing', '4']);
  }, 120_000);

  test('get_metrics answers the metric series of the VS, with numbers that move with the traffic sent', () => {
    expect(r.traffic_statuses).toEqual([...Array(12).fill(200), ...Array(4).fill(404)]);
    const after = r.after;
    expect(after.entity_uuid).toBe(r.vs_uuid);
    expect(after.metric_entity).toBe('VSERVER_METRICS_ENTITY');
    expect((after.series as Series[]).map((s) => s.header.name).sort()).toEqual(
      ['l4_client.avg_bandwidth', 'l4_client.avg_new_established_conns', 'l7_client.avg_complete_responses',
        'l7_client.avg_resp_4xx', 'l7_client.avg_resp_5xx', 'l7_client.avg_total_time'].sort(),
    );
    for (const s of after.series as Series[]) {
      expect(s.data!.length).toBe(1); // the SDK's defaults: step=300, limit=1
      expect(Number.isNaN(Date.parse(s.data![0]!.timestamp))).toBe(false);
      expect(typeof s.data![0]!.value).toBe('number');
    }
    for (const id of ['l7_client.avg_complete_responses', 'l4_client.avg_bandwidth', 'l4_client.avg_new_established_conns']) {
      expect(lastValue(after, id)).toBeGreaterThan(lastValue(r.before, id));
    }
    expect(lastValue(after, 'l7_client.avg_resp_4xx')).toBeGreaterThan(0);
    expect(lastValue(after, 'l7_client.avg_resp_5xx')).toBe(0);
    expect(lastValue(after, 'l7_client.avg_total_time')).toBeGreaterThan(0);
    expect(r.unknown_vs.status).toBe(404);
  });

  test('get_metrics over a window (step=300, limit=3) and for a pool', () => {
    const window = (r.after_window.series as Series[])[0]!.data!;
    expect(window.length).toBeGreaterThanOrEqual(1);
    expect(window.length).toBeLessThanOrEqual(3);
    const ts = window.map((d) => Date.parse(d.timestamp));
    for (let i = 1; i < ts.length; i++) expect((ts[i]! - ts[i - 1]!) % 300_000).toBe(0);
    expect(lastValue(r.pool, 'l4_server.avg_new_established_conns')).toBeGreaterThan(0);
  });

  test('the healthscore API answers a score in 0..100', () => {
    expect(r.healthscore_api.status).toBe(200);
    const score = r.healthscore_api.body.series[0].data.at(-1).value;
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
  });

  test('ApiUtils.get_healthscore (GET analytics/metrics/virtualservice/<uuid>?step=300&limit=1, no metric_id) answers', () => {
    expect(r.healthscore_utils.error).toBeUndefined();
    expect(Array.isArray(r.healthscore_utils.series)).toBe(true);
  });
});
