#!/usr/bin/env node
// AKO at scale: N LoadBalancer Services and M Ingress hosts (half of them secure) exist before AKO starts. Measures
// the time until every status is written (which follows every Avi object existing), REST calls by type, AKO's peak
// RSS, one change at a time on the loaded cluster (ako-changes.ts: a new Service, a new Ingress host, an endpoint
// moved; the latency until it is visible and AKO's CPU for it), and a restart with nothing changed.
// The floor is measured in the same run (floor.ts): the controller alone for the same object writes at the same
// concurrency, and the apiserver alone for the same status, annotation and Event writes. The CPU every process used
// (cpu.ts) says how busy the cores were until every status, and the least wall time those CPU seconds allow on them.
//   npm run bench:ako -- [--services 1000] [--hosts 1000] [--changes 20] [--restarts 3] [--ako-heap-mib 300|none] [--concurrency 8]
//                        [--ako-node-options='--cpu-prof --cpu-prof-dir=/tmp/prof'] [--ako-bundle /tmp/before/bundle.js]
// --ako-bundle runs another build of AKO (a copy of an earlier apps/ako/dist/bundle.js) to compare two trees side by
// side in the same minutes on a loaded machine.
// AKO runs with the V8 flags the chart gives it by default (NODE_OPTIONS in templates/statefulset.yaml): the old
// space capped at 3/4 of the 400Mi memory limit, and a small young generation (--max-semi-space-size=1).
// --ako-heap-mib none runs it uncapped (V8's defaults for the old space).
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { down, up } from '@avi-k8s/kube-local';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { akoValuesYaml, createAviSecret, dnsDomainsSeed, startCli, startControllerProcess, stopProcess, writeValuesFile } from '@avi-k8s/testbed';
import { forEachLimit as pool } from '@avi-k8s/kube';
import { CORES, cpuSeconds, cpuWindow, groupCpuSeconds, ownCpuSeconds } from './cpu.js';
import { idleCpuRate, runChanges } from './ako-changes.js';
import { apiserverFloor, bareAvi, controllerFloor, readKubeWrites, readObjects } from './floor.js';
import { benchFlags, freePort, percentile, printReport, sumMetric } from './report.js';
import { watchStatuses } from './status-watch.js';

const NAMESPACES = 10;
const BACKENDS = 50;

const flags = benchFlags(
  'ako.js [--services 1000] [--hosts 1000] [--changes 20] [--restarts 3] [--ako-heap-mib 300|none] [--concurrency 8] [--ako-node-options OPTIONS] [--ako-bundle PATH]',
  ['services', 'hosts', 'changes', 'restarts', 'ako-heap-mib', 'concurrency', 'ako-node-options', 'ako-bundle'],
);
const N = flags.count('services', 1000);
const M = flags.count('hosts', 1000);
const CHANGES = flags.count('changes', 20);
/**
 * Restarts with nothing changed: the restart figures are the worst of them, with the min and median. One restart's peak
 * RSS moves by ±10 MiB with when the collector runs, so one is not enough to tell.
 */
const RESTARTS = flags.count('restarts', 3);
/** The chart's default: 3/4 of its 400Mi memory limit. */
const HEAP = flags.text('ako-heap-mib') === 'none' ? undefined : String(flags.count('ako-heap-mib', 300));
/**
 * The chart's other V8 flags (templates/statefulset.yaml): a small young generation, and two V8 background threads
 * (one per core of a small node) instead of V8's 4 (~5 MiB less peak RSS at 1000 + 1000; with one, 5-9 MiB less but
 * more CPU in two runs).
 */
const V8_FLAGS = '--max-semi-space-size=1 --v8-pool-size=2';
/**
 * The chart's malloc setting (templates/statefulset.yaml): one glibc arena. MALLOC_ARENA_MAX in the bench's
 * environment replaces it (0: glibc's default, one arena per thread up to 8 per core).
 */
const AKO_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' };
/** AKO's Avi writes in flight (its --concurrency; the controller floor uses the same). */
const CONCURRENCY = flags.count('concurrency', 8);
/** The status stage's Kubernetes writes in flight (apps/ako/src/operator/status-stage.ts). */
const STATUS_CONCURRENCY = 16;
const POLL_MS = 250;
/** /metrics is read every 4th poll (1 s): when the Avi writes stopped is known to a second. */
const METRICS_EVERY = 4;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

async function get(url: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

function startAko(kubeconfig: string, valuesFile: string, port: number, logFile: string): ChildProcess {
  const args = ['--kubeconfig', kubeconfig, '--values', valuesFile, '--namespace', 'avi-system', '--api-port', String(port), '--concurrency', String(CONCURRENCY)];
  // --ako-heap-mib caps V8's old space as a container memory limit would (the chart sets it from resources).
  // --ako-node-options adds V8/Node flags (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const nodeOptions = [HEAP ? `--max-old-space-size=${HEAP}` : '', V8_FLAGS, flags.text('ako-node-options') ?? ''].join(' ').trim();
  return startCli('ako', args, { logFile, nodeOptions, env: AKO_ENV, ...(flags.text('ako-bundle') ? { entry: flags.text('ako-bundle')! } : {}) });
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ako-bench-'));
  const seed = join(dir, 'seed.json');
  // A /16 of loopback VIPs: enough for every Service.
  // example.com is a DNS sub-domain of the cloud: AKO serves only Ingress hosts in one.
  writeFileSync(seed, JSON.stringify({
    objects: [dnsDomainsSeed(['example.com']), {
      type: 'network',
      data: {
        name: 'vip-network',
        configured_subnets: [{ prefix: { ip_addr: { addr: '127.100.0.0', type: 'V4' }, mask: 16 }, static_ip_ranges: [{ range: { begin: { addr: '127.100.0.10', type: 'V4' }, end: { addr: '127.100.255.250', type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] }],
      },
    }],
  }));
  const cluster = await up({ name: 'bench', dir });
  const ctl = await startControllerProcess({ args: ['--seed', seed] });
  let ako: ChildProcess | undefined;
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    const networking = kc.makeApiClient(k8s.NetworkingV1Api);
    await createAviSecret(kc, 'avi-system', ctl);
    const valuesFile = writeValuesFile(akoValuesYaml(ctl.url, 'bench', { L7Settings: { shardVSSize: 'LARGE' }, featureGates: { EnablePrometheus: true } }));
    const nsOf = (i: number) => `bench-${i % NAMESPACES}`;
    for (let i = 0; i < NAMESPACES; i++) await core.createNamespace({ body: { metadata: { name: nsOf(i) } } });
    await networking.createIngressClass({
      body: { metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ako.vmware.com/avi-lb' } },
    });

    log(`creating ${N} LoadBalancer Services, ${BACKENDS} backend Services and ${M} Ingress hosts`);
    const t0 = performance.now();
    const ip = (i: number, j: number) => `10.${200 + (i >> 16)}.${(i >> 8) & 255}.${i & 255 || 1}`.replace(/\.0$/, `.${j + 1}`);
    const svc = async (ns: string, name: string, type: 'LoadBalancer' | 'ClusterIP', i: number) => {
      await core.createNamespacedService({ namespace: ns, body: { metadata: { name }, spec: { type, ports: [{ name: 'http', port: 80, targetPort: 8080 as never, protocol: 'TCP' }] } } });
      await discovery.createNamespacedEndpointSlice({
        namespace: ns,
        body: {
          metadata: { name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          endpoints: [0, 1].map((j) => ({ addresses: [ip(i * 2 + j + 1, j)], conditions: { ready: true } })),
        },
      });
    };
    await pool([...Array(N).keys()], 16, (i) => svc(nsOf(i), `lb-${i}`, 'LoadBalancer', i));
    await pool([...Array(BACKENDS * NAMESPACES).keys()], 16, (i) => svc(nsOf(i), `backend-${Math.floor(i / NAMESPACES)}`, 'ClusterIP', N + i));
    const ca = await createCA('bench-ca');
    await pool([...Array(M).keys()], 16, async (i) => {
      const ns = nsOf(i);
      const host = `host-${i}.bench.example.com`;
      const secure = i % 2 === 1;
      if (secure) {
        const cert = await issueCertificate(ca, { commonName: host, dnsNames: [host], usage: 'server' });
        await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: `tls-${i}` }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
      }
      await networking.createNamespacedIngress({
        namespace: ns,
        body: {
          metadata: { name: `ing-${i}` },
          spec: {
            ...(secure ? { tls: [{ hosts: [host], secretName: `tls-${i}` }] } : {}),
            rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `backend-${Math.floor(i / NAMESPACES) % BACKENDS}`, port: { number: 80 } } } }] } }],
          },
        },
      });
    });
    const applySeconds = (performance.now() - t0) / 1000;

    const port = await freePort();
    log('starting AKO');
    const start = performance.now();
    ako = startAko(cluster.kubeconfig, valuesFile, port, join(dir, 'ako.log'));
    // What the peers (and this process's watches) spend while AKO syncs: with AKO's own, the machine's load.
    const peersCpu = cpuWindow({ controller: () => cpuSeconds(ctl.process.pid!), apiserver: () => groupCpuSeconds(cluster.state.pid), bench: ownCpuSeconds });
    let servicesDone = 0;
    let ingressesDone = 0;
    const statuses = await watchStatuses(kc);
    // When the Avi writes stopped (AKO's counter unchanged since): status writes may trail them.
    let lastWrites = -1;
    let writesDoneAt = 0;
    // The write counter is read every METRICS_EVERY polls: rendering /metrics costs AKO CPU (a Prometheus scrape
    // comes every 15-30 s; at every poll it was 3% of AKO's CPU during the sync).
    for (let poll = 0; ; poll++) {
      if (poll % METRICS_EVERY === 0) {
        const w = sumMetric((await get(`http://127.0.0.1:${port}/metrics`)).text, 'ako_avi_writes_total').total ?? 0;
        if (w !== lastWrites) {
          lastWrites = w;
          writesDoneAt = performance.now();
        }
      }
      servicesDone = statuses.services;
      ingressesDone = statuses.ingresses;
      if (servicesDone >= N && ingressesDone >= M) break;
      if (ako.exitCode !== null || ako.signalCode !== null) throw new Error(`AKO exited with ${ako.exitCode ?? ako.signalCode}`);
      if (performance.now() - start > 30 * 60 * 1000) throw new Error(`timed out: ${servicesDone}/${N} services, ${ingressesDone}/${M} ingresses`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const syncSeconds = (performance.now() - start) / 1000;
    statuses.stop();
    const writesSeconds = (writesDoneAt - start) / 1000;
    const syncCpu = cpuSeconds(ako.pid!);
    const syncPeersCpu = peersCpu();
    const syncRss = peakRssMiB(ako.pid!);
    // Where the memory is at that moment (prom-client's nodejs_* gauges).
    const mem = (await get(`http://127.0.0.1:${port}/metrics`)).text;
    const mib = (name: string) => (sumMetric(mem, name).total ?? NaN) / 2 ** 20;
    const memory = {
      heap_total_at_all_status_mib: mib('nodejs_heap_size_total_bytes'),
      heap_used_at_all_status_mib: mib('nodejs_heap_size_used_bytes'),
      external_at_all_status_mib: mib('nodejs_external_memory_bytes'),
      rss_at_all_status_mib: mib('process_resident_memory_bytes'),
    };

    // What the floor creates again: the objects of the first sync, before the changes below add theirs.
    const objects = await readObjects(ctl, 'ako-bench', 'bench--');

    // One change at a time on the loaded cluster (ako-changes.ts): a new LoadBalancer Service until its status has
    // the VIP, a new Ingress host until its status has one, and a changed endpoint of that host's backend until the
    // pool on the controller has it; each with AKO's CPU per change.
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    const akoCpu = () => cpuSeconds(ako!.pid!);
    const idleRate = await idleCpuRate(akoCpu);
    const avi = await bareAvi(ctl, 1);
    const hasStatus = (o: { status?: { loadBalancer?: { ingress?: unknown[] } } }) => (o.status?.loadBalancer?.ingress?.length ?? 0) > 0;
    const late = N + BACKENDS * NAMESPACES;
    log(`adding ${CHANGES} Services one at a time`);
    const newService = await runChanges({
      change: (c) => svc(nsOf(c), `late-${c}`, 'LoadBalancer', late + c),
      visible: async (c) => hasStatus(await core.readNamespacedService({ name: `late-${c}`, namespace: nsOf(c) })),
    }, CHANGES, akoCpu, idleRate);
    log(`adding ${CHANGES} Ingress hosts one at a time`);
    const lateHost = (c: number) => `late-ing-${c}.bench.example.com`;
    const newIngress = await runChanges({
      prepare: (n) => pool([...Array(n).keys()], 4, (c) => svc(nsOf(c), `late-be-${c}`, 'ClusterIP', late + CHANGES + c)),
      change: async (c) => {
        await networking.createNamespacedIngress({
          namespace: nsOf(c),
          body: { metadata: { name: `late-ing-${c}` }, spec: { rules: [{ host: lateHost(c), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: `late-be-${c}`, port: { number: 80 } } } }] } }] } },
        });
      },
      visible: async (c) => hasStatus(await networking.readNamespacedIngress({ name: `late-ing-${c}`, namespace: nsOf(c) })),
    }, CHANGES, akoCpu, idleRate);
    log(`changing the endpoint of ${CHANGES} Ingress hosts' backends one at a time`);
    const movedTo = (c: number) => ip(late + 2 * CHANGES + c, 0);
    const endpointChange = await runChanges({
      change: async (c) => {
        await discovery.patchNamespacedEndpointSlice({ name: `late-be-${c}-1`, namespace: nsOf(c), body: { endpoints: [{ addresses: [movedTo(c)], conditions: { ready: true } }] } }, merge);
      },
      visible: async (c) => {
        const r = await avi.call('GET', `/api/pool?name.contains=${encodeURIComponent(lateHost(c))}&fields=servers`);
        const pools = (r.json.results as { servers?: { ip?: { addr?: string } }[] }[] | undefined) ?? [];
        return pools.some((p) => (p.servers ?? []).some((s) => s.ip?.addr === movedTo(c)));
      },
    }, CHANGES, akoCpu, idleRate);
    avi.close();

    // Events that change nothing translate reads (a label on Services, a foreign annotation on Ingresses, AKO's own
    // status writes): how many unit syncs they cost.
    log(`no-op events: a label on ${CHANGES} Services and an annotation on ${CHANGES} Ingresses`);
    const unitSyncs = async () => sumMetric((await get(`http://127.0.0.1:${port}/metrics`)).text, 'ako_unit_syncs_total').total ?? 0;
    const syncsBefore = await unitSyncs();
    for (let c = 0; c < CHANGES; c++) {
      await core.patchNamespacedService({ name: `lb-${c}`, namespace: nsOf(c), body: { metadata: { labels: { 'bench/touched': String(c) } } } }, merge);
      await networking.patchNamespacedIngress({ name: `ing-${c}`, namespace: nsOf(c), body: { metadata: { annotations: { 'example.com/note': String(c) } } } }, merge);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const noopSyncs = (await unitSyncs()) - syncsBefore;
    const metrics = (await get(`http://127.0.0.1:${port}/metrics`)).text;
    const callsByType = sumMetric(metrics, 'ako_avi_rest_calls_total', 'type');
    const callsByMethod = sumMetric(metrics, 'ako_avi_rest_calls_total', 'method');
    const writes = sumMetric(metrics, 'ako_avi_writes_total').total ?? 0;
    const rss = peakRssMiB(ako.pid!);
    await stopProcess(ako);

    // Restarts with nothing changed, RESTARTS times: a restart's peak RSS moves with when the collector runs, so
    // more than one gives its spread. Each one is timed to /readyz, then left 2 s to make any write it would.
    const restarts: { seconds: number; writes: number; calls: number; rss: number }[] = [];
    for (let r = 1; r <= RESTARTS; r++) {
      log(`restarting AKO with nothing changed${RESTARTS > 1 ? ` (${r} of ${RESTARTS})` : ''}`);
      const restartStart = performance.now();
      ako = startAko(cluster.kubeconfig, valuesFile, port, join(dir, `ako-restart-${r}.log`));
      while ((await get(`http://127.0.0.1:${port}/readyz`)).status !== 200) {
        if (ako.exitCode !== null || ako.signalCode !== null) throw new Error(`AKO exited with ${ako.exitCode ?? ako.signalCode}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      const seconds = (performance.now() - restartStart) / 1000;
      await new Promise((res) => setTimeout(res, 2000));
      const restartMetrics = (await get(`http://127.0.0.1:${port}/metrics`)).text;
      const one = {
        seconds,
        writes: sumMetric(restartMetrics, 'ako_avi_writes_total').total ?? 0,
        calls: sumMetric(restartMetrics, 'ako_avi_rest_calls_total').total ?? 0,
        rss: peakRssMiB(ako.pid!),
      };
      restarts.push(one);
      log(`restart ${r}: ready in ${one.seconds.toFixed(2)} s, ${one.writes} writes, peak RSS ${one.rss.toFixed(1)} MiB`);
      await stopProcess(ako);
      ako = undefined;
    }
    const restartRss = restarts.map((r) => r.rss).sort((x, y) => x - y);

    // The floor: the peers alone, for the same writes.
    log('floor: the same objects on a fresh controller, by a bare client');
    const fresh = await startControllerProcess({ args: ['--seed', seed] });
    let ctlFloor;
    try {
      ctlFloor = await controllerFloor(fresh, objects, CONCURRENCY, () => cpuSeconds(fresh.process.pid!));
    } finally {
      await fresh.stop();
    }
    log('floor: the same status, annotation and Event writes on the apiserver');
    const kubeWrites = (await readKubeWrites(kc)).filter((w) => !w.name.startsWith('late-'));
    const kubeFloor = await apiserverFloor(kc, kubeWrites, STATUS_CONCURRENCY, () => groupCpuSeconds(cluster.state.pid));
    const floor = Math.max(ctlFloor.seconds, kubeFloor.seconds);
    // No run on these cores can take less wall time than everyone's CPU over the cores: AKO's, and the peers' for
    // the same writes (as the floors measured them).
    const cpuBound = (syncCpu + ctlFloor.cpuSeconds + kubeFloor.cpuSeconds) / CORES;

    printReport('ako-scale', {
      services: N,
      ingress_hosts: M,
      secure_hosts: Math.floor(M / 2),
      apply_k8s_objects_s: applySeconds,
      sync_until_all_status_s: syncSeconds,
      avi_writes_done_s: writesSeconds,
      floor_controller_s: ctlFloor.seconds,
      floor_controller_writes: ctlFloor.writes,
      floor_controller_failed: ctlFloor.failed,
      floor_apiserver_s: kubeFloor.seconds,
      floor_apiserver_writes: kubeFloor.writes,
      floor_s: floor,
      all_status_over_floor: syncSeconds / floor,
      // On a machine where the peers share the cores, their sum bounds a pipelined run from below as well.
      floor_sum_s: ctlFloor.seconds + kubeFloor.seconds,
      all_status_over_floor_sum: syncSeconds / (ctlFloor.seconds + kubeFloor.seconds),
      floor_controller_cpu_s: ctlFloor.cpuSeconds,
      floor_apiserver_etcd_cpu_s: kubeFloor.cpuSeconds,
      cores: CORES,
      cpu_bound_s: cpuBound,
      all_status_over_cpu_bound: syncSeconds / cpuBound,
      ako_concurrency: CONCURRENCY,
      // Mean time of one Avi call as AKO saw it, and as the floor's bare client did (in flight x time / calls).
      avi_call_mean_ms: (1000 * (sumMetric(metrics, 'ako_avi_rest_call_duration_seconds_sum').total ?? NaN)) / (sumMetric(metrics, 'ako_avi_rest_call_duration_seconds_count').total ?? NaN),
      floor_controller_call_mean_ms: (1000 * ctlFloor.seconds * CONCURRENCY) / ctlFloor.writes,
      avi_writes: writes,
      rest_calls_total: Object.values(callsByMethod).reduce((a, b) => a + b, 0),
      ...Object.fromEntries(Object.entries(callsByMethod).map(([k, v]) => [`rest_calls_${k}`, v])),
      ...Object.fromEntries(Object.entries(callsByType).sort().map(([k, v]) => [`rest_calls_type_${k}`, v])),
      ako_heap_cap_mib: HEAP ?? 'none',
      ako_v8_flags: V8_FLAGS,
      ako_malloc_arena_max: AKO_ENV.MALLOC_ARENA_MAX,
      ako_idle_cpu_ms_per_s: 1000 * idleRate,
      new_service_to_status_p50_ms: newService.p50_ms,
      new_service_to_status_p99_ms: newService.p99_ms,
      new_service_cpu_ms: newService.cpu_ms_per_change,
      new_ingress_host_to_status_p50_ms: newIngress.p50_ms,
      new_ingress_host_to_status_p99_ms: newIngress.p99_ms,
      new_ingress_host_cpu_ms: newIngress.cpu_ms_per_change,
      endpoint_change_to_pool_p50_ms: endpointChange.p50_ms,
      endpoint_change_to_pool_p99_ms: endpointChange.p99_ms,
      endpoint_change_cpu_ms: endpointChange.cpu_ms_per_change,
      noop_events: 2 * CHANGES,
      noop_events_unit_syncs: noopSyncs,
      informer_events_irrelevant: sumMetric(metrics, 'ako_informer_events_total', 'relevant').false ?? 0,
      cpu_until_all_status_s: syncCpu,
      controller_cpu_until_all_status_s: syncPeersCpu.controller,
      apiserver_etcd_cpu_until_all_status_s: syncPeersCpu.apiserver,
      bench_cpu_until_all_status_s: syncPeersCpu.bench,
      // The share of the machine's cores in use until every status (AKO, the peers, this benchmark).
      cores_busy_until_all_status: (syncCpu + syncPeersCpu.controller + syncPeersCpu.apiserver + syncPeersCpu.bench) / (CORES * syncSeconds),
      peak_rss_until_all_status_mib: syncRss,
      ...memory,
      peak_rss_mib: rss,
      restart_until_ready_s: Math.max(...restarts.map((r) => r.seconds)),
      restart_avi_writes: restarts.reduce((n, r) => n + r.writes, 0),
      restart_rest_calls: restarts[0]!.calls,
      restart_peak_rss_mib: restartRss.at(-1)!,
      ...(RESTARTS > 1 ? { restarts: RESTARTS, restart_peak_rss_min_mib: restartRss[0]!, restart_peak_rss_median_mib: percentile(restartRss, 50) } : {}),
    });
  } finally {
    if (ako) await stopProcess(ako);
    await ctl.stop();
    await down(dir);
    // BENCH_LOG_DIR keeps AKO's logs (ako.log, ako-restart.log) for a look afterwards.
    if (process.env.BENCH_LOG_DIR) for (const f of ['ako.log', 'ako-restart.log']) await cp(join(dir, f), join(process.env.BENCH_LOG_DIR, f)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
