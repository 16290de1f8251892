// Minimal cookie jar for one controller: name -> value, updated from every response's Set-Cookie.

export type CookieJar = Map<string, string>;

interface ParsedSetCookie {
  name: string;
  value: string;
  /** `Max-Age` <= 0 */
  maxAgeGone: boolean;
  /** `Expires` in ms since the epoch, NaN when absent or unreadable */
  expiresAt: number;
}

/** Parsed Set-Cookie lines by their text: a controller repeats the same lines on every answer. */
export type SetCookieMemo = Map<string, ParsedSetCookie | null>;
const MEMO_LIMIT = 64;

function parseSetCookie(line: string): ParsedSetCookie | null {
  const semi = line.indexOf(';');
  const pair = semi < 0 ? line : line.slice(0, semi);
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const parsed: ParsedSetCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    maxAgeGone: false,
    expiresAt: NaN,
  };
  if (semi < 0) return parsed;
  for (const a of line.slice(semi + 1).split(';')) {
    const e = a.indexOf('=');
    const k = (e < 0 ? a : a.slice(0, e)).trim().toLowerCase();
    const v = e < 0 ? '' : a.slice(e + 1).trim();
    if (k === 'max-age' && Number(v) <= 0) parsed.maxAgeGone = true;
    if (k === 'expires') parsed.expiresAt = Date.parse(v);
  }
  return parsed;
}

/**
 * Apply Set-Cookie headers to the jar: `Max-Age=0` or a past `Expires` removes the cookie. True when the jar
 * changed. `memo` (kept by the caller between responses) saves parsing the same lines again.
 */
export function storeCookies(
  jar: CookieJar,
  setCookie: string[] | undefined,
  now: number = Date.now(),
  memo?: SetCookieMemo,
): boolean {
  let changed = false;
  for (const line of setCookie ?? []) {
    let c = memo?.get(line);
    if (c === undefined) {
      c = parseSetCookie(line);
      if (memo) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(line, c);
      }
    }
    if (c === null) continue;
    if (c.maxAgeGone || c.expiresAt < now || c.value === '') changed = jar.delete(c.name) || changed;
    else if (jar.get(c.name) !== c.value) {
      jar.set(c.name, c.value);
      changed = true;
    }
  }
  return changed;
}

/** `a=1; b=2` for the Cookie header, or undefined when empty. */
export function cookieHeader(jar: CookieJar): string | undefined {
  if (jar.size === 0) return undefined;
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
