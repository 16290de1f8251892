import type { Logger } from './logger.js';

/**
 * Runs `shutdown` once on SIGTERM or SIGINT, then exits 0 (1 if it failed); a second signal exits at once.
 */
export function onTerminationSignal(shutdown: () => Promise<void>, logger?: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger?.info('shutting down', { signal });
    shutdown().then(
      () => process.exit(0),
      (err: Error) => {
        logger?.error('shutdown failed', { error: err.message });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
