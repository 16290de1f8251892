import { readFileSync } from 'node:fs';
import { backoffDelay, WorkQueue } from '../src/index.js';

const cases = JSON.parse(readFileSync(new URL('./fixtures/backoff.json', import.meta.url), 'utf8')) as {
  attempt: number;
  base: number;
  max: number;
  random: number;
  expected: number;
}[];

describe('backoffDelay', () => {
  it.each(cases)('attempt $attempt (base $base, max $max, random $random) -> $expected ms', (c) => {
    expect(backoffDelay(c.attempt, c.base, c.max, () => c.random)).toBe(c.expected);
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkQueue', () => {
  it('coalesces a burst of adds for a waiting key into one run', async () => {
    const runs: string[] = [];
    const gate = deferred();
    const q = new WorkQueue<string>({
      concurrency: 1,
      handler: async (k) => {
        runs.push(k);
        if (k === 'busy') await gate.promise;
      },
    });
    q.add('busy');
    for (let i = 0; i < 50; i++) q.add('a');
    q.add('b');
    expect(q.depth).toBe(2);
    gate.resolve();
    await q.idle();
    expect(runs).toEqual(['busy', 'a', 'b']);
  });

  it('never runs one key twice at once, and runs it again when it changed while running', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const first = deferred();
    const q = new WorkQueue<string>({
      concurrency: 4,
      handler: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        if (runs === 1) await first.promise;
        active--;
      },
    });
    q.add('k');
    await new Promise((r) => setImmediate(r));
    q.add('k');
    q.add('k');
    first.resolve();
    await q.idle();
    await new Promise((r) => setImmediate(r));
    await q.idle();
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it('limits how many keys run at once', async () => {
    let active = 0;
    let maxActive = 0;
    const q = new WorkQueue<number>({
      concurrency: 3,
      handler: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      },
    });
    for (let i = 0; i < 20; i++) q.add(i);
    await q.idle();
    expect(maxActive).toBe(3);
  });

  it('retries a failing key with backoff and reports each failure', async () => {
    const errors: number[] = [];
    let calls = 0;
    const done = deferred();
    const q = new WorkQueue<string>({
      retryBaseMs: 5,
      retryMaxMs: 20,
      handler: async () => {
        calls++;
        if (calls < 3) throw new Error(`boom ${calls}`);
        done.resolve();
      },
      onError: (_k, _e, attempt) => errors.push(attempt),
    });
    q.add('flaky');
    await done.promise;
    expect(calls).toBe(3);
    expect(errors).toEqual([1, 2]);
    expect(q.pendingRetries).toBe(0);
  });

  it('stop cancels pending retries and waits for running work', async () => {
    let calls = 0;
    const q = new WorkQueue<string>({
      retryBaseMs: 60000,
      handler: async () => {
        calls++;
        throw new Error('always');
      },
    });
    q.add('x');
    await q.idle();
    expect(q.pendingRetries).toBe(1);
    await q.stop();
    expect(q.pendingRetries).toBe(0);
    q.add('x');
    await q.idle();
    expect(calls).toBe(1);
  });
});
