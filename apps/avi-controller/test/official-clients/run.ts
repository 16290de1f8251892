// Runs the official Avi clients against an in-process controller, as child processes: avisdk scripts
// (python/, in the venv install-avisdk.sh creates; scripts/setup.sh runs it) and the Go SDK probe (go/,
// built and cached by build.sh). Each prints one JSON object of what the SDK returned.
//
// Children run asynchronously: the controller answers them from this process's event loop.

import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningController } from '../../src/index.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

// requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a Session's `verify` (the CA avisdk is given),
// so the children run without them. No __pycache__ next to the scripts either.
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.REQUESTS_CA_BUNDLE;
  delete env.CURL_CA_BUNDLE;
  return env;
}

async function lastLine(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await run(cmd, args, { timeout: timeoutMs, env: childEnv(), maxBuffer: 16 << 20 });
  return stdout.trim().split('\n').pop()!;
}

/** The venv's python with the pinned avisdk (creates the venv the first time). */
export const avisdkPython = (): Promise<string> =>
  lastLine('bash', [join(here, 'python', 'install-avisdk.sh')], 300_000);

/** The built Go SDK probe (builds it the first time). */
export const goProbe = (): Promise<string> => lastLine('bash', [join(here, 'go', 'build.sh')], 600_000);

/** The avisdk version pinned in requirements.txt. */
export const AVISDK_VERSION = '30.2.7';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function caOf(ctl: RunningController): string {
  if (!ctl.caPath) throw new Error('the official clients are run over HTTPS: start the controller without plainHttp');
  return ctl.caPath;
}

async function runJson(cmd: string, args: string[], timeoutMs: number): Promise<Json> {
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run(cmd, args, { timeout: timeoutMs, env: childEnv(), maxBuffer: 64 << 20 }));
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${(err.stderr ?? '').slice(-4000)}`);
  }
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${cmd} printed no JSON: ${stdout.slice(0, 2000)}\n${stderr.slice(-4000)}`);
  }
}

/** Runs python/<script>.py against the controller; extra args are appended. */
export async function avisdk(python: string, ctl: RunningController, script: string, extra: string[] = []): Promise<Json> {
  const u = new URL(ctl.url);
  const out = await runJson(
    python,
    [join(here, 'python', `${script}.py`), '--controller', u.hostname, '--port', u.port, '--password', ctl.adminPassword,
      '--ca', caOf(ctl), ...extra],
    120_000,
  );
  if (out.fatal) throw new Error(`${script}.py: ${JSON.stringify(out.fatal)}\n${out.traceback ?? ''}`);
  return out;
}

/** Runs one scenario of the Go SDK probe against the controller (TLS verified with the controller's CA). */
export function goSdk(probe: string, ctl: RunningController, scenario: string, extra: string[] = []): Promise<Json> {
  const u = new URL(ctl.url);
  return runJson(probe, ['-host', u.host, '-password', ctl.adminPassword, '-ca', caOf(ctl), ...extra, scenario], 120_000);
}
