// Test helpers: an in-process controller on port 0 with a temp data dir, and a tiny HTTPS client
// (node:https with the generated CA) that keeps cookies like the SDKs do.

import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startController, type ControllerOptions, type RunningController } from '../src/index.js';

export interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'avi-ctl-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function start(opts: Partial<ControllerOptions> = {}): Promise<RunningController> {
  return startController({ dataDir: opts.dataDir ?? tempDir(), adminPassword: 'Test-Passw0rd', fsync: false, ...opts });
}

export function raw(
  ctl: RunningController,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Res> {
  const url = new URL(path.startsWith('/') ? ctl.url + path : path);
  // keep double slashes and odd paths exactly as given
  const reqPath = path.startsWith('/') ? path : url.pathname + url.search;
  const isHttps = url.protocol === 'https:';
  const fn = isHttps ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = fn(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: reqPath,
        headers: { ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
        ...(isHttps ? { ca: ctl.caPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A logged-in client: cookies, X-CSRFToken, X-Avi-Version, tenant header, like the Go/Python SDKs. */
export interface Client {
  cookies: Map<string, string>;
  tenant: string;
  version: string;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  get(path: string, headers?: Record<string, string>): Promise<Res>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Res>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Res>;
  patch(path: string, body: unknown): Promise<Res>;
  del(path: string): Promise<Res>;
}

export function setCookies(jar: Map<string, string>, res: Res): void {
  const sc = res.headers['set-cookie'] ?? [];
  for (const c of sc) {
    const [kv] = c.split(';');
    const i = kv!.indexOf('=');
    jar.set(kv!.slice(0, i), kv!.slice(i + 1));
  }
}

export async function login(ctl: RunningController, password = ctl.adminPassword, user = 'admin'): Promise<Client> {
  const res = await raw(ctl, 'POST', '/login', {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  const client: Client = {
    cookies: new Map(),
    tenant: 'admin',
    version: '22.1.3',
    async req(method, path, body, headers = {}) {
      const h: Record<string, string> = {
        'Content-Type': 'application/json',
        'X-Avi-Version': client.version,
        'X-Avi-Tenant': client.tenant,
        Referer: ctl.url,
        'X-CSRFToken': client.cookies.get('csrftoken') ?? '',
        Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...headers,
      };
      const r = await raw(ctl, method, path, { headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      setCookies(client.cookies, r);
      return r;
    },
    get: (p, h) => client.req('GET', p, undefined, h),
    post: (p, b, h) => client.req('POST', p, b, h),
    put: (p, b, h) => client.req('PUT', p, b, h),
    patch: (p, b) => client.req('PATCH', p, b),
    del: (p) => client.req('DELETE', p),
  };
  setCookies(client.cookies, res);
  return client;
}

/** The uuid part of a rendered ref URL. */
export function uuidOf(ref: string): string {
  return ref.split('#')[0]!.split('/').pop()!;
}
