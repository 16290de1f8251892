// A lean JSON client for the apiserver writes operators make in bulk (status patches, annotations, Events): one
// keep-alive HTTPS agent per KubeConfig, the kubeconfig's credentials, and no typed (de)serialisation of the
// answer, which costs more CPU than the write itself at thousands of writes. Also the transport of the informers'
// lists and watches (watch.ts): the operators' runtime does not load @kubernetes/client-node.
import * as http from 'node:http';
import * as https from 'node:https';
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

/** The raw client of a KubeConfig (one per KubeConfig, so its connections are reused). */
export function rawKube(kc: KubeConfig, maxSockets = 32): RawKube {
  const known = clients.get(kc);
  if (known) return known;
  const conn = connection(kc);
  const secure = conn.secure;
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets });
  const client: RawKube = {
    async request(method, path, body, contentType = 'application/json', opts) {
      const parse = opts?.answer !== false;
      const o = await conn.options();
      if (method !== 'GET') checkWriteFence(kc);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = (secure ? https : http).request(
          requestOptions(conn, o, agent, method, path, {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}),
          }),
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (!parse && status >= 200 && status < 300) {
                resolve(undefined);
                return;
              }
              const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
              if (status < 200 || status >= 300) {
                let message = text;
                try {
                  message = (JSON.parse(text) as { message?: string }).message ?? text;
                } catch {
                  // not JSON: keep the text
                }
                reject(new KubeRequestError(`${method} ${path}: HTTP ${status}: ${message}`, status, text));
                return;
              }
              try {
                resolve(text ? JSON.parse(text) : undefined);
              } catch {
                resolve(undefined);
              }
            });
          },
        );
        req.on('error', reject);
        req.setTimeout(30000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
        if (payload) req.write(payload);
        req.end();
      });
    },
    close() {
      agent.destroy();
      clients.delete(kc);
    },
  };
  clients.set(kc, client);
  return client;
}

export const MERGE_PATCH = 'application/merge-patch+json';
