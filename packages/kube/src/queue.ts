import { backoffDelay } from './backoff.js';

export interface WorkQueueOptions<K> {
  /** Handles one key; a thrown error or a result of 'retry' schedules the key again with backoff. */
  handler: (key: K) => Promise<void | 'retry'>;
  concurrency?: number;
  /** Called when a handler throws, with the attempt number (1 = first failure). */
  onError?: (key: K, error: unknown, attempt: number) => void;
  /** Called after each handler run, for metrics. */
  onProcessed?: (key: K, durationMs: number, ok: boolean) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * A keyed work queue: a key added while it is already waiting is coalesced into one run; a key added while its
 * handler runs runs once more afterwards (never two runs of one key at a time); failures retry with backoff;
 * at most `concurrency` keys run at once.
 */
export class WorkQueue<K = string> {
  private readonly waiting: K[] = [];
  private readonly queued = new Set<K>();
  private readonly running = new Set<K>();
  private readonly dirty = new Set<K>();
  private readonly retryTimers = new Map<K, NodeJS.Timeout>();
  private readonly attempts = new Map<K, number>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: WorkQueueOptions<K>) {}

  add(key: K): void {
    if (this.stopped) return;
    const timer = this.retryTimers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.retryTimers.delete(key);
    }
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.waiting.push(key);
    this.pump();
  }

  /** Keys waiting (not running, not in retry backoff). */
  get depth(): number {
    return this.waiting.length;
  }

  get pendingRetries(): number {
    return this.retryTimers.size;
  }

  /** Resolves when nothing is waiting or running (retries in backoff do not count). */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, cancels retries, and waits for running handlers to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.length = 0;
    this.queued.clear();
    await this.idle();
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 4;
    while (!this.stopped && this.running.size < concurrency && this.waiting.length > 0) {
      const key = this.waiting.shift()!;
      this.queued.delete(key);
      this.running.add(key);
      void this.run(key);
    }
    if (this.waiting.length === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  private async run(key: K): Promise<void> {
    const started = performance.now();
    let retry = false;
    let ok = true;
    try {
      retry = (await this.options.handler(key)) === 'retry';
    } catch (error) {
      ok = false;
      retry = true;
      this.options.onError?.(key, error, (this.attempts.get(key) ?? 0) + 1);
    }
    this.options.onProcessed?.(key, performance.now() - started, ok);
    this.running.delete(key);
    if (this.dirty.delete(key)) {
      this.attempts.delete(key);
      this.add(key);
    } else if (retry && !this.stopped) {
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const delay = backoffDelay(attempt - 1, this.options.retryBaseMs ?? 500, this.options.retryMaxMs ?? 30000);
      const timer = setTimeout(() => {
        this.retryTimers.delete(key);
        this.add(key);
      }, delay);
      timer.unref();
      this.retryTimers.set(key, timer);
    } else {
      this.attempts.delete(key);
    }
    this.pump();
  }
}
