// A lean JSON client for the apiserver writes operators make in bulk (status patches, annotations, Events): one
// pool of keep-alive connections per KubeConfig with our own HTTP/1.1 framing (@avi-k8s/http1, as the Avi SDK's:
// Node's https client costs ~4x the CPU per call), the kubeconfig's credentials (CA, client certificate, token) and
// no typed (de)serialisation of the answer, which costs more CPU than the write itself at thousands of writes. Reads
// (the informers' lists, probes) on https go over the apiserver's HTTP/2 connection with the watches (h2.ts). The
// operators' runtime does not load @kubernetes/client-node.
import type * as http from 'node:http';
import type * as https from 'node:https';
import { createPool, send, type ConnectionPool } from '@avi-k8s/http1';
import { getH2, prefersHttp1 } from './h2.js';
import { LeanKubeConfig, type KubeConfig } from './kubeconfig.js';

export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }

  /** The HTTP status, under the name client-node's ApiException gives it. */
  get code(): number {
    return this.statusCode;
  }
}

export interface RawKube {
  /**
   * Sends `body` as JSON; resolves with the parsed answer (undefined with `answer: false`: writes by the thousand
   * whose answer nobody reads skip parsing it), rejects with KubeRequestError on a non-2xx status.
   */
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, contentType?: string, opts?: { answer?: boolean }): Promise<unknown>;
  close(): void;
}

const clients = new WeakMap<KubeConfig, RawKube>();
const fences = new WeakMap<KubeConfig, () => void>();

/**
 * Every write made with `kc` by this package (raw writes, Events, status patches) first calls `guard`, which throws
 * to refuse it (the HA fence). Give the fenced writers their own KubeConfig (e.g. a copy) so other users of the
 * original (the Lease itself) are not fenced.
 */
export function fenceWrites(kc: KubeConfig, guard: () => void): void {
  fences.set(kc, guard);
}

/** Throws if the fence of `kc` refuses writes now. */
export function checkWriteFence(kc: KubeConfig): void {
  fences.get(kc)?.();
}

/** How long the TLS options and credentials of a KubeConfig are reused before they are asked for again. */
const OPTIONS_TTL_MS = 60_000;

/** Where and how to connect for a KubeConfig: the server's URL and the request options (TLS, Authorization). */
export interface Connection {
  base: URL;
  secure: boolean;
  /**
   * The kubeconfig's TLS options and headers: ours asked on every request (it caches, and re-reads a rotated token
   * file), another kind (client-node's) every minute.
   */
  options(): Promise<https.RequestOptions>;
}

export function connection(kc: KubeConfig): Connection {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  let cached: { at: number; options: Promise<https.RequestOptions> } | undefined;
  return {
    base,
    secure: base.protocol === 'https:',
    options() {
      if (kc instanceof LeanKubeConfig) {
        const o: https.RequestOptions = { headers: {} };
        return kc.applyToHTTPSOptions(o).then(() => o);
      }
      if (!cached || Date.now() - cached.at > OPTIONS_TTL_MS) {
        const o: https.RequestOptions = { headers: {} };
        const options = kc.applyToHTTPSOptions(o).then(() => o);
        options.catch(() => (cached = undefined));
        cached = { at: Date.now(), options };
      }
      return cached.options;
    },
  };
}

/** The request options for PATH on a connection (method and headers added by the caller). */
export function requestOptions(conn: Connection, o: https.RequestOptions, agent: http.Agent, method: string, path: string, headers: Record<string, string>): https.RequestOptions {
  return {
    ...o,
    agent,
    protocol: conn.base.protocol,
    hostname: conn.base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: conn.base.port || (conn.secure ? 443 : 80),
    method,
    path: `${conn.base.pathname.replace(/\/$/, '')}${path}`,
    headers: { ...(o.headers as Record<string, string>), ...headers },
  };
}

/** A write gets no complete answer within this long: it fails (the connection is closed). */
const REQUEST_TIMEOUT_MS = 30_000;
/** A read (a list page, discovery) may take longer on a loaded apiserver: a whole unpaged list arrives in one. */
const READ_TIMEOUT_MS = 300_000;

/** The TLS options of a pool: a pool is made again should the kubeconfig's (client-node's, re-read) ever change. */
function sameTls(a: https.RequestOptions, b: https.RequestOptions): boolean {
  return a.ca === b.ca && a.cert === b.cert && a.key === b.key && a.rejectUnauthorized === b.rejectUnauthorized && a.servername === b.servername;
}

/** The raw client of a KubeConfig (one per KubeConfig, so its connections are reused). */
export function rawKube(kc: KubeConfig, maxSockets = 32): RawKube {
  const known = clients.get(kc);
  if (known) return known;
  const conn = connection(kc);
  const target = { hostname: conn.base.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(conn.base.port) || (conn.secure ? 443 : 80), defaultPort: conn.secure ? 443 : 80 };
  const prefix = conn.base.pathname.replace(/\/$/, '');
  let current: { tls: https.RequestOptions; pool: ConnectionPool } | undefined;
  const poolFor = (o: https.RequestOptions): ConnectionPool => {
    if (current && sameTls(current.tls, o)) return current.pool;
    const old = current?.pool;
    // requests in flight on the old pool finish (or time out) first
    if (old) setTimeout(() => old.destroy(), READ_TIMEOUT_MS + 1000).unref();
    const pool = createPool(target, {
      maxSockets,
      plaintext: !conn.secure,
      insecure: o.rejectUnauthorized === false,
      ...(o.ca !== undefined ? { caPem: o.ca } : {}),
      ...(o.cert !== undefined && o.key !== undefined ? { clientCert: { cert: o.cert as string | Buffer, key: o.key as string | Buffer } } : {}),
      ...(o.servername !== undefined ? { servername: o.servername } : {}),
    });
    current = { tls: o, pool };
    return pool;
  };
  const client: RawKube = {
    async request(method, path, body, contentType = 'application/json', opts) {
      const parse = opts?.answer !== false;
      const o = await conn.options();
      if (method !== 'GET') checkWriteFence(kc);
      const headers: http.OutgoingHttpHeaders = { ...(o.headers as Record<string, string>), accept: 'application/json' };
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) headers['content-type'] = contentType;
      // reads on https go over the apiserver's HTTP/2 connection, which its watches share (h2.ts); writes on the pool
      let res: { status: number; body: string } | undefined;
      if (method === 'GET' && conn.secure && !prefersHttp1(conn, o)) {
        try {
          res = await getH2(conn, o, path, READ_TIMEOUT_MS);
        } catch (err) {
          // a server that chose HTTP/1.1 in ALPN: this read again on the pool
          if (!prefersHttp1(conn, o)) throw err;
        }
      }
      res ??= await send(poolFor(o), `${prefix}${path}`, method, headers, payload, method === 'GET' ? READ_TIMEOUT_MS : REQUEST_TIMEOUT_MS);
      const status = res.status;
      if (status < 200 || status >= 300) {
        let message = res.body;
        try {
          message = (JSON.parse(res.body) as { message?: string }).message ?? res.body;
        } catch {
          // not JSON: keep the text
        }
        throw new KubeRequestError(`${method} ${path}: HTTP ${status}: ${message}`, status, res.body);
      }
      if (!parse || !res.body) return undefined;
      try {
        return JSON.parse(res.body);
      } catch {
        return undefined;
      }
    },
    close() {
      current?.pool.destroy();
      current = undefined;
      clients.delete(kc);
    },
  };
  clients.set(kc, client);
  return client;
}

export const MERGE_PATCH = 'application/merge-patch+json';
