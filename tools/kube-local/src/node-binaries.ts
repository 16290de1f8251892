// What a real node needs: the node components built from the k8s.io/kubernetes module (cached by version like the
// apiserver) and the host's container runtime and network tools (Debian packages, installed by scripts/setup.sh).
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, DEFAULT_KUBE_VERSION } from './binaries.js';
import { KubeLocalError } from './errors.js';

export const NODE_COMPONENTS = ['kubelet', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'] as const;
export type NodeComponent = (typeof NODE_COMPONENTS)[number];

export interface NodeBinaries {
  kubelet: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubeProxy: string;
  containerd: string;
  ctr: string;
  /** The directory of the CNI plugins (bridge, host-local, loopback). */
  cniBinDir: string;
}

/** Host programs a node needs, each with the Debian package that brings it. */
const HOST_TOOLS: [string, string][] = [
  ['containerd', 'containerd'],
  ['ctr', 'containerd'],
  ['runc', 'runc'],
  ['nft', 'nftables'],
  ['ip', 'iproute2'],
  ['iptables', 'iptables'],
  ['conntrack', 'conntrack'],
  ['mount', 'mount'],
];
const CNI_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];
const SEARCH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findTool(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH]) {
    if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Builds the node components missing from the cache (one Go build run) and returns the cache directory. */
export function buildNodeComponents(version: string, log: (line: string) => void = () => {}): Promise<string> {
  const script = fileURLToPath(new URL('../scripts/build-kube-node.sh', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [script, version], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        reject(new KubeLocalError((error as { code?: number }).code === 3 ? tail : `kube-local: building the node components v${version} failed:\n${tail}`, 3));
        return;
      }
      resolve(stdout.trim().split('\n').pop()!);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('kube-local:')) log(line);
    });
  });
}

/** Checks what a node needs on this host (root, the Debian tools, the CNI plugins), with one clear error for all of it. */
export function checkNodeHost(): { cniBinDir: string; containerd: string; ctr: string } {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('a node needs root (containerd, network interfaces, cgroups)');
  const missing = HOST_TOOLS.filter(([tool]) => !findTool(tool));
  if (missing.length) {
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    problems.push(`missing ${missing.map(([t]) => t).join(', ')}: apt-get install ${pkgs} (scripts/setup.sh does it)`);
  }
  const cniBinDir = CNI_DIRS.find((d) => ['bridge', 'host-local', 'loopback'].every((p) => executable(join(d, p))));
  if (!cniBinDir) problems.push(`the CNI plugins bridge, host-local and loopback are not in ${CNI_DIRS.join(' or ')}: apt-get install containernetworking-plugins`);
  if (problems.length) throw new KubeLocalError(`kube-local: cannot start a node:\n  - ${problems.join('\n  - ')}`, 2);
  return { cniBinDir: cniBinDir!, containerd: findTool('containerd')!, ctr: findTool('ctr')! };
}

/** The node components (cache, else a Go build) and the host's runtime; throws a clear error for what is missing. */
export async function resolveNodeBinaries(options: { version?: string; log?: (line: string) => void } = {}): Promise<NodeBinaries> {
  const host = checkNodeHost();
  const version = options.version ?? process.env.KUBE_VERSION ?? DEFAULT_KUBE_VERSION;
  const cached = (c: NodeComponent) => join(cacheDir(), `${c}-v${version}`);
  if (!NODE_COMPONENTS.every((c) => executable(cached(c)))) await buildNodeComponents(version, options.log);
  return {
    kubelet: cached('kubelet'),
    kubeControllerManager: cached('kube-controller-manager'),
    kubeScheduler: cached('kube-scheduler'),
    kubeProxy: cached('kube-proxy'),
    ...host,
  };
}
