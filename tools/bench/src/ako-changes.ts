// One change at a time on the loaded cluster, after AKO's first sync: how long until its effect is where a user looks
// (a Service's or an Ingress's status, a pool's servers on the controller), and how much of AKO's CPU each change
// costs. The CPU AKO spends idle (its Lease, its watches) over the same time, measured just before, is taken off:
// what is left is the work the change caused, which should not grow with the cluster.
import { percentile } from './report.js';

export interface ChangeFigures {
  p50_ms: number;
  p99_ms: number;
  /** AKO's CPU per change, less its idle CPU over the same time. */
  cpu_ms_per_change: number;
}

export interface ChangePhase {
  /** Untimed setup of every change (e.g. the backends new Ingresses use), before the timed window. */
  prepare?(changes: number): Promise<void>;
  /** Makes change c. */
  change(c: number): Promise<void>;
  /** Whether change c is visible yet. */
  visible(c: number): Promise<boolean>;
}

const POLL_MS = 20;
const IDLE_MS = 3000;
/** After the last change: the writes that trail what is visible (status, Events) are counted too. */
const SETTLE_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** AKO's CPU seconds per second with nothing changing, over IDLE_MS. */
export async function idleCpuRate(akoCpu: () => number): Promise<number> {
  const c0 = akoCpu();
  const t0 = performance.now();
  await sleep(IDLE_MS);
  return (akoCpu() - c0) / ((performance.now() - t0) / 1000);
}

/** Runs `changes` changes of a phase one after the other, each timed until it is visible. */
export async function runChanges(phase: ChangePhase, changes: number, akoCpu: () => number, idleRate: number): Promise<ChangeFigures> {
  await phase.prepare?.(changes);
  await sleep(SETTLE_MS);
  const latencies: number[] = [];
  const c0 = akoCpu();
  const t0 = performance.now();
  for (let c = 0; c < changes; c++) {
    const t = performance.now();
    await phase.change(c);
    while (!(await phase.visible(c))) await sleep(POLL_MS);
    latencies.push(performance.now() - t);
  }
  await sleep(SETTLE_MS);
  const cpu = akoCpu() - c0 - idleRate * ((performance.now() - t0) / 1000);
  latencies.sort((a, b) => a - b);
  return { p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), cpu_ms_per_change: (1000 * Math.max(0, cpu)) / changes };
}
