// Runs apps/avi-controller as a separate process: a real peer over HTTPS (nothing imports an app). Its dist must be
// built (`npm run build`; the test command builds first).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEntry } from './app-entry.js';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// The controller's one-file bundle (written by its build after tsc), as its bin and image run it (app-entry.ts).
export const controllerCli = appEntry(workspaceRoot, 'avi-controller');

export interface ControllerProcess {
  url: string;
  caPem: string;
  caPath: string;
  username: string;
  password: string;
  dataDir: string;
  process: ChildProcess;
  /** SIGTERM and wait; the data dir is removed unless it was given. */
  stop(): Promise<void>;
}

export interface ControllerProcessOptions {
  /** Extra `serve` flags, e.g. ['--seed', file], ['--dataplane'] (serve the VSes' traffic), ['--dns-listen', '127.0.0.1:0']. */
  args?: string[];
  /** Keep state here (kept after stop); a temporary dir otherwise. */
  dataDir?: string;
  listen?: string;
  password?: string;
  /** Where the controller's JSON log lines go (default: dropped). */
  log?: 'silent' | 'info';
}

export async function startControllerProcess(options: ControllerProcessOptions = {}): Promise<ControllerProcess> {
  if (!existsSync(controllerCli)) throw new Error(`${controllerCli} is missing: run npm run build first`);
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'avi-controller-'));
  const password = options.password ?? 'Testbed-Passw0rd';
  const child = spawn(
    process.execPath,
    [controllerCli, 'serve', '--listen', options.listen ?? '127.0.0.1:0', '--data-dir', dataDir, '--log', options.log ?? 'silent', ...(options.args ?? [])],
    { env: { ...process.env, AVI_ADMIN_PASSWORD: password, NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const ready = await new Promise<{ url: string; caPath: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`avi-controller did not start in 30 s:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const url = /listening on (\S+)/.exec(stderr)?.[1];
      const caPath = /CA certificate: (\S+)/.exec(stderr)?.[1];
      if (url && caPath) {
        clearTimeout(timer);
        resolveReady({ url, caPath });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`avi-controller exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url: ready.url,
    caPem: readFileSync(ready.caPath, 'utf8'),
    caPath: ready.caPath,
    username: 'admin',
    password,
    dataDir,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
