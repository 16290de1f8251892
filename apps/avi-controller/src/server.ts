// The request handler: path normalisation, faults, authentication (session cookie or Basic),
// CSRF on writes, X-Avi-Version, tenant headers, routing, request log and metrics.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, normalisePath, readBody, sendError, sendJson } from './http.js';
import type { Ctl, ReqCtx } from './context.js';
import type { Session } from './session.js';
import type { Obj } from './store/store.js';
import { requestVersion } from './version.js';
import { handleObjects } from './api.js';
import { handleDebug } from './debug.js';
import { handleAnalytics } from './analytics/routes.js';
import { clusterRuntimeReply, clusterStatus, clusterVersion, domainList, initialData, licenseUsage, login, userTokens } from './system.js';
import { redactedPath } from './log.js';
import { authorize, checkGrant, principalOf, tenantsOf, type Principal } from './authz.js';
import { checkReferer } from './referer.js';
import { handleUserAccount } from './useraccount.js';
import type { Reply } from './reply.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Metric labels besides object types (bounded, whatever paths clients send). */
const KNOWN_LABELS = new Set(['login', 'logout', 'debug', 'metrics', 'healthz', 'readyz', 'initial-data', 'user-token', 'macro', 'ipamdnsproviderprofiledomainlist', 'analytics', '-']);

interface Auth {
  username: string;
  session?: Session;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function basicCredentials(req: IncomingMessage): { user: string; pass: string } | undefined {
  const h = header(req, 'authorization');
  if (!h || !/^basic /i.test(h)) return undefined;
  const text = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { user: text.slice(0, i), pass: text.slice(i + 1) };
}

function basicAllowed(ctl: Ctl): boolean {
  for (const e of ctl.store.ofType('systemconfiguration')) {
    return (e.obj.portal_configuration as Obj | undefined)?.allow_basic_authentication === true;
  }
  return false;
}

function authenticate(ctl: Ctl, req: IncomingMessage, allowBasic: boolean, checkPassword: (u: string, p: string) => boolean): Auth {
  const session = ctl.sessions.fromRequest(req);
  if (session) return { username: session.username, session };
  const basic = basicCredentials(req);
  if (basic) {
    if (!allowBasic) throw new ApiError(401, 'Basic authentication is disabled (systemconfiguration.portal_configuration.allow_basic_authentication)');
    if (!checkPassword(basic.user, basic.pass)) throw new ApiError(401, 'Invalid credentials');
    return { username: basic.user };
  }
  throw new ApiError(401, 'Authentication credentials were not provided.');
}

function resolveTenant(ctl: Ctl, req: IncomingMessage, p: Principal): string {
  const byUuid = header(req, 'x-avi-tenant-uuid');
  if (byUuid) {
    const t = ctl.store.get(byUuid);
    if (!t || t.type !== 'tenant') throw new ApiError(403, `Tenant '${byUuid}' does not exist!`);
    return byUuid;
  }
  const name = header(req, 'x-avi-tenant');
  // Without a tenant header a user works in its default tenant (admin for administrators).
  if (!name) return p.superuser ? 'admin' : (p.defaultTenant ?? 'admin');
  if (name === '*') return '*';
  const t = ctl.store.findByName('tenant', 'admin', name);
  if (!t) throw new ApiError(403, `Tenant '${name}' does not exist!`);
  return t.obj.uuid as string;
}

/** The object type a request is authorized as (a macro by its model_name, domain lists by their profile type). */
function guardedType(parts: readonly string[], body: Buffer): string {
  const first = parts[0] ?? '';
  if (first === 'macro') {
    const m = (safeJson(body) as { model_name?: unknown } | undefined)?.model_name;
    return typeof m === 'string' ? m.toLowerCase() : 'macro';
  }
  if (first === 'ipamdnsproviderprofiledomainlist') return 'ipamdnsproviderprofile';
  return first;
}

function safeJson(body: Buffer): unknown {
  try {
    return body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}

export interface HandlerOptions {
  scheme: 'http' | 'https';
  checkPassword: (user: string, pass: string) => boolean;
}

export function createHandler(ctl: Ctl, opts: HandlerOptions) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = normalisePath(qi < 0 ? rawUrl : rawUrl.slice(0, qi));
    const query = new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1));
    const base = `${opts.scheme}://${header(req, 'host') ?? 'localhost'}`;
    const segs = path.split('/').filter(Boolean);
    let objectType = segs[0] === 'api' ? (segs[1] ?? '-') : (segs[0] ?? '-');
    let tenantName: string | undefined = header(req, 'x-avi-tenant') ?? header(req, 'x-avi-tenant-uuid');
    let sessionHeaders: Record<string, string | string[]> = {};
    let username: string | undefined;
    let status = 500;

    try {
      const faultable = segs[0] === 'api' || path === '/login' || path === '/logout';
      if (faultable && ctl.faults.active()) {
        const { latencyMs, pathContains } = ctl.faults.config;
        if (latencyMs > 0 && (pathContains === '' || path.includes(pathContains))) await sleep(latencyMs);
        const act = ctl.faults.decide(path, WRITE_METHODS.has(method) && segs[0] === 'api');
        if (act.kind === 'drop') {
          status = 0;
          req.socket.destroy();
          return;
        }
        if (act.kind === 'error') throw act.error;
      }
      const body = WRITE_METHODS.has(method) ? await readBody(req) : Buffer.alloc(0);
      const reply = await route();
      status = reply.status;
      if (reply.text !== undefined) {
        res.writeHead(reply.status, { ...reply.headers, 'Content-Type': reply.contentType ?? 'text/plain' });
        res.end(reply.text);
      } else if (reply.status === 204) {
        res.writeHead(204, { ...sessionHeaders, ...reply.headers });
        res.end();
      } else {
        sendJson(res, reply.status, reply.body, { ...sessionHeaders, ...reply.headers });
      }

      async function route(): Promise<Reply> {
        if (path === '/login') {
          if (method !== 'POST') throw new ApiError(405, `Method "${method}" not allowed.`);
          objectType = 'login';
          const out = await login(ctl, req, body, base);
          username = out.session.username;
          return out.reply;
        }
        if (path === '/logout') {
          if (method !== 'POST') throw new ApiError(405, `Method "${method}" not allowed.`);
          const s = ctl.sessions.fromRequest(req);
          if (s) ctl.sessions.logout(s);
          return { status: 200, body: {} };
        }
        if (path === '/healthz' || path === '/readyz') return { status: 200, text: 'ok\n' };
        if (path === '/metrics' && method === 'GET') {
          return { status: 200, text: await ctl.metrics.registry.metrics(), contentType: ctl.metrics.registry.contentType };
        }
        if (segs[0] === 'debug') {
          const auth = authenticate(ctl, req, true, opts.checkPassword);
          username = auth.username;
          if (!principalOf(ctl, auth.username).superuser) throw new ApiError(403, `User '${auth.username}' is not authorized to use the debug API`);
          if (auth.session && WRITE_METHODS.has(method)) {
            ctl.sessions.checkCsrf(req, auth.session);
            checkReferer(req);
          }
          return handleDebug(ctl, method, segs.slice(1), query, body, base);
        }
        if (segs[0] !== 'api') throw new ApiError(404, `Not found: ${path}`);
        const parts = segs.slice(1);
        const rest = parts.join('/');
        if (method === 'GET' && rest === 'initial-data') return initialData(ctl);
        if (method === 'GET' && rest === 'cluster/status') return clusterStatus(ctl);

        const auth = authenticate(ctl, req, basicAllowed(ctl), opts.checkPassword);
        username = auth.username;
        if (auth.session) sessionHeaders = { 'Set-Cookie': ctl.sessions.cookies(auth.session, ctl.secureCookies, false) };
        const version = requestVersion(req.headers['x-avi-version'], ctl.version);
        sessionHeaders.AVI_API_VERSION = version;
        if (auth.session && WRITE_METHODS.has(method)) {
          ctl.sessions.checkCsrf(req, auth.session);
          checkReferer(req);
        }
        const principal = principalOf(ctl, auth.username);
        const tenant = resolveTenant(ctl, req, principal);
        if (tenant !== '*') tenantName = ctl.store.get(tenant)?.obj.name as string | undefined;
        const visibleTenants = tenantsOf(principal);
        const rc: ReqCtx = { base, tenant, version, username: auth.username, ...(visibleTenants ? { visibleTenants } : {}) };

        // Every user may manage its own tokens and password.
        if (parts[0] === 'user-token') return userTokens(ctl, method, parts, body, rc);
        if (parts[0] === 'useraccount') return handleUserAccount(ctl, method, body, rc, opts.checkPassword);
        const write = WRITE_METHODS.has(method);
        const guarded = guardedType(parts, body);
        authorize(ctl, principal, tenant, guarded, write);
        if (write) checkGrant(principal, guarded, safeJson(body));
        if (method === 'GET' && rest === 'cluster/runtime') return clusterRuntimeReply(ctl);
        if (method === 'GET' && rest === 'cluster/version') return clusterVersion(ctl);
        if (method === 'GET' && rest === 'licenseusage') return licenseUsage(ctl);
        if (method === 'GET' && parts[0] === 'ipamdnsproviderprofiledomainlist') return domainList(ctl, query);
        if (parts[0] === 'analytics') return handleAnalytics(ctl, method, parts, query, body, rc);
        return handleObjects(ctl, { req, method, parts, query, body, rc });
      }
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : (() => {
              ctl.log.error('internal error', { method, path, error: (e as Error).stack ?? String(e) });
              return new ApiError(500, `Internal error: ${(e as Error).message}`);
            })();
      status = err.status;
      if (!res.headersSent) sendError(res, err, sessionHeaders);
      else res.destroy();
    } finally {
      const ms = performance.now() - t0;
      const label = ctl.registry.has(objectType) || KNOWN_LABELS.has(objectType) ? objectType : 'other';
      ctl.metrics.observe(method, label, status, ms / 1000);
      ctl.log.request({
        method,
        path: redactedPath(rawUrl),
        status,
        tenant: tenantName,
        userAgent: header(req, 'x-avi-useragent') ?? header(req, 'user-agent'),
        durationMs: Math.round(ms * 1000) / 1000,
        ...(username ? { user: username } : {}),
      });
    }
  };
}
