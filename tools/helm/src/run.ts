// Runs helm offline with its own config/cache/data dirs (never the user's repositories or plugins).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmBinary, helmCacheDir } from './binary.js';

export class HelmError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`helm ${args.join(' ')} exited with ${exitCode}:\n${[stdout.trim(), stderr.trim()].filter(Boolean).join('\n')}`);
    this.name = 'HelmError';
  }
}

export interface HelmResult {
  stdout: string;
  stderr: string;
}

/** The environment helm runs with: private HELM_*_HOME dirs under the cache, no proxying of our own env vars. */
export async function helmEnv(): Promise<NodeJS.ProcessEnv> {
  const home = join(await helmCacheDir(), 'home');
  return {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

/** Runs helm with ARGS; resolves with its output, rejects with HelmError (carrying stderr) on a non-zero exit. */
export async function runHelm(args: string[], options: { cwd?: string } = {}): Promise<HelmResult> {
  const bin = await helmBinary();
  const env = await helmEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new HelmError(args, code, stdout, stderr))));
  });
}

export interface TemplateOptions {
  releaseName?: string;
  namespace?: string;
  /** Values files, applied in order (after the chart's values.yaml). */
  valuesFiles?: string[];
  /** Values given as data: written to a temporary file (as JSON, which is YAML) and applied after valuesFiles. */
  values?: Record<string, unknown>;
  /** Extra helm arguments, e.g. ['--show-only', 'templates/configmap.yaml']. */
  extraArgs?: string[];
}

async function withValuesArgs<T>(options: TemplateOptions, fn: (args: string[]) => Promise<T>): Promise<T> {
  const args = (options.valuesFiles ?? []).flatMap((f) => ['--values', f]);
  if (!options.values) return fn(args);
  const dir = await mkdtemp(join(tmpdir(), 'helm-values-'));
  try {
    const file = join(dir, 'values.json');
    await writeFile(file, JSON.stringify(options.values));
    return await fn([...args, '--values', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `helm template`: the rendered manifests (a multi-document YAML string). */
export async function helmTemplate(chartDir: string, options: TemplateOptions = {}): Promise<string> {
  return withValuesArgs(options, async (valuesArgs) => {
    const args = ['template', options.releaseName ?? 'ako', chartDir, '--namespace', options.namespace ?? 'avi-system', ...valuesArgs, ...(options.extraArgs ?? [])];
    return (await runHelm(args)).stdout;
  });
}

/** `helm lint --strict`: resolves with helm's report; rejects with HelmError when the chart has errors or warnings. */
export async function helmLint(chartDir: string, options: Omit<TemplateOptions, 'releaseName' | 'extraArgs'> = {}): Promise<string> {
  return withValuesArgs(options, async (valuesArgs) => {
    const args = ['lint', chartDir, '--strict', ...(options.namespace ? ['--namespace', options.namespace] : []), ...valuesArgs];
    return (await runHelm(args)).stdout;
  });
}
