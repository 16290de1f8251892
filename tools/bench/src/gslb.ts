#!/usr/bin/env node
// GSLB failover and failback on the playground (testbed startGslbPlayground: two member clusters with AKO, AMKO on
// the leader, one controller with data plane + DNS, a global FQDN served by both). For each failure kind, R runs:
// inject the failure in one cluster, time until the DNS server answers only the other VIP (failover), undo it, time
// until it answers both again (failback). The controller restart kind times stop -> both VIPs answered again.
// Times are taken at the authoritative DNS server, polled every 50 ms: a client's resolver adds up to the TTL.
//   npm run bench:gslb -- [--runs 5] [--interval 2] [--failed-checks 3] [--successful-checks 2] [--ttl 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllerWrites, startGslbPlayground, type Playground } from '@avi-k8s/testbed';
import { benchFlags, percentile, printReport } from './report.js';

const flags = benchFlags('gslb.js [--runs 5] [--interval 2] [--failed-checks 3] [--successful-checks 2] [--ttl 5]', ['runs', 'interval', 'failed-checks', 'successful-checks', 'ttl']);
const R = flags.count('runs', 5);
const monitor = {
  sendInterval: flags.count('interval', 2),
  receiveTimeout: 1,
  failedChecks: flags.count('failed-checks', 3),
  successfulChecks: flags.count('successful-checks', 2),
};
const TTL = flags.count('ttl', 5);
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIMIT_MS = 120_000;

/** Seconds until the DNS answer is exactly WANT (sorted), polled every 50 ms. */
async function until(pg: Playground, want: string[], from: number): Promise<number> {
  const target = [...want].sort().join();
  for (;;) {
    if ((await pg.answer()).join() === target) return (performance.now() - from) / 1000;
    if (performance.now() - from > LIMIT_MS) throw new Error(`DNS did not answer ${target} within ${LIMIT_MS / 1000} s`);
    await sleep(50);
  }
}

interface Kind {
  name: string;
  fail(pg: Playground): Promise<void>;
  undo(pg: Playground): Promise<void>;
}

const b = (pg: Playground) => pg.clusters[1];
const KINDS: Kind[] = [
  { name: 'backend_down', fail: (pg) => pg.backendDown(b(pg)), undo: (pg) => pg.backendUp(b(pg)) },
  { name: 'ingress_deleted', fail: (pg) => pg.deleteIngress(b(pg)), undo: (pg) => pg.createIngress(b(pg)) },
  {
    name: 'member_cluster_lost',
    fail: async (pg) => {
      await pg.cutApiserver(b(pg));
      await pg.backendDown(b(pg));
    },
    undo: async (pg) => {
      await pg.restoreApiserver(b(pg));
      await pg.backendUp(b(pg));
    },
  },
];

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gslb-bench-'));
  const t0 = performance.now();
  let pg: Playground | undefined;
  try {
    pg = await startGslbPlayground({ dir, monitor, ttl: TTL, log });
    const [a, bb] = pg.clusters;
    const both = [a.vip, bb.vip];
    const rows: Array<{ kind: string; failover: number[]; failback: number[]; note: string }> = [];
    for (const kind of KINDS) {
      const failover: number[] = [];
      const failback: number[] = [];
      for (let r = 0; r < R; r++) {
        await until(pg, both, performance.now());
        await sleep(monitor.sendInterval * 1000);
        let t = performance.now();
        await kind.fail(pg);
        failover.push(await until(pg, [a.vip], t));
        t = performance.now();
        await kind.undo(pg);
        failback.push(await until(pg, both, t));
        log(`${kind.name} run ${r + 1}/${R}: failover ${failover.at(-1)!.toFixed(2)} s, failback ${failback.at(-1)!.toFixed(2)} s`);
      }
      rows.push({ kind: kind.name, failover: failover.sort((x, y) => x - y), failback: failback.sort((x, y) => x - y), note: 'DNS answers only a / both again' });
    }
    // The GSLB leader controller (also the members' controller, data plane and DNS server) restarts.
    const recovery: number[] = [];
    const restartWrites: number[] = [];
    for (let r = 0; r < R; r++) {
      await until(pg, both, performance.now());
      const t = performance.now();
      await pg.stopController();
      await pg.startController();
      recovery.push(await until(pg, both, t));
      // Writes AKO and AMKO made after the restart (the controller's counters start at 0 with the process).
      await sleep(3000);
      restartWrites.push(await controllerWrites(pg.ctl));
      log(`controller_restarted run ${r + 1}/${R}: both VIPs answered again after ${recovery.at(-1)!.toFixed(2)} s, ${restartWrites.at(-1)} writes after it`);
    }
    rows.push({ kind: 'controller_restarted', failover: recovery.sort((x, y) => x - y), failback: [], note: `stop -> both answered again; writes after restart: max ${Math.max(...restartWrites)}` });

    const floorFailover = monitor.sendInterval * monitor.failedChecks + TTL;
    const floorFailback = monitor.sendInterval * monitor.successfulChecks + TTL;
    const figures: Record<string, number | string> = {
      runs_per_kind: R,
      ttl_s: TTL,
      monitor: `HTTP HEAD / every ${monitor.sendInterval} s, timeout ${monitor.receiveTimeout} s, down after ${monitor.failedChecks}, up after ${monitor.successfulChecks}`,
      floor_failover_s: floorFailover,
      floor_failback_s: floorFailback,
    };
    for (const row of rows) {
      figures[`${row.kind}_failover_p50_s`] = percentile(row.failover, 50);
      figures[`${row.kind}_failover_p99_s`] = percentile(row.failover, 99);
      if (row.failback.length > 0) {
        figures[`${row.kind}_failback_p50_s`] = percentile(row.failback, 50);
        figures[`${row.kind}_failback_p99_s`] = percentile(row.failback, 99);
      }
    }
    figures.controller_restart_writes_max = Math.max(...restartWrites);
    figures.total_s = (performance.now() - t0) / 1000;
    printReport('gslb', figures);

    const f = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));
    const table = [
      ['failure', 'failover p50 s', 'failover p99 s', 'failback p50 s', 'failback p99 s', 'what is timed'],
      ...rows.map((row) => [row.kind, f(percentile(row.failover, 50)), f(percentile(row.failover, 99)), f(percentile(row.failback, 50)), f(percentile(row.failback, 99)), row.note]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    process.stdout.write('\n');
    for (const [i, r] of table.entries()) {
      process.stdout.write(`${r.map((c, j) => c.padEnd(widths[j]!)).join('  ')}\n`);
      if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
    }
    process.stdout.write(
      `\nTTL ${TTL} s; ${figures.monitor as string}; floor (interval x thresholds + TTL): failover ${floorFailover} s, failback ${floorFailback} s.\n` +
        'Times are measured at the authoritative DNS server (no resolver cache), so they exclude the TTL a client cache adds.\n',
    );
  } finally {
    await pg?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.message}\n`);
    process.exit(1);
  },
);
