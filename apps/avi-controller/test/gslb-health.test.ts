// GSLB health through the data plane, with real traffic: two member VSes on loopback VIPs (served by the data plane,
// each with its own node:http backend), a GslbService naming both with a federated HTTP monitor, and DNS queries
// over UDP. A backend that fails (503 or stopped) takes its member out of the DNS answer once the monitor's
// failed_checks are reached, and back in after successful_checks.

import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import type { RunningController } from '../src/index.js';
import { decodeResponse, encodeQuery } from '../src/dns-wire.js';
import { login, removeDir, start, type Client } from './helpers.js';

const octet = 200 + Math.floor(Math.random() * 50);
const third = Math.floor(Math.random() * 250);
const net = `127.${octet}.${third}`;
const PORT = 18000 + Math.floor(Math.random() * 1000);

interface Backend {
  name: string;
  port: number;
  server: Server;
  /** Monitor requests seen (method, path, Host), in order, with the status answered. */
  seen: Array<{ line: string; host: string; status: number }>;
  status: number;
}

async function backend(name: string, port = 0): Promise<Backend> {
  const b: Backend = { name, port, server: undefined as unknown as Server, seen: [], status: 200 };
  b.server = createServer((req, res) => {
    b.seen.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, host: req.headers.host ?? '', status: b.status });
    res.statusCode = b.status;
    res.end(name);
  });
  await new Promise<void>((r) => b.server.listen(port, '127.0.0.1', r));
  b.port = (b.server.address() as AddressInfo).port;
  return b;
}

const stopBackend = (b: Backend) =>
  new Promise<void>((r) => {
    b.server.close(() => r());
    b.server.closeAllConnections();
  });

let ctl: RunningController;
let c: Client;
const backends: Backend[] = [];
let nextId = 1;

function queryUdp(name: string): Promise<string[]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.on('error', reject);
    s.on('message', (msg) => {
      s.close();
      resolve(decodeResponse(msg).answers.map((a) => a.address ?? '').sort());
    });
    s.send(encodeQuery(id, name), ctl.dnsServer!.port, '127.0.0.1');
  });
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await get();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
}

async function post(path: string, body: unknown): Promise<Record<string, unknown> & { uuid: string }> {
  const r = await c.post(path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** A member cluster's VS as AKO leaves it: VsVip, pool with one backend, HTTP VS on PORT. */
async function memberVs(name: string, b: Backend): Promise<{ uuid: string; ip: string }> {
  const v = await post('/api/vsvip', { name: `${name}-vip`, vip: [{ vip_id: '0', auto_allocate_ip: true }] });
  const ip = (v.vip as Array<{ ip_address: { addr: string } }>)[0]!.ip_address.addr;
  await post('/api/pool', { name: `${name}-pool`, servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: b.port }] });
  const vs = await post('/api/virtualservice', {
    name: `${name}-vs`,
    vsvip_ref: `/api/vsvip?name=${name}-vip`,
    pool_ref: `/api/pool?name=${name}-pool`,
    services: [{ port: PORT }],
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
  });
  return { uuid: vs.uuid, ip };
}

async function monitor(name: string, extra: Record<string, unknown> = {}) {
  return post('/api/healthmonitor', {
    name,
    type: 'HEALTH_MONITOR_HTTP',
    is_federated: true,
    monitor_port: PORT,
    send_interval: 1,
    receive_timeout: 1,
    successful_checks: 2,
    failed_checks: 3,
    http_monitor: { http_request: 'HEAD / HTTP/1.0', http_response_code: ['HTTP_2XX', 'HTTP_3XX'] },
    ...extra,
  });
}

const gsBody = (fqdn: string, members: Array<{ uuid: string; ip: string }>, hm: string, extra: Record<string, unknown> = {}) => ({
  name: fqdn,
  domain_names: [fqdn],
  ttl: 1,
  health_monitor_refs: [`/api/healthmonitor?name=${hm}`],
  groups: [{ name: 'amko-gs-group-10', priority: 10, min_health_monitors_up: 2, members: members.map((m) => ({ ip: { addr: m.ip, type: 'V4' }, vs_uuid: m.uuid, cluster_uuid: ctl.clusterUuid, ratio: 1 })) }],
  ...extra,
});

beforeAll(async () => {
  ctl = await start({ dataplane: true, dnsListen: '127.0.0.1:0', vipNetwork: { name: 'vip-network', subnet: `${net}.0/24`, begin: `${net}.10`, end: `${net}.200` } });
  c = await login(ctl);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
  await Promise.all(backends.map((b) => (b.server.listening ? stopBackend(b) : undefined)));
});

test('a member whose backend answers 503 leaves the DNS answer after failed_checks failures and returns after successful_checks successes', async () => {
  const [a, b] = [await backend('a'), await backend('b')];
  backends.push(a, b);
  const [ma, mb] = [await memberVs('t1a', a), await memberVs('t1b', b)];
  await ctl.dataplane!.settled();
  await monitor('t1-hm');
  // The monitor alone decides (controller status off): the VS stays up while its server answers 503.
  const gs = await post('/api/gslbservice', gsBody('t1.gslb.example.com', [ma, mb], 't1-hm', { controller_health_status_enabled: false }));
  await until('both members answered', () => queryUdp('t1.gslb.example.com'), (v) => v.length === 2);
  expect(await queryUdp('t1.gslb.example.com')).toEqual([ma.ip, mb.ip].sort());
  // The monitor sends its request (HEAD /) with the GslbService's FQDN as Host, through the VIP to the backend.
  await until('a monitor request', async () => a.seen.length, (n) => n > 0);
  expect(a.seen[0]!.line).toMatch(/^HEAD \/ HTTP/);
  expect(a.seen[0]!.host).toBe('t1.gslb.example.com');

  a.status = 503;
  await until('only b answered', () => queryUdp('t1.gslb.example.com'), (v) => v.length === 1);
  expect(await queryUdp('t1.gslb.example.com')).toEqual([mb.ip]);
  expect(a.seen.filter((s) => s.status === 503).length).toBeGreaterThanOrEqual(3);
  const rt = (await c.get(`/api/gslbservice/${gs.uuid}/runtime`)).json;
  const down = rt.groups[0].members.find((m: { ip: { addr: string } }) => m.ip.addr === ma.ip);
  expect(down.oper_status.state).toBe('OPER_DOWN');
  expect(down.oper_status.reason.join(' ')).toContain('t1-hm: response code 503');

  const failedBefore = a.seen.length;
  a.status = 200;
  await until('both answered again', () => queryUdp('t1.gslb.example.com'), (v) => v.length === 2);
  expect(a.seen.slice(failedBefore).filter((s) => s.status === 200).length).toBeGreaterThanOrEqual(2);
});

test('with the controller status and one monitor (min_health_monitors_up 2, as AMKO sends), a stopped backend takes its member out; restarted, it returns', async () => {
  const [a, b] = [await backend('a'), await backend('b')];
  backends.push(a, b);
  const [ma, mb] = [await memberVs('t2a', a), await memberVs('t2b', b)];
  await ctl.dataplane!.settled();
  await monitor('t2-hm');
  await post('/api/gslbservice', gsBody('t2.gslb.example.com', [ma, mb], 't2-hm'));
  await until('both members answered', () => queryUdp('t2.gslb.example.com'), (v) => v.length === 2);
  await until('a monitor request', async () => a.seen.length, (n) => n > 0);

  await stopBackend(a);
  await until('only b answered', () => queryUdp('t2.gslb.example.com'), (v) => v.length === 1);
  expect(await queryUdp('t2.gslb.example.com')).toEqual([mb.ip]);

  const again = await backend('a', a.port);
  backends.push(again);
  // The controller status (the VS, down while its only server cannot be dialled) recovers once the data plane
  // reaches the server again (a monitor request through the VIP or its own re-dial).
  await until('both answered again', () => queryUdp('t2.gslb.example.com'), (v) => v.length === 2, 40000);
});

test('an HTTPS monitor reaches the member over TLS with the FQDN as SNI (the certificate the VS serves for it)', async () => {
  const a = await backend('a');
  backends.push(a);
  const ca = await createCA('gslb-health-ca');
  const cert = await issueCertificate(ca, { commonName: 'tls.gslb.example.com', dnsNames: ['tls.gslb.example.com'], usage: 'server' });
  await post('/api/sslkeyandcertificate', { name: 't4-cert', type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE', certificate: { certificate: cert.certPem }, key: cert.keyPem });
  const v = await post('/api/vsvip', { name: 't4-vip', vip: [{ vip_id: '0', auto_allocate_ip: true }] });
  const ip = (v.vip as Array<{ ip_address: { addr: string } }>)[0]!.ip_address.addr;
  await post('/api/pool', { name: 't4-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: a.port }] });
  const vs = await post('/api/virtualservice', {
    name: 't4-vs',
    vsvip_ref: '/api/vsvip?name=t4-vip',
    pool_ref: '/api/pool?name=t4-pool',
    services: [{ port: PORT + 1, enable_ssl: true }],
    application_profile_ref: '/api/applicationprofile?name=System-Secure-HTTP',
    ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=t4-cert'],
  });
  await ctl.dataplane!.settled();
  await monitor('t4-hm', { type: 'HEALTH_MONITOR_HTTPS', monitor_port: PORT + 1, http_monitor: undefined, https_monitor: { http_request: 'HEAD / HTTP/1.0', http_response_code: ['HTTP_2XX'] } });
  await post('/api/gslbservice', gsBody('tls.gslb.example.com', [{ uuid: vs.uuid, ip }], 't4-hm', { controller_health_status_enabled: false }));
  await until('a monitor request over TLS', async () => a.seen.length, (n) => n > 0);
  expect(a.seen[0]!.host).toBe('tls.gslb.example.com');
  expect(await queryUdp('tls.gslb.example.com')).toEqual([ip]);
  a.status = 500;
  await until('no member up', () => queryUdp('tls.gslb.example.com'), (v) => v.length === 0);
});

test('a TCP monitor (AMKO\'s for LoadBalancer Services) follows the VIP listener: a disabled VS takes its member out, enabled it returns', async () => {
  const a = await backend('a');
  backends.push(a);
  const m = await memberVs('t5a', a);
  await ctl.dataplane!.settled();
  await monitor('t5-hm', { type: 'HEALTH_MONITOR_TCP', http_monitor: undefined, tcp_monitor: { tcp_half_open: false } });
  await post('/api/gslbservice', gsBody('t5.gslb.example.com', [m], 't5-hm', { controller_health_status_enabled: false }));
  await until('the member answered', () => queryUdp('t5.gslb.example.com'), (v) => v.join() === m.ip);
  const vs = (await c.get(`/api/virtualservice/${m.uuid}`)).json;
  expect((await c.put(`/api/virtualservice/${m.uuid}`, { ...vs, enabled: false })).status).toBe(200);
  await until('no member up', () => queryUdp('t5.gslb.example.com'), (v) => v.length === 0);
  const stored = (await c.get(`/api/virtualservice/${m.uuid}`)).json;
  expect((await c.put(`/api/virtualservice/${m.uuid}`, { ...stored, enabled: true })).status).toBe(200);
  await until('the member answered again', () => queryUdp('t5.gslb.example.com'), (v) => v.join() === m.ip);
});

test('probes run only while a GslbService names the monitor; a non-loopback member is down for it (never dialled)', async () => {
  const a = await backend('a');
  backends.push(a);
  const ma = await memberVs('t3a', a);
  await ctl.dataplane!.settled();
  await monitor('t3-hm');
  const gs = await post('/api/gslbservice', {
    ...gsBody('t3.gslb.example.com', [ma], 't3-hm', { controller_health_status_enabled: false }),
    groups: [{ name: 'g', priority: 10, members: [{ ip: { addr: ma.ip, type: 'V4' } }, { ip: { addr: '192.0.2.77', type: 'V4' } }] }],
  });
  await until('a monitor request', async () => a.seen.length, (n) => n > 0);
  await until('only the loopback member answered', () => queryUdp('t3.gslb.example.com'), (v) => v.join() === ma.ip);
  const rt = (await c.get(`/api/gslbservice/${gs.uuid}/runtime`)).json;
  const far = rt.groups[0].members.find((m: { ip: { addr: string } }) => m.ip.addr === '192.0.2.77');
  expect(far.oper_status).toMatchObject({ state: 'OPER_DOWN', reason: [expect.stringContaining('not a loopback address')] });

  expect((await c.del(`/api/gslbservice/${gs.uuid}`)).status).toBe(204);
  await new Promise((r) => setTimeout(r, 1500));
  const seen = a.seen.length;
  await new Promise((r) => setTimeout(r, 2500));
  expect(a.seen.length).toBe(seen);
});
