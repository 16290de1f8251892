// A small Avi-like HTTPS server for SDK tests: real TLS, real sessions/cookies/CSRF, an in-memory pool store with
// paging, and a queue of faults (statuses, resets, delays, session expiry) injected into matching requests.
import { createServer } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createCA, issueCertificate } from '@avi-k8s/pki';

export type Fault =
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'reset' }
  /** handle the request normally, then destroy the socket instead of answering */
  | { kind: 'apply-then-reset' }
  | { kind: 'delay'; ms: number }
  /** invalidate every session, then handle the request (which then fails with 401 or 419) */
  | { kind: 'expire-sessions'; status?: 401 | 419 };

interface FaultRule {
  match: (method: string, path: string) => boolean;
  fault: Fault;
  remaining: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FaultServer {
  origin: string;
  caPem: string;
  seen: SeenRequest[];
  logins: number;
  maxConcurrent: number;
  pools: Map<string, Record<string, unknown>>;
  /** inject `fault` into the next `times` requests matching method and path prefix */
  inject(method: string, pathPrefix: string, fault: Fault, times?: number): void;
  /** require this csrftoken from now on and hand it out on the next response */
  rotateCsrf(): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  version?: string;
  username?: string;
  password?: string;
  token?: string;
  /** host used in `next` URLs (controllers use the name they know themselves by) */
  advertisedHost?: string;
}

export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const ca = await createCA('fault-server-ca');
  const leaf = await issueCertificate(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const sessions = new Map<string, string>(); // session id -> csrftoken
  let pendingCsrfRotation = false;
  const rules: FaultRule[] = [];
  let inFlight = 0;
  const advertised = opts.advertisedHost ?? 'ctrl.internal';

  const state: FaultServer = {
    origin: '',
    caPem: ca.certPem,
    seen: [],
    logins: 0,
    maxConcurrent: 0,
    pools: new Map(),
    inject(method, pathPrefix, fault, times = 1) {
      rules.push({ match: (m, p) => m === method && p.startsWith(pathPrefix), fault, remaining: times });
    },
    rotateCsrf() {
      pendingCsrfRotation = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const takeFault = (method: string, path: string): Fault | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && r.match(method, path));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  };

  const cookiesOf = (h: IncomingHttpHeaders): Map<string, string> =>
    new Map(
      (h.cookie ?? '')
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c.includes('='))
        .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as [string, string]),
    );

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  function handleLogin(req: IncomingMessage, body: string, res: ServerResponse) {
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    let creds: Record<string, string> = {};
    try {
      creds = form ? Object.fromEntries(new URLSearchParams(body)) : (JSON.parse(body) as Record<string, string>);
    } catch {
      return json(res, 400, { error: 'bad login body' });
    }
    const okUser = creds.username === (opts.username ?? 'admin');
    const okSecret =
      (creds.password !== undefined && creds.password === (opts.password ?? 'secret')) ||
      (creds.token !== undefined && opts.token !== undefined && creds.token === opts.token);
    if (!okUser || !okSecret) return json(res, 401, { error: 'Invalid credentials' });
    state.logins++;
    const sid = randomUUID().replace(/-/g, '');
    const csrf = randomUUID().replace(/-/g, '');
    sessions.set(sid, csrf);
    res.setHeader('set-cookie', [
      `csrftoken=${csrf}; Max-Age=31449600; Path=/; Secure`,
      `avi-sessionid=${sid}; HttpOnly; Max-Age=86400; Path=/; Secure`,
      `sessionid=${sid}; HttpOnly; Max-Age=86400; Path=/; Secure`,
    ]);
    json(res, 200, { version: { Version: opts.version ?? '31.2.2' }, session_cookie_name: 'avi-sessionid' });
  }

  function route(req: IncomingMessage, method: string, url: URL, body: string, res: ServerResponse) {
    const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/$/, '');
    if (method === 'POST' && path === '/login') return handleLogin(req, body, res);
    const cookies = cookiesOf(req.headers);
    const sid = cookies.get('avi-sessionid');
    if (!sid || !sessions.has(sid) || cookies.get('sessionid') !== sid) {
      return json(res, 401, { error: 'Authentication credentials were not provided.' });
    }
    if (method !== 'GET') {
      const expected = sessions.get(sid);
      if (req.headers['x-csrftoken'] !== expected || cookies.get('csrftoken') !== expected || !req.headers.referer) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('CSRF token missing or incorrect.');
      }
    }
    if (pendingCsrfRotation) {
      pendingCsrfRotation = false;
      const csrf = randomUUID().replace(/-/g, '');
      sessions.set(sid, csrf);
      res.setHeader('set-cookie', [`csrftoken=${csrf}; Max-Age=31449600; Path=/; Secure`]);
    }
    if (method === 'POST' && path === '/logout') {
      sessions.delete(sid);
      return json(res, 200, {});
    }
    if (path === '/api/initial-data') return json(res, 200, { version: { Version: opts.version ?? '31.2.2' } });
    if (path === '/api/macro' && method === 'POST') {
      const parsed = JSON.parse(body) as { model_name: string; data: Record<string, unknown> };
      return json(res, 200, [{ ...parsed.data, uuid: `${parsed.model_name.toLowerCase()}-macro` }]);
    }
    const m = /^\/api\/pool(?:\/([^/]+))?(\/runtime(?:\/(.*))?)?$/.exec(path);
    if (!m) return json(res, 404, { error: 'resource not found' });
    const [, uuid, runtime] = m;
    if (runtime && uuid) {
      if (!state.pools.has(uuid)) return json(res, 404, { error: 'Pool object not found!' });
      return json(res, 200, { oper_status: { state: 'OPER_UP' }, num_servers: 0 });
    }
    if (!uuid) {
      if (method === 'GET') {
        let items = [...state.pools.values()];
        const name = url.searchParams.get('name');
        if (name !== null) items = items.filter((p) => p.name === name);
        const pageSize = Number(url.searchParams.get('page_size') ?? '25');
        const page = Number(url.searchParams.get('page') ?? '1');
        const slice = items.slice((page - 1) * pageSize, page * pageSize);
        const out: Record<string, unknown> = { count: items.length, results: slice };
        if (page * pageSize < items.length) {
          const next = new URL(`https://${advertised}/api/pool/`);
          for (const [k, v] of url.searchParams) if (k !== 'page') next.searchParams.set(k, v);
          next.searchParams.set('page', String(page + 1));
          out.next = next.toString();
        }
        return json(res, 200, out);
      }
      if (method === 'POST') {
        const obj = JSON.parse(body) as Record<string, unknown>;
        if ([...state.pools.values()].some((p) => p.name === obj.name)) {
          return json(res, 409, { error: 'Pool with this Name, Tenant ref and Cloud ref already exists.' });
        }
        const id = (req.headers.slug as string | undefined) ?? `pool-${randomUUID()}`;
        const stored = { ...obj, uuid: id, tenant_ref: `/api/tenant/${req.headers['x-avi-tenant'] ?? 'admin'}` };
        state.pools.set(id, stored);
        return json(res, 201, stored, { location: `https://${advertised}/api/pool/${id}#${String(obj.name)}` });
      }
      return json(res, 405, { error: 'Method not allowed' });
    }
    const existing = state.pools.get(uuid);
    if (!existing) return json(res, 404, { error: 'Pool object not found!' });
    if (method === 'GET') return json(res, 200, existing);
    if (method === 'PUT') {
      const obj = { ...(JSON.parse(body) as Record<string, unknown>), uuid };
      state.pools.set(uuid, obj);
      return json(res, 200, obj);
    }
    if (method === 'PATCH') {
      const patch = JSON.parse(body) as Record<string, Record<string, unknown>>;
      const next = { ...existing };
      for (const [op, fields] of Object.entries(patch)) {
        for (const [k, v] of Object.entries(fields)) {
          const cur = next[k];
          if (op === 'replace' || !Array.isArray(v)) next[k] = v;
          else if (op === 'add') next[k] = [...(Array.isArray(cur) ? cur : []), ...v];
          else if (op === 'delete' && Array.isArray(cur)) {
            next[k] = cur.filter((e) => !v.some((d) => JSON.stringify(d) === JSON.stringify(e)));
          }
        }
      }
      state.pools.set(uuid, next);
      return json(res, 200, next);
    }
    if (method === 'DELETE') {
      state.pools.delete(uuid);
      res.writeHead(204);
      return res.end();
    }
    return json(res, 405, { error: 'Method not allowed' });
  }

  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
      res.on('close', () => inFlight--);
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'https://localhost');
      const body = Buffer.concat(chunks).toString('utf8');
      state.seen.push({ method, path: url.pathname + url.search, headers: req.headers, body });
      const fault = takeFault(method, url.pathname);
      if (!fault) return route(req, method, url, body, res);
      switch (fault.kind) {
        case 'status':
          res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
          return res.end(fault.body);
        case 'reset':
          return req.socket.destroy();
        case 'apply-then-reset': {
          // run the handler against a throwaway response, then drop the connection
          const sink = Object.create(res) as ServerResponse;
          sink.writeHead = (() => sink) as never;
          sink.setHeader = (() => sink) as never;
          sink.end = (() => {
            req.socket.destroy();
            return sink;
          }) as never;
          return route(req, method, url, body, sink);
        }
        case 'delay':
          return void setTimeout(() => {
            if (!res.destroyed) route(req, method, url, body, res);
          }, fault.ms);
        case 'expire-sessions':
          sessions.clear();
          if (fault.status === 419) return json(res, 419, { error: 'Session expired' });
          return route(req, method, url, body, res);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return state;
}
