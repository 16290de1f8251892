// The Avi write limiter: every unit's writes share `n` slots. Its pull side, room(), lets a unit build its bodies
// (translate) only when the writes it would add are about to be sent, instead of translating eagerly and leaving its
// bodies in the queue behind every other unit's (issue 12: at a cold start's peak the queue held the closures and
// bodies of writes that waited for seconds).
import type { SyncApi } from '@avi-k8s/avi-sync';

export interface WriteLimiter extends SyncApi {
  /**
   * Resolves when fewer than `n` writes wait for a slot. One caller is let in at a time: the next only once the
   * event loop has turned (by then the one let in has queued its first writes, or wrote nothing) and fewer than `n`
   * writes still wait. First come first served; holds nothing, so a caller that then writes nothing costs nothing.
   */
  room(): Promise<void>;
  /** Writes waiting for a slot. */
  readonly waiting: number;
}

/** At most `n` calls of the API at once, first come first served. */
export function writeLimiter(api: SyncApi, n: number): WriteLimiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const rooms: (() => void)[] = [];
  /** A caller was let in and the event loop has not turned since. */
  let admitting = false;
  const admit = (): void => {
    if (admitting || rooms.length === 0 || waiting.length >= n) return;
    admitting = true;
    rooms.shift()!();
    setImmediate(() => {
      admitting = false;
      admit();
    });
  };
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    // A slot freed is handed to the first waiter directly (running stays), so no later caller takes it meanwhile.
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
      admit();
    }
  };
  return {
    create: (r) => run(() => api.create(r)),
    update: (r) => run(() => api.update(r)),
    delete: (r) => run(() => api.delete(r)),
    room: () =>
      new Promise<void>((r) => {
        rooms.push(r);
        admit();
      }),
    get waiting() {
      return waiting.length;
    },
  };
}
