import { request } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { ClusterPaths } from './layout.js';

/** GET path on the apiserver as the admin; resolves with the status code (0 when it does not answer). */
export function adminGet(paths: ClusterPaths, port: number, path: string, host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return adminRequest(paths, { port, path, host });
}

/** A request to the apiserver as the admin (JSON body); resolves with the status code (0 when it does not answer). */
export async function adminRequest(
  paths: ClusterPaths,
  r: { port: number; path: string; host?: string; method?: string; body?: unknown },
): Promise<{ status: number; body: string }> {
  const [ca, cert, key] = await Promise.all([paths.caCert, paths.adminCert, paths.adminKey].map((p) => readFile(p, 'utf8')));
  const data = r.body === undefined ? undefined : JSON.stringify(r.body);
  const headers = data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
  return new Promise((resolve) => {
    const req = request({ host: r.host ?? '127.0.0.1', port: r.port, path: r.path, method: r.method ?? 'GET', headers, ca, cert, key, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(data);
  });
}

/** True once /readyz answers 200 (every post-start hook, RBAC bootstrap roles included, has finished). */
export async function isReady(paths: ClusterPaths, port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await adminGet(paths, port, '/readyz', host)).status === 200;
}
