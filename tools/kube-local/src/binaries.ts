import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeLocalError } from './errors.js';

/** The Kubernetes release kube-local builds when no binary is given. */
export const DEFAULT_KUBE_VERSION = '1.35.4';

export interface Binaries {
  kubeApiserver: string;
  etcd: string;
}

export function cacheDir(): string {
  return process.env.KUBE_LOCAL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kube-local');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromEnv(variable: string): string | undefined {
  const value = process.env[variable];
  if (!value) return undefined;
  if (!isExecutable(value)) throw new KubeLocalError(`kube-local: ${variable}=${value} is not an executable file`, 2);
  return value;
}

/** Builds kube-apiserver VERSION with Go (cached by version) and returns its path. */
export function buildKubeApiserver(version: string, log: (line: string) => void = () => {}): Promise<string> {
  const script = fileURLToPath(new URL('../scripts/build-kube-apiserver.sh', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [script, version], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as { code?: number }).code;
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        if (code === 3) reject(new KubeLocalError(tail, 3));
        else reject(new KubeLocalError(`kube-local: building kube-apiserver v${version} failed:\n${tail}`, 3));
        return;
      }
      resolve(stdout.trim().split('\n').pop()!);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('kube-local:')) log(line);
    });
  });
}

/**
 * Finds kube-apiserver (KUBE_APISERVER_BIN, else the cache, else a Go build) and etcd (ETCD_BIN, else PATH).
 */
export async function resolveBinaries(options: { version?: string; log?: (line: string) => void } = {}): Promise<Binaries> {
  const version = options.version ?? process.env.KUBE_VERSION ?? DEFAULT_KUBE_VERSION;
  const etcd = fromEnv('ETCD_BIN') ?? onPath('etcd') ?? (existsSync('/usr/bin/etcd') ? '/usr/bin/etcd' : undefined);
  if (!etcd) {
    throw new KubeLocalError(
      'kube-local: etcd not found. Install it (Debian: apt-get install etcd-server) or set ETCD_BIN to an etcd binary',
      2,
    );
  }
  const cached = join(cacheDir(), `kube-apiserver-v${version}`);
  const kubeApiserver =
    fromEnv('KUBE_APISERVER_BIN') ?? (isExecutable(cached) ? cached : await buildKubeApiserver(version, options.log));
  return { kubeApiserver, etcd };
}
