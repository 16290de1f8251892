// The data plane with real sockets on loopback: objects created through the API, pool servers are node:http
// servers on 127.0.0.1, clients connect to the VIPs the controller allocated.

import { createServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createTcpServer, connect, type AddressInfo } from 'node:net';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import type { RunningController } from '../src/index.js';
import { login, removeDir, start, type Client } from './helpers.js';

interface Backend {
  name: string;
  port: number;
  server: Server;
}

async function backend(name: string): Promise<Backend> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} ${req.headers.host ?? ''}${req.url ?? ''} ${String(req.headers['x-forwarded-proto'])}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { name, port: (server.address() as AddressInfo).port, server };
}

function get(ip: string, port: number, path = '/', host?: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path, agent: false, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function getTls(ip: string, port: number, servername: string, ca: string): Promise<{ status: number; body: string; subject: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: ip, port, path: '/', servername, ca, agent: false, headers: { host: servername } }, (res) => {
      const subject = (res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '';
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, subject: String(subject) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the connect error code, or 'connected'. */
function tryConnect(ip: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port });
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const first = (body: string) => body.split(' ')[0];

/** The shard datascript the Go AKO 2.2.1 sends (the first one in test/fixtures/go-ako-requests/c20-update-seq). */
const GO_AKO_SHARD_SCRIPT = (() => {
  const lines = readFileSync(new URL('./fixtures/go-ako-requests/c20-update-seq/go-requests.jsonl', import.meta.url), 'utf8').split('\n');
  for (const l of lines) {
    if (!l.includes('/api/vsdatascriptset')) continue;
    const script = (JSON.parse(l) as { body?: { datascript?: { script: string }[] } }).body?.datascript?.[0]?.script;
    if (script) return script;
  }
  throw new Error('no datascript in the c20 recording');
})();
const server = (b: Backend, extra: Record<string, unknown> = {}) => ({ ip: { addr: '127.0.0.1', type: 'V4' }, port: b.port, ...extra });

// A VIP network of its own (loopback), so parallel runs and the demo (127.100.0.x) never share a VIP:port.
const octet = 200 + Math.floor(Math.random() * 50);
const third = Math.floor(Math.random() * 250);
const net = `127.${octet}.${third}`;

let ctl: RunningController;
let c: Client;
let ca: CertificateAuthority;
const backends: Record<string, Backend> = {};

beforeAll(async () => {
  ctl = await start({ dataplane: true, vipNetwork: { name: 'vip-network', subnet: `${net}.0/24`, begin: `${net}.10`, end: `${net}.200` } });
  c = await login(ctl);
  ca = await createCA('dataplane-test-ca');
  for (const n of ['a', 'b', 'shop', 'blog', 'secure']) backends[n] = await backend(n);
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
  await Promise.all(Object.values(backends).map((b) => new Promise((r) => b.server.close(r))));
});

async function post(path: string, body: unknown): Promise<Record<string, unknown> & { uuid: string }> {
  const r = await c.post(path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function vip(name: string, extra: Record<string, unknown> = {}): Promise<{ uuid: string; ip: string }> {
  const v = await post('/api/vsvip', { name, vip: [{ vip_id: '0', auto_allocate_ip: true }], ...extra });
  return { uuid: v.uuid, ip: (v.vip as Array<{ ip_address: { addr: string } }>)[0]!.ip_address.addr };
}

const settled = () => ctl.dataplane!.settled();

test('L4: an L4 policy set rule selects the pool; connections go round robin over its servers, following server updates', async () => {
  const pool = await post('/api/pool', { name: 'l4-pool', servers: [server(backends.a!), server(backends.b!)] });
  await post('/api/l4policyset', {
    name: 'l4-ps',
    l4_connection_policy: {
      rules: [
        {
          name: 'r0',
          index: 0,
          match: { port: { match_criteria: 'IS_IN', ports: [8080] }, protocol: { match_criteria: 'IS_IN', protocol: 'PROTOCOL_TCP' } },
          action: { select_pool: { action_type: 'L4_RULE_ACTION_SELECT_POOL', pool_ref: '/api/pool?name=l4-pool' } },
        },
      ],
    },
  });
  const v = await vip('l4-vip');
  await post('/api/virtualservice', {
    name: 'l4-vs',
    application_profile_ref: '/api/applicationprofile?name=System-L4-Application',
    network_profile_ref: '/api/networkprofile?name=System-TCP-Proxy',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 8080 }],
    l4_policies: [{ l4_policy_set_ref: '/api/l4policyset?name=l4-ps', index: 0 }],
  });
  await settled();
  const seen: string[] = [];
  for (let i = 0; i < 4; i++) seen.push(first((await get(v.ip, 8080)).body)!);
  expect(seen).toEqual(['a', 'b', 'a', 'b']);

  // Disable server a: everything goes to b, without a restart.
  const stored = (await c.get(`/api/pool/${pool.uuid}`)).json;
  stored.servers[0].enabled = false;
  expect((await c.put(`/api/pool/${pool.uuid}`, stored)).status).toBe(200);
  const after: string[] = [];
  for (let i = 0; i < 3; i++) after.push(first((await get(v.ip, 8080)).body)!);
  expect(after).toEqual(['b', 'b', 'b']);
});

test('L7 shard VS: host/path select the pool group member; a secure host is redirected to HTTPS; unknown hosts get 404', async () => {
  await post('/api/pool', { name: 'shop-pool', servers: [server(backends.shop!)] });
  await post('/api/pool', { name: 'blog-pool', servers: [server(backends.blog!)] });
  await post('/api/poolgroup', {
    name: 'shard-pg',
    implicit_priority_labels: true,
    members: [
      { pool_ref: '/api/pool?name=shop-pool', priority_label: 'shop.test/', ratio: 1 },
      { pool_ref: '/api/pool?name=blog-pool', priority_label: 'blog.test/api', ratio: 1 },
    ],
  });
  await post('/api/vsdatascriptset', {
    name: 'shard-ds',
    // The Go AKO 2.2.1's shard script as it sent it (test/fixtures/go-ako-requests/c20-update-seq), run by the Lua VM.
    datascript: [{ evt: 'VS_DATASCRIPT_EVT_HTTP_REQ', script: GO_AKO_SHARD_SCRIPT.replace(/avi\.poolgroup\.select\("[^"]+"/, 'avi.poolgroup.select("shard-pg"') }],
    pool_group_refs: ['/api/poolgroup?name=shard-pg'],
  });
  await post('/api/httppolicyset', {
    name: 'shard-redirect',
    http_request_policy: {
      rules: [
        {
          name: 'to-https',
          index: 0,
          enable: true,
          match: { host_hdr: { match_criteria: 'HDR_EQUALS', value: ['secure.test'] }, vs_port: { match_criteria: 'IS_IN', ports: [80] } },
          redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
        },
      ],
    },
  });
  const v = await vip('shard-vip', { dns_info: [{ fqdn: 'shop.test' }] });
  const parent = await post('/api/virtualservice', {
    name: 'shard-vs',
    type: 'VS_TYPE_VH_PARENT',
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 80 }, { port: 443, enable_ssl: true }],
    pool_group_ref: '/api/poolgroup?name=shard-pg',
    vs_datascripts: [{ vs_datascript_set_ref: '/api/vsdatascriptset?name=shard-ds', index: 0 }],
    http_policies: [{ http_policy_set_ref: '/api/httppolicyset?name=shard-redirect', index: 11 }],
  });

  // The SNI child with its own certificate and pool.
  const cert = await issueCertificate(ca, { commonName: 'secure.test', dnsNames: ['secure.test'], usage: 'server' });
  await post('/api/sslkeyandcertificate', { name: 'secure-cert', type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE', certificate: { certificate: cert.certPem }, key: cert.keyPem });
  await post('/api/pool', { name: 'secure-pool', servers: [server(backends.secure!)] });
  await post('/api/virtualservice', {
    name: 'secure-child',
    type: 'VS_TYPE_VH_CHILD',
    vh_parent_vs_ref: `/api/virtualservice/${parent.uuid}`,
    vh_domain_name: ['secure.test'],
    application_profile_ref: '/api/applicationprofile?name=System-Secure-HTTP',
    ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=secure-cert'],
    pool_ref: '/api/pool?name=secure-pool',
  });
  await settled();

  const shop = await get(v.ip, 80, '/cart', 'shop.test');
  expect([shop.status, shop.body]).toEqual([200, 'shop shop.test/cart http']);
  expect(first((await get(v.ip, 80, '/api/posts', 'blog.test:80')).body)).toBe('blog');
  expect((await get(v.ip, 80, '/other', 'blog.test')).status).toBe(404);
  expect((await get(v.ip, 80, '/', 'nobody.test')).status).toBe(404);
  const redirect = await get(v.ip, 80, '/pay?x=1', 'secure.test');
  expect([redirect.status, redirect.location]).toEqual([302, 'https://secure.test/pay?x=1']);

  const tls = await getTls(v.ip, 443, 'secure.test', ca.certPem);
  expect(tls).toEqual({ status: 200, body: 'secure secure.test/ https', subject: 'secure.test' });
  // An unknown server name has no certificate: the handshake is refused.
  await expect(getTls(v.ip, 443, 'other.test', ca.certPem)).rejects.toThrow();
});

test('a pool server that is not loopback is never dialled: 502, counted, and shown down in the pool runtime', async () => {
  const pool = await post('/api/pool', { name: 'far-pool', servers: [{ ip: { addr: '10.11.12.13', type: 'V4' }, port: 80 }] });
  const v = await vip('far-vip');
  const vs = await post('/api/virtualservice', {
    name: 'far-vs',
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 80 }],
    pool_ref: `/api/pool/${pool.uuid}`,
  });
  await settled();
  const before = ctl.dataplane!.status();
  const r = await get(v.ip, 80, '/', 'far.test');
  expect(r.status).toBe(502);
  expect(r.body).toContain('never dialled');
  const after = ctl.dataplane!.status();
  expect(after.blockedDials).toBe(before.blockedDials + 1);
  expect(after.dials).toBe(before.dials);
  const servers = (await c.get(`/api/pool/${pool.uuid}/runtime/server`)).json;
  expect(servers[0].oper_status.state).toBe('OPER_DOWN');
  expect((await c.get(`/api/pool/${pool.uuid}/runtime`)).json.oper_status.state).toBe('OPER_DOWN');
  expect((await c.get(`/api/virtualservice/${vs.uuid}/runtime`)).json.oper_status.state).toBe('OPER_DOWN');

  // L4: the connection is accepted and closed, nothing dialled.
  await post('/api/virtualservice', {
    name: 'far-l4',
    application_profile_ref: '/api/applicationprofile?name=System-L4-Application',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 81 }],
    pool_ref: `/api/pool/${pool.uuid}`,
  });
  await settled();
  const closedWith = await new Promise<string>((resolve) => {
    let data = '';
    const s = connect({ host: v.ip, port: 81 });
    s.on('data', (d: Buffer) => (data += d.toString()));
    s.on('error', (e) => resolve(e.message));
    s.on('close', () => resolve(`closed, ${data.length} bytes`));
    s.write('GET / HTTP/1.0\r\n\r\n');
  });
  expect(closedWith).toMatch(/closed, 0 bytes|ECONNRESET/);
  expect(ctl.dataplane!.status().blockedDials).toBe(before.blockedDials + 2);
  expect(ctl.dataplane!.status().dials).toBe(before.dials);
});

test('an unreachable loopback server is marked down after a failed dial; the next server answers', async () => {
  const closed = createTcpServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const pool = await post('/api/pool', { name: 'half-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: deadPort }, server(backends.a!)] });
  const v = await vip('half-vip');
  await post('/api/virtualservice', {
    name: 'half-vs',
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 80 }],
    pool_ref: `/api/pool/${pool.uuid}`,
  });
  await settled();
  for (let i = 0; i < 3; i++) expect(first((await get(v.ip, 80)).body)).toBe('a');
  const states = async () => ((await c.get(`/api/pool/${pool.uuid}/runtime/server`)).json as Array<{ oper_status: { state: string } }>).map((s) => s.oper_status.state);
  expect(await states()).toEqual(['OPER_DOWN', 'OPER_UP']);
  expect((await c.get(`/api/pool/${pool.uuid}/runtime`)).json).toMatchObject({ oper_status: { state: 'OPER_UP' }, num_servers_up: 1 });

  // The server comes back: the periodic re-dial finds it, and it rejoins the rotation.
  const revived = createServer((_req, res) => res.end('revived'));
  await new Promise<void>((r) => revived.listen(deadPort, '127.0.0.1', r));
  try {
    await ctl.dataplane!.recheckServers();
    expect(await states()).toEqual(['OPER_UP', 'OPER_UP']);
    const seen = new Set<string>();
    for (let i = 0; i < 2; i++) seen.add(first((await get(v.ip, 80)).body)!);
    expect([...seen].sort()).toEqual(['a', 'revived']);
  } finally {
    await new Promise((r) => revived.close(r));
  }
});

test('a VS with its own certificate serves it to TLS clients that send no SNI (connecting to the VIP by address)', async () => {
  const cert = await issueCertificate(ca, { commonName: 'dedicated.test', dnsNames: ['dedicated.test'], usage: 'server' });
  await post('/api/sslkeyandcertificate', { name: 'dedicated-cert', type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE', certificate: { certificate: cert.certPem }, key: cert.keyPem });
  await post('/api/pool', { name: 'dedicated-pool', servers: [server(backends.secure!)] });
  const v = await vip('dedicated-vip');
  await post('/api/virtualservice', {
    name: 'dedicated-vs',
    application_profile_ref: '/api/applicationprofile?name=System-Secure-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 443, enable_ssl: true }],
    ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=dedicated-cert'],
    pool_ref: '/api/pool?name=dedicated-pool',
  });
  await settled();
  const res = await new Promise<{ status: number; subject: string }>((resolve, reject) => {
    const req = httpsRequest({ host: v.ip, port: 443, path: '/', ca: ca.certPem, agent: false, checkServerIdentity: () => undefined }, (r) => {
      const subject = String((r.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      r.resume();
      r.on('end', () => resolve({ status: r.statusCode ?? 0, subject }));
    });
    req.on('error', reject);
    req.end();
  });
  expect(res).toEqual({ status: 200, subject: 'dedicated.test' });
});

test('a port already in use is reported in the VS runtime, and served once it is free; deleting the VS closes its listener', async () => {
  const addr = `${net}.240`;
  const blocker = createTcpServer();
  await new Promise<void>((r) => blocker.listen(9000, addr, r));
  await post('/api/pool', { name: 'busy-pool', servers: [server(backends.b!)] });
  const v = await post('/api/vsvip', { name: 'busy-vip', vip: [{ vip_id: '0', ip_address: { addr, type: 'V4' } }] });
  const vs = await post('/api/virtualservice', {
    name: 'busy-vs',
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 9000 }],
    pool_ref: '/api/pool?name=busy-pool',
  });
  await settled();
  const rt = (await c.get(`/api/virtualservice/${vs.uuid}/runtime`)).json;
  expect(rt.oper_status.state).toBe('OPER_DOWN');
  expect(rt.oper_status.reason[0]).toContain('EADDRINUSE');
  expect(ctl.dataplane!.status().listeners.find((l) => l.key === `tcp:${addr}:9000`)?.state).toBe('failed');

  await new Promise((r) => blocker.close(r));
  // Any change retries failed listeners.
  expect((await c.patch(`/api/virtualservice/${vs.uuid}`, { replace: { description: 'retry' } })).status).toBe(200);
  await settled();
  expect(first((await get(addr, 9000)).body)).toBe('b');
  expect((await c.get(`/api/virtualservice/${vs.uuid}/runtime`)).json.oper_status.state).toBe('OPER_UP');

  expect((await c.del(`/api/virtualservice/${vs.uuid}`)).status).toBe(204);
  await settled();
  expect(await tryConnect(addr, 9000)).toBe('ECONNREFUSED');
  expect(ctl.dataplane!.status().listeners.some((l) => l.key === `tcp:${addr}:9000`)).toBe(false);
});

test('a VIP that is not loopback is never bound: the VS runtime says why', async () => {
  await post('/api/pool', { name: 'ext-pool', servers: [server(backends.a!)] });
  const v = await post('/api/vsvip', { name: 'ext-vip', vip: [{ vip_id: '0', ip_address: { addr: '10.20.30.40', type: 'V4' } }] });
  const vs = await post('/api/virtualservice', {
    name: 'ext-vs',
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${v.uuid}`,
    services: [{ port: 80 }],
    pool_ref: '/api/pool?name=ext-pool',
  });
  await settled();
  const rt = (await c.get(`/api/virtualservice/${vs.uuid}/runtime`)).json;
  expect(rt.oper_status).toMatchObject({ state: 'OPER_DOWN' });
  expect(rt.oper_status.reason[0]).toContain('not a loopback address');
  expect(ctl.dataplane!.status().listeners.some((l) => l.key.includes('10.20.30.40'))).toBe(false);
});

test('L4 UDP: each client gets a session with one server (round robin across clients); replies come back from the VIP', async () => {
  const echoes = await Promise.all(
    ['u1', 'u2'].map(async (name) => {
      const sock = createSocket('udp4');
      sock.on('message', (msg, from) => sock.send(`${name}:${msg.toString()}`, from.port, from.address));
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
      return { sock, port: sock.address().port };
    }),
  );
  try {
    await post('/api/pool', { name: 'udp-pool', servers: echoes.map((e) => ({ ip: { addr: '127.0.0.1', type: 'V4' }, port: e.port })) });
    const v = await vip('udp-vip');
    await post('/api/virtualservice', {
      name: 'udp-vs',
      application_profile_ref: '/api/applicationprofile?name=System-L4-Application-UDP',
      network_profile_ref: '/api/networkprofile?name=System-UDP-Fast-Path',
      vsvip_ref: `/api/vsvip/${v.uuid}`,
      services: [{ port: 5300 }],
      pool_ref: '/api/pool?name=udp-pool',
    });
    await settled();
    expect(ctl.dataplane!.status().listeners.find((l) => l.key === `udp:${v.ip}:5300`)?.state).toBe('listening');
    const ask = (client: ReturnType<typeof createSocket>, text: string) =>
      new Promise<string>((resolve) => {
        client.once('message', (m, from) => resolve(`${m.toString()} from ${from.address}:${from.port}`));
        client.send(text, 5300, v.ip);
      });
    const c1 = createSocket('udp4');
    const c2 = createSocket('udp4');
    try {
      expect(await ask(c1, 'hello')).toBe(`u1:hello from ${v.ip}:5300`);
      expect(await ask(c2, 'hi')).toBe(`u2:hi from ${v.ip}:5300`);
      // The session sticks to its server.
      expect(await ask(c1, 'again')).toBe(`u1:again from ${v.ip}:5300`);
    } finally {
      c1.close();
      c2.close();
    }
  } finally {
    for (const e of echoes) e.sock.close();
  }
});

test('/metrics shows the data plane figures', async () => {
  const m = await c.get('/metrics');
  expect(m.status).toBe(200);
  const st = ctl.dataplane!.status();
  expect(m.text).toContain(`avi_controller_dataplane_blocked_dials ${st.blockedDials}`);
  expect(st.blockedDials).toBeGreaterThan(0);
  expect(m.text).toContain(`avi_controller_dataplane_listeners{state="listening"} ${st.listeners.filter((l) => l.state === 'listening').length}`);
  expect(m.text).toMatch(/avi_controller_dataplane_http_requests [1-9]/);
});

test('bad clients (garbage, early hang-ups, a TLS client that speaks HTTP) do not disturb the data plane', async () => {
  const shardVip = (await c.get('/api/vsvip?name=shard-vip')).json.results[0].vip[0].ip_address.addr as string;
  const send = (port: number, bytes: string) =>
    new Promise<void>((resolve) => {
      const s = connect({ host: shardVip, port });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.on('connect', () => {
        if (bytes) s.write(bytes);
        s.end();
      });
      s.resume();
    });
  await send(80, 'NOT HTTP AT ALL\r\n\r\n');
  await send(80, 'GET / HTTP/1.1\r\nHost: shop.test\r\n');
  await send(443, 'GET / HTTP/1.1\r\n\r\n');
  await send(443, '');
  expect(first((await get(shardVip, 80, '/', 'shop.test')).body)).toBe('shop');
  expect((await getTls(shardVip, 443, 'secure.test', ca.certPem)).status).toBe(200);
});

test('upgrades (WebSocket-style) are routed and spliced to the pool server', async () => {
  const ws = createServer((_req, res) => res.end('plain'));
  ws.on('upgrade', (req, sock) => {
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Path: ${req.url ?? ''}\r\n\r\n`);
    sock.on('data', (d: Buffer) => sock.write(`echo:${d.toString()}`));
    // http.Server sockets are half-open: end ours when the proxy ends its side, so close() can finish.
    sock.on('end', () => sock.end());
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => ws.listen(0, '127.0.0.1', r));
  try {
    await post('/api/pool', { name: 'ws-pool', servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: (ws.address() as AddressInfo).port }] });
    const v = await vip('ws-vip');
    await post('/api/virtualservice', {
      name: 'ws-vs',
      application_profile_ref: '/api/applicationprofile?name=System-HTTP',
      vsvip_ref: `/api/vsvip/${v.uuid}`,
      services: [{ port: 80 }],
      pool_ref: '/api/pool?name=ws-pool',
    });
    await settled();
    const reply = await new Promise<string>((resolve, reject) => {
      const req = request({ host: v.ip, port: 80, path: '/chat', agent: false, headers: { connection: 'Upgrade', upgrade: 'echo' } });
      req.on('upgrade', (res, sock) => {
        sock.once('data', (d: Buffer) => {
          sock.destroy();
          resolve(`${res.statusCode} ${String(res.headers['x-path'])} ${d.toString()}`);
        });
        sock.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply).toBe('101 /chat echo:ping');
  } finally {
    ws.closeAllConnections();
    await new Promise((r) => ws.close(r));
  }
});
