// Small HTTP servers on loopback that stand in for pods: each answers with its own name.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  name: string;
  ip: string;
  port: number;
  close(): Promise<void>;
}

export async function startBackend(name: string, port = 0, ip = '127.0.0.1'): Promise<Backend> {
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} served ${req.method} ${req.headers.host ?? ''}${req.url}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return { name, ip, port: bound, close: () => new Promise((r) => server.close(() => r())) };
}
