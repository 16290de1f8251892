import { createServer } from 'node:net';
import { KubeLocalError } from './errors.js';

/** Resolves when PORT can be bound on 127.0.0.1, rejects with a clear error when it is in use. */
export function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new KubeLocalError(`kube-local: port ${port} on 127.0.0.1 is already in use`, 4)
          : new KubeLocalError(`kube-local: cannot bind port ${port} on 127.0.0.1: ${err.message}`, 4),
      ),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port the kernel reports free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
