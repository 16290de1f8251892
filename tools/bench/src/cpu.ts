// CPU seconds of the processes a benchmark runs, from /proc (Linux): how much of the machine's cores each peer used
// in a timed window. On a machine whose cores the operator shares with the controller, the apiserver and etcd, the
// sum of everyone's CPU over the cores bounds the wall time from below, whatever the pipeline does.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** /proc/<pid>/stat after the command name: [state, ppid, pgrp, ...]; utime and stime are fields 11 and 12. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const ticks = (f: string[]) => (Number(f[11]) + Number(f[12])) / 100;

/** User + system CPU seconds of a live process (all its threads), in clock ticks of 1/100 s. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) throw new Error(`process ${pid} is gone`);
  return ticks(f);
}

/**
 * User + system CPU seconds of the live processes of a process group (a kube-local cluster's supervisor leads one:
 * etcd and kube-apiserver are in it).
 */
export function groupCpuSeconds(pgid: number): number {
  let sum = 0;
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue;
    const f = statFields(name);
    if (f && Number(f[2]) === pgid) sum += ticks(f);
  }
  return sum;
}

/** CPU seconds of named sources between start() and the returned function's call. */
export function cpuWindow<K extends string>(sources: Record<K, () => number>): () => Record<K, number> {
  const keys = Object.keys(sources) as K[];
  const before = keys.map((k) => sources[k]());
  return () => Object.fromEntries(keys.map((k, i) => [k, sources[k]() - before[i]!])) as Record<K, number>;
}

export const CORES = availableParallelism();

/** This process's own user + system CPU seconds (the benchmark's watches and polls). */
export const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
