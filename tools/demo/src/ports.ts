// Ports the demo chooses itself: node ports per cluster (both clusters' backends listen on 127.0.0.1, so the
// apiservers' random picks could collide) and the controller's DNS port (UDP and TCP).
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const NODE_PORT_MAX = 32767;

function tcpFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** COUNT node ports that can be bound on 127.0.0.1 now, from FROM upwards, none of them in TAKEN. */
export async function pickNodePorts(count: number, from: number, taken: number[] = []): Promise<number[]> {
  const out: number[] = [];
  for (let port = from; port <= NODE_PORT_MAX && out.length < count; port++) {
    if (!taken.includes(port) && (await tcpFree(port))) out.push(port);
  }
  if (out.length < count) throw new Error(`no ${count} free node ports from ${from} to ${NODE_PORT_MAX} on 127.0.0.1`);
  return out;
}

/** A port free on 127.0.0.1 for both UDP and TCP (the DNS server listens on both). */
export async function freeDnsPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port > 0 && (await udpFree(port))) return port;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}
