// watchStream (watch.ts) on an https apiserver: a stream of its one HTTP/2 connection (h2.ts). A stream silent past
// its idle timeout closes its connection too: a silent stream means a silent connection, which would otherwise hold
// every watch retried on it.
import type * as http2 from 'node:http2';
import { h2Headers, nodeHttp2, prefersHttp1, sessionFor, streamError, track, type Session } from './h2.js';
import type { Connection } from './raw.js';
import { eventLines, watchFailure } from './watch-events.js';
import type { WatchEvent, WatchHandle } from './watch.js';

/** watchStream (watch.ts) on an https connection, over HTTP/2; `overHttp1` if the server chose HTTP/1.1 in ALPN. */
export function watchStreamH2(conn: Connection, path: string, qs: string, onEvent: (event: WatchEvent) => void, idleTimeoutMs: number, overHttp1: () => WatchHandle): WatchHandle {
  let stream: http2.ClientHttp2Stream | undefined;
  let inner: WatchHandle | undefined;
  let aborted = false;
  const done = new Promise<void>((resolve, reject) => {
    conn.options().then((o) => {
      if (aborted) return resolve();
      const delegate = () => {
        inner = overHttp1();
        inner.done.then(resolve, reject);
      };
      if (prefersHttp1(conn, o)) return delegate();
      let s: Session;
      try {
        s = sessionFor(conn, o);
        stream = s.session.request(h2Headers(o, `${conn.base.pathname.replace(/\/$/, '')}${path}?${qs}`), { endStream: true });
      } catch (err) {
        return reject(err as Error);
      }
      const str = stream;
      track(s, str);
      // after an error, the HTTP/1.1 watch that replaced this stream settles `done`
      str.on('close', () => inner === undefined && resolve());
      str.on('error', (err) => {
        if (aborted) resolve();
        else if (prefersHttp1(conn, o)) delegate();
        else reject(streamError(err));
      });
      str.setTimeout(idleTimeoutMs, () => {
        const err = new Error(`watch ${path}: nothing received for ${idleTimeoutMs} ms`);
        str.destroy(err);
        s.session.destroy();
      });
      str.on('response', (headers) => {
        const status = Number(headers[':status'] ?? 0);
        if (status !== 200) {
          const chunks: Buffer[] = [];
          str.on('data', (c: Buffer) => chunks.push(c));
          str.on('end', () => reject(watchFailure(path, status, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        str.setEncoding('utf8');
        str.on(
          'data',
          eventLines(path, (event) => void (aborted || onEvent(event)), (err) => str.destroy(err)),
        );
        str.on('end', () => resolve());
      });
    }, reject);
  });
  return {
    done,
    abort() {
      aborted = true;
      inner?.abort();
      if (stream && !stream.destroyed) stream.close(nodeHttp2.constants.NGHTTP2_CANCEL);
    },
  };
}
