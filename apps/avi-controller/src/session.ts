// Sessions: login (password or user token), cookies, CSRF double submit, idle expiry, logout, user tokens.

import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, parseCookies } from './http.js';

export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly username: string;
  readonly created: number;
  lastUsed: number;
}

export interface UserToken {
  readonly uuid: string;
  readonly token: string;
  readonly username: string;
  readonly created: number;
  readonly expires: number;
  readonly hours: number;
}

export interface SessionOptions {
  /** Read at each check, so a change of ControllerProperties.api_idle_timeout applies at once. */
  idleTimeoutMs: () => number;
  /** Absolute lifetime (api_force_timeout, 24 h). */
  forceTimeoutMs: number;
  now?: () => number;
}

export interface Credentials {
  check(username: string, password: string): boolean;
}

export const SESSION_COOKIE_MAX_AGE = 86400;
export const CSRF_COOKIE_MAX_AGE = 31449600;

function token32(): string {
  // 32 characters from [a-z0-9], like the controller's cookies.
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').toLowerCase().slice(0, 32);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Sessions {
  login(username: string, secret: { password?: string; token?: string }): Session;
  /** The session of a request, or undefined (no cookie, unknown, expired). */
  fromRequest(req: IncomingMessage): Session | undefined;
  /** Throws the controller's plain-text 401 unless X-CSRFToken equals the csrftoken cookie. */
  checkCsrf(req: IncomingMessage, session: Session): void;
  logout(session: Session): void;
  expireAll(): number;
  /** Set-Cookie values; `all` adds the csrftoken cookie (login), otherwise only the session cookies. */
  cookies(session: Session, secure: boolean, all?: boolean): string[];
  createToken(username: string, hours: number): UserToken;
  listTokens(username: string): UserToken[];
  deleteToken(uuid: string): boolean;
  readonly count: number;
}

export function createSessions(creds: Credentials, opts: SessionOptions): Sessions {
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, UserToken>();

  function expired(s: Session, t: number): boolean {
    return t - s.lastUsed > opts.idleTimeoutMs() || t - s.created > opts.forceTimeoutMs;
  }

  function sweep(t: number): void {
    for (const [id, s] of sessions) if (expired(s, t)) sessions.delete(id);
  }

  return {
    get count() {
      return sessions.size;
    },
    login(username, secret) {
      const t = now();
      let ok = false;
      if (secret.password !== undefined) ok = creds.check(username, secret.password);
      else if (secret.token !== undefined) {
        for (const tok of tokens.values()) {
          if (tok.username === username && tok.expires > t && safeEqual(tok.token, secret.token)) ok = true;
        }
      }
      if (!ok) throw new ApiError(401, 'Invalid credentials');
      if (sessions.size > 10000) sweep(t);
      const s: Session = { id: token32(), csrf: token32(), username, created: t, lastUsed: t };
      sessions.set(s.id, s);
      return s;
    },
    fromRequest(req) {
      const c = parseCookies(req.headers.cookie);
      const id = c.get('avi-sessionid') ?? c.get('sessionid');
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      const t = now();
      if (expired(s, t)) {
        sessions.delete(id);
        return undefined;
      }
      s.lastUsed = t;
      return s;
    },
    checkCsrf(req, session) {
      const header = req.headers['x-csrftoken'];
      const h = Array.isArray(header) ? header[0] : header;
      const cookie = parseCookies(req.headers.cookie).get('csrftoken');
      if (!h || !cookie || !safeEqual(h, cookie) || !safeEqual(cookie, session.csrf)) {
        throw new ApiError(401, 'CSRF token missing or incorrect.', {}, true);
      }
    },
    logout(session) {
      sessions.delete(session.id);
    },
    expireAll() {
      const n = sessions.size;
      sessions.clear();
      return n;
    },
    cookies(session, secure, all = true) {
      const exp = (s: number) => new Date(now() + s * 1000).toUTCString();
      const sec = secure ? '; Secure' : '';
      const out = [
        `avi-sessionid=${session.id}; expires=${exp(SESSION_COOKIE_MAX_AGE)}; HttpOnly; Max-Age=${SESSION_COOKIE_MAX_AGE}; Path=/${sec}`,
        `sessionid=${session.id}; expires=${exp(SESSION_COOKIE_MAX_AGE)}; HttpOnly; Max-Age=${SESSION_COOKIE_MAX_AGE}; Path=/${sec}`,
      ];
      if (all) out.unshift(`csrftoken=${session.csrf}; expires=${exp(CSRF_COOKIE_MAX_AGE)}; Max-Age=${CSRF_COOKIE_MAX_AGE}; Path=/${sec}`);
      return out;
    },
    createToken(username, hours) {
      const t = now();
      const tok: UserToken = {
        uuid: `usertoken-${randomUUID()}`,
        token: randomBytes(20).toString('hex'),
        username,
        created: t,
        expires: t + hours * 3600 * 1000,
        hours,
      };
      tokens.set(tok.uuid, tok);
      return tok;
    },
    listTokens(username) {
      const t = now();
      return [...tokens.values()].filter((x) => x.username === username && x.expires > t);
    },
    deleteToken(uuid) {
      return tokens.delete(uuid);
    },
  };
}
