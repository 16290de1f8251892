/** Polls `fn` until `ok` holds; the error names `what` and shows the last value or error. */
export async function eventually<T>(what: string, fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await fn();
      if (ok(last)) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached within ${timeoutMs} ms; last value ${JSON.stringify(last)}${lastErr ? `; last error ${(lastErr as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls `fn` until it gives a value (not undefined), which it returns; errors count as "not yet". */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90000, intervalMs = 250): Promise<T> {
  return (await eventually(what, fn, (v) => v !== undefined, timeoutMs, intervalMs)) as T;
}
