// The Avi session: lazy single-flight login (password or token, JSON or form), cookies, CSRF/Referer on writes,
// version/tenant/user-agent headers, re-login and one replay on 401/419, retries with backoff within a deadline,
// a bound on requests in flight, and a per-attempt hook for metrics.
import type { OutgoingHttpHeaders } from 'node:http';
import { AviError, certainlyNotProcessed, controllerMessageFromBody } from './errors.js';
import type { AviErrorKind } from './errors.js';
import { cookieHeader, storeCookies } from './cookies.js';
import type { CookieJar, SetCookieMemo } from './cookies.js';
import { createLimiter } from './limiter.js';
import type { Limiter } from './limiter.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDecision, sleep } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { TransportError, createPool, send, targetOf } from '@avi-k8s/http1';
import type { ConnectionPool } from '@avi-k8s/http1';
import type { RawResponse } from '@avi-k8s/http1';
import { MAX_API_VERSION, capVersion, isVersion } from './version.js';

/** One HTTP attempt, for metrics: count and time calls by method, object type and status. */
export interface CallEvent {
  method: string;
  path: string;
  /** `pool`, `virtualservice`, ... (`login`, `logout` for the session calls) */
  objectType: string;
  /** HTTP status, 0 when no response arrived */
  status: number;
  durationMs: number;
  /** 0 for the first try of a call */
  attempt: number;
  /** classification when the attempt failed */
  errorKind?: AviErrorKind;
}

export interface SessionOptions {
  /** `host`, `host:port`, `[v6addr]:port` or `https://host:port` */
  controller: string;
  username: string;
  password?: string;
  /** user token (sent in the login body instead of the password); a function is asked again at each login */
  authToken?: string | (() => string | Promise<string>);
  /** default tenant (X-Avi-Tenant), `admin` unless set */
  tenant?: string;
  /** X-Avi-Version to send; when absent it is read from /api/initial-data and capped at `maxVersion` */
  version?: string;
  maxVersion?: string;
  /** X-Avi-UserAgent, e.g. `AKO` */
  userAgent?: string;
  loginEncoding?: 'json' | 'form';
  /** PEM CA bundle for the controller certificate; verification is on unless `insecure` */
  caPem?: string | string[];
  insecure?: boolean;
  /** per attempt, default 60 s */
  timeoutMs?: number;
  /** per call including retries and re-login, default 3 min */
  deadlineMs?: number;
  retry?: Partial<RetryPolicy>;
  /** requests in flight to this controller, default 16 */
  maxInFlight?: number;
  /** share one in-flight bound between several clients of the same controller (overrides maxInFlight) */
  limiter?: Limiter;
  onCall?: (event: CallEvent) => void;
  /**
   * Asked right before each write attempt is sent (POST/PUT/PATCH/DELETE except login/logout, retries included,
   * after the wait for a request slot); throwing stops the call with that error, unretried (e.g. the HA fence of an
   * operator that is no longer sure to hold its lease).
   */
  beforeWrite?: (method: string, path: string) => void;
}

export interface CallRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** path below the controller, e.g. `/api/pool/pool-1`; a query may be included */
  path: string;
  query?: QueryParams;
  body?: unknown;
  /** X-Avi-Tenant for this call (overrides the default) */
  tenant?: string;
  /** extra headers (e.g. Slug) */
  headers?: Record<string, string>;
  /** safe to repeat after an ambiguous failure (GET, PUT, DELETE, PATCH replace); POST is not */
  idempotent: boolean;
  /**
   * For non-idempotent calls: after an ambiguous failure (timeout, reset, 5xx) decide whether the call took effect
   * anyway. Return a response to use as the result, or undefined to try again.
   */
  recover?: () => Promise<RawResponse | undefined>;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type QueryParams = Record<string, QueryValue>;

export interface Session {
  call(req: CallRequest): Promise<RawResponse>;
  login(): Promise<void>;
  logout(): Promise<void>;
  close(): Promise<void>;
  /** the X-Avi-Version in use (after login when read from the controller) */
  readonly apiVersion: string | undefined;
  readonly origin: string;
  readonly inFlight: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Parse the controller option into an https origin. */
export function controllerOrigin(controller: string): string {
  const c = controller.trim();
  if (c.length === 0) throw new Error('controller must not be empty');
  if (/^[a-z]+:\/\//i.test(c)) {
    const u = new URL(c);
    if (u.protocol !== 'https:') throw new Error(`controller must use https, got ${u.protocol}`);
    return u.origin;
  }
  // bare IPv6 address: bracket it
  if ((c.match(/:/g) ?? []).length > 1 && !c.startsWith('[')) return `https://[${c}]`;
  return new URL(`https://${c}`).origin;
}

export function buildQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  let sp: URLSearchParams | undefined;
  for (const k in query) {
    const v = query[k];
    if (v === undefined) continue;
    (sp ??= new URLSearchParams()).append(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  if (!sp) return '';
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** `pool` from `/api/pool/pool-1/runtime/`, `login` from `/login`. */
export function objectTypeOfPath(path: string): string {
  const q = path.indexOf('?');
  const segs = (q < 0 ? path : path.slice(0, q)).split('/').filter((s) => s.length > 0);
  if (segs[0] === 'api') return segs[1] ?? 'api';
  return segs[0] ?? '';
}

// A request target that needs no URL parsing: printable ASCII without `#`, spaces or dot segments. Anything else
// goes through the URL parser, which percent-encodes and resolves it as before. Exported for its tests.
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
export function requestTarget(pathAndQuery: string, origin: string): string {
  if (PLAIN_TARGET.test(pathAndQuery) && !pathAndQuery.includes('/.')) return pathAndQuery;
  const u = new URL(pathAndQuery, origin);
  return u.pathname + u.search;
}

export function createSession(opts: SessionOptions): Session {
  if (!opts.username) throw new Error('username is required');
  if (opts.password === undefined && opts.authToken === undefined) throw new Error('password or authToken is required');
  if (opts.version !== undefined && !isVersion(opts.version)) throw new Error(`invalid version ${opts.version}`);
  const origin = controllerOrigin(opts.controller);
  const maxInFlight = opts.maxInFlight ?? 16;
  const limiter: Limiter = opts.limiter ?? createLimiter(maxInFlight);

  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadlineMs = opts.deadlineMs ?? 180_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const defaultTenant = opts.tenant ?? 'admin';
  const maxVersion = opts.maxVersion ?? MAX_API_VERSION;

  const pool: ConnectionPool = createPool(targetOf(origin), {
    maxSockets: maxInFlight + 1,
    insecure: opts.insecure === true,
    ...(opts.caPem !== undefined ? { caPem: opts.caPem } : {}),
  });
  const referer = `${origin}/`;
  const jar: CookieJar = new Map();
  const setCookieMemo: SetCookieMemo = new Map();
  // the Cookie header, rebuilt only when the jar changes
  let cookies: string | undefined;
  const clearJar = () => {
    jar.clear();
    setCookieMemo.clear();
    cookies = undefined;
  };
  let version: string | undefined = opts.version;
  let generation = 0;
  let loggedIn = false;
  let loginInFlight: Promise<void> | undefined;

  // One HTTP attempt: headers, limiter, cookies, hook. Throws AviError for transport failures and >= 400.
  async function attempt(
    method: string,
    pathAndQuery: string,
    body: string | undefined,
    extra: OutgoingHttpHeaders,
    attemptNo: number,
    deadline: number,
  ): Promise<RawResponse> {
    // a fresh object per attempt: the transport adds the content-length to it
    const headers: OutgoingHttpHeaders = { accept: 'application/json', 'content-type': 'application/json' };
    for (const k in extra) headers[k] = extra[k];
    if (version !== undefined) headers['x-avi-version'] = version;
    if (opts.userAgent !== undefined) headers['x-avi-useragent'] = opts.userAgent;
    if (cookies !== undefined) headers.cookie = cookies;
    const write = WRITE_METHODS.has(method);
    if (write && pathAndQuery !== '/login') {
      const csrf = jar.get('csrftoken');
      if (csrf !== undefined) headers['x-csrftoken'] = csrf;
      headers.referer = referer;
    }
    const q = pathAndQuery.indexOf('?');
    const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
    const started = opts.onCall ? performance.now() : 0;
    const report = (status: number, errorKind?: AviErrorKind) => {
      if (!opts.onCall) return;
      const event: CallEvent = {
        method,
        path,
        objectType: objectTypeOfPath(path),
        status,
        durationMs: performance.now() - started,
        attempt: attemptNo,
      };
      if (errorKind !== undefined) event.errorKind = errorKind;
      try {
        opts.onCall(event);
      } catch {
        // a failing metrics hook must not fail the call
      }
    };
    let res: RawResponse;
    let refused: { error: unknown } | undefined;
    try {
      res = await limiter.run(() => {
        // the deadline also covers the wait for a free slot
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new TransportError('call deadline passed before a request slot was free', 'ETIMEDOUT');
        if (opts.beforeWrite && write && path !== '/login' && path !== '/logout') {
          try {
            opts.beforeWrite(method, path);
          } catch (error) {
            refused = { error };
            throw error;
          }
        }
        return send(pool, requestTarget(pathAndQuery, origin), method, headers, body, Math.min(timeoutMs, remaining));
      });
    } catch (e) {
      if (refused) throw refused.error;
      const err =
        e instanceof TransportError
          ? new AviError({ method, path, status: 0, controllerMessage: e.message, code: e.code, cause: e })
          : new AviError({ method, path, status: 0, controllerMessage: String(e), cause: e });
      report(0, err.kind);
      throw err;
    }
    const setCookie = res.headers['set-cookie'];
    if (setCookie !== undefined && storeCookies(jar, Array.isArray(setCookie) ? setCookie : [setCookie], Date.now(), setCookieMemo)) {
      cookies = cookieHeader(jar);
    }
    if (res.status >= 400) {
      const retryAfter = res.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      const err = new AviError({
        method,
        path,
        status: res.status,
        controllerMessage: controllerMessageFromBody(res.body) || `HTTP ${res.status}`,
        body: res.body,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      report(res.status, err.kind);
      throw err;
    }
    report(res.status);
    return res;
  }

  async function loginCredentials(): Promise<Record<string, string>> {
    if (opts.authToken !== undefined) {
      const token = typeof opts.authToken === 'function' ? await opts.authToken() : opts.authToken;
      return { username: opts.username, token };
    }
    return { username: opts.username, password: opts.password ?? '' };
  }

  // Login with retries for transient failures; never re-enters the 401 replay path.
  async function doLogin(): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    clearJar();
    const creds = await loginCredentials();
    const form = opts.loginEncoding === 'form';
    const body = form ? new URLSearchParams(creds).toString() : JSON.stringify(creds);
    const headers: OutgoingHttpHeaders = form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    await withRetries(deadline, true, undefined, (n) => attempt('POST', '/login', body, headers, n, deadline));
    const session = jar.get('avi-sessionid') ?? jar.get('sessionid');
    if (!jar.get('csrftoken') || !session) {
      throw new AviError({
        method: 'POST',
        path: '/login',
        status: 200,
        controllerMessage: 'login response did not set the csrftoken and sessionid/avi-sessionid cookies',
        kind: 'auth',
      });
    }
    generation++;
    if (version === undefined) {
      const res = await withRetries(deadline, true, undefined, (n) =>
        attempt('GET', '/api/initial-data', undefined, { 'x-avi-tenant': defaultTenant }, n, deadline),
      );
      const controllerVersion = parseJsonSafe(res.body)?.version?.Version;
      version = isVersion(controllerVersion) ? capVersion(controllerVersion.trim(), maxVersion) : maxVersion;
    }
    loggedIn = true;
  }

  function ensureLogin(): Promise<void> {
    if (loggedIn) return Promise.resolve();
    loginInFlight ??= doLogin().finally(() => {
      loginInFlight = undefined;
    });
    return loginInFlight;
  }

  async function withRetries(
    deadline: number,
    idempotent: boolean,
    recover: (() => Promise<RawResponse | undefined>) | undefined,
    fn: (attemptNo: number) => Promise<RawResponse>,
  ): Promise<RawResponse> {
    for (let n = 0; ; n++) {
      try {
        return await fn(n);
      } catch (e) {
        if (!(e instanceof AviError)) throw e;
        const decision = retryDecision(e, n, deadline - Date.now(), policy);
        if (!decision.retry) throw e;
        if (!idempotent && !certainlyNotProcessed(e)) {
          if (!recover) throw e;
          await sleep(decision.delayMs);
          const found = await recover();
          if (found) return found;
          continue;
        }
        await sleep(decision.delayMs);
      }
    }
  }

  async function call(req: CallRequest): Promise<RawResponse> {
    const deadline = Date.now() + deadlineMs;
    const pathAndQuery = normalisePath(req.path) + buildQuery(req.query);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: OutgoingHttpHeaders = { 'x-avi-tenant': req.tenant ?? defaultTenant, ...req.headers };
    let replayed = false;
    return withRetries(deadline, req.idempotent, req.recover, async (n) => {
      for (;;) {
        await ensureLogin();
        const gen = generation;
        try {
          return await attempt(req.method, pathAndQuery, body, headers, n, deadline);
        } catch (e) {
          // Session expired or invalidated: log in again (once for all callers of this session) and replay once.
          if (e instanceof AviError && (e.status === 401 || e.status === 419) && !replayed) {
            replayed = true;
            if (generation === gen) loggedIn = false;
            continue;
          }
          throw e;
        }
      }
    });
  }

  async function logout(): Promise<void> {
    if (!loggedIn) return;
    loggedIn = false;
    try {
      await attempt('POST', '/logout', undefined, {}, 0, Date.now() + timeoutMs);
    } catch (e) {
      // an expired session is as logged out as it gets
      if (!(e instanceof AviError && (e.status === 401 || e.status === 419))) throw e;
    } finally {
      clearJar();
    }
  }

  return {
    call,
    login: () => {
      loggedIn = false;
      return ensureLogin();
    },
    logout,
    async close() {
      try {
        await logout();
      } finally {
        pool.destroy();
      }
    },
    get apiVersion() {
      return version;
    },
    origin,
    get inFlight() {
      return limiter.inFlight;
    },
  };
}

function normalisePath(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return p.replace(/\/{2,}/g, '/');
}

function parseJsonSafe(text: string): { version?: { Version?: unknown } } | undefined {
  try {
    return JSON.parse(text) as { version?: { Version?: unknown } };
  } catch {
    return undefined;
  }
}
