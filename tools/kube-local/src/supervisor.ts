#!/usr/bin/env node
// Runs one cluster's etcd and kube-apiserver (and, with a node, containerd, kube-controller-manager,
// kube-scheduler, kube-proxy and kubelet) as children and stops them together: on SIGTERM/SIGINT, when any
// child dies, or when the owner process (e.g. a jest run) is gone. A node's traces on the host are removed after. `kube-local up` starts it detached, as the leader
// of a new process group, so `kube-local down` can also reach the children if this process was killed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterPaths, type ClusterState } from './layout.js';
import { apiserverArgs, etcdArgs } from './args.js';
import { bindNodeRole, nodeCommands } from './node.js';
import { cleanupHost, readHostState, restoreSysctls, SAFETY_SYSCTLS } from './node-host.js';
import { nodePaths } from './node-layout.js';
import { isReady } from './ready.js';

const state = JSON.parse(process.argv[2] ?? '{}') as ClusterState & { dir: string };
const paths = clusterPaths(state.dir, state.name);
const children: ChildProcess[] = [];
let stopping: Promise<never> | undefined;

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} supervisor[${state.name}]: ${message}\n`);
}

function start(binary: string, args: string[], logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', out, out] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${binary} exited unexpectedly (code ${code}, signal ${signal}); stopping the cluster`);
      void stop(1);
    }
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(timer);
}

/** Stops both children (the apiserver first: it needs etcd to shut down cleanly) and exits; idempotent. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const child of [...children].reverse()) await stopChild(child);
    if (state.node) {
      const p = nodePaths(paths.root);
      const host = readHostState(p.hostState);
      if (host) for (const note of await cleanupHost(host, p.root, p.containerdSock)) log(`node cleanup: ${note}`);
    }
    process.exit(code);
  })();
  return stopping;
}

async function etcdHealthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(): Promise<void> {
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  if (state.ownerPid) {
    const owner = state.ownerPid;
    setInterval(() => {
      if (!stopping && !ownerAlive(owner)) {
        log(`owner process ${owner} is gone; stopping the cluster`);
        void stop(0);
      }
    }, 500).unref();
  }
  start(state.etcd, etcdArgs(state, paths), paths.etcdLog);
  const node = state.node ? nodeCommands(state, paths, state.node) : undefined;
  if (state.node && node) {
    const p = nodePaths(paths.root);
    start(node.containerd.bin, node.containerd.args, node.containerd.log);
    const ctr = (...args: string[]) => execFileSync(state.node!.ctr, ['-a', p.containerdSock, '-n', 'k8s.io', ...args], { stdio: 'pipe' });
    for (let i = 0; ; i++) {
      if (stopping) return;
      try {
        ctr('version');
        break;
      } catch {
        if (i > 150) {
          log('containerd did not answer within 30s');
          await stop(1);
        }
        await sleep(200);
      }
    }
    ctr('images', 'import', p.pauseImage);
    log('containerd is up; pause image imported');
  }
  for (let i = 0; !(await etcdHealthy(state.etcdClientPort)); i++) {
    if (stopping) return;
    if (i > 300) {
      log('etcd did not become healthy within 30s');
      await stop(1);
    }
    await sleep(100);
  }
  start(state.kubeApiserver, apiserverArgs(state, paths), paths.apiserverLog);
  log(`etcd on ${state.etcdClientPort}, kube-apiserver on ${state.apiserverPort}`);
  if (state.node && node) {
    const host = state.apiserverHost ?? '127.0.0.1';
    while (!(await isReady(paths, state.apiserverPort, host))) {
      if (stopping) return;
      await sleep(200);
    }
    await bindNodeRole(paths, state.apiserverPort, state.node.name);
    for (const c of node.components) start(c.bin, c.args, c.log);
    log(`node ${state.node.name}: kube-controller-manager, kube-scheduler, kube-proxy, the NodePortLocal agent and kubelet started`);
    // kubelet sets kernel.panic_on_oops=1, kernel.panic=10 (an oops would reboot the machine) and more at start:
    // put those back at once, and whenever they change while the node runs.
    const saved = readHostState(nodePaths(paths.root).hostState)?.sysctls ?? {};
    setInterval(() => {
      if (stopping) return;
      const restored = restoreSysctls(saved, SAFETY_SYSCTLS);
      if (restored.length) log(`restored sysctls ${restored.join(', ')}`);
    }, 500).unref();
  }
  // Keep the event loop alive until a signal or a child's exit ends the process.
  setInterval(() => {}, 1 << 30);
}

main().catch(async (err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  await stop(1);
});
