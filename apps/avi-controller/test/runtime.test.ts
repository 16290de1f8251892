// Runtime and system endpoints: cluster, cluster runtime, system configuration, VS/pool/GSLB runtime, /api/gslb.

import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, type Client } from './helpers.js';

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

test('cluster is a singleton with a stable uuid; cluster runtime has a stable leader', async () => {
  const cl = await c.get('/api/cluster');
  expect(cl.json.uuid).toBe(ctl.clusterUuid);
  expect(cl.json.uuid).toMatch(/^cluster-/);
  expect(cl.json.nodes[0].ip.addr).toBe('127.0.0.1');
  expect(cl.json.count).toBeUndefined();
  const rt1 = await c.get('/api/cluster/runtime');
  expect(rt1.json.cluster_state.state).toBe('CLUSTER_UP_NO_HA');
  expect(rt1.json.node_states[0]).toMatchObject({ role: 'CLUSTER_LEADER', state: 'CLUSTER_ACTIVE' });
  const rt2 = await c.get('/api/cluster/runtime');
  expect(rt2.json.node_states[0].up_since).toBe(rt1.json.node_states[0].up_since);
});

test('systemconfiguration is a singleton (uuid default) and PUT returns 200 with the object', async () => {
  const sc = await c.get('/api/systemconfiguration');
  expect(sc.json.uuid).toBe('default');
  expect(sc.json.url).toBe(`${ctl.url}/api/systemconfiguration`);
  expect(sc.json.default_license_tier).toBe('ENTERPRISE');
  const put = await c.put('/api/systemconfiguration', { ...sc.json, default_license_tier: 'ESSENTIALS' });
  expect(put.status).toBe(200);
  expect(put.json.default_license_tier).toBe('ESSENTIALS');
});

test('/api/gslb is a collection whose leader is this cluster', async () => {
  const g = await c.get('/api/gslb');
  expect(g.json.count).toBe(1);
  expect(g.json.results[0].leader_cluster_uuid).toBe(ctl.clusterUuid);
});

test('virtual service and pool runtime follow configuration, overrides apply', async () => {
  const pool = (await c.post('/api/pool', { name: 'rt-pool', servers: [{ ip: { addr: '127.0.0.5', type: 'V4' }, port: 81 }, { ip: { addr: '127.0.0.6', type: 'V4' }, enabled: false }] })).json;
  const empty = (await c.post('/api/pool', { name: 'rt-empty' })).json;
  const vip = (await c.post('/api/vsvip', { name: 'rt-vip', vip: [{ auto_allocate_ip: true }] })).json;
  const vs = (await c.post('/api/virtualservice', { name: 'rt-vs', services: [{ port: 80 }], vsvip_ref: `/api/vsvip/${vip.uuid as string}`, pool_ref: '/api/pool?name=rt-pool' })).json;
  const vsDown = (await c.post('/api/virtualservice', { name: 'rt-vs-down', services: [{ port: 80 }], vsvip_ref: `/api/vsvip/${vip.uuid as string}`, pool_ref: '/api/pool?name=rt-empty' })).json;

  const prt = await c.get(`/api/pool/${pool.uuid as string}/runtime/`);
  expect(prt.json).toMatchObject({ num_servers: 2, num_servers_enabled: 1, num_servers_up: 1, oper_status: { state: 'OPER_UP' } });
  expect((await c.get(`/api/pool/${empty.uuid as string}/runtime`)).json.oper_status.state).toBe('OPER_DOWN');
  const servers = await c.get(`/api/pool/${pool.uuid as string}/runtime/server/`);
  expect(servers.json.map((s: { ip_addr: { addr: string }; port: number; oper_status: { state: string } }) => [s.ip_addr.addr, s.port, s.oper_status.state])).toEqual([
    ['127.0.0.5', 81, 'OPER_UP'],
    ['127.0.0.6', 80, 'OPER_DISABLED'],
  ]);
  const detail = await c.get(`/api/pool/${pool.uuid as string}/runtime/detail/`);
  expect(detail.json[0].oper_status.state).toBe('OPER_UP');

  const vrt = await c.get(`/api/virtualservice/${vs.uuid as string}/runtime/`);
  expect(vrt.json.oper_status.state).toBe('OPER_UP');
  expect(vrt.json.vip_summary[0]).toMatchObject({ vip_id: '0', ip_address: vip.vip[0].ip_address, oper_status: { state: 'OPER_UP' } });
  expect((await c.get(`/api/virtualservice/${vsDown.uuid as string}/runtime`)).json.oper_status.state).toBe('OPER_DOWN');

  const basic = { Authorization: `Basic ${Buffer.from(`admin:${ctl.adminPassword}`).toString('base64')}`, 'Content-Type': 'application/json' };
  const o = await raw(ctl, 'PUT', `/debug/runtime/${vs.uuid as string}`, { headers: basic, body: JSON.stringify({ state: 'OPER_DOWN' }) });
  expect(o.status).toBe(200);
  expect((await c.get(`/api/virtualservice/${vs.uuid as string}/runtime`)).json.oper_status.state).toBe('OPER_DOWN');
  const joined = await c.get(`/api/virtualservice?name=rt-vs&join_subresources=runtime`);
  expect(joined.json.results[0].runtime.oper_status.state).toBe('OPER_DOWN');
  await raw(ctl, 'DELETE', `/debug/runtime/${vs.uuid as string}`, { headers: basic });
  expect((await c.get(`/api/virtualservice/${vs.uuid as string}/runtime`)).json.oper_status.state).toBe('OPER_UP');

  await c.put(`/api/virtualservice/${vs.uuid as string}`, { ...(await c.get(`/api/virtualservice/${vs.uuid as string}`)).json, enabled: false });
  expect((await c.get(`/api/virtualservice/${vs.uuid as string}/runtime`)).json.oper_status.state).toBe('OPER_DISABLED');
});

test('GSLB service runtime reports members and follows the member VS state', async () => {
  const vs = (await c.get('/api/virtualservice?name=rt-vs-down')).json.results[0];
  const gs = (
    await c.post('/api/gslbservice', {
      name: 'rt.example.com',
      domain_names: ['rt.example.com'],
      groups: [{ name: 'g', members: [{ ip: { addr: '127.100.0.50', type: 'V4' } }, { ip: { addr: '127.100.0.51', type: 'V4' }, vs_uuid: vs.uuid, cluster_uuid: ctl.clusterUuid }] }],
    })
  ).json;
  const rt = await c.get(`/api/gslbservice/${gs.uuid as string}/runtime/`);
  expect(rt.status).toBe(200);
  expect(rt.json.oper_status.state).toBe('OPER_UP');
  expect(rt.json.groups[0].members.map((m: { oper_status: { state: string } }) => m.oper_status.state)).toEqual(['OPER_UP', 'OPER_DOWN']);
  expect(rt.json.domain_names).toEqual(['rt.example.com']);
  expect(rt.json.tenant_name).toBe('admin');
});

test('in-process state: objects, DNS records and change notifications after each persisted write', async () => {
  const seen: Array<[string, string, string]> = [];
  const off = ctl.state.onChange((changes) => {
    for (const ch of changes) seen.push([ch.op, ch.type, ch.uuid]);
  });
  const v = (await c.post('/api/vsvip', { name: 'state-vip', vip: [{ auto_allocate_ip: true }], dns_info: [{ fqdn: 'state.avi.internal' }] })).json;
  expect(ctl.state.get(v.uuid)?.type).toBe('vsvip');
  expect(ctl.state.list('vsvip').some((o) => o.name === 'state-vip')).toBe(true);
  expect(ctl.state.lookupDns('state.avi.internal.')[0]?.addresses).toEqual([v.vip[0].ip_address.addr]);
  await c.del(`/api/vsvip/${v.uuid as string}`);
  off();
  await c.post('/api/pool', { name: 'after-off' });
  expect(seen).toEqual([
    ['put', 'vsvip', v.uuid],
    ['del', 'vsvip', v.uuid],
  ]);
});

test('GslbService writes are refused in GSLB maintenance and on a follower', async () => {
  const g = (await c.get('/api/gslb')).json.results[0];
  const gs = { name: 'lock.example.com', domain_names: ['lock.example.com'] };
  await c.put(`/api/gslb/${g.uuid as string}`, { ...g, maintenance_mode: true });
  const m = await c.post('/api/gslbservice', gs);
  expect(m.status).toBe(400);
  expect(m.json.error).toBe('GSLB system is in maintenance mode.');
  const g2 = (await c.get('/api/gslb')).json.results[0];
  await c.put(`/api/gslb/${g.uuid as string}`, { ...g2, maintenance_mode: false, leader_cluster_uuid: 'cluster-someone-else' });
  expect((await c.post('/api/gslbservice', gs)).json.error).toBe('Config Operations can be done ONLY on leader');
  const g3 = (await c.get('/api/gslb')).json.results[0];
  await c.put(`/api/gslb/${g.uuid as string}`, { ...g3, leader_cluster_uuid: ctl.clusterUuid });
  expect((await c.post('/api/gslbservice', gs)).status).toBe(201);
});
