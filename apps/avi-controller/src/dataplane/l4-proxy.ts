// L4 listeners: TCP connections are spliced to a pool server (L4 policy rule pool, else the VS pool); UDP
// datagrams get a session per client address, each with its own socket to one pool server (idle sessions end).
// Servers are reached only through the upstreams' loopback guard: a client with no reachable server is refused.

import { createServer, type Server, type Socket } from 'node:net';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { isLoopback } from './balance.js';
import { decideL4, type Lookup, type ServerChoice } from './routing.js';
import type { ListenerSpec } from './plan.js';
import { NON_LOOPBACK, type Upstreams } from './upstream.js';
import type { TrafficRecorder } from '../analytics/recorder.js';

export interface L4Context {
  readonly lookup: Lookup;
  readonly upstreams: Upstreams;
  readonly stats: { connections: number; refused: number };
  readonly traffic?: TrafficRecorder | undefined;
}

export const UDP_IDLE_MS = 30_000;

export function createTcpListener(spec: ListenerSpec, ctx: L4Context): Server {
  return createServer({ pauseOnConnect: true }, (client: Socket) => {
    client.on('error', () => undefined);
    ctx.stats.connections++;
    void (async () => {
      const vs = ctx.lookup(spec.vsUuid);
      const d = vs ? decideL4(ctx.lookup, vs, spec.port, 'tcp') : undefined;
      if (!d || d.kind !== 'forward') {
        ctx.stats.refused++;
        ctx.traffic?.refused('client', [spec.vsUuid]);
        client.destroy();
        return;
      }
      const r = await ctx.upstreams.dial(ctx.upstreams.candidates(d.target));
      if ('error' in r || client.destroyed) {
        ctx.stats.refused++;
        ctx.traffic?.refused('client', [spec.vsUuid]);
        if (!('error' in r)) r.socket.destroy();
        client.destroy();
        return;
      }
      const up = r.socket;
      ctx.traffic?.socket('server', r.server.pool ? [spec.vsUuid, r.server.pool] : [spec.vsUuid], up);
      up.on('error', () => client.destroy());
      client.on('close', () => up.destroy());
      up.on('close', () => client.destroy());
      client.pipe(up);
      up.pipe(client);
      client.resume();
    })();
  });
}

export interface UdpListener {
  readonly socket: UdpSocket;
  close(): void;
}

export function createUdpListener(spec: ListenerSpec, ctx: L4Context): UdpListener {
  const listener = createSocket({ type: spec.ip.includes(':') ? 'udp6' : 'udp4' });
  type Counted = ReturnType<TrafficRecorder['session']>;
  const sessions = new Map<string, { sock: UdpSocket; server: ServerChoice; timer: NodeJS.Timeout; client?: Counted; upstream?: Counted }>();
  const end = (key: string) => {
    const s = sessions.get(key);
    if (!s) return;
    sessions.delete(key);
    clearTimeout(s.timer);
    s.client?.end();
    s.upstream?.end();
    s.sock.close();
  };
  listener.on('error', () => undefined);
  listener.on('message', (msg: Buffer, client: RemoteInfo) => {
    const key = `${client.address}:${client.port}`;
    let s = sessions.get(key);
    if (!s) {
      const vs = ctx.lookup(spec.vsUuid);
      const d = vs ? decideL4(ctx.lookup, vs, spec.port, 'udp') : undefined;
      if (!d || d.kind !== 'forward') {
        ctx.stats.refused++;
        ctx.traffic?.refused('client', [spec.vsUuid]);
        return;
      }
      const cands = ctx.upstreams.candidates(d.target);
      for (const c of cands) if (!isLoopback(c.ip)) ctx.upstreams.stats.blockedDials++;
      const server = cands.find((c) => isLoopback(c.ip));
      if (!server) {
        for (const c of cands) ctx.upstreams.mark(c, NON_LOOPBACK);
        ctx.stats.refused++;
        ctx.traffic?.refused('client', [spec.vsUuid]);
        return;
      }
      ctx.stats.connections++;
      const sock = createSocket({ type: server.ip.includes(':') ? 'udp6' : 'udp4' });
      sock.on('error', (e) => {
        ctx.upstreams.mark(server, e.message);
        end(key);
      });
      sock.on('message', (reply: Buffer, from: RemoteInfo) => {
        if (from.address !== server.ip || from.port !== server.port) return;
        ctx.upstreams.mark(server, undefined);
        const live = sessions.get(key);
        live?.timer.refresh();
        live?.upstream?.bytes(reply.length, 0);
        live?.client?.bytes(0, reply.length);
        listener.send(reply, client.port, client.address);
      });
      s = {
        sock,
        server,
        timer: setTimeout(() => end(key), UDP_IDLE_MS),
        ...(ctx.traffic
          ? { client: ctx.traffic.session('client', [spec.vsUuid]), upstream: ctx.traffic.session('server', server.pool ? [spec.vsUuid, server.pool] : [spec.vsUuid]) }
          : {}),
      };
      s.timer.unref();
      sessions.set(key, s);
    }
    s.timer.refresh();
    s.client?.bytes(msg.length, 0);
    s.upstream?.bytes(0, msg.length);
    s.sock.send(msg, s.server.port, s.server.ip);
  });
  return {
    socket: listener,
    close() {
      for (const k of [...sessions.keys()]) end(k);
      try {
        listener.close();
      } catch {
        // already closed
      }
    },
  };
}
