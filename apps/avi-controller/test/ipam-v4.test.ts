// IPv4 IPAM: an auto-allocated VsVip vip gets the lowest address of the network's static VIP ranges that no other
// VsVip holds, whatever was allocated and freed before (a freed address is given again before higher ones), an
// address held as a static ip_address is skipped, a VsVip may be given its own address again, an exhausted range is
// a 400 naming the network. Expected addresses written by hand.
import type { RunningController } from '../src/index.js';
import { login, removeDir, start, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;

beforeAll(async () => {
  ctl = await start();
  c = await login(ctl);
  const r = await c.post('/api/network', {
    name: 'four-net',
    cloud_ref: '/api/cloud/?name=Default-Cloud',
    configured_subnets: [{ prefix: { ip_addr: { addr: '127.105.0.0', type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: '127.105.0.10', type: 'V4' }, end: { addr: '127.105.0.15', type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] }],
  });
  if (r.status !== 201) throw new Error(`network: ${r.status} ${r.text}`);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

const net = { network_ref: '/api/network/?name=four-net' };
const auto = (vipId = '0') => ({ vip_id: vipId, auto_allocate_ip: true, ipam_network_subnet: net });

async function create(name: string, vip: Record<string, unknown> = auto()): Promise<{ uuid: string; addr: string }> {
  const r = await c.post('/api/vsvip', { name, vip: [vip] });
  if (r.status !== 201) throw new Error(`${name}: ${r.status} ${r.text}`);
  return { uuid: r.json.uuid as string, addr: r.json.vip[0].ip_address.addr as string };
}
const del = async (uuid: string) => expect((await c.del(`/api/vsvip/${uuid}`)).status).toBe(204);
const ip = (last: number) => `127.105.0.${last}`;

test('the lowest free address, freed ones first, static ones skipped, own one again, exhaustion a 400', async () => {
  const a = await create('four-a');
  const b = await create('four-b');
  const cc = await create('four-c');
  expect([a.addr, b.addr, cc.addr]).toEqual([ip(10), ip(11), ip(12)]);

  await del(b.uuid);
  const d = await create('four-d');
  expect(d.addr).toBe(ip(11));

  const e = await create('four-e', { vip_id: '0', ip_address: { addr: ip(13), type: 'V4' } });
  expect(e.addr).toBe(ip(13));
  const f = await create('four-f');
  expect(f.addr).toBe(ip(14));

  // A VsVip that held a static address and asks for one to be allocated may be given its own again.
  const put = await c.put(`/api/vsvip/${e.uuid}`, { name: 'four-e', vip: [auto()] });
  expect([put.status, put.json.vip?.[0]?.ip_address]).toEqual([200, { addr: ip(13), type: 'V4' }]);

  const g = await create('four-g');
  expect(g.addr).toBe(ip(15));
  const full = await c.post('/api/vsvip', { name: 'four-h', vip: [auto()] });
  expect(full.status).toBe(400);
  expect(full.json).toEqual({ error: 'No available free IPs in network four-net' });

  await del(f.uuid);
  await del(d.uuid);
  expect((await create('four-i')).addr).toBe(ip(11));
  expect((await create('four-j')).addr).toBe(ip(14));
  await del(e.uuid);
  expect((await create('four-k')).addr).toBe(ip(13));
});

test('two auto-allocated vips of one VsVip get two addresses', async () => {
  for (const name of ['four-i', 'four-j', 'four-k', 'four-c', 'four-g', 'four-a']) {
    const uuid = (await c.get(`/api/vsvip?name=${name}`)).json.results[0].uuid as string;
    await del(uuid);
  }
  const r = await c.post('/api/vsvip', { name: 'four-two', vip: [auto('0'), auto('1')] });
  expect(r.status).toBe(201);
  expect(r.json.vip.map((v: { ip_address: { addr: string } }) => v.ip_address.addr)).toEqual([ip(10), ip(11)]);
  expect((await create('four-next')).addr).toBe(ip(12));
});
