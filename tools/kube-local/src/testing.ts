// Helpers for test suites: reach the clusters the jest global setup started, and make per-suite namespaces and
// restricted identities on them.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { clusterPaths } from './layout.js';
import { renderKubeconfig } from './kubeconfig.js';
import { downOne, find, up, type RunningCluster } from './cluster.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { nodePaths } from './node-layout.js';
import { isReady } from './ready.js';

export const ERROR_FILE = 'start-error.txt';

export interface TestCluster extends RunningCluster {
  caPem: string;
  /** A KubeConfig for the cluster admin. */
  kubeConfig(): k8s.KubeConfig;
  /** A KubeConfig that authenticates with a bearer token (e.g. a service account's). */
  kubeConfigForToken(token: string, user?: string): k8s.KubeConfig;
  /** Creates a namespace with a unique name and returns it. */
  newNamespace(prefix: string): Promise<string>;
  /** Creates a service account and returns a token for it (TokenRequest API). */
  serviceAccountToken(namespace: string, name: string): Promise<string>;
  /** A KubeConfig acting as an existing service account, with a token from the TokenRequest API. */
  serviceAccountKubeConfig(namespace: string, name: string): Promise<k8s.KubeConfig>;
}

function runDir(): string {
  const dir = process.env.KUBE_LOCAL_DIR;
  if (!dir) throw new Error('KUBE_LOCAL_DIR is not set: run the tests through the workspace jest config (npm test)');
  return dir;
}

/** Starts a cluster in the background for the jest global setup; a failure is written where testCluster finds it. */
export function startInBackground(dir: string, name: string, ownerPid: number, options: { node?: boolean; readyTimeoutMs?: number } = {}): Promise<void> {
  return up({ name, dir, ownerPid, ...options }).then(
    () => undefined,
    async (err: Error) => {
      const { writeFile, mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, ERROR_FILE), err.message);
    },
  );
}

/** Waits for the cluster NAME of this test run (started by the global setup) and returns handles to it. */
export async function testCluster(name = 'c1', timeoutMs = 180000): Promise<TestCluster> {
  const dir = runDir();
  const paths = clusterPaths(dir, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const errorFile = join(paths.root, ERROR_FILE);
    if (existsSync(errorFile)) throw new Error(await readFile(errorFile, 'utf8'));
    const cluster = await find(dir, name);
    if (cluster && (await isReady(paths, cluster.state.apiserverPort, cluster.state.apiserverHost))) return wrap(cluster);
    if (Date.now() > deadline) throw new Error(`cluster ${name} under ${dir} did not become ready within ${timeoutMs} ms`);
    await sleep(200);
  }
}

export interface NodeTestCluster extends TestCluster {
  /** Imports an image archive (e.g. dist/images/ako.tar) into the node's containerd (`ctr images import`). */
  importImage(archive: string): Promise<void>;
  /** Stops the cluster and its node (kube-local down): nothing is left on the host. */
  stop(): Promise<void>;
}

/**
 * Starts cluster NAME with a real node for one test file (root; one node per machine, so node test files run one
 * at a time: jest.node.config.mjs). Stop it in afterAll; it also stops when this process ends.
 */
export async function startNodeCluster(name: string, timeoutMs = 180000): Promise<NodeTestCluster> {
  const dir = runDir();
  const cluster = await up({ name, dir, node: true, ownerPid: process.pid, readyTimeoutMs: timeoutMs });
  const base = await wrap(cluster);
  const sock = nodePaths(cluster.paths.root).containerdSock;
  return {
    ...base,
    async importImage(archive: string) {
      await promisify(execFile)(cluster.state.node!.ctr, ['-a', sock, '-n', 'k8s.io', 'images', 'import', archive]);
    },
    async stop() {
      await downOne(dir, name);
    },
  };
}

export interface StoppableTestCluster extends TestCluster {
  stop(): Promise<void>;
}

/**
 * Starts an apiserver-only cluster NAME for one test file, bound to HOST (e.g. the node IP 10.88.0.1 while a node
 * cluster runs, so that Pods on that node reach it). Stop it in afterAll, before the node cluster.
 */
export async function startHostCluster(name: string, host: string, timeoutMs = 120000): Promise<StoppableTestCluster> {
  const dir = runDir();
  const cluster = await up({ name, dir, host, ownerPid: process.pid, readyTimeoutMs: timeoutMs });
  return { ...(await wrap(cluster)), stop: async () => void (await downOne(dir, name)) };
}

async function wrap(cluster: RunningCluster): Promise<TestCluster> {
  const caPem = await readFile(cluster.paths.caCert, 'utf8');
  const kubeConfig = () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    return kc;
  };
  const kubeConfigForToken = (token: string, user = 'token-user') => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(renderKubeconfig(cluster.name, cluster.server, caPem, { name: user, token }));
    return kc;
  };
  const tokenFor = async (namespace: string, name: string) => {
    const res = await kubeConfig()
      .makeApiClient(k8s.CoreV1Api)
      .createNamespacedServiceAccountToken({ name, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const token = res.status?.token;
    if (!token) throw new Error(`no token issued for service account ${namespace}/${name}`);
    return token;
  };
  return {
    ...cluster,
    caPem,
    kubeConfig,
    kubeConfigForToken,
    async newNamespace(prefix: string) {
      const name = `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase();
      const core = kubeConfig().makeApiClient(k8s.CoreV1Api);
      await core.createNamespace({ body: { metadata: { name } } });
      // With a node, Pods need the namespace's default ServiceAccount (made by the controller manager).
      for (let i = 0; cluster.state.node && i < 100; i++) {
        try {
          await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
          break;
        } catch {
          await sleep(100);
        }
      }
      return name;
    },
    async serviceAccountToken(namespace: string, name: string) {
      await kubeConfig().makeApiClient(k8s.CoreV1Api).createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
      return tokenFor(namespace, name);
    },
    async serviceAccountKubeConfig(namespace: string, name: string) {
      return kubeConfigForToken(await tokenFor(namespace, name), name);
    },
  };
}
export { ECHO_IMAGE, echoDeployment } from './echo.js';
