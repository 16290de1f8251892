// The small shared part of the operators' command lines: flags, numbers and the kubeconfig, each failing with a
// message that names the flag and exit code 2 (bad input).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultKubeConfig, loadKubeConfigFile, type LeanKubeConfig } from './kubeconfig.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Options> = ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>>['values'];

function fail(program: string, message: string): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(2);
}

/** The version in the nearest package.json at or above the module FROM_URL (import.meta.url of the program). */
export function packageVersion(fromUrl: string): string {
  for (let dir = dirname(fileURLToPath(fromUrl)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
    if (dirname(dir) === dir) return 'unknown';
  }
}

/**
 * Parses flags strictly; prints the usage and exits 0 on --help, prints `PROGRAM VERSION` and exits 0 on --version
 * (when a version is given), names the bad flag and exits 2 otherwise.
 */
export function parseFlags<T extends Options>(program: string, usage: string, options: T, argv = process.argv.slice(2), version?: string): Values<T> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (version !== undefined && argv.includes('--version')) {
    process.stdout.write(`${program} ${version}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Values<T>;
  } catch (err) {
    fail(program, `${(err as Error).message}\n\n${usage}`);
  }
}

/** A whole-number flag in [min, max], or undefined when absent. */
export function intFlag(program: string, flag: string, value: unknown, min: number, max = 65535): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(program, `--${flag} must be a whole number from ${min} to ${max}, got "${String(value)}"`);
  return n;
}

/** The kubeconfig file, or the default configuration ($KUBECONFIG, ~/.kube/config, in-cluster) when no file is given. */
export function loadKubeConfig(program: string, file: string | undefined): LeanKubeConfig {
  try {
    return file ? loadKubeConfigFile(file) : defaultKubeConfig();
  } catch (err) {
    fail(program, `cannot load kubeconfig ${file ?? '(default)'}: ${(err as Error).message}`);
  }
}
