// One watch request on the apiserver: newline-delimited JSON events over a long GET. On https, a stream of the
// apiserver's one HTTP/2 connection (watch-h2.ts); on plain http, or a TLS server that chose HTTP/1.1 in ALPN, a
// connection of its own (watches hold it for minutes; the write client's sockets stay free for writes).
import type * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from './kubeconfig.js';
import { connection, requestOptions, type Connection } from './raw.js';
import { eventLines, watchFailure } from './watch-events.js';
import { watchStreamH2 } from './watch-h2.js';

// Not an ESM import: Node 24's ESM facade of node:http loads undici (~7 MiB of RSS) for its WebSocket export.
const nodeHttp = process.getBuiltinModule('node:http');

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR' | string;
  object: { metadata?: { name?: string; namespace?: string; resourceVersion?: string }; code?: number; message?: string } & Record<string, unknown>;
}

export interface WatchHandle {
  /** Resolves when the server ends the watch; rejects on a non-200 answer (KubeRequestError), a socket error or silence. */
  readonly done: Promise<void>;
  abort(): void;
}

const connections = new WeakMap<KubeConfig, Connection>();
const agents: { http?: http.Agent; https?: http.Agent } = {};

function connectionOf(kc: KubeConfig): Connection {
  let conn = connections.get(kc);
  if (!conn) connections.set(kc, (conn = connection(kc)));
  return conn;
}

/**
 * Watches PATH (a collection) with QUERY (resourceVersion, selectors, ...); `onEvent` gets each event in order.
 * `idleTimeoutMs`: no byte for this long ends the watch with an error (a server gone without closing the socket).
 */
export function watchStream(kc: KubeConfig, path: string, query: Record<string, string>, onEvent: (event: WatchEvent) => void, idleTimeoutMs: number): WatchHandle {
  const conn = connectionOf(kc);
  const qs = new URLSearchParams({ ...query, watch: 'true' }).toString();
  const overHttp1 = () => watchStreamHttp1(conn, path, qs, onEvent, idleTimeoutMs);
  return conn.secure ? watchStreamH2(conn, path, qs, onEvent, idleTimeoutMs, overHttp1) : overHttp1();
}

function watchStreamHttp1(conn: Connection, path: string, qs: string, onEvent: (event: WatchEvent) => void, idleTimeoutMs: number): WatchHandle {
  // keepAlive also turns on TCP keep-alive probes, so a peer that vanished is noticed.
  const agent = conn.secure ? (agents.https ??= new https.Agent({ keepAlive: true })) : (agents.http ??= new nodeHttp.Agent({ keepAlive: true }));
  let req: http.ClientRequest | undefined;
  let aborted = false;
  const done = new Promise<void>((resolve, reject) => {
    conn.options().then((o) => {
      if (aborted) return resolve();
      req = (conn.secure ? https : nodeHttp).request(requestOptions(conn, o, agent, 'GET', `${path}?${qs}`, { accept: 'application/json' }), (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => reject(watchFailure(path, status, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        res.setEncoding('utf8');
        res.on(
          'data',
          eventLines(path, (event) => void (aborted || onEvent(event)), (err) => req?.destroy(err)),
        );
        res.on('error', (err) => (aborted ? resolve() : reject(err)));
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (err) => (aborted ? resolve() : reject(err)));
      req.setTimeout(idleTimeoutMs, () => req?.destroy(new Error(`watch ${path}: nothing received for ${idleTimeoutMs} ms`)));
      req.end();
    }, reject);
  });
  return {
    done,
    abort() {
      aborted = true;
      req?.destroy();
    },
  };
}
