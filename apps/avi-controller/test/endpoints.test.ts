// Endpoints the official clients call besides the object API: certificate generation, inventories, GSLB runtime,
// cluster runtime node_info, licence usage, and Retry-After on 429.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { RunningController } from '../src/index.js';
import { login, removeDir, start, type Client } from './helpers.js';

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

describe('certificate generation (self_signed + subject in the POST)', () => {
  test('an RSA 2048 key (the key_params default) and a certificate for the subject', async () => {
    const res = await c.post('/api/sslkeyandcertificate', {
      name: 'gen-rsa',
      type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE',
      certificate: { self_signed: true, subject: { common_name: 'app.example.com', organization: 'Example' }, days_until_expire: 30 },
    });
    expect(res.status).toBe(201);
    expect(res.json.key).toBeUndefined();
    const x = new X509Certificate(res.json.certificate.certificate as string);
    expect(x.subject).toContain('CN=app.example.com');
    expect(x.subject).toContain('O=Example');
    expect(x.issuer).toBe(x.subject);
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(res.json.certificate.self_signed).toBe(true);
    expect([29, 30]).toContain(res.json.certificate.days_until_expire);
    expect(res.json.key_params.algorithm).toBe('SSL_KEY_ALGORITHM_RSA');
    // the private key is kept (write-only: never answered) and matches the certificate
    expect((await c.get(`/api/sslkeyandcertificate/${res.json.uuid as string}`)).json.key).toBeUndefined();
    const stored = ctl.state.list('sslkeyandcertificate').find((o) => o.name === 'gen-rsa') as { key: string };
    const pub = createPrivateKey(stored.key).asymmetricKeyDetails;
    expect(pub?.modulusLength).toBe(2048);
    expect(x.checkPrivateKey(createPrivateKey(stored.key))).toBe(true);
  });

  test('an EC P-384 key when asked, with the subject alt names', async () => {
    const res = await c.post('/api/sslkeyandcertificate', {
      name: 'gen-ec',
      key_params: { algorithm: 'SSL_KEY_ALGORITHM_EC', ec_params: { curve: 'SSL_KEY_EC_CURVE_SECP384R1' } },
      certificate: { self_signed: true, subject: { common_name: 'ec.example.com' }, subject_alt_names: ['ec.example.com', 'alt.example.com'] },
    });
    expect(res.status).toBe(201);
    const x = new X509Certificate(res.json.certificate.certificate as string);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(x.subjectAltName).toBe('DNS:ec.example.com, DNS:alt.example.com');
  });

  test('no common name, or a bad key size, is a clear 400', async () => {
    const a = await c.post('/api/sslkeyandcertificate', { name: 'gen-bad', certificate: { self_signed: true, subject: {} } });
    expect(a.status).toBe(400);
    expect(a.json.error).toMatch(/common_name is required/);
    const b = await c.post('/api/sslkeyandcertificate', { name: 'gen-bad2', key_params: { rsa_params: { key_size: 'SSL_KEY_1024_BITS' } }, certificate: { self_signed: true, subject: { common_name: 'x' } } });
    expect(b.status).toBe(400);
    expect(b.json.error).toBe('Unsupported RSA key size SSL_KEY_1024_BITS');
  });
});

test('virtualservice-inventory and pool-inventory list {uuid, config, runtime}, with paging', async () => {
  const pool = await c.post('/api/pool', { name: 'inv-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 9 }] });
  const vip = await c.post('/api/vsvip', { name: 'inv-vip', vip: [{ auto_allocate_ip: true }] });
  for (const n of ['inv-a', 'inv-b']) await c.post('/api/virtualservice', { name: n, pool_ref: pool.json.uuid, vsvip_ref: vip.json.uuid, services: [{ port: n === 'inv-a' ? 80 : 81 }] });
  const inv = await c.get('/api/virtualservice-inventory?page_size=1');
  expect(inv.status).toBe(200);
  expect(inv.json.count).toBe(2);
  expect(inv.json.results).toHaveLength(1);
  expect(inv.json.next).toMatch(/\/api\/virtualservice-inventory\?.*page=2/);
  const row = inv.json.results[0];
  expect(row.config.uuid).toBe(row.uuid);
  expect(row.runtime.oper_status.state).toMatch(/^OPER_/);
  // VsRuntimeSummary (the Go SDK model): one vip_summary object, the VS's VIP
  expect(row.runtime.vip_summary.ip_address.addr).toBe(vip.json.vip[0].ip_address.addr);
  const one = await c.get(`/api/pool-inventory/${pool.json.uuid as string}`);
  expect(one.json.config.name).toBe('inv-pool');
  expect(one.json.runtime).toHaveProperty('oper_status');
  expect((await c.get('/api/pool-inventory/pool-00000000-0000-4000-8000-000000000000')).status).toBe(404);
});

test('gslb/<uuid>/runtime shows this controller as the operational leader site', async () => {
  const g = (await c.get('/api/gslb')).json.results[0];
  const rt = await c.get(`/api/gslb/${g.uuid as string}/runtime`);
  expect(rt.status).toBe(200);
  expect(rt.json.leader_cluster_uuid).toBe(ctl.clusterUuid);
  expect(rt.json.site[0].site_info).toMatchObject({ cluster_uuid: ctl.clusterUuid, role: 'GSLB_LEADER', state: 'SITE_STATE_OPERATIONAL', oper_status: { state: 'OPER_UP' } });
});

test('cluster/runtime node_info carries the cluster uuid', async () => {
  const rt = await c.get('/api/cluster/runtime');
  expect(rt.json.node_info.cluster_uuid).toBe(ctl.clusterUuid);
});

test('licenseusage answers the fields licence exporters read', async () => {
  const res = await c.get('/api/licenseusage?limit=365&step=86400');
  expect(res.status).toBe(200);
  for (const k of ['licensed_ses', 'num_ses', 'licensed_cores', 'licensed_service_cores', 'consumed_service_cores', 'num_se_vcpus', 'licensed_sockets', 'num_sockets']) {
    expect(typeof res.json[k]).toBe('number');
  }
  expect(res.json.num_ses).toBe(1);
});

test('a 429 carries Retry-After', async () => {
  await c.req('PUT', '/debug/faults', { throttleRate: 1 });
  try {
    const res = await c.get('/api/pool');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
  } finally {
    await c.req('DELETE', '/debug/faults');
  }
});
