// Minimal cookie jar for one controller: name -> value, updated from every response's Set-Cookie.

export type CookieJar = Map<string, string>;

/** Apply Set-Cookie headers to the jar: `Max-Age=0` or a past `Expires` removes the cookie. */
export function storeCookies(jar: CookieJar, setCookie: string[] | undefined, now: number = Date.now()): void {
  for (const line of setCookie ?? []) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expired = false;
    for (const a of attrs) {
      const [k, v = ''] = a.split('=').map((x) => x.trim());
      if (k?.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      if (k?.toLowerCase() === 'expires' && Date.parse(v) < now) expired = true;
    }
    if (expired || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

/** `a=1; b=2` for the Cookie header, or undefined when empty. */
export function cookieHeader(jar: CookieJar): string | undefined {
  if (jar.size === 0) return undefined;
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
