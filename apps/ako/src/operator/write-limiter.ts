// The Avi write limiter: every unit's writes share `n` slots (slots.ts), first come first served; a freed slot goes to
// the first waiting write, so no write arriving meanwhile makes n + 1 run.
// (Session 7 tried a pull side, a unit translating only once fewer than n writes waited: at 1000 + 1000 its peak RSS
// was within the run-to-run spread and every status came later, so it was not kept.)
import type { SyncApi } from '@avi-k8s/avi-sync';
import { Slots } from './slots.js';

/** At most `n` calls of the API at once, first come first served. */
export function writeLimiter(api: SyncApi, n: number): SyncApi {
  const slots = new Slots(n);
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await slots.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return { create: (r) => run(() => api.create(r)), update: (r) => run(() => api.update(r)), delete: (r) => run(() => api.delete(r)) };
}
