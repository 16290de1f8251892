import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveBinaries, type Binaries } from './binaries.js';
import { writeClusterPki } from './cluster-pki.js';
import { KubeLocalError } from './errors.js';
import { renderKubeconfig } from './kubeconfig.js';
import { clusterPaths, type ClusterPaths, type ClusterState } from './layout.js';
import { checkPortFree, freePort } from './ports.js';
import { isReady } from './ready.js';
import { NODE_NET, nodeName, nodePaths } from './node-layout.js';
import { cleanupHost, NODE_OWNER_FILE, nodeInUse, prepareHost, readHostState, readNodeOwner, writeNodeOwner } from './node-host.js';
import { resolveNodeBinaries } from './node-binaries.js';
import { waitNodeReady } from './node.js';

export interface UpOptions {
  name: string;
  dir: string;
  /** The apiserver's port; a free one when not given. */
  port?: number;
  /** Stop the cluster when this process exits (used by the jest setup). */
  ownerPid?: number;
  /** Wait at most this long for /readyz (default 120 s). */
  readyTimeoutMs?: number;
  binaries?: Binaries;
  log?: (line: string) => void;
  /**
   * A real node too: containerd, kubelet, kube-controller-manager, kube-scheduler and kube-proxy (root; one node
   * per machine). The apiserver then binds the node IP (reachable from Pods), not 127.0.0.1.
   */
  node?: boolean;
  /**
   * The address the apiserver binds and advertises instead of 127.0.0.1 (a SAN too), for clients that cannot reach
   * loopback: e.g. the node's bridge address 10.88.0.1, so that Pods of another cluster's node reach this one. It
   * must be an address of this machine (the bridge exists while a node runs). With `node` it must be the node IP.
   */
  host?: string;
}

export interface RunningCluster {
  name: string;
  server: string;
  kubeconfig: string;
  paths: ClusterPaths;
  state: ClusterState;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readState(paths: ClusterPaths): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(paths.state, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

async function tail(path: string, lines = 20): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function failureReport(paths: ClusterPaths, node = false): Promise<string> {
  const p = nodePaths(paths.root);
  const nodeLogs = node
    ? await Promise.all(['containerd', 'kubelet', 'kube-proxy'].map(async (c) => `--- ${p.log(c)} (tail) ---\n${await tail(p.log(c), 10)}`))
    : [];
  return [
    ...nodeLogs,
    `--- ${paths.supervisorLog} (tail) ---`,
    await tail(paths.supervisorLog, 10),
    `--- ${paths.etcdLog} (tail) ---`,
    await tail(paths.etcdLog, 10),
    `--- ${paths.apiserverLog} (tail) ---`,
    await tail(paths.apiserverLog, 25),
  ].join('\n');
}

/** Stops the process group led by the supervisor PID: SIGTERM, then SIGKILL after the grace period. */
async function stopGroup(pgid: number, graceMs = 10000): Promise<void> {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (groupAlive(pgid)) await sleep(50);
  }
}

/** Starts one cluster under DIR/NAME on free ports and waits until it is ready. */
export async function up(options: UpOptions): Promise<RunningCluster> {
  const { name } = options;
  if (!NAME.test(name)) throw new KubeLocalError(`kube-local: invalid cluster name "${name}" (lower-case letters, digits and '-')`, 2);
  const dir = resolvePath(options.dir);
  const paths = clusterPaths(dir, name);
  const previous = await readState(paths);
  if (previous && alive(previous.pid)) {
    throw new KubeLocalError(`kube-local: cluster "${name}" is already running under ${dir} (pid ${previous.pid}); run kube-local down --dir ${dir} first`, 5);
  }
  if (options.node) {
    // A node whose supervisor is gone (killed with SIGKILL, say) left its traces: remove them first.
    const stale = readNodeOwner();
    if (stale && !alive(stale.pid)) {
      options.log?.(`kube-local: removing what the node of ${stale.root} (supervisor ${stale.pid}, gone) left on this machine`);
      await cleanupNode(stale.root);
    }
    const busy = nodeInUse();
    if (busy) throw new KubeLocalError(`kube-local: cannot start a node: ${busy}`, 5);
  }
  if (options.host !== undefined) {
    if (!isIP(options.host)) throw new KubeLocalError(`kube-local: --host must be an IP address, got "${options.host}"`, 2);
    if (options.node && options.host !== NODE_NET.nodeIp) throw new KubeLocalError(`kube-local: with --node the apiserver binds the node IP ${NODE_NET.nodeIp}, not ${options.host}`, 2);
    const local = Object.values(networkInterfaces()).some((l) => l?.some((a) => a.address === options.host));
    if (!options.node && !local) {
      const hint = options.host === NODE_NET.nodeIp ? ` (the node bridge ${NODE_NET.bridge} exists only while a cluster with --node runs: start that first)` : '';
      throw new KubeLocalError(`kube-local: --host ${options.host} is not an address of this machine${hint}`, 2);
    }
  }
  const binaries = options.binaries ?? (await resolveBinaries({ log: options.log }));
  const nodeBinaries = options.node ? await resolveNodeBinaries({ log: options.log }) : undefined;
  if (options.port !== undefined) await checkPortFree(options.port);
  const apiserverPort = options.port ?? (await freePort());
  const [etcdClientPort, etcdPeerPort] = [await freePort(), await freePort()];

  await rm(paths.root, { recursive: true, force: true });
  await mkdir(paths.root, { recursive: true });
  const host = nodeBinaries ? NODE_NET.nodeIp : (options.host ?? '127.0.0.1');
  const sans = nodeBinaries ? [NODE_NET.nodeIp, NODE_NET.kubernetesServiceIp] : host === '127.0.0.1' ? [] : [host];
  const { caPem, admin, ca } = await writeClusterPki(paths, name, sans);
  const server = `https://${host}:${apiserverPort}`;
  await writeFile(paths.kubeconfig, renderKubeconfig(name, server, caPem, { name: 'admin', clientCertPem: admin.certPem, clientKeyPem: admin.keyPem }), { mode: 0o600 });

  const state: ClusterState = {
    name,
    server,
    apiserverPort,
    etcdClientPort,
    etcdPeerPort,
    pid: 0,
    kubeApiserver: binaries.kubeApiserver,
    etcd: binaries.etcd,
    ...(options.ownerPid ? { ownerPid: options.ownerPid } : {}),
    ...(!nodeBinaries && host !== '127.0.0.1' ? { apiserverHost: host } : {}),
    ...(nodeBinaries
      ? {
          apiserverHost: host,
          node: {
            name: nodeName(name),
            kubelet: nodeBinaries.kubelet,
            kubeControllerManager: nodeBinaries.kubeControllerManager,
            kubeScheduler: nodeBinaries.kubeScheduler,
            kubeProxy: nodeBinaries.kubeProxy,
            containerd: nodeBinaries.containerd,
            ctr: nodeBinaries.ctr,
          },
        }
      : {}),
  };
  if (nodeBinaries) {
    const { writeNodeFiles } = await import('./node-files.js');
    await writeNodeFiles(paths, name, ca, caPem, apiserverPort, nodeBinaries.cniBinDir);
    writeNodeOwner({ root: paths.root, pid: process.pid });
    prepareHost(name, nodePaths(paths.root).hostState);
  }
  // dist/ holds the runnable supervisor, also when this module runs from src/ (tests).
  const supervisor = fileURLToPath(new URL('../dist/supervisor.js', import.meta.url));
  const out = openSync(paths.supervisorLog, 'a');
  const child = spawn(process.execPath, [supervisor, JSON.stringify({ ...state, dir })], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  state.pid = child.pid!;
  if (nodeBinaries) writeNodeOwner({ root: paths.root, pid: state.pid });
  await writeFile(paths.state, JSON.stringify(state, null, 2));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120000);
  const fail = async (what: string) => {
    await stopGroup(state.pid);
    await cleanupNode(paths.root);
    const report = await failureReport(paths, Boolean(nodeBinaries));
    const portClash = /address already in use/i.test(report) ? ' (a port it needed is in use)' : '';
    return new KubeLocalError(`kube-local: cluster "${name}" ${what}${portClash}\n${report}`, 6);
  };
  for (;;) {
    if (await isReady(paths, apiserverPort, host)) break;
    const exited = !alive(state.pid);
    if (exited || Date.now() > deadline) {
      if (nodeBinaries) throw await fail(exited ? 'stopped before it became ready' : 'did not become ready in time');
      await stopGroup(state.pid);
      const report = await failureReport(paths);
      const portClash = /address already in use/i.test(report) ? ' (a port it needed is in use)' : '';
      throw new KubeLocalError(
        `kube-local: cluster "${name}" ${exited ? 'stopped before it became ready' : 'did not become ready in time'}${portClash}\n${report}`,
        6,
      );
    }
    await sleep(200);
  }
  if (state.node) {
    try {
      await waitNodeReady(paths, apiserverPort, state.node.name, deadline, () => alive(state.pid));
    } catch (err) {
      throw await fail(`has no Ready node: ${(err as Error).message}`);
    }
  }
  return { name, server, kubeconfig: paths.kubeconfig, paths, state };
}

/** Removes what a node left on the host (the supervisor does it too; this covers a supervisor that was killed). */
async function cleanupNode(clusterRoot: string): Promise<void> {
  const p = nodePaths(clusterRoot);
  const host = readHostState(p.hostState);
  if (!host) return;
  await cleanupHost(host, p.root, p.containerdSock);
  await rm(p.hostState, { force: true });
  if (readNodeOwner()?.root === clusterRoot) await rm(NODE_OWNER_FILE, { force: true });
}

/** Stops the cluster DIR/NAME if it runs. */
export async function downOne(dir: string, name: string): Promise<boolean> {
  const paths = clusterPaths(resolvePath(dir), name);
  const state = await readState(paths);
  if (!state) return false;
  await stopGroup(state.pid);
  await cleanupNode(paths.root);
  await rm(paths.state, { force: true });
  await rm(paths.etcdData, { recursive: true, force: true });
  return true;
}

/** Stops every cluster under DIR; returns the names it stopped. */
export async function down(dir: string): Promise<string[]> {
  const root = resolvePath(dir);
  if (!existsSync(root)) return [];
  const names = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(clusterPaths(root, entry.name).state))
    .map((entry) => entry.name);
  const stopped = await Promise.all(names.map(async (name) => ((await downOne(root, name)) ? name : undefined)));
  return stopped.filter((n): n is string => n !== undefined);
}

/** The cluster DIR/NAME as recorded, if its supervisor is alive. */
export async function find(dir: string, name: string): Promise<RunningCluster | undefined> {
  const paths = clusterPaths(resolvePath(dir), name);
  const state = await readState(paths);
  if (!state || !alive(state.pid)) return undefined;
  return { name, server: state.server, kubeconfig: paths.kubeconfig, paths, state };
}
