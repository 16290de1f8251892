#!/usr/bin/env node
// AMKO at scale: K FQDNs, each an Ingress host in two member clusters (the leader cluster is also member "a",
// as it often is), with VIPs and AKO annotations written as AKO would. Measures the time from AMKO's start until
// every GslbService exists with both members, then the latency from a member VIP change to the GslbService update
// (p50/p99 over C changes, one at a time), and a restart with nothing changed (time to ready, writes); AMKO's peak
// RSS (VmHWM) after the first sync, over the first run (sync and VIP changes) and over the restart.
//   npm run bench:amko -- [--fqdns 200] [--changes 100] [--amko-heap-mib N|none] [--amko-node-options='--heap-prof --heap-prof-dir=/tmp/p']
//                         [--amko-bundle /tmp/before/bundle.js]
// --amko-bundle runs another build of AMKO (a copy of an earlier apps/amko/dist/bundle.js) with the same flags, to
// compare two trees in alternating runs on a loaded machine.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import { forEachLimit, patchIngressLoadBalancer } from '@avi-k8s/kube';
import { down, up } from '@avi-k8s/kube-local';
import { configureGslb, controllerWrites, startCli, startControllerProcess, stopProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { benchFlags, freePort, percentile, printReport } from './report.js';

const flags = benchFlags('amko.js [--fqdns 200] [--changes 100] [--amko-heap-mib 150|none] [--amko-node-options OPTIONS] [--amko-bundle PATH]', ['fqdns', 'changes', 'amko-heap-mib', 'amko-node-options', 'amko-bundle']);
// --amko-heap-mib caps V8's old space as the chart does from the memory limit (NODE_OPTIONS=--max-old-space-size):
// by default the chart's, 1/2 of its 300Mi limit; `none` runs AMKO uncapped (V8's defaults).
const HEAP = flags.text('amko-heap-mib') === 'none' ? undefined : String(flags.count('amko-heap-mib', 150));
const K = flags.count('fqdns', 200);
const C = flags.count('changes', 100);
const NS = 'apps';
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const host = (i: number) => `app-${i}.bench.example.com`;
const vip = (member: number, i: number, gen = 0) => `10.${member * 10 + gen}.${i >> 8}.${(i & 255) + 1 > 255 ? 255 : (i & 255) + 1}`;

async function createIngresses(kc: k8s.KubeConfig, member: number, name: string) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS, labels: { gslb: 'yes' } } } });
  const net = kc.makeApiClient(k8s.NetworkingV1Api);
  await forEachLimit(Array.from({ length: K }, (_, i) => i), 16, async (i) => {
    await net.createNamespacedIngress({
      namespace: NS,
      body: {
        metadata: {
          name: `app-${i}`,
          labels: { app: 'gslb' },
          annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host(i)]: `virtualservice-${name}-${i}` }), 'ako.vmware.com/controller-cluster-uuid': `cluster-${name}` },
        },
        spec: { rules: [{ host: host(i), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      },
    });
    await patchIngressLoadBalancer(kc, NS, `app-${i}`, [{ ip: vip(member, i), hostname: host(i) }]);
  });
}

// What the chart sets besides the old-space cap (apps/amko/chart/templates/statefulset.yaml; keep them the same):
// 2 MiB semi-spaces, two V8 background threads, no JIT (--jitless), one malloc arena (apps/amko/README.md "Memory").
// MALLOC_ARENA_MAX in the bench's environment replaces the arena count (0: glibc's default, one per thread up to 8 per core).
const V8_FLAGS = '--max-semi-space-size=2 --v8-pool-size=2 --jitless';
const AMKO_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' };

function startAmko(kubeconfig: string, port: number, logFile: string): ChildProcess {
  const args = ['--kubeconfig', kubeconfig, '--namespace', 'avi-system', '--api-port', String(port)];
  const nodeOptions = `${HEAP ? `--max-old-space-size=${HEAP} ` : ''}${V8_FLAGS} ${flags.text('amko-node-options') ?? ''}`.trim();
  return startCli('amko', args, { logFile, env: AMKO_ENV, nodeOptions, ...(flags.text('amko-bundle') ? { entry: flags.text('amko-bundle')! } : {}) });
}

/** Peak resident set size of a live process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A gauge of AMKO's own /metrics (prom-client's process metrics), in MiB. */
async function gaugeMiB(port: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) / 1048576 : NaN;
}

async function waitReady(port: number): Promise<void> {
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await sleep(50);
  }
}

/** Every GslbService with both members (one list per poll). */
async function allSynced(avi: AviClient): Promise<number> {
  let done = 0;
  for await (const gs of avi.iterate('gslbservice', { pageSize: 200 })) {
    const members = ((gs as { groups?: { members?: unknown[] }[] }).groups ?? []).flatMap((g) => g.members ?? []);
    if (members.length === 2) done++;
  }
  return done;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'amko-bench-'));
  let ctl: ControllerProcess | undefined;
  let amko: ChildProcess | undefined;
  try {
    log('starting two clusters (a: leader and member, b: member) and the avi-controller');
    const [a, b] = await Promise.all([up({ name: 'a', dir }), up({ name: 'b', dir })]);
    ctl = await startControllerProcess();
    const kcA = new k8s.KubeConfig();
    kcA.loadFromFile(a.kubeconfig);
    const kcB = new k8s.KubeConfig();
    kcB.loadFromFile(b.kubeconfig);
    await configureGslb({
      leader: kcA,
      namespace: 'avi-system',
      ctl,
      members: [{ name: 'a', kc: kcA }, { name: 'b', kc: kcB }],
      gdp: {
        matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: { gslb: 'yes' } } },
        matchClusters: [{ cluster: 'a' }, { cluster: 'b' }],
        trafficSplit: [{ cluster: 'a', weight: 3 }, { cluster: 'b', weight: 1 }],
      },
    });
    log(`creating ${K} Ingresses with VIP and AKO annotations in each member`);
    await Promise.all([createIngresses(kcA, 1, 'a'), createIngresses(kcB, 2, 'b')]);

    const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
    const port = await freePort();
    log('starting AMKO');
    const t0 = performance.now();
    amko = startAmko(a.kubeconfig, port, join(dir, 'amko.log'));
    while ((await allSynced(avi)) < K) await sleep(100);
    const initialS = (performance.now() - t0) / 1000;
    const writesInitial = await controllerWrites(ctl);
    // The peak so far: the first sync's; peak_rss_mib below also covers the VIP changes.
    const syncPeakRss = peakRssMiB(amko.pid!);
    const heapAfterSync = await gaugeMiB(port, 'nodejs_heap_size_used_bytes');
    const heapTotalAfterSync = await gaugeMiB(port, 'nodejs_heap_size_total_bytes');
    log(`all ${K} GslbServices with both members after ${initialS.toFixed(2)} s`);

    log(`${C} member VIP changes, one at a time`);
    const latencies: number[] = [];
    for (let c = 0; c < C; c++) {
      const i = c % K;
      const next = vip(2, i, 1 + Math.floor(c / K) + (c % 2 === 0 ? 0 : 2));
      const t = performance.now();
      await patchIngressLoadBalancer(kcB, NS, `app-${i}`, [{ ip: next, hostname: host(i) }]);
      for (;;) {
        const gs = (await avi.getByName('gslbservice', host(i))) as { groups?: { members?: { ip: { addr: string } }[] }[] } | undefined;
        if ((gs?.groups ?? []).some((g) => (g.members ?? []).some((m) => m.ip.addr === next))) break;
        await sleep(5);
      }
      latencies.push(performance.now() - t);
    }
    latencies.sort((x, y) => x - y);

    const peakRss = peakRssMiB(amko.pid!);
    log('restart with nothing changed');
    await stopProcess(amko);
    const writesBefore = await controllerWrites(ctl);
    const t1 = performance.now();
    amko = startAmko(a.kubeconfig, port, join(dir, 'amko-restart.log'));
    await waitReady(port);
    const restartS = (performance.now() - t1) / 1000;
    await sleep(1000);
    const restartWrites = (await controllerWrites(ctl)) - writesBefore;
    const restartRss = peakRssMiB(amko.pid!);
    await avi.close();

    printReport('amko', {
      fqdns: K,
      members_per_fqdn: 2,
      time_to_all_gslbservices_s: initialS,
      avi_writes_initial: writesInitial,
      vip_changes: C,
      vip_change_to_gs_update_p50_ms: percentile(latencies, 50),
      vip_change_to_gs_update_p99_ms: percentile(latencies, 99),
      vip_change_to_gs_update_max_ms: latencies[latencies.length - 1] ?? NaN,
      restart_to_ready_s: restartS,
      restart_writes: restartWrites,
      amko_heap_cap_mib: HEAP ?? 'none',
      amko_v8_flags: V8_FLAGS,
      amko_malloc_arena_max: AMKO_ENV.MALLOC_ARENA_MAX,
      ...(flags.text('amko-bundle') ? { amko_bundle: flags.text('amko-bundle')! } : {}),
      heap_used_after_sync_mib: heapAfterSync,
      heap_total_after_sync_mib: heapTotalAfterSync,
      first_sync_peak_rss_mib: syncPeakRss,
      peak_rss_mib: peakRss,
      restart_peak_rss_mib: restartRss,
    });
  } finally {
    await stopProcess(amko);
    await ctl?.stop();
    await down(dir).catch(() => undefined);
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
