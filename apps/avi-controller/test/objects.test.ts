// Object API over HTTPS: CRUD, defaults, refs, integrity, uniqueness, queries, paging, PATCH, tenants, macro.

import { createCA, issueCertificate } from '@avi-k8s/pki';
import type { RunningController } from '../src/index.js';
import { login, removeDir, start, uuidOf, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;

beforeAll(async () => {
  ctl = await start();
  c = await login(ctl);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

describe('create, read, update, delete', () => {
  test('POST is 201 with Location, uuid, #name refs, defaults and no unknown fields', async () => {
    const res = await c.post('/api/pool/', {
      name: 'p-basic',
      servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }],
      application_profile_name: 'dropped',
      cloud_config_cksum: '123',
    });
    expect(res.status).toBe(201);
    const p = res.json;
    expect(p.uuid).toMatch(/^pool-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers.location).toBe(`${ctl.url}/api/pool/${p.uuid as string}#p-basic`);
    expect(p.url).toBe(`${ctl.url}/api/pool/${p.uuid as string}#p-basic`);
    expect(p.tenant_ref).toBe(`${ctl.url}/api/tenant/admin#admin`);
    expect(p.cloud_ref).toMatch(/\/api\/cloud\/cloud-.*#Default-Cloud$/);
    expect(p.vrf_ref).toMatch(/\/api\/vrfcontext\/vrfcontext-.*#global$/);
    expect(p.analytics_profile_ref).toMatch(/#System-Analytics-Profile$/);
    expect(p.servers[0]).toMatchObject({ hostname: '127.0.0.1', ratio: 1, enabled: true });
    expect(p.lb_algorithm).toBe('LB_ALGORITHM_LEAST_CONNECTIONS');
    expect(p.default_server_port).toBe(80);
    expect(p.application_profile_name).toBeUndefined();
    expect(p.cloud_config_cksum).toBe('123');
    expect(p._last_modified).toMatch(/^\d{16}$/);

    const got = await c.get(`/api/pool/${p.uuid as string}`);
    expect(got.status).toBe(200);
    expect(got.json.url).toBe(`${ctl.url}/api/pool/${p.uuid as string}`);
    expect(got.json.cloud_ref).not.toContain('#');
    expect(got.json.server_count).toBe(1);
    const named = await c.get(`/api/pool/${p.uuid as string}?include_name=true`);
    expect(named.json.cloud_ref).toMatch(/#Default-Cloud$/);
  });

  test('a virtual service gets the controller defaults and refs by name resolve', async () => {
    await c.post('/api/vsvip', { name: 'vs-d-vip', vip: [{ ip_address: { addr: '127.100.1.5', type: 'V4' } }] });
    await c.post('/api/pool', { name: 'vs-d-pool' });
    const res = await c.post('/api/virtualservice/', {
      name: 'vs-d',
      services: [{ port: 443, enable_ssl: true }],
      vsvip_ref: '/api/vsvip/?name=vs-d-vip',
      pool_ref: '/api/pool?name=vs-d-pool',
      cloud_config_cksum: 42,
    });
    expect(res.status).toBe(201);
    const vs = res.json;
    expect(vs.se_group_ref).toMatch(/#Default-Group$/);
    expect(vs.vrf_context_ref).toMatch(/#global$/);
    expect(vs.application_profile_ref).toMatch(/#System-HTTP$/);
    expect(vs.network_profile_ref).toMatch(/#System-TCP-Proxy$/);
    expect(vs.ssl_profile_ref).toMatch(/#System-Standard-PFS$/);
    expect(vs.services[0].port_range_end).toBe(443);
    expect(vs.vsvip_ref).toMatch(/#vs-d-vip$/);
    expect(vs.cloud_config_cksum).toBe('42');
    expect(vs.enabled).toBe(true);
    expect(vs.type).toBe('VS_TYPE_NORMAL');
  });

  test('unknown refs are the controller errors', async () => {
    const pool = await c.post('/api/poolgroup', { name: 'pg-bad', members: [{ pool_ref: '/api/pool?name=missing' }] });
    expect(pool.status).toBe(404);
    expect(pool.json).toEqual({ error: 'Pool object not found!' });
    const vrf = await c.post('/api/pool', { name: 'p-bad-vrf', vrf_ref: '/api/vrfcontext?name=nope' });
    expect(vrf.status).toBe(400);
    expect(vrf.json.error).toBe('VrfContext object not found!');
  });

  test('duplicate names are 409 ... already exists; cloud-scoped names are per cloud', async () => {
    expect((await c.post('/api/healthmonitor', { name: 'hm-dup', type: 'HEALTH_MONITOR_TCP' })).status).toBe(201);
    const dup = await c.post('/api/healthmonitor', { name: 'hm-dup', type: 'HEALTH_MONITOR_TCP' });
    expect(dup.status).toBe(409);
    expect(dup.json.error).toBe('Health monitor with this Name and Tenant ref already exists.');
    const vrf = await c.post('/api/vrfcontext', { name: 'global' });
    expect(vrf.status).toBe(409);
    expect(vrf.json.error).toBe('Vrf context with this Name, Tenant ref and Cloud ref already exists.');
    const cloud = await c.post('/api/cloud', { name: 'cloud-b', vtype: 'CLOUD_NONE' });
    expect(cloud.status).toBe(201);
    expect((await c.post('/api/vrfcontext', { name: 'global', cloud_ref: '/api/cloud?name=cloud-b' })).status).toBe(201);
  });

  test('PUT replaces, keeps uuid, refuses a stale _last_modified with 412', async () => {
    const p = (await c.post('/api/pool', { name: 'p-put', description: 'one', lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' })).json;
    const put = await c.put(`/api/pool/${p.uuid as string}`, { name: 'p-put', description: 'two' });
    expect(put.status).toBe(200);
    expect(put.json.uuid).toBe(p.uuid);
    expect(put.json.description).toBe('two');
    expect(put.json.lb_algorithm).toBe('LB_ALGORITHM_LEAST_CONNECTIONS');
    expect(put.json.url).toMatch(/#p-put$/);
    expect(Number(put.json._last_modified)).toBeGreaterThan(Number(p._last_modified));
    const stale = await c.put(`/api/pool/${p.uuid as string}`, { ...p, description: 'three' });
    expect(stale.status).toBe(412);
    expect(stale.json.error).toContain('Need to reload object data Pool');
    const vip = (await c.post('/api/vsvip', { name: 'v-412', vip: [{ ip_address: { addr: '127.100.1.6', type: 'V4' } }] })).json;
    await c.put(`/api/vsvip/${vip.uuid as string}`, { ...vip, dns_info: [] });
    expect((await c.put(`/api/vsvip/${vip.uuid as string}`, vip)).json.error).toContain('Need to reload object data VsVip');
  });

  test('DELETE is 204, then 404; a referenced object is 403 with the referrers', async () => {
    const hm = (await c.post('/api/healthmonitor', { name: 'hm-ref', type: 'HEALTH_MONITOR_TCP' })).json;
    const pool = (await c.post('/api/pool', { name: 'custom-pool', health_monitor_refs: ['/api/healthmonitor?name=hm-ref'] })).json;
    const del = await c.del(`/api/healthmonitor/${hm.uuid as string}`);
    expect(del.status).toBe(403);
    expect(del.json.error).toBe("Cannot delete, object is referred by: ['Pool custom-pool']");
    expect((await c.del(`/api/pool/${pool.uuid as string}`)).status).toBe(204);
    const ok = await c.del(`/api/healthmonitor/${hm.uuid as string}`);
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    const again = await c.del(`/api/healthmonitor/${hm.uuid as string}`);
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ error: 'HealthMonitor object not found!' });
    expect((await c.get(`/api/healthmonitor/${hm.uuid as string}`)).status).toBe(404);
  });

  test('PATCH add / replace / delete at depth 1', async () => {
    const p = (await c.post('/api/pool', { name: 'p-patch', servers: [{ ip: { addr: '127.0.0.2', type: 'V4' } }] })).json;
    const u = `/api/pool/${p.uuid as string}`;
    const added = await c.patch(u, { add: { servers: [{ ip: { addr: '127.0.0.3', type: 'V4' } }, { ip: { addr: '127.0.0.4', type: 'V4' } }] } });
    expect(added.status).toBe(200);
    expect(added.json.servers.map((s: { ip: { addr: string } }) => s.ip.addr)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    const removed = await c.patch(u, { delete: { servers: [{ ip: { addr: '127.0.0.3', type: 'V4' } }] } });
    expect(removed.json.servers.map((s: { ip: { addr: string } }) => s.ip.addr)).toEqual(['127.0.0.2', '127.0.0.4']);
    const replaced = await c.patch(u, { replace: { lb_algorithm: 'LB_ALGORITHM_ROUND_ROBIN' } });
    expect(replaced.json.lb_algorithm).toBe('LB_ALGORITHM_ROUND_ROBIN');
    expect((await c.patch(u, { frobnicate: {} })).status).toBe(400);
  });

  test.each(['ssopolicy', 'authprofile', 'icapprofile', 'securitypolicy', 'networksecuritypolicy', 'botdetectionpolicy', 'trafficcloneprofile', 'nsxtsegmentruntime', 'vcenterserver'])(
    'AKO CRD ref validation type %s answers an empty collection',
    async (t) => {
      const res = await c.get(`/api/${t}?name=absent&fields=name,type,labels,created_by`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ count: 0, results: [] });
    },
  );

  test('405 for unsupported verbs, 404 for unknown types', async () => {
    expect((await c.req('DELETE', '/api/pool')).status).toBe(405);
    expect((await c.get('/api/nosuchtype')).status).toBe(404);
    expect((await c.get('/api/pool/%zz')).status).toBe(404);
    const notJson = await c.req('POST', '/api/pool', undefined, { 'Content-Length': '0' });
    expect(notJson.status).toBe(400);
    expect((await c.post('/api/pool', ['not', 'an', 'object'])).status).toBe(400);
    expect((await c.post('/api/pool', { name: 7 })).status).toBe(400);
    expect((await c.post('/api/pool', { name: 'p-badref', vrf_ref: 'not a ref' })).json.error).toMatch(/Invalid reference/);
  });

  test('a Slug header forces the uuid', async () => {
    const res = await c.post('/api/pool', { name: 'p-slug' }, { Slug: 'pool-force-42' });
    expect(res.json.uuid).toBe('pool-force-42');
  });
});

describe('certificates', () => {
  test('the PEM is parsed into metadata, the key is never returned, a bad PEM is 500 Import error', async () => {
    const ca = await createCA('test CA');
    const leaf = await issueCertificate(ca, { commonName: 'app.example.com', dnsNames: ['app.example.com'], usage: 'server' });
    const res = await c.post('/api/sslkeyandcertificate', {
      name: 'app-cert',
      type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE',
      certificate: { certificate: leaf.certPem },
      key: leaf.keyPem,
    });
    expect(res.status).toBe(201);
    expect(res.json.key).toBeUndefined();
    expect(res.json.certificate.subject.common_name).toBe('app.example.com');
    expect(res.json.certificate.issuer.common_name).toBe('test CA');
    expect(res.json.certificate.self_signed).toBe(false);
    expect(res.json.certificate.expiry_status).toBe('SSL_CERTIFICATE_GOOD');
    expect(res.json.certificate.subject_alt_names).toEqual(['app.example.com']);
    expect(res.json.key_params.algorithm).toBe('SSL_KEY_ALGORITHM_EC');
    expect(res.json.status).toBe('SSL_CERTIFICATE_FINISHED');
    const bad = await c.post('/api/sslkeyandcertificate', { name: 'bad-cert', certificate: { certificate: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' }, key: 'x' });
    expect(bad.status).toBe(500);
    expect(bad.json.error).toMatch(/Import error.*common_name/);
  });
});

describe('collection queries', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await c.post('/api/stringgroup', {
        name: `sg-${i}`,
        type: 'SG_TYPE_STRING',
        description: i % 2 === 0 ? 'even' : 'odd',
        markers: [
          { key: 'clustername', values: [i % 2 === 0 ? 'even' : 'odd'] },
          { key: 'created_by', values: [i % 2 === 0 ? 'ako-even' : 'ako-odd'] },
        ],
      });
    }
  });

  test('count is the total, next carries the other parameters, the last page has no next', async () => {
    const p1 = await c.get('/api/stringgroup?name.contains=sg-&page_size=3&include_name');
    expect(p1.json.count).toBe(7);
    expect(p1.json.results).toHaveLength(3);
    expect(p1.json.next).toBe(`${ctl.url}/api/stringgroup?name.contains=sg-&page_size=3&include_name=&page=2`);
    const p3 = await c.get('/api/stringgroup?name.contains=sg-&page_size=3&include_name&page=3');
    expect(p3.json.results.map((r: { name: string }) => r.name)).toEqual(['sg-6']);
    expect(p3.json.next).toBeUndefined();
    const none = await c.get('/api/stringgroup?name=absent');
    expect(none.json).toEqual({ count: 0, results: [] });
  });

  test.each([
    ['name=sg-1', ['sg-1']],
    ['name.in=sg-1,sg-3,zz', ['sg-1', 'sg-3']],
    ['name.icontains=SG-5', ['sg-5']],
    ['description=odd', ['sg-1', 'sg-3', 'sg-5']],
    ['label_key=clustername&label_value=even&name.contains=sg', ['sg-0', 'sg-2', 'sg-4', 'sg-6']],
    ['label_key=created_by&label_value=ako-odd', ['sg-1', 'sg-3', 'sg-5']],
    ['name.contains=sg-&sort=-name&page_size=2', ['sg-6', 'sg-5']],
    ['search=(name,sg-2)', ['sg-2']],
  ])('%s', async (q, names) => {
    const res = await c.get(`/api/stringgroup?${q}`);
    expect(res.json.results.map((r: { name: string }) => r.name)).toEqual(names);
  });

  test('an update keeps the object in its place in listings', async () => {
    const before = (await c.get('/api/stringgroup?name.contains=sg-')).json.results.map((r: { name: string }) => r.name);
    const sg = (await c.get('/api/stringgroup?name=sg-1')).json.results[0];
    expect((await c.put(`/api/stringgroup/${sg.uuid as string}`, { ...sg, _last_modified: undefined })).status).toBe(200);
    expect((await c.get('/api/stringgroup?name.contains=sg-')).json.results.map((r: { name: string }) => r.name)).toEqual(before);
  });

  test('fields projects (uuid, name, url always kept); skip_default omits defaults', async () => {
    const res = await c.get('/api/stringgroup?name=sg-0&fields=description');
    expect(Object.keys(res.json.results[0]).sort()).toEqual(['description', 'name', 'url', 'uuid']);
    const byCreator = await c.get('/api/pool?created_by=ako-x');
    expect(byCreator.json.count).toBe(0);
    await c.post('/api/pool', { name: 'p-created', created_by: 'ako-x' });
    expect((await c.get('/api/pool?created_by=ako-x')).json.results.map((r: { name: string }) => r.name)).toEqual(['p-created']);
    const full = await c.get('/api/pool?name=p-basic');
    const lean = await c.get('/api/pool?name=p-basic&skip_default=true');
    expect(full.json.results[0].lb_algorithm).toBeDefined();
    expect(lean.json.results[0].lb_algorithm).toBeUndefined();
  });

  test('cloud_ref.name, refers_to and referred_by', async () => {
    const seg = await c.get('/api/serviceenginegroup/?include_name&name=Default-Group&cloud_ref.name=Default-Cloud');
    expect(seg.json.count).toBe(1);
    expect((await c.get('/api/serviceenginegroup/?name=Default-Group&cloud_ref.name=cloud-b')).json.count).toBe(0);
    const vs = (await c.get('/api/virtualservice?name=vs-d')).json.results[0];
    const poolUuid = uuidOf(vs.pool_ref);
    const refersTo = await c.get(`/api/virtualservice?refers_to=pool:${poolUuid}`);
    expect(refersTo.json.results.map((r: { name: string }) => r.name)).toEqual(['vs-d']);
    const referredBy = await c.get(`/api/pool?referred_by=virtualservice:${vs.uuid as string}`);
    expect(referredBy.json.results.map((r: { name: string }) => r.name)).toEqual(['vs-d-pool']);
  });

  test('dotted and boolean filters (is_federated) use defaults for absent fields', async () => {
    const fed = await c.get('/api/healthmonitor?is_federated=true&page_size=100');
    const names = fed.json.results.map((r: { name: string }) => r.name);
    expect(names).toContain('System-GSLB-TCP');
    expect(names).not.toContain('System-TCP');
  });
});

describe('tenants', () => {
  test('objects are per tenant; admin system objects are shared; * sees all', async () => {
    expect((await c.post('/api/tenant', { name: 'team-a' })).status).toBe(201);
    const a = await login(ctl);
    a.tenant = 'team-a';
    const pool = await a.post('/api/pool', { name: 'p-basic', health_monitor_refs: ['/api/healthmonitor?name=System-TCP'] });
    expect(pool.status).toBe(201);
    expect(pool.json.tenant_ref).toMatch(/\/api\/tenant\/tenant-.*#team-a$/);
    expect((await a.get('/api/pool?name=p-basic')).json.count).toBe(1);
    expect((await a.get('/api/pool?name=custom-pool')).json.count).toBe(0);
    expect((await a.get('/api/healthmonitor?name=System-TCP')).json.count).toBe(1);
    const all = await c.get('/api/pool?name=p-basic', { 'X-Avi-Tenant': '*' });
    expect(all.json.count).toBe(2);
    const tenantUuid = uuidOf(pool.json.tenant_ref);
    const delTenant = await c.del(`/api/tenant/${tenantUuid}`);
    expect(delTenant.status).toBe(403);
    expect(delTenant.json.error).toContain("'Pool p-basic'");
  });
});

describe('macro API', () => {
  test('creates a hierarchy in one transaction and rolls back on failure', async () => {
    const res = await c.post('/api/macro', {
      model_name: 'VirtualService',
      data: {
        name: 'm-vs',
        services: [{ port: 80 }],
        vsvip_ref_data: { name: 'm-vip', vip: [{ ip_address: { addr: '127.100.1.9', type: 'V4' } }] },
        pool_ref_data: {
          name: 'm-pool',
          servers: [{ ip: { addr: '127.0.0.9', type: 'V4' } }],
          health_monitor_refs_data: [{ name: 'm-hm', type: 'HEALTH_MONITOR_HTTP', http_monitor: { http_response_code: ['HTTP_2XX'] } }],
        },
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.map((o: { name: string }) => o.name)).toEqual(['m-vip', 'm-hm', 'm-pool', 'm-vs']);
    expect(res.json[3].pool_ref).toMatch(/#m-pool$/);

    const bad = await c.post('/api/macro', {
      model_name: 'VirtualService',
      data: { name: 'm-vs2', services: [{ port: 80 }], pool_ref_data: { name: 'm-pool2' }, application_profile_ref: '/api/applicationprofile?name=nope' },
    });
    expect(bad.status).toBe(404);
    expect((await c.get('/api/pool?name=m-pool2')).json.count).toBe(0);

    const del = await c.req('DELETE', '/api/macro', { model_name: 'VirtualService', data: { name: 'm-vs' } });
    expect(del.status).toBe(204);
    for (const [t, n] of [['virtualservice', 'm-vs'], ['pool', 'm-pool'], ['healthmonitor', 'm-hm'], ['vsvip', 'm-vip']]) {
      expect((await c.get(`/api/${t!}?name=${n!}`)).json.count).toBe(0);
    }
    expect((await c.get('/api/cloud?name=Default-Cloud')).json.count).toBe(1);
  });
});
