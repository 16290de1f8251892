// The Avi write limiter: every unit's writes share `n` slots, first come first served.
// (Session 7 tried a pull side, a unit translating only once fewer than n writes waited: at 1000 + 1000 its peak RSS
// was within the run-to-run spread and every status came later, so it was not kept.)
import type { SyncApi } from '@avi-k8s/avi-sync';

/** At most `n` calls of the API at once, first come first served. */
export function writeLimiter(api: SyncApi, n: number): SyncApi {
  let running = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    // A slot freed is handed to the first waiter directly (running stays), so no call arriving before the waiter
    // resumes takes it: otherwise n + 1 calls could run.
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
  return { create: (r) => run(() => api.create(r)), update: (r) => run(() => api.update(r)), delete: (r) => run(() => api.delete(r)) };
}
