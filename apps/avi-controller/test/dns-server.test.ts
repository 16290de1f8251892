// The DNS server over real UDP and TCP sockets: VsVip dns_info names answer their VIP, GslbService names the up
// members of the best group with the service's ttl, unknown names NXDOMAIN.

import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { RunningController } from '../src/index.js';
import { decodeResponse, encodeQuery, RCODE, TYPE_AAAA, type DecodedResponse } from '../src/dns-wire.js';
import { login, removeDir, start, type Client } from './helpers.js';

let ctl: RunningController;
let c: Client;

beforeAll(async () => {
  ctl = await start({ dnsListen: '127.0.0.1:0' });
  c = await login(ctl);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
});

let nextId = 1;

function queryUdp(name: string, type?: number): Promise<DecodedResponse> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.on('message', (msg) => {
      s.close();
      const r = decodeResponse(msg);
      if (r.id !== id) reject(new Error(`answer id ${r.id} != ${id}`));
      else resolve(r);
    });
    s.send(encodeQuery(id, name, type), ctl.dnsServer!.port, '127.0.0.1');
  });
}

function queryTcp(name: string): Promise<DecodedResponse> {
  const q = encodeQuery(nextId++, name);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(q.length, 0);
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: ctl.dnsServer!.port });
    let buf = Buffer.alloc(0);
    s.on('error', reject);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(decodeResponse(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    });
    s.write(Buffer.concat([len, q]));
  });
}

const addresses = (r: DecodedResponse) => r.answers.map((a) => a.address);

test('a VsVip dns_info name answers its VIP with the DNS profile ttl, over UDP and TCP; case does not matter', async () => {
  const v = (await c.post('/api/vsvip', { name: 'dns-vip', vip: [{ vip_id: '0', auto_allocate_ip: true }], dns_info: [{ fqdn: 'app.avi.internal' }] })).json;
  const ip = v.vip[0].ip_address.addr as string;
  const udp = await queryUdp('App.Avi.Internal.');
  expect(udp).toMatchObject({ rcode: RCODE.NOERROR, authoritative: true });
  expect(udp.answers).toEqual([{ type: 1, ttl: 30, address: ip }]);
  expect(addresses(await queryTcp('app.avi.internal'))).toEqual([ip]);
  // A known name without AAAA records: NOERROR, no answers.
  expect(await queryUdp('app.avi.internal', TYPE_AAAA)).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
});

test('unknown names are NXDOMAIN', async () => {
  expect(await queryUdp('nothing.avi.internal')).toMatchObject({ rcode: RCODE.NXDOMAIN, answers: [] });
  expect((await queryTcp('nothing.example.com')).rcode).toBe(RCODE.NXDOMAIN);
});

test('a GslbService name answers the up members of its highest-priority group with its ttl; down members drop out', async () => {
  const pool = (await c.post('/api/pool', { name: 'gs-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }] })).json;
  const vip = (await c.post('/api/vsvip', { name: 'gs-vip', vip: [{ vip_id: '0', auto_allocate_ip: true }] })).json;
  const vs = (await c.post('/api/virtualservice', { name: 'gs-vs', vsvip_ref: `/api/vsvip/${vip.uuid as string}`, services: [{ port: 80 }], pool_ref: `/api/pool/${pool.uuid as string}` })).json;
  const gs = await c.post('/api/gslbservice', {
    name: 'shop.gslb.example.com',
    domain_names: ['shop.gslb.example.com'],
    ttl: 7,
    groups: [
      { name: 'primary', priority: 20, members: [{ ip: { addr: '127.100.9.1', type: 'V4' }, vs_uuid: vs.uuid, cluster_uuid: ctl.clusterUuid }, { ip: { addr: '127.100.9.2', type: 'V4' }, enabled: false }] },
      { name: 'backup', priority: 10, members: [{ ip: { addr: '127.100.9.3', type: 'V4' } }] },
    ],
  });
  expect(gs.status).toBe(201);
  const up = await queryUdp('shop.gslb.example.com');
  expect(up.answers).toEqual([{ type: 1, ttl: 7, address: '127.100.9.1' }]);

  // The primary member's VS goes down: the backup group answers.
  expect((await c.put(`/debug/runtime/${vs.uuid as string}`, { state: 'OPER_DOWN' })).status).toBe(200);
  expect(addresses(await queryUdp('shop.gslb.example.com'))).toEqual(['127.100.9.3']);
  expect((await c.del(`/debug/runtime/${vs.uuid as string}`)).status).toBeLessThan(300);
  expect(addresses(await queryUdp('shop.gslb.example.com'))).toEqual(['127.100.9.1']);

  // Disabled service: the name is still held, with no addresses.
  const stored = (await c.get(`/api/gslbservice/${gs.json.uuid as string}`)).json;
  expect((await c.put(`/api/gslbservice/${gs.json.uuid as string}`, { ...stored, enabled: false })).status).toBe(200);
  expect(await queryUdp('shop.gslb.example.com')).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
});

test('a GSLB FQDN is answered from its GslbService only, not merged with member VSes holding the same FQDN', async () => {
  // Two member clusters' VsVips on this one controller publish the global FQDN too (AKO's dns_info).
  for (const n of ['m1', 'm2']) {
    expect((await c.post('/api/vsvip', { name: `glob-${n}`, vip: [{ vip_id: '0', auto_allocate_ip: true }], dns_info: [{ fqdn: 'glob.gslb.example.com' }] })).status).toBe(201);
  }
  // Without a GslbService both VS records answer (TTL of the DNS profile).
  const before = await queryUdp('glob.gslb.example.com');
  expect(before.answers).toHaveLength(2);
  expect(before.answers[0]!.ttl).toBe(30);
  const gs = await c.post('/api/gslbservice', {
    name: 'glob.gslb.example.com',
    domain_names: ['glob.gslb.example.com'],
    ttl: 5,
    groups: [
      { name: 'best', priority: 20, members: [{ ip: { addr: '127.100.8.1', type: 'V4' } }] },
      { name: 'never', priority: 0, members: [{ ip: { addr: '127.100.8.9', type: 'V4' } }] },
    ],
  });
  expect(gs.status).toBe(201);
  expect((await queryUdp('glob.gslb.example.com')).answers).toEqual([{ type: 1, ttl: 5, address: '127.100.8.1' }]);
});

test('member ratios are the share of answers each member leads; num_dns_ip cuts the answer', async () => {
  const gs = await c.post('/api/gslbservice', {
    name: 'w.gslb.example.com',
    domain_names: ['w.gslb.example.com'],
    groups: [{ name: 'g', priority: 10, members: [{ ip: { addr: '127.100.7.1', type: 'V4' }, ratio: 8 }, { ip: { addr: '127.100.7.2', type: 'V4' }, ratio: 2 }] }],
  });
  expect(gs.status).toBe(201);
  const firsts: Array<string | undefined> = [];
  for (let i = 0; i < 20; i++) {
    const r = await queryUdp('w.gslb.example.com');
    expect(addresses(r).sort()).toEqual(['127.100.7.1', '127.100.7.2']);
    firsts.push(r.answers[0]!.address);
  }
  expect(firsts.filter((a) => a === '127.100.7.1')).toHaveLength(16);
  expect(firsts.filter((a) => a === '127.100.7.2')).toHaveLength(4);
  const stored = (await c.get(`/api/gslbservice/${gs.json.uuid as string}`)).json;
  expect((await c.put(`/api/gslbservice/${gs.json.uuid as string}`, { ...stored, num_dns_ip: 1 })).status).toBe(200);
  const one: Array<string | undefined> = [];
  for (let i = 0; i < 10; i++) one.push(...addresses(await queryUdp('w.gslb.example.com')));
  expect(one).toHaveLength(10);
  expect(one.filter((a) => a === '127.100.7.1')).toHaveLength(8);
});

test('garbage datagrams are dropped and the server keeps answering', async () => {
  await new Promise<void>((resolve, reject) => {
    const s = createSocket('udp4');
    s.send(Buffer.from([1, 2, 3]), ctl.dnsServer!.port, '127.0.0.1', (e) => {
      s.close();
      if (e) reject(e);
      else resolve();
    });
  });
  expect((await queryUdp('nothing.avi.internal')).rcode).toBe(RCODE.NXDOMAIN);
});
