import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { ClusterPaths } from './layout.js';

/** GET path on the apiserver as the admin; resolves with the status code (0 when it does not answer). */
export async function adminGet(paths: ClusterPaths, port: number, path: string): Promise<{ status: number; body: string }> {
  const [ca, cert, key] = await Promise.all([paths.caCert, paths.adminCert, paths.adminKey].map((p) => readFile(p, 'utf8')));
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, ca, cert, key, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** True once /readyz answers 200 (every post-start hook, RBAC bootstrap roles included, has finished). */
export async function isReady(paths: ClusterPaths, port: number): Promise<boolean> {
  return (await adminGet(paths, port, '/readyz')).status === 200;
}
