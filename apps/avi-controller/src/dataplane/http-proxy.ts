// HTTP(S) listeners: each request is routed (SNI child, policies, datascript, pool group/pool), then proxied to
// a pool server reached through the upstreams' loopback-only dialler (upgrades such as WebSocket are spliced
// after the request head). TLS listeners pick their certificate by SNI.

import { createServer as createHttpServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { decideHttp, evhChild, sniChild, type Lookup, type Obj, type ScriptRunner } from './routing.js';
import type { ListenerSpec } from './plan.js';
import type { Upstreams } from './upstream.js';
import type { TrafficRecorder } from '../analytics/recorder.js';

export interface HttpProxyContext {
  readonly lookup: Lookup;
  /** The SNI child VSes currently stored. */
  children(): Obj[];
  readonly upstreams: Upstreams;
  /** The certificate for a TLS server name on a parent VS (the SNI child's, else the parent's matching one); undefined refuses. */
  secureContext(parentUuid: string, serverName: string | undefined): SecureContext | undefined;
  readonly stats: { requests: number; responses5xx: number };
  /** Runs the VS datascripts (datascript.ts). */
  readonly runScript?: ScriptRunner;
  readonly traffic?: TrafficRecorder | undefined;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

function forwardHeaders(headers: IncomingMessage['headers'] | OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const listed = String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

function answer(ctx: HttpProxyContext, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (status >= 500) ctx.stats.responses5xx++;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The request's virtual service (the SNI child for TLS, else the listener's) and the routing decision for it. */
function route(spec: ListenerSpec, ctx: HttpProxyContext, req: IncomingMessage): ReturnType<typeof decideHttp> | undefined {
  return serve(spec, ctx, req)?.decision;
}

function serve(spec: ListenerSpec, ctx: HttpProxyContext, req: IncomingMessage): { vs: Obj; decision: ReturnType<typeof decideHttp> } | undefined {
  const parent = ctx.lookup(spec.vsUuid);
  if (!parent) return undefined;
  const name = spec.tls ? (req.socket as TLSSocket).servername : undefined;
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  // An EVH parent hands each request to the child matching its Host and path (HTTP and HTTPS); SNI parents by TLS name.
  const child =
    parent.vh_type === 'VS_TYPE_VH_ENHANCED'
      ? evhChild(ctx.children(), spec.vsUuid, req.headers.host, qi < 0 ? url : url.slice(0, qi))
      : spec.tls && typeof name === 'string'
        ? sniChild(ctx.children(), spec.vsUuid, name)
        : undefined;
  const vs = child ?? parent;
  const decision = decideHttp(ctx.lookup, vs, {
    host: req.headers.host,
    path: qi < 0 ? url : url.slice(0, qi),
    query: qi < 0 ? '' : url.slice(qi + 1),
    method: req.method ?? 'GET',
    port: spec.port,
    secure: spec.tls,
    headers: req.headers,
  }, ctx.runScript);
  return { vs, decision };
}

async function handle(spec: ListenerSpec, ctx: HttpProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.requests++;
  const served = serve(spec, ctx, req);
  // Analytics: the request counts for the VS that serves it (the SNI child on TLS), answered or not.
  const vsUuid = typeof served?.vs.uuid === 'string' ? served.vs.uuid : spec.vsUuid;
  const t0 = performance.now();
  ctx.traffic?.request('client', [vsUuid]);
  res.once('finish', () => ctx.traffic?.response('client', [vsUuid], res.statusCode, performance.now() - t0));
  const decision = served?.decision;
  if (!decision) return answer(ctx, res, 503, 'virtual service not found\n');
  const url = req.url ?? '/';
  if (decision.kind === 'redirect') return answer(ctx, res, decision.status, '', { location: decision.location });
  if (decision.kind === 'local') return answer(ctx, res, decision.status, decision.body ?? '', { ...decision.headers });
  if (decision.kind === 'none') return answer(ctx, res, decision.status, `${decision.reason}\n`);
  const dialled = await ctx.upstreams.dial(ctx.upstreams.candidates(decision.target));
  if ('error' in dialled) return answer(ctx, res, 502, `no pool server reachable (${dialled.error})\n`);
  const { socket, server } = dialled;
  const serverSide = server.pool ? [vsUuid, server.pool] : [vsUuid];
  ctx.traffic?.socket('server', serverSide, socket);
  ctx.traffic?.request('server', serverSide);
  const sent = performance.now();
  const headers = forwardHeaders(req.headers);
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = `${prior ? `${String(prior)}, ` : ''}${req.socket.remoteAddress ?? ''}`;
  headers['x-forwarded-proto'] = spec.tls ? 'https' : 'http';
  headers['x-forwarded-port'] = String(spec.port);
  const up = request({ host: server.ip, port: server.port, method: req.method, path: url, headers, createConnection: () => socket }, (upRes) => {
    if ((upRes.statusCode ?? 0) >= 500) ctx.stats.responses5xx++;
    ctx.traffic?.response('server', serverSide, upRes.statusCode ?? 0, performance.now() - sent);
    res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, forwardHeaders(upRes.headers));
    upRes.pipe(res);
    upRes.on('error', () => res.destroy());
  });
  up.on('error', (e) => answer(ctx, res, 502, `pool server ${server.ip}:${server.port} failed: ${e.message}\n`));
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  req.on('error', () => up.destroy());
  res.on('error', () => up.destroy());
  req.pipe(up);
}

const STATUS_TEXT: Record<number, string> = { 301: 'Moved Permanently', 302: 'Found', 307: 'Temporary Redirect', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** Upgrade requests (WebSocket): routed like any request, then the two connections are spliced. */
async function handleUpgrade(spec: ListenerSpec, ctx: HttpProxyContext, req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
  ctx.stats.requests++;
  client.on('error', () => undefined);
  const refuse = (status: number, extra = '') => {
    client.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
  };
  const d = route(spec, ctx, req);
  if (!d) return refuse(503);
  if (d.kind === 'redirect') return refuse(d.status, `Location: ${d.location}\r\n`);
  if (d.kind !== 'forward') return refuse(d.status);
  const r = await ctx.upstreams.dial(ctx.upstreams.candidates(d.target));
  if ('error' in r) return refuse(502);
  const up = r.socket;
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]!}: ${req.rawHeaders[i + 1]!}`);
  lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`, `X-Forwarded-Proto: ${spec.tls ? 'https' : 'http'}`);
  up.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) up.write(head);
  up.on('error', () => client.destroy());
  up.on('close', () => client.destroy());
  client.on('close', () => up.destroy());
  up.pipe(client);
  client.pipe(up);
}

/** An HTTP or HTTPS server for one listener (not yet listening). */
export function createHttpListener(spec: ListenerSpec, ctx: HttpProxyContext): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(spec, ctx, req, res).catch((e: unknown) => answer(ctx, res, 500, `data plane error: ${(e as Error).message}\n`));
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleUpgrade(spec, ctx, req, socket, head).catch(() => socket.destroy());
  };
  if (!spec.tls) return createHttpServer(onRequest).on('upgrade', onUpgrade);
  const server = createHttpsServer(
    {
      SNICallback: (serverName, cb) => {
        const sc = ctx.secureContext(spec.vsUuid, serverName);
        if (sc) cb(null, sc);
        else cb(new Error(`no certificate for ${serverName}`));
      },
    },
    onRequest,
  );
  return server.on('upgrade', onUpgrade);
}
