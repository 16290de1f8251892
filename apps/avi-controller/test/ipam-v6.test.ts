// IPAM for IPv6 VIPs: a VsVip vip with auto_allocate_ip and auto_allocate_ip_type V6_ONLY or V4_V6 gets an
// ip6_address from the static VIP ranges of the network's IPv6 configured subnet (narrowed to the vip's
// ipam_network_subnet.subnet6 when given, as the Go AKO sends it for an AviInfraSetting v6cidr). Field names and
// enum values from the swagger (VsVip.json Vip.auto_allocate_ip_type: V4_ONLY, V6_ONLY, V4_V6; ip6_address;
// IPNetworkSubnet.subnet6); expected addresses written by hand (RFC 5952 text).

import type { RunningController } from '../src/index.js';
import { login, removeDir, start, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;

const v4 = (addr: string) => ({ addr, type: 'V4' });
const v6 = (addr: string) => ({ addr, type: 'V6' });
const range = (begin: ReturnType<typeof v4>, end: ReturnType<typeof v4>) => ({ range: { begin, end }, type: 'STATIC_IPS_FOR_VIP' });

beforeAll(async () => {
  ctl = await start();
  c = await login(ctl);
  const nets = [
    { name: 'v6-net', configured_subnets: [{ prefix: { ip_addr: v6('2001:db8:1::'), mask: 64 }, static_ip_ranges: [range(v6('2001:db8:1::10'), v6('2001:db8:1::11'))] }] },
    {
      name: 'dual-net',
      configured_subnets: [
        { prefix: { ip_addr: v4('127.103.0.0'), mask: 24 }, static_ip_ranges: [range(v4('127.103.0.5'), v4('127.103.0.6'))] },
        { prefix: { ip_addr: v6('2002:0:0:1234::'), mask: 64 }, static_ip_ranges: [range(v6('2002:0:0:1234::100'), v6('2002:0:0:1234::101'))] },
        { prefix: { ip_addr: v6('fd00:aa::'), mask: 120 }, static_ip_ranges: [range(v6('fd00:aa::1'), v6('fd00:aa::1'))] },
      ],
    },
    { name: 'v4-only-net', configured_subnets: [{ prefix: { ip_addr: v4('127.104.0.0'), mask: 24 }, static_ip_ranges: [range(v4('127.104.0.1'), v4('127.104.0.9'))] }] },
  ];
  for (const n of nets) {
    const r = await c.post('/api/network', { ...n, cloud_ref: '/api/cloud/?name=Default-Cloud' });
    if (r.status !== 201) throw new Error(`network ${n.name}: ${r.status} ${r.text}`);
  }
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

const vip = (net: string, extra: Record<string, unknown> = {}, subnet: Record<string, unknown> = {}) => ({
  vip: [{ vip_id: '0', auto_allocate_ip: true, ipam_network_subnet: { network_ref: `/api/network/?name=${net}`, ...subnet }, ...extra }],
});

test('V6_ONLY: an ip6_address from the IPv6 ranges, no IPv4; kept on PUT; exhausted is 400; a delete frees it', async () => {
  const a = await c.post('/api/vsvip', { name: 'six-a', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }) });
  expect(a.status).toBe(201);
  expect(a.json.vip[0]).toMatchObject({ auto_allocate_ip_type: 'V6_ONLY', ip6_address: v6('2001:db8:1::10'), avi_allocated_vip: true });
  expect(a.json.vip[0].ip_address).toBeUndefined();
  const put = await c.put(`/api/vsvip/${a.json.uuid as string}`, { name: 'six-a', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }) });
  expect(put.status).toBe(200);
  expect(put.json.vip[0].ip6_address).toEqual(v6('2001:db8:1::10'));
  const b = await c.post('/api/vsvip', { name: 'six-b', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }) });
  expect(b.json.vip[0].ip6_address).toEqual(v6('2001:db8:1::11'));
  const full = await c.post('/api/vsvip', { name: 'six-c', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }) });
  expect(full.status).toBe(400);
  expect(full.json).toEqual({ error: 'No available free IPv6 IPs in network v6-net' });
  expect((await c.get('/api/vsvip?name=six-c')).json.count).toBe(0);
  expect((await c.del(`/api/vsvip/${a.json.uuid as string}`)).status).toBe(204);
  const again = await c.post('/api/vsvip', { name: 'six-c', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }) });
  expect(again.json.vip[0].ip6_address).toEqual(v6('2001:db8:1::10'));
});

test('V4_V6 with subnet and subnet6 as the Go AKO sends them for cidr + v6cidr: one address of each family, from those subnets', async () => {
  const subnets = {
    subnet: { ip_addr: v4('127.103.0.0'), mask: 24 },
    // The docs sample's v6cidr 2002::1234:abcd:ffff:c0a8:101/64 split at "/", as the Go AKO sends it: a host address.
    subnet6: { ip_addr: v6('2002::1234:abcd:ffff:c0a8:101'), mask: 64 },
  };
  const d = await c.post('/api/vsvip', { name: 'dual-a', ...vip('dual-net', { auto_allocate_ip_type: 'V4_V6' }, subnets) });
  expect(d.status).toBe(201);
  expect(d.json.vip[0]).toMatchObject({ ip_address: v4('127.103.0.5'), ip6_address: v6('2002:0:0:1234::100'), avi_allocated_vip: true });
  const e = await c.post('/api/vsvip', { name: 'dual-b', ...vip('dual-net', { auto_allocate_ip_type: 'V4_V6' }, subnets) });
  expect(e.json.vip[0]).toMatchObject({ ip_address: v4('127.103.0.6'), ip6_address: v6('2002:0:0:1234::101') });
  // The other IPv6 subnet of the network, by subnet6.
  const f = await c.post('/api/vsvip', { name: 'dual-c', ...vip('dual-net', { auto_allocate_ip_type: 'V6_ONLY' }, { subnet6: { ip_addr: v6('fd00:aa::'), mask: 120 } }) });
  expect(f.json.vip[0].ip6_address).toEqual(v6('fd00:aa::1'));
  await c.del(`/api/vsvip/${d.json.uuid as string}`);
  const g = await c.post('/api/vsvip', { name: 'dual-d', ...vip('dual-net', { auto_allocate_ip_type: 'V4_V6' }, subnets) });
  expect(g.json.vip[0]).toMatchObject({ ip_address: v4('127.103.0.5'), ip6_address: v6('2002:0:0:1234::100') });
});

test('a preferred ip6_address: honoured in the ranges when free, refused when taken or outside; a new one on PUT refused', async () => {
  const p = await c.post('/api/vsvip', { name: 'pref6-a', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY', ip6_address: v6('2001:db8:1:0::11') }) });
  // 2001:db8:1::11 is held by six-b (first test).
  expect(p.status).toBe(400);
  expect(p.json.error).toBe('Preferred IP 2001:db8:1:0::11 is already in use; No available free IPs for the requested address');
  const out = await c.post('/api/vsvip', { name: 'pref6-b', ...vip('dual-net', { auto_allocate_ip_type: 'V6_ONLY', ip6_address: v6('2002:0:0:1234::999') }) });
  expect(out.json).toEqual({ error: 'Preferred IP 2002:0:0:1234::999 is not in the static ranges of the VIP network' });
  const b = (await c.get('/api/vsvip?name=six-b')).json.results[0];
  await c.del(`/api/vsvip/${b.uuid as string}`);
  const ok = await c.post('/api/vsvip', { name: 'pref6-c', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY', ip6_address: v6('2001:db8:1::11') }) });
  expect(ok.status).toBe(201);
  expect(ok.json.vip[0].ip6_address).toEqual(v6('2001:db8:1::11'));
  const moved = await c.put(`/api/vsvip/${ok.json.uuid as string}`, { name: 'pref6-c', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY', ip6_address: v6('2001:db8:1::10') }) });
  expect(moved.json).toEqual({ error: 'If a new preferred IP is needed, please recreate the VIP' });
});

test('clear 400s: no IPv6 subnet in the network, a subnet6 the network does not have, a bad subnet6, an unknown type', async () => {
  const none = await c.post('/api/vsvip', { name: 'bad-1', ...vip('v4-only-net', { auto_allocate_ip_type: 'V4_V6' }) });
  expect(none.json).toEqual({ error: 'No available free IPv6 IPs: network v4-only-net has no static VIP range in an IPv6 subnet' });
  const other = await c.post('/api/vsvip', { name: 'bad-2', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }, { subnet6: { ip_addr: v6('2001:db8:2::'), mask: 64 } }) });
  expect(other.json).toEqual({ error: 'No available free IPv6 IPs: network v6-net has no static VIP range in the IPv6 subnet 2001:db8:2::/64' });
  const bad = await c.post('/api/vsvip', { name: 'bad-3', ...vip('v6-net', { auto_allocate_ip_type: 'V6_ONLY' }, { subnet6: { ip_addr: v4('10.0.0.0'), mask: 64 } }) });
  expect(bad.json).toEqual({ error: 'ipam_network_subnet.subnet6 must be an IPv6 prefix {ip_addr: {addr, type: V6}, mask: 0-128}' });
  const type = await c.post('/api/vsvip', { name: 'bad-4', ...vip('v6-net', { auto_allocate_ip_type: 'V6' }) });
  expect(type.status).toBe(400);
  expect(type.json.error).toContain('auto_allocate_ip_type');
  for (const r of [none, other, bad]) expect(r.status).toBe(400);
  expect((await c.get('/api/vsvip?name.contains=bad-')).json.count).toBe(0);
});

test('a static ip6_address (no auto allocation) is kept out of the allocations', async () => {
  const s = await c.post('/api/vsvip', { name: 'static6', vip: [{ vip_id: '0', ip6_address: v6('fd00:aa::1') }] });
  // fd00:aa::1 is already dual-c's.
  expect(s.json).toEqual({ error: 'IP address fd00:aa::1 is already in use by another VsVip' });
});
