// One HTTP exchange over a pool of keep-alive TLS (or plain TCP) connections, with a hard timeout. No retries, no
// session logic here. The HTTP/1.1 framing is ours (http1.ts): one write per request and one small parser per
// response, instead of Node's http client (ClientRequest, IncomingMessage, agent), which costs ~3x the CPU per call.
import net, { isIP } from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HeaderError, ProtocolError, ResponseParser, requestHead } from './http1.js';

export interface TransportOptions {
  /** PEM CA bundle to verify the server certificate against (default: Node's trusted CAs) */
  caPem?: string | Buffer | (string | Buffer)[];
  /** skip certificate verification (explicit opt-in) */
  insecure?: boolean;
  /** a client certificate and its key (PEM), for servers that authenticate clients by certificate */
  clientCert?: { cert: string | Buffer; key: string | Buffer };
  /** the TLS server name to send and verify (default: the target's hostname unless it is an IP address) */
  servername?: string;
  /** plain TCP instead of TLS (an http:// server) */
  plaintext?: boolean;
  /** cap on open sockets */
  maxSockets: number;
  /** cap on a response body's bytes (default 64 MiB): a larger one fails with ETOOBIG, its connection closed */
  maxResponseBytes?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A failed exchange: no (complete) response. `code` is the Node error code or `ETIMEDOUT` for our timeout. */
export class TransportError extends Error {
  readonly code: string;
  constructor(message: string, code: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'TransportError';
    this.code = code;
  }
}

/** The default cap on a response body (TransportOptions.maxResponseBytes). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An idle connection is not reused this close to the server's Keep-Alive timeout (it may be closing it). */
const IDLE_MARGIN_MS = 1000;

/** Where requests go: parsed once per session, so that no URL is built or parsed per request. */
export interface Target {
  /** without IPv6 brackets */
  hostname: string;
  port: number;
  /** the port a Host header may omit (443 unless said: 80 for http) */
  defaultPort?: number;
}

/** The target of an https:// (or, for a plaintext pool, http://) origin. */
export function targetOf(origin: string): Target {
  const u = new URL(origin);
  const defaultPort = u.protocol === 'http:' ? 80 : 443;
  return { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port === '' ? defaultPort : Number(u.port), defaultPort };
}

interface Exchange {
  parser: ResponseParser;
  settle(err: TransportError | undefined, res?: RawResponse): void;
}

interface Conn {
  socket: net.Socket;
  exchange: Exchange | undefined;
  idleSince: number;
  /** the server's Keep-Alive timeout, once it said one */
  keepAliveMs: number | undefined;
}

/** Keep-alive TLS connections to one controller, at most `maxSockets` open; requests beyond wait in order. */
export interface ConnectionPool {
  readonly target: Target;
  /** closes every connection; requests in flight fail */
  destroy(): void;
}

interface PoolState extends ConnectionPool {
  readonly maxResponseBytes: number;
  acquire(use: (conn: Conn | TransportError) => void): void;
  release(conn: Conn, reusable: boolean): void;
}

export function createPool(target: Target, opts: TransportOptions): ConnectionPool {
  const idle: Conn[] = [];
  const waiting: ((conn: Conn | TransportError) => void)[] = [];
  let open = 0;
  const busy = new Set<Conn>();
  let destroyed = false;
  const servername = opts.servername ?? (isIP(target.hostname) === 0 ? target.hostname : undefined);
  const connectOptions: tls.ConnectionOptions = {
    host: target.hostname,
    port: target.port,
    rejectUnauthorized: opts.insecure !== true,
    ...(servername !== undefined ? { servername } : {}),
    ...(opts.caPem !== undefined ? { ca: opts.caPem } : {}),
    ...(opts.clientCert !== undefined ? { cert: opts.clientCert.cert, key: opts.clientCert.key } : {}),
  };

  const drop = (conn: Conn) => {
    const i = idle.indexOf(conn);
    if (i >= 0) idle.splice(i, 1);
  };

  function connect(): Conn {
    open++;
    const socket = opts.plaintext === true ? net.connect({ host: target.hostname, port: target.port }) : tls.connect(connectOptions);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1000);
    const conn: Conn = { socket, exchange: undefined, idleSince: 0, keepAliveMs: undefined };
    socket.on('data', (data: Buffer) => {
      const ex = conn.exchange;
      if (!ex) {
        // nothing asked: the connection is not in a known state
        socket.destroy();
        return;
      }
      try {
        ex.parser.feed(data);
      } catch (e) {
        socket.destroy();
        ex.settle(new TransportError((e as Error).message, (e as ProtocolError).code ?? 'EPROTO', e));
        return;
      }
      if (ex.parser.done) complete(conn, ex);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      conn.exchange?.settle(new TransportError(err.message, err.code ?? 'EUNKNOWN', err));
    });
    socket.on('close', () => {
      open--;
      drop(conn);
      busy.delete(conn);
      const ex = conn.exchange;
      if (ex) {
        if (ex.parser.close()) complete(conn, ex);
        else ex.settle(new TransportError('connection closed before the response ended', 'ECONNRESET'));
      }
      conn.exchange = undefined;
      // a slot is free: a waiting request gets a new connection
      const next = waiting.shift();
      if (next) pool.acquire(next);
    });
    return conn;
  }

  function complete(conn: Conn, ex: Exchange): void {
    const p = ex.parser.done!;
    if (p.keepAliveMs !== undefined) conn.keepAliveMs = p.keepAliveMs;
    const body = p.body.text();
    conn.exchange = undefined;
    pool.release(conn, p.keepAlive);
    ex.settle(undefined, { status: p.status, headers: p.headers, body });
  }

  const pool: PoolState = {
    target,
    maxResponseBytes: opts.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    acquire(use) {
      if (destroyed) return use(new TransportError('the connection pool is closed', 'ECONNABORTED'));
      const now = Date.now();
      while (idle.length > 0) {
        const conn = idle.pop()!;
        if (conn.socket.destroyed) continue;
        if (conn.keepAliveMs !== undefined && now - conn.idleSince > conn.keepAliveMs - IDLE_MARGIN_MS) {
          conn.socket.destroy();
          continue;
        }
        conn.socket.ref();
        busy.add(conn);
        return use(conn);
      }
      if (open < opts.maxSockets) {
        const conn = connect();
        busy.add(conn);
        return use(conn);
      }
      waiting.push(use);
    },
    release(conn, reusable) {
      busy.delete(conn);
      if (!reusable || destroyed || conn.socket.destroyed) {
        conn.socket.destroy();
        return;
      }
      const next = waiting.shift();
      if (next) {
        busy.add(conn);
        return next(conn);
      }
      conn.idleSince = Date.now();
      // an idle connection does not keep the process alive
      conn.socket.unref();
      idle.push(conn);
    },
    destroy() {
      destroyed = true;
      for (const w of waiting.splice(0)) w(new TransportError('the connection pool is closed', 'ECONNABORTED'));
      for (const c of idle.splice(0)) c.socket.destroy();
      // connections in use are closed by their own close handlers' settle
      for (const c of busy) c.socket.destroy();
    },
  };
  return pool;
}

/**
 * `path` is the request target (path and query, already percent-encoded); `headers` is the caller's object for
 * this one request and gets the content-length.
 */
export function send(
  pool: ConnectionPool,
  path: string,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  const p = pool as PoolState;
  return new Promise((resolve, reject) => {
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    let head: string;
    try {
      head = requestHead(method, path, hostOf(p.target), headers);
    } catch (e) {
      reject(new TransportError((e as HeaderError).message, 'ERR_INVALID_CHAR', e));
      return;
    }
    let conn: Conn | undefined;
    let done = false;
    const timer = setTimeout(() => {
      settle(new TransportError(`no complete response within ${timeoutMs} ms`, 'ETIMEDOUT'));
      conn?.socket.destroy();
    }, timeoutMs);
    const settle = (err: TransportError | undefined, res?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    p.acquire((c) => {
      if (c instanceof TransportError) return settle(c);
      if (done) return p.release(c, true);
      conn = c;
      c.exchange = { parser: new ResponseParser(method === 'HEAD', p.maxResponseBytes), settle };
      // one write: the head and the body (the head is latin1; a pure-ASCII one is the same bytes in utf8)
      if (body === undefined) c.socket.write(head, 'latin1');
      else if (!/[^\t\r\n -~]/.test(head)) c.socket.write(head + body, 'utf8');
      else c.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]));
    });
  });
}

const hosts = new WeakMap<Target, string>();
function hostOf(t: Target): string {
  let h = hosts.get(t);
  if (h === undefined) {
    h = (t.hostname.includes(':') ? `[${t.hostname}]` : t.hostname) + (t.port === (t.defaultPort ?? 443) ? '' : `:${t.port}`);
    hosts.set(t, h);
  }
  return h;
}
