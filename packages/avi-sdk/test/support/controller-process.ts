// Runs apps/avi-controller as a separate process (a real peer over HTTPS; packages never import apps).
// The controller is built first with `tsc -b` (a no-op when its dist is current).
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const controllerDir = join(root, 'apps/avi-controller');

export interface ControllerProcess {
  url: string;
  caPem: string;
  password: string;
  stop(): Promise<void>;
}

export function buildController(): void {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', controllerDir], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`building apps/avi-controller failed:\n${out}`);
  }
}

export async function startControllerProcess(extraArgs: string[] = []): Promise<ControllerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'avi-sdk-it-'));
  const password = 'Sdk-Test-Passw0rd';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(controllerDir, 'dist/cli.js'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--log', 'silent', ...extraArgs],
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
    password,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
