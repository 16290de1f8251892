import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

// node:http through getBuiltinModule, not an ESM import: Node 24's ESM facade of node:http reads every export,
// WebSocket and friends included, which loads undici (~7 MiB of RSS) in a process that never uses it (issue 15).
const { createServer } = process.getBuiltinModule('node:http');

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface OpsServerOptions {
  host?: string;
  port: number;
  registry: Registry;
  /** /healthz answers 200 while this is true (default: always). */
  healthy?: () => boolean;
  /** /readyz answers 200 once this is true. */
  ready: () => boolean;
  /** Serve /metrics (default true); false answers 404 there, as the Go AKO without featureGates.EnablePrometheus. */
  metrics?: boolean;
  /** Extra GET routes by exact path, e.g. AKO's /api/status. */
  routes?: Record<string, Route>;
}

export interface OpsServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The health, readiness and Prometheus metrics endpoints every long-running process serves. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    const route = options.routes?.[path];
    if (route) {
      Promise.resolve(route(req, res)).catch((err: Error) => send(res, 500, `${err.message}\n`));
      return;
    }
    switch (path) {
      case '/healthz':
        return (options.healthy?.() ?? true) ? send(res, 200, 'ok\n') : send(res, 503, 'unhealthy\n');
      case '/readyz':
        return options.ready() ? send(res, 200, 'ok\n') : send(res, 503, 'not ready\n');
      case '/metrics':
        if (options.metrics === false) return send(res, 404, 'not found (metrics are off)\n');
        options.registry.metrics().then(
          (text) => send(res, 200, text, options.registry.contentType),
          (err: Error) => send(res, 500, `${err.message}\n`),
        );
        return;
      default:
        return send(res, 404, 'not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
