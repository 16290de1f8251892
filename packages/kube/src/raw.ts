// A lean JSON client for the apiserver writes operators make in bulk (status patches, annotations, Events): one
// keep-alive HTTPS agent per KubeConfig, the kubeconfig's credentials, and no typed (de)serialisation of the
// answer, which costs more CPU than the write itself at thousands of writes.
import * as http from 'node:http';
import * as https from 'node:https';
import type * as k8s from '@kubernetes/client-node';

export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

export interface RawKube {
  /** Sends `body` as JSON; resolves with the parsed answer, rejects with KubeRequestError on a non-2xx status. */
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, contentType?: string): Promise<unknown>;
  close(): void;
}

const clients = new WeakMap<k8s.KubeConfig, RawKube>();
const fences = new WeakMap<k8s.KubeConfig, () => void>();

/**
 * Every write made with `kc` by this package (raw writes, Events, status patches) first calls `guard`, which throws
 * to refuse it (the HA fence). Give the fenced writers their own KubeConfig (e.g. a copy) so other users of the
 * original (the Lease itself) are not fenced.
 */
export function fenceWrites(kc: k8s.KubeConfig, guard: () => void): void {
  fences.set(kc, guard);
}

/** Throws if the fence of `kc` refuses writes now. */
export function checkWriteFence(kc: k8s.KubeConfig): void {
  fences.get(kc)?.();
}

/** The raw client of a KubeConfig (one per KubeConfig, so its connections are reused). */
export function rawKube(kc: k8s.KubeConfig, maxSockets = 32): RawKube {
  const known = clients.get(kc);
  if (known) return known;
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets });
  let options: Promise<https.RequestOptions> | undefined;
  const baseOptions = (): Promise<https.RequestOptions> =>
    (options ??= (async () => {
      const o: https.RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(o);
      return o;
    })());
  const client: RawKube = {
    async request(method, path, body, contentType = 'application/json') {
      const o = await baseOptions();
      if (method !== 'GET') checkWriteFence(kc);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = (secure ? https : http).request(
          {
            ...o,
            agent,
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port || (secure ? 443 : 80),
            method,
            path: `${base.pathname.replace(/\/$/, '')}${path}`,
            headers: {
              ...(o.headers as Record<string, string>),
              accept: 'application/json',
              ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
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
