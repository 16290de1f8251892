// One HTTPS exchange over a keep-alive agent, with a hard timeout. No retries, no session logic here.
import https from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface TransportOptions {
  /** PEM CA bundle to verify the controller certificate against (default: Node's trusted CAs) */
  caPem?: string | string[];
  /** skip certificate verification (explicit opt-in) */
  insecure?: boolean;
  /** cap on open sockets */
  maxSockets: number;
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

export function createAgent(opts: TransportOptions): https.Agent {
  return new https.Agent({
    keepAlive: true,
    maxSockets: opts.maxSockets,
    maxFreeSockets: opts.maxSockets,
    rejectUnauthorized: opts.insecure !== true,
    ...(opts.caPem !== undefined ? { ca: opts.caPem } : {}),
  });
}

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Where requests go: parsed once per session, so that no URL is built or parsed per request. */
export interface Target {
  /** without IPv6 brackets */
  hostname: string;
  port: number;
}

export function targetOf(origin: string): Target {
  const u = new URL(origin);
  return { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port === '' ? 443 : Number(u.port) };
}

/**
 * `path` is the request target (path and query, already percent-encoded); `headers` is the caller's object for
 * this one request and gets the content-length.
 */
export function send(
  agent: https.Agent,
  target: Target,
  path: string,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = https.request({ hostname: target.hostname, port: target.port, path, method, headers, agent });
    const timer = setTimeout(() => {
      req.destroy(new TransportError(`no complete response within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(err instanceof TransportError ? err : new TransportError(err.message, err.code ?? 'EUNKNOWN', err)),
      );
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new TransportError(`response larger than ${MAX_RESPONSE_BYTES} bytes`, 'ETOOBIG'));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (err: NodeJS.ErrnoException) => {
        finish(() =>
          reject(err instanceof TransportError ? err : new TransportError(err.message, err.code ?? 'EUNKNOWN', err)),
        );
      });
      res.on('close', () => {
        if (!res.complete) finish(() => reject(new TransportError('connection closed before the response ended', 'ECONNRESET')));
      });
      res.on('end', () => {
        finish(() =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            // most answers arrive in one chunk: decode it without copying it first
            body: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}
