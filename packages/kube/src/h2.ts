// One HTTP/2 connection per apiserver and TLS identity, as client-go has: the watches are streams of it (watch-h2.ts),
// and so are the reads (raw.ts: lists, probes). Over HTTP/1.1 each watch held a TLS connection of its own for minutes
// and each list running at once another one, kept open after it (OpenSSL's state and read buffers, ~0.15 MiB each):
// an operator held a dozen or two. The kube-apiserver speaks h2 over TLS (ALPN). A connection that fails, is closed
// or gets a GOAWAY is dropped for the next request.
import type * as http2 from 'node:http2';
import type * as https from 'node:https';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { BodyBytes, MAX_RESPONSE_BYTES, TooLargeError } from '@avi-k8s/http1';
import type { Connection } from './raw.js';

// As node:http in watch.ts: not through the ESM facade.
export const nodeHttp2 = process.getBuiltinModule('node:http2');

export interface Session {
  session: http2.ClientHttp2Session;
  streams: number;
}

/** Sessions by origin and TLS options: KubeConfigs with the same server and client identity share one. */
const sessions = new Map<string, Session>();
/** Servers (by the same key) that chose HTTP/1.1 in ALPN (a TLS proxy in front of the apiserver): not asked again. */
const http1Only = new Set<string>();

/**
 * HTTP/2's flow-control windows: how much the apiserver may send before the client grants more. HTTP/2's default of
 * 64 KiB, per stream and for the connection, makes a list page of 500 objects wait for ~14 round trips of window
 * updates over a link with latency (bench:list-latency at 10 ms each way: 6.7x the floor, 1.00x with these). As Go's
 * HTTP/2 transport (client-go's) does, a stream gets 4 MiB; the connection gets the largest answer a read accepts
 * (MAX_RESPONSE_BYTES): no more is ever buffered than the answers being read hold anyway, since every stream is read
 * as data arrives.
 */
export const STREAM_WINDOW = 4 * 1024 * 1024;
export const CONNECTION_WINDOW = MAX_RESPONSE_BYTES;

const pem = (v: unknown) => (v === undefined ? '' : Array.isArray(v) ? v.map(String).join('\n') : String(v));

function keyOf(conn: Connection, o: https.RequestOptions): string {
  return JSON.stringify([conn.base.origin, o.servername ?? '', o.rejectUnauthorized !== false, pem(o.ca), pem(o.cert), pem(o.key)]);
}

/** The server of this connection and TLS identity answered h2's ALPN with HTTP/1.1: use that instead. */
export function prefersHttp1(conn: Connection, o: https.RequestOptions): boolean {
  return http1Only.has(keyOf(conn, o));
}

export function sessionFor(conn: Connection, o: https.RequestOptions): Session {
  const key = keyOf(conn, o);
  const known = sessions.get(key);
  if (known && !known.session.closed && !known.session.destroyed) return known;
  const host = conn.base.hostname.replace(/^\[(.*)\]$/, '$1');
  const servername = o.servername ?? (isIP(host) === 0 ? host : undefined);
  const session = nodeHttp2.connect(conn.base.origin, {
    settings: { initialWindowSize: STREAM_WINDOW },
    // our own TLS socket: the session's proxy of it refuses setKeepAlive
    createConnection: () => {
      const socket = tls.connect({
        host,
        port: Number(conn.base.port) || 443,
        ALPNProtocols: ['h2', 'http/1.1'],
        rejectUnauthorized: o.rejectUnauthorized !== false,
        ...(servername !== undefined ? { servername } : {}),
        ...(o.ca !== undefined ? { ca: o.ca } : {}),
        ...(o.cert !== undefined ? { cert: o.cert } : {}),
        ...(o.key !== undefined ? { key: o.key } : {}),
      });
      // TCP keep-alive probes, as the HTTP/1.1 agent's: a peer that vanished is noticed.
      socket.setKeepAlive(true, 1000);
      // the session then fails (a protocol error): its requests are made again on HTTP/1.1
      socket.once('secureConnect', () => {
        if (socket.alpnProtocol !== 'h2') http1Only.add(key);
      });
      return socket;
    },
  });
  session.once('connect', () => session.setLocalWindowSize(CONNECTION_WINDOW));
  const s: Session = { session, streams: 0 };
  const forget = () => {
    if (sessions.get(key) === s) sessions.delete(key);
  };
  session.on('goaway', forget);
  session.on('close', forget);
  // a session's error reaches its streams (their watches fail and are retried on a new session)
  session.on('error', forget);
  session.unref();
  sessions.set(key, s);
  return s;
}

/** Headers for an h2 request: lower-case names, none of HTTP/1.1's connection headers. */
export function h2Headers(o: https.RequestOptions, path: string): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = { ':method': 'GET', ':path': path, accept: 'application/json' };
  for (const [name, value] of Object.entries((o.headers ?? {}) as Record<string, string>)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'connection' || lower === 'keep-alive' || lower === 'accept') continue;
    headers[lower] = value;
  }
  return headers;
}

/** A stream cancelled because its session failed reports the session's error (a TLS failure names the certificate problem). */
export function streamError(err: Error): Error {
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  return e.code === 'ERR_HTTP2_STREAM_CANCEL' && typeof e.cause === 'object' && e.cause !== null ? (e.cause as Error) : err;
}

/** Counts a stream on its session: a session with no stream open does not keep the process alive. */
export function track(s: Session, stream: http2.ClientHttp2Stream): void {
  if (s.streams++ === 0) s.session.ref();
  stream.on('close', () => {
    if (--s.streams === 0) s.session.unref();
  });
}

/**
 * A GET of PATH (with the connection's path prefix and query) on the h2 session: the status and the body's text. The
 * body is held as the HTTP/1.1 pool holds one (http1's BodyBytes: one copy, freed once decoded) and capped as there.
 */
export function getH2(conn: Connection, o: https.RequestOptions, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let stream: http2.ClientHttp2Stream;
    let s: Session;
    try {
      s = sessionFor(conn, o);
      stream = s.session.request(h2Headers(o, `${conn.base.pathname.replace(/\/$/, '')}${path}`), { endStream: true });
    } catch (err) {
      return reject(err as Error);
    }
    track(s, stream);
    const timer = setTimeout(() => stream.destroy(new Error(`GET ${path}: no complete response within ${timeoutMs} ms`)), timeoutMs);
    let status = 0;
    let body = new BodyBytes();
    stream.on('response', (headers) => {
      status = Number(headers[':status'] ?? 0);
      const length = Number(headers['content-length'] ?? NaN);
      if (length > MAX_RESPONSE_BYTES) stream.destroy(new TooLargeError(MAX_RESPONSE_BYTES));
      else if (Number.isInteger(length)) body = new BodyBytes(length);
    });
    stream.on('data', (c: Buffer) => {
      if (body.size + c.length > MAX_RESPONSE_BYTES) stream.destroy(new TooLargeError(MAX_RESPONSE_BYTES));
      else body.add(c);
    });
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(streamError(err));
    });
    stream.on('end', () => {
      clearTimeout(timer);
      resolve({ status, body: body.text() });
    });
    // closed without an end (a reset, the session gone): an error unless it was reported
    stream.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`GET ${path}: the stream closed before the response ended`));
    });
  });
}
