// The operators run as their built CLIs, as child processes of the demo, and stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@avi-k8s/testbed';

/** Starts `node apps/<app>/dist/main.js ARGS` with its stdout discarded (JSON logs) and stderr shown. */
export function startCli(app: 'ako' | 'amko', args: string[]): ChildProcess {
  return spawn(process.execPath, [join(workspaceRoot, `apps/${app}/dist/main.js`), ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
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
