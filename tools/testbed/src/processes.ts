// The operators run as their built CLIs (child processes of the demo, benchmarks and tests) and stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { appEntry } from './app-entry.js';
import { workspaceRoot } from './controller-process.js';

/**
 * Starts `node apps/<app>/dist/bundle.js ARGS` (the app's one-file bundle, as its bin and image run it; see
 * app-entry.ts); its stdout (JSON logs) goes to LOGFILE or is discarded, stderr is shown. `nodeOptions` replaces
 * NODE_OPTIONS (e.g. a heap cap); `env` adds variables (e.g. POD_NAME); `entry` runs another build of the app (a copy
 * of an earlier bundle, for the benchmarks' side-by-side runs).
 */
export function startCli(app: 'ako' | 'amko', args: string[], options: { logFile?: string; nodeOptions?: string; env?: Record<string, string>; entry?: string } = {}): ChildProcess {
  return spawn(process.execPath, [options.entry ?? appEntry(workspaceRoot, app), ...args], {
    stdio: ['ignore', options.logFile ? openSync(options.logFile, 'a') : 'ignore', 'inherit'],
    env: { ...process.env, ...options.env, NODE_OPTIONS: options.nodeOptions ?? '' },
  });
}

/** Resolves with the exit code when CHILD exits. */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/** SIGTERM, then SIGKILL if it is still running after GRACE_MS. */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 10000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}
