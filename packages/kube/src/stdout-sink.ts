import { writeSync } from 'node:fs';

/**
 * Lines to stdout that are not lost at process.exit() and never block the event loop while running.
 * process.stdout on a pipe (a container's stdout) queues what the pipe does not take at once and drops that queue
 * at exit (measured: 3000 lines then exit, ~400-1100 of them reached the reader). Here each line is written with
 * one non-blocking write(2); what the pipe does not take waits here, is retried on a timer, and is written out at
 * 'exit' (waiting at most EXIT_WAIT_MS for a stalled reader). Past MAX_PENDING bytes waiting, new lines are dropped.
 */
const EXIT_WAIT_MS = 2000;
const MAX_PENDING = 16 << 20;

export function stdoutSink(fd = 1): { write(line: string): void } {
  // Opening process.stdout makes libuv put a pipe in non-blocking mode (a file or a terminal writes at once).
  void process.stdout;
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;

  /** Writes what is pending; false when the pipe is full (EAGAIN) and some is left. */
  const drain = (): boolean => {
    while (pending.length > 0) {
      const buf = pending[0]!;
      let n: number;
      try {
        n = writeSync(fd, buf);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return false;
        pending.length = 0; // EPIPE, EBADF: nobody reads stdout any more
        pendingBytes = 0;
        return true;
      }
      pendingBytes -= n;
      if (n < buf.length) pending[0] = buf.subarray(n);
      else pending.shift();
    }
    return true;
  };
  const retry = (): void => {
    timer = undefined;
    if (!drain()) timer = setTimeout(retry, 10).unref();
  };
  process.on('exit', () => {
    const until = Date.now() + EXIT_WAIT_MS;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!drain() && Date.now() < until) Atomics.wait(nap, 0, 0, 2);
  });

  return {
    write(line: string): void {
      if (pendingBytes + line.length > MAX_PENDING) return;
      const buf = Buffer.from(line);
      pending.push(buf);
      pendingBytes += buf.length;
      if (timer === undefined && !drain()) timer = setTimeout(retry, 10).unref();
    },
  };
}
