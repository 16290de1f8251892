// Bounds the number of requests in flight to one controller. FIFO, no timers.

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new Error(`maxInFlight must be a positive integer, got ${max}`);
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else inFlight--;
  };
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (inFlight < max) inFlight++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
  };
}
