// Seed state, IPAM (auto allocation, preferred IPs, exhaustion, release) and DNS records.

import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningController } from '../src/index.js';
import { login, raw, removeDir, start, uuidOf, type Client } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
let ctl: RunningController;
let c: Client;

beforeAll(async () => {
  ctl = await start({ seedFile: join(here, 'fixtures/seed-small-net.yaml') });
  c = await login(ctl);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

const vipOn = (net: string, extra: Record<string, unknown> = {}) => ({
  vip: [{ auto_allocate_ip: true, ipam_network_subnet: { network_ref: `/api/network/?name=${net}` }, ...extra }],
});

describe('seed', () => {
  test.each([
    ['tenant', 'admin'],
    ['cloud', 'Default-Cloud'],
    ['serviceenginegroup', 'Default-Group'],
    ['vrfcontext', 'global'],
    ['vrfcontext', 'management'],
    ['applicationprofile', 'System-HTTP'],
    ['applicationprofile', 'System-L4-Application'],
    ['networkprofile', 'System-TCP-Proxy'],
    ['healthmonitor', 'System-TCP'],
    ['healthmonitor', 'System-GSLB-HTTPS'],
    ['applicationpersistenceprofile', 'System-Persistence-Client-IP'],
    ['sslprofile', 'System-Standard'],
    ['analyticsprofile', 'System-Analytics-Profile'],
    ['sslkeyandcertificate', 'System-Default-Cert'],
    ['protocolparser', 'Default-TLS'],
    ['network', 'vip-network'],
    ['ipamdnsproviderprofile', 'avi-ipam'],
    ['network', 'tiny-net'],
    ['tenant', 'seeded-tenant'],
  ])('%s %s exists', async (type, name) => {
    const res = await c.get(`/api/${type}?name=${name}`);
    expect(res.json.count).toBe(1);
  });

  test('the admin tenant has uuid admin; Default-Cloud points at the IPAM and DNS profiles', async () => {
    expect((await c.get('/api/tenant/admin')).json.name).toBe('admin');
    const cloud = (await c.get('/api/cloud/?include_name&name=Default-Cloud')).json.results[0];
    expect(cloud.ipam_provider_ref).toMatch(/#avi-ipam$/);
    expect(cloud.dns_provider_ref).toMatch(/#avi-dns$/);
    const domains = await c.get(`/api/ipamdnsproviderprofiledomainlist?cloud_uuid=${cloud.uuid as string}`);
    expect(domains.json).toEqual({ domains: ['avi.internal'] });
    const hm = (await c.get('/api/healthmonitor?name=System-HTTP')).json.results[0];
    expect(hm).toMatchObject({ send_interval: 10, receive_timeout: 4, successful_checks: 3, failed_checks: 3 });
  });
});

describe('IPAM', () => {
  test('allocates from the cloud IPAM network by default, stable across PUT, released on delete', async () => {
    const v = await c.post('/api/vsvip', { name: 'ip-a', vip: [{ auto_allocate_ip: true }] });
    expect(v.status).toBe(201);
    const addr = v.json.vip[0].ip_address.addr as string;
    expect(addr).toBe('127.100.0.10');
    expect(v.json.vip[0]).toMatchObject({ vip_id: '0', avi_allocated_vip: true, auto_allocate_ip: true, prefix_length: 32, enabled: true });
    const put = await c.put(`/api/vsvip/${v.json.uuid as string}`, { name: 'ip-a', vip: [{ vip_id: '0', auto_allocate_ip: true }] });
    expect(put.json.vip[0].ip_address.addr).toBe(addr);
    const changed = await c.put(`/api/vsvip/${v.json.uuid as string}`, { name: 'ip-a', vip: [{ vip_id: '0', auto_allocate_ip: true, ip_address: { addr: '127.100.0.99', type: 'V4' } }] });
    expect(changed.status).toBe(400);
    expect(changed.json.error).toBe('If a new preferred IP is needed, please recreate the VIP');
    const idChange = await c.put(`/api/vsvip/${v.json.uuid as string}`, { name: 'ip-a', vip: [{ vip_id: '7', auto_allocate_ip: true }] });
    expect(idChange.json.error).toBe("Changing an existing VIP's vip_id is not supported");
    expect((await c.del(`/api/vsvip/${v.json.uuid as string}`)).status).toBe(204);
    const again = await c.post('/api/vsvip', { name: 'ip-b', vip: [{ auto_allocate_ip: true }] });
    expect(again.json.vip[0].ip_address.addr).toBe(addr);
  });

  test('exhaustion is 400 No available free IPs, nothing is stored; a release frees an address', async () => {
    const a = await c.post('/api/vsvip', { name: 'tiny-1', ...vipOn('tiny-net') });
    const b = await c.post('/api/vsvip', { name: 'tiny-2', ...vipOn('tiny-net') });
    expect([a.json.vip[0].ip_address.addr, b.json.vip[0].ip_address.addr]).toEqual(['127.101.0.1', '127.101.0.2']);
    const full = await c.post('/api/vsvip', { name: 'tiny-3', ...vipOn('tiny-net') });
    expect(full.status).toBe(400);
    expect(full.json.error).toContain('No available free IPs');
    expect((await c.get('/api/vsvip?name=tiny-3')).json.count).toBe(0);
    await c.del(`/api/vsvip/${a.json.uuid as string}`);
    const now = await c.post('/api/vsvip', { name: 'tiny-3', ...vipOn('tiny-net') });
    expect(now.json.vip[0].ip_address.addr).toBe('127.101.0.1');
  });

  test('legacy static_ranges are honoured', async () => {
    const v = await c.post('/api/vsvip', { name: 'legacy-1', ...vipOn('legacy-net') });
    expect(v.json.vip[0].ip_address.addr).toBe('127.102.0.7');
  });

  test('a preferred IP is honoured when free, refused when taken', async () => {
    const pref = { ip_address: { addr: '127.100.0.200', type: 'V4' } };
    const a = await c.post('/api/vsvip', { name: 'pref-1', ...vipOn('vip-network', pref) });
    expect(a.json.vip[0].ip_address.addr).toBe('127.100.0.200');
    const b = await c.post('/api/vsvip', { name: 'pref-2', ...vipOn('vip-network', pref) });
    expect(b.status).toBe(400);
    expect(b.json.error).toContain('127.100.0.200');
    const outside = await c.post('/api/vsvip', { name: 'pref-3', ...vipOn('vip-network', { ip_address: { addr: '127.100.0.3', type: 'V4' } }) });
    expect(outside.status).toBe(400);
  });

  test('a static VIP is kept out of allocations; the same static VIP twice is refused', async () => {
    const s1 = await c.post('/api/vsvip', { name: 'static-1', vip: [{ ip_address: { addr: '127.100.0.11', type: 'V4' } }] });
    expect(s1.json.vip[0]).toMatchObject({ auto_allocate_ip: false, avi_allocated_vip: false });
    const s2 = await c.post('/api/vsvip', { name: 'static-2', vip: [{ ip_address: { addr: '127.100.0.11', type: 'V4' } }] });
    expect(s2.status).toBe(400);
    const auto = await c.post('/api/vsvip', { name: 'after-static', vip: [{ auto_allocate_ip: true }, { auto_allocate_ip: true }] });
    const got = auto.json.vip.map((v: { ip_address: { addr: string } }) => v.ip_address.addr);
    expect(got).not.toContain('127.100.0.11');
    expect(new Set(got).size).toBe(2);
    expect(auto.json.vip.map((v: { vip_id: string }) => v.vip_id)).toEqual(['0', '1']);
  });

  test('an unknown network in ipam_network_subnet is 400 Network object not found!', async () => {
    const res = await c.post('/api/vsvip', { name: 'no-net', ...vipOn('nope') });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('Network object not found!');
  });
});

describe('DNS records', () => {
  const debug = (path: string) =>
    raw(ctl, 'GET', path, { headers: { Authorization: `Basic ${Buffer.from(`admin:${ctl.adminPassword}`).toString('base64')}` } });

  test('VsVip dns_info FQDNs resolve to the VIP, removed with the VsVip', async () => {
    const v = await c.post('/api/vsvip', { name: 'dns-1', vip: [{ auto_allocate_ip: true }], dns_info: [{ fqdn: 'App.avi.internal' }] });
    const addr = v.json.vip[0].ip_address.addr as string;
    const rec = await debug('/debug/dns?fqdn=app.avi.internal');
    expect(rec.json.records).toEqual([{ fqdn: 'app.avi.internal', type: 'A', addresses: [addr], source: { type: 'vsvip', uuid: v.json.uuid, name: 'dns-1' } }]);
    await c.del(`/api/vsvip/${v.json.uuid as string}`);
    expect((await debug('/debug/dns?fqdn=app.avi.internal')).json.count).toBe(0);
  });

  test('GslbService domain names are records of the enabled members; a duplicate domain is refused', async () => {
    const gs = await c.post('/api/gslbservice', {
      name: 'gs.example.com',
      domain_names: ['gs.example.com'],
      groups: [
        {
          name: 'g10',
          priority: 10,
          members: [
            { ip: { addr: '127.100.5.1', type: 'V4' } },
            { ip: { addr: '127.100.5.2', type: 'V4' }, enabled: false },
          ],
        },
      ],
      health_monitor_refs: ['/api/healthmonitor?name=System-GSLB-TCP'],
    });
    expect(gs.status).toBe(201);
    expect(gs.json.groups[0]).toMatchObject({ algorithm: 'GSLB_ALGORITHM_ROUND_ROBIN', enabled: true });
    const rec = await debug('/debug/dns?fqdn=gs.example.com');
    expect(rec.json.records[0].addresses).toEqual(['127.100.5.1']);
    const dup = await c.post('/api/gslbservice', { name: 'other', domain_names: ['GS.example.com'] });
    expect(dup.status).toBe(400);
    expect(dup.json.error).toContain('domain name conflicting with existing domain name');
    const hmUuid = uuidOf(gs.json.health_monitor_refs[0]);
    expect((await c.del(`/api/healthmonitor/${hmUuid}`)).status).toBe(403);
  });
});
