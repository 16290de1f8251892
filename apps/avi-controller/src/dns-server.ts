// The DNS server (`--dns-listen HOST:PORT`): UDP, and TCP on the same port, answering A queries for the names
// the controller holds (dns-resolve.ts) in the wire format of dns-wire.ts. Bad packets never stop it.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { isIP } from 'node:net';
import { answerMessage, UDP_LIMIT, type Resolver } from './dns-wire.js';

export interface DnsServer {
  readonly host: string;
  /** The UDP (and TCP) port, the actual one when 0 was asked. */
  readonly port: number;
  /** False when the TCP port could not be bound (UDP still serves). */
  readonly tcp: boolean;
  readonly stats: { queries: number; dropped: number };
  close(): Promise<void>;
}

export class DnsListenError extends Error {}

export function parseDnsListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[3]) > 65535) throw new DnsListenError(`--dns-listen must be HOST:PORT (e.g. 127.0.0.1:5353), got "${listen}"`);
  const host = m[1] ?? m[2]!;
  if (!isIP(host)) throw new DnsListenError(`--dns-listen host must be an IP address, got "${host}"`);
  return { host, port: Number(m[3]) };
}

export async function startDnsServer(listen: string, resolve: Resolver, log: { warn(msg: string, meta?: Record<string, unknown>): void }): Promise<DnsServer> {
  const { host, port } = parseDnsListen(listen);
  const stats = { queries: 0, dropped: 0 };
  const answer = (msg: Buffer, max: number): Buffer | undefined => {
    try {
      const out = answerMessage(msg, resolve, max);
      if (out) stats.queries++;
      else stats.dropped++;
      return out;
    } catch (e) {
      stats.dropped++;
      log.warn('dns: query failed', { error: (e as Error).message });
      return undefined;
    }
  };

  const sockets = new Set<Socket>();
  const tcp: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.setTimeout(10_000, () => s.destroy());
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const out = answer(buf.subarray(2, 2 + len), 65535);
        buf = buf.subarray(2 + len);
        if (out) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(out.length, 0);
          s.write(Buffer.concat([prefix, out]));
        }
      }
    });
  });
  // UDP first, then TCP on the same port. With port 0 the kernel's UDP choice may be taken for TCP: try again.
  let udp: UdpSocket;
  let actualPort = 0;
  let tcpOk = false;
  for (let attempt = 0; ; attempt++) {
    udp = await bindUdp(host, port, listen);
    actualPort = udp.address().port;
    tcpOk = await new Promise<boolean>((ok) => {
      tcp.once('error', (e) => {
        if (port !== 0 || attempt >= 9) log.warn('dns: tcp listener failed, serving UDP only', { listen: `${host}:${actualPort}`, error: e.message });
        ok(false);
      });
      tcp.listen(actualPort, host, () => ok(true));
    });
    if (tcpOk || port !== 0 || attempt >= 9) break;
    udp.close();
  }
  udp.on('error', (e) => log.warn('dns: udp socket error', { error: e.message }));
  udp.on('message', (msg, rinfo) => {
    const out = answer(msg, UDP_LIMIT);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });

  return {
    host,
    port: actualPort,
    tcp: tcpOk,
    stats,
    async close() {
      udp.close();
      if (!tcpOk) return;
      await new Promise<void>((r) => {
        tcp.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function bindUdp(host: string, port: number, listen: string): Promise<UdpSocket> {
  const udp: UdpSocket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
  return new Promise((ok, fail) => {
    udp.once('error', (e) => fail(new DnsListenError(`cannot listen for DNS on udp ${listen}: ${e.message}`)));
    udp.bind(port, host, () => ok(udp));
  });
}
