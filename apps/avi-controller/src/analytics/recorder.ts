// What the data plane reports to analytics: connections (with the bytes their sockets carried), HTTP requests and
// responses, per side. Client-side events are counted for the virtual service, server-side ones for the virtual
// service and the pool the server belongs to. Socket bytes are read from `bytesRead`/`bytesWritten` every few
// seconds and at close, so long-lived (keep-alive, spliced) connections show their bytes while they last.

import type { Socket } from 'node:net';
import type { SeriesStore, Side } from './series-store.js';

export interface TrafficRecorder {
  /** A TCP connection of `side` for these objects: counted open now, closed (with its remaining bytes) on close. */
  socket(side: Side, uuids: readonly string[], sock: Socket): void;
  /** A connection-like session without a socket of its own (UDP): returns how to add bytes and end it. */
  session(side: Side, uuids: readonly string[]): { bytes(rx: number, tx: number): void; end(): void };
  /** A connection that could not be served (no route, no reachable server). */
  refused(side: Side, uuids: readonly string[]): void;
  request(side: Side, uuids: readonly string[]): void;
  /** A complete response with its status and the time it took (client: request to last byte; server: to headers). */
  response(side: Side, uuids: readonly string[], status: number, ms: number): void;
}

export const FLUSH_MS = 5_000;

interface Tracked {
  side: Side;
  uuids: readonly string[];
  read: number;
  written: number;
}

export interface Recorder extends TrafficRecorder {
  /** Moves the bytes live sockets carried so far into the current bucket (also done every `FLUSH_MS`). */
  flush(): void;
  close(): void;
}

export function createRecorder(store: SeriesStore): Recorder {
  const live = new Map<Socket, Tracked>();
  const each = (uuids: readonly string[], fn: (u: string) => void) => {
    for (const u of new Set(uuids)) fn(u);
  };
  const flushOne = (sock: Socket, t: Tracked) => {
    const rx = sock.bytesRead - t.read;
    const tx = sock.bytesWritten - t.written;
    t.read = sock.bytesRead;
    t.written = sock.bytesWritten;
    each(t.uuids, (u) => {
      store.add(u, t.side, 'rx', rx);
      store.add(u, t.side, 'tx', tx);
    });
  };
  const flush = () => {
    for (const [sock, t] of live) flushOne(sock, t);
  };
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref();
  return {
    socket(side, uuids, sock) {
      if (uuids.length === 0 || live.has(sock)) return;
      const t: Tracked = { side, uuids, read: sock.bytesRead, written: sock.bytesWritten };
      live.set(sock, t);
      each(uuids, (u) => {
        store.add(u, side, 'new');
        store.open(u, side, 1);
      });
      sock.once('close', () => {
        flushOne(sock, t);
        live.delete(sock);
        each(uuids, (u) => {
          store.add(u, side, 'closed');
          store.open(u, side, -1);
        });
      });
    },
    session(side, uuids) {
      each(uuids, (u) => {
        store.add(u, side, 'new');
        store.open(u, side, 1);
      });
      let ended = false;
      return {
        bytes(rx, tx) {
          each(uuids, (u) => {
            store.add(u, side, 'rx', rx);
            store.add(u, side, 'tx', tx);
          });
        },
        end() {
          if (ended) return;
          ended = true;
          each(uuids, (u) => {
            store.add(u, side, 'closed');
            store.open(u, side, -1);
          });
        },
      };
    },
    refused(side, uuids) {
      each(uuids, (u) => store.add(u, side, 'err'));
    },
    request(side, uuids) {
      each(uuids, (u) => store.add(u, side, 'req'));
    },
    response(side, uuids, status, ms) {
      const cls = Math.floor(status / 100);
      each(uuids, (u) => {
        store.add(u, side, 'resp');
        if (cls >= 1 && cls <= 5) store.add(u, side, `r${cls}xx` as 'r1xx');
        store.add(u, side, 'timeMs', ms);
      });
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
