// Table-driven tests of the SDK's pure parts: refs, error classification, retry policy, cookies, versions.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AviError,
  capVersion,
  classify,
  compareVersions,
  controllerMessageFromBody,
  parseRef,
  parseRetryAfter,
  refByName,
  refByUuid,
  retryDecision,
} from '../src/index.js';
import { storeCookies, cookieHeader } from '../src/cookies.js';
import { buildQuery, controllerOrigin, objectTypeOfPath, requestTarget } from '../src/session.js';
import { createLimiter } from '../src/limiter.js';
import type { AviErrorKind } from '../src/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;

describe('parseRef', () => {
  const cases = readJson<{ name: string; ref: string; expected: object | null }[]>('refs.json');
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(parseRef(c.ref) ?? null).toEqual(c.expected);
  });

  test('refByName escapes, and round-trips through parseRef', () => {
    const ref = refByName('serviceenginegroup', 'my se/group#1');
    expect(ref).toBe('/api/serviceenginegroup/?name=my%20se%2Fgroup%231');
    expect(parseRef(ref)).toEqual({ type: 'serviceenginegroup', name: 'my se/group#1' });
    expect(parseRef(refByUuid('pool', 'pool-1'))).toEqual({ type: 'pool', uuid: 'pool-1' });
  });
});

describe('classify', () => {
  const cases = readJson<{ status: number; code?: string; message: string; kind: AviErrorKind }[]>(
    'error-classification.json',
  );
  test.each(cases.map((c) => [`${c.status} ${c.code ?? ''} ${c.message}`, c] as const))('%s', (_n, c) => {
    expect(classify(c.status, c.message, c.code)).toBe(c.kind);
    const err = new AviError({ method: 'GET', path: '/api/x', status: c.status, controllerMessage: c.message, ...(c.code ? { code: c.code } : {}) });
    expect(err.kind).toBe(c.kind);
  });
});

describe('controllerMessageFromBody', () => {
  const cases = readJson<{ name: string; body: string; expected: string }[]>('error-bodies.json');
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(controllerMessageFromBody(c.body)).toBe(c.expected);
  });
});

describe('AviError', () => {
  test('message names method, path, status and the controller message', () => {
    const e = new AviError({ method: 'DELETE', path: '/api/pool/p1', status: 404, controllerMessage: 'Pool object not found!' });
    expect(e.message).toBe('DELETE /api/pool/p1: HTTP 404: Pool object not found!');
    expect(e.kind).toBe('not-found');
    const t = new AviError({ method: 'GET', path: '/api/pool', status: 0, controllerMessage: 'socket hang up', code: 'ECONNRESET' });
    expect(t.message).toBe('GET /api/pool: ECONNRESET: socket hang up');
  });
});

describe('retryDecision', () => {
  const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };
  const err = (status: number, message = 'x', retryAfterMs?: number) =>
    new AviError({ method: 'GET', path: '/p', status, controllerMessage: message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  const cases: [string, AviError, number, number, number, { retry: boolean; delayMs?: number }][] = [
    ['transient, first retry, jitter 0.5 of 100', err(502), 0, 10_000, 0.5, { retry: true, delayMs: 50 }],
    ['backoff doubles per attempt', err(502), 2, 10_000, 0.5, { retry: true, delayMs: 200 }],
    ['jitter stays below the step', err(502), 2, 10_000, 0.999, { retry: true, delayMs: 399 }],
    ['retries exhausted', err(502), 3, 10_000, 0.5, { retry: false }],
    ['Retry-After honoured over jitter', err(429, 'slow down', 2000), 0, 10_000, 0.5, { retry: true, delayMs: 2000 }],
    ['Retry-After beyond the deadline gives up', err(429, 'slow down', 2000), 0, 1500, 0.5, { retry: false }],
    ['not retried: conflict', err(409), 0, 10_000, 0.5, { retry: false }],
    ['not retried: invalid input', err(400), 0, 10_000, 0.5, { retry: false }],
    ['not retried: auth', err(401), 0, 10_000, 0.5, { retry: false }],
    ['retry-later by message', err(400, 'Configuration is disallowed during upgrade'), 1, 10_000, 0, { retry: true, delayMs: 0 }],
  ];
  test.each(cases)('%s', (_n, e, attempt, remaining, rnd, want) => {
    expect(retryDecision(e, attempt, remaining, policy, () => rnd)).toEqual(want);
  });

  test.each([
    ['seconds', '3', 3000],
    ['fraction', '0.5', 500],
    ['HTTP date', 'Sun, 22 Nov 2026 00:00:10 GMT', 10_000],
    ['date in the past', 'Sun, 22 Nov 2026 00:00:00 GMT', 0],
    ['garbage', 'soon', undefined],
    ['absent', undefined, undefined],
  ])('parseRetryAfter %s', (_n, value, want) => {
    expect(parseRetryAfter(value, Date.parse('2026-11-22T00:00:00Z'))).toBe(want);
  });
});

describe('cookies', () => {
  test('login cookies are stored, refreshed and expired', () => {
    const jar = new Map<string, string>();
    storeCookies(jar, [
      'csrftoken=abc; expires=Sun, 21 Nov 2027 00:00:00 GMT; Max-Age=31449600; Path=/; Secure',
      'avi-sessionid=s1; HttpOnly; Max-Age=86400; Path=/; Secure',
      'sessionid=s1; HttpOnly; Max-Age=86400; Path=/; Secure',
    ]);
    expect(cookieHeader(jar)).toBe('csrftoken=abc; avi-sessionid=s1; sessionid=s1');
    storeCookies(jar, ['avi-sessionid=s2; Max-Age=86400', 'sessionid=; Max-Age=0']);
    expect(cookieHeader(jar)).toBe('csrftoken=abc; avi-sessionid=s2');
    storeCookies(jar, ['csrftoken=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'garbage', '=novalue']);
    expect(cookieHeader(jar)).toBe('avi-sessionid=s2');
  });

  test('storeCookies says whether the jar changed, with or without the parse memo', () => {
    for (const memo of [undefined, new Map()]) {
      const jar = new Map<string, string>();
      const lines = ['csrftoken=abc; Max-Age=31449600; Path=/', 'avi-sessionid=s1; HttpOnly; Max-Age=86400'];
      expect(storeCookies(jar, lines, Date.now(), memo)).toBe(true);
      // a controller repeats the same Set-Cookie lines: nothing changes, the Cookie header can stay as it is
      expect(storeCookies(jar, lines, Date.now(), memo)).toBe(false);
      expect(storeCookies(jar, ['avi-sessionid=s2; Max-Age=86400'], Date.now(), memo)).toBe(true);
      expect(storeCookies(jar, ['avi-sessionid=; Max-Age=0'], Date.now(), memo)).toBe(true);
      expect(storeCookies(jar, ['avi-sessionid=; Max-Age=0'], Date.now(), memo)).toBe(false);
      // the memo keeps the parse, not the verdict: an Expires that has passed since is applied as passed
      const later = ['csrftoken=abc; Expires=Sun, 21 Nov 2027 00:00:00 GMT'];
      expect(storeCookies(jar, later, Date.parse('2027-01-01T00:00:00Z'), memo)).toBe(false);
      expect(storeCookies(jar, later, Date.parse('2028-01-01T00:00:00Z'), memo)).toBe(true);
      expect(cookieHeader(jar)).toBeUndefined();
    }
  });
});

describe('versions, origins, queries', () => {
  test.each([
    ['22.1.2', '30.2.1', -1],
    ['30.2.1', '30.2.1', 0],
    ['31.2.2', '30.2.1', 1],
    ['30.2', '30.2.0', 0],
    ['18.2.10', '18.2.9', 1],
  ])('compareVersions(%s, %s)', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });

  test('capVersion keeps older controllers and caps newer ones', () => {
    expect(capVersion('22.1.2')).toBe('22.1.2');
    expect(capVersion('31.2.2')).toBe('30.2.1');
  });

  test.each([
    ['ctrl.example.com', 'https://ctrl.example.com'],
    ['10.0.0.1:8443', 'https://10.0.0.1:8443'],
    ['https://ctrl:9443/ignored/path', 'https://ctrl:9443'],
    ['fd00::1', 'https://[fd00::1]'],
    ['[fd00::1]:8443', 'https://[fd00::1]:8443'],
  ])('controllerOrigin(%s)', (input, want) => {
    expect(controllerOrigin(input)).toBe(want);
  });

  test('controllerOrigin rejects plain http and empty input', () => {
    expect(() => controllerOrigin('http://ctrl')).toThrow('https');
    expect(() => controllerOrigin(' ')).toThrow('empty');
  });

  test('buildQuery and objectTypeOfPath', () => {
    expect(buildQuery({ name: 'my se', 'name.in': ['a', 'b'], include_name: true, skip: undefined, page_size: 100 })).toBe(
      '?name=my+se&name.in=a%2Cb&include_name=true&page_size=100',
    );
    expect(buildQuery({})).toBe('');
    expect(objectTypeOfPath('/api/pool/pool-1/runtime/')).toBe('pool');
    expect(objectTypeOfPath('/login')).toBe('login');
  });

  test('requestTarget sends plain targets as they are and percent-encodes or resolves the rest as a URL does', () => {
    const origin = 'https://ctrl.example:8443';
    expect(requestTarget('/api/pool/pool-1?name=a%20b&page_size=100', origin)).toBe('/api/pool/pool-1?name=a%20b&page_size=100');
    expect(requestTarget('/api/virtualservice/vs-1/runtime/', origin)).toBe('/api/virtualservice/vs-1/runtime/');
    // WHATWG URL: spaces and quotes in a path are percent-encoded, dot segments resolved, the fragment dropped
    expect(requestTarget('/api/pool/a b', origin)).toBe('/api/pool/a%20b');
    expect(requestTarget('/api/pool/"x"', origin)).toBe('/api/pool/%22x%22');
    expect(requestTarget('/api/a/../pool/./p1', origin)).toBe('/api/pool/p1');
    expect(requestTarget('/api/pool#frag', origin)).toBe('/api/pool');
    expect(requestTarget('/api/pool?q=a b', origin)).toBe('/api/pool?q=a%20b');
  });
});

describe('limiter', () => {
  test('never runs more than max at once and runs everything', async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return i;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => limiter.run(() => task(i))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(limiter.inFlight).toBe(0);
  });

  test('a failing task releases its slot', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
