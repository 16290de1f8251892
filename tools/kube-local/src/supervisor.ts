#!/usr/bin/env node
// Runs one cluster's etcd and kube-apiserver as children and stops both together: on SIGTERM/SIGINT, when either
// child dies, or when the owner process (e.g. a jest run) is gone. `kube-local up` starts it detached, as the leader
// of a new process group, so `kube-local down` can also reach the children if this process was killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterPaths, type ClusterState } from './layout.js';
import { apiserverArgs, etcdArgs } from './args.js';

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
  // Keep the event loop alive until a signal or a child's exit ends the process.
  setInterval(() => {}, 1 << 30);
}

void main();
