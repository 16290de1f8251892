#!/usr/bin/env node
// The Avi SDK's overhead: N pool creates and gets through the SDK against the avi-controller, beside bare keep-alive
// HTTPS GETs and PUTs of the same objects (the floor), so the ratio shows what the SDK costs. Besides calls/s and
// latency, each phase reports this process's CPU per call (the controller is another process) and its GC time,
// which is what bounds an operator that makes thousands of calls.
//   node tools/bench/dist/sdk.js [--n 300] [--concurrency 8]
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { PerformanceObserver } from 'node:perf_hooks';
import { createAviClient } from '@avi-k8s/avi-sdk';
import { startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { benchFlags, percentile, printReport } from './report.js';

const flags = benchFlags('sdk.js [--n 300] [--concurrency 8]', ['n', 'concurrency']);
const n = flags.count('n', 300);
const concurrency = flags.count('concurrency', 8);

let gcMs = 0;
let gcCount = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcCount++;
  }
}).observe({ entryTypes: ['gc'] });

/** Runs fn(i) for i in 0..n-1 with `concurrency` workers: calls/s, latency percentiles, CPU and GC per call. */
async function measure(fn: (i: number) => Promise<unknown>) {
  const latencies: number[] = new Array(n);
  let next = 0;
  const gcBefore = { ms: gcMs, count: gcCount };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await fn(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // let the observer see the GCs of this phase
  await new Promise((resolve) => setImmediate(resolve));
  const sorted = latencies.sort((a, b) => a - b);
  return {
    perSec: (n / elapsed) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuUsPerCall: (used.user + used.system) / n,
    gcMsPer1k: ((gcMs - gcBefore.ms) / n) * 1000,
    gcsPer1k: ((gcCount - gcBefore.count) / n) * 1000,
  };
}

function login(ctl: ControllerProcess): Promise<{ cookie: string; csrf: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${ctl.url}/login`, { method: 'POST', ca: ctl.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => {
        const pairs = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
        const csrf = pairs.find((p) => p.startsWith('csrftoken='))?.slice('csrftoken='.length) ?? '';
        if (res.statusCode === 200) resolve({ cookie: pairs.join('; '), csrf });
        else reject(new Error(`login HTTP ${res.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ username: ctl.username, password: ctl.password }));
  });
}

// The floor: one request with the headers the controller needs, the answer read whole (as any client must) and
// not parsed.
function bare(agent: https.Agent, method: string, url: string, headers: Record<string, string>, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve();
        else reject(new Error(`HTTP ${res.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Phase = Awaited<ReturnType<typeof measure>>;
const figuresOf = (name: string, p: Phase) => ({
  [`${name}_per_s`]: p.perSec,
  [`${name}_p50_ms`]: p.p50,
  [`${name}_p99_ms`]: p.p99,
  [`${name}_cpu_us_per_call`]: p.cpuUsPerCall,
  [`${name}_gc_ms_per_1k`]: p.gcMsPer1k,
  [`${name}_gcs_per_1k`]: p.gcsPer1k,
});

const ctl = await startControllerProcess();
try {
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem, maxInFlight: concurrency });
  const uuids: string[] = new Array(n);
  const create = await measure(async (i) => {
    uuids[i] = String((await avi.create('pool', { name: `bench-${i}`, servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }] })).uuid);
  });
  const get = await measure((i) => avi.get('pool', uuids[i]!));
  const getRaw = await measure((i) => avi.get('pool', uuids[i]!, { checkAnswer: false }));
  // as the operators' sync adapter writes: neither the body nor the answer checked against the models
  const bodyOf = (i: number) => ({ name: `bench-${i}`, servers: [{ ip: { addr: '127.0.0.2', type: 'V4' as const }, port: 8080 }] });
  const put = await measure((i) => avi.update('pool', uuids[i]!, bodyOf(i), { validate: false, checkAnswer: false }));
  const auth = await login(ctl);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: ctl.caPem });
  const base = { cookie: auth.cookie, 'x-avi-version': '30.2.1', 'x-avi-tenant': 'admin', accept: 'application/json' };
  const writeHeaders = { ...base, 'content-type': 'application/json', 'x-csrftoken': auth.csrf, referer: `${ctl.url}/` };
  const bareGet = await measure((i) => bare(agent, 'GET', `${ctl.url}/api/pool/${uuids[i]}`, base));
  const barePut = await measure((i) => bare(agent, 'PUT', `${ctl.url}/api/pool/${uuids[i]}`, writeHeaders, JSON.stringify(bodyOf(i))));
  agent.destroy();
  await avi.close();
  printReport('sdk-pools', {
    calls: n,
    concurrency,
    ...figuresOf('sdk_create', create),
    ...figuresOf('sdk_get', get),
    ...figuresOf('sdk_get_unchecked', getRaw),
    ...figuresOf('sdk_put_unchecked', put),
    ...figuresOf('bare_get', bareGet),
    ...figuresOf('bare_put', barePut),
    sdk_get_overhead_ratio: bareGet.perSec / get.perSec,
    sdk_get_unchecked_cpu_ratio: getRaw.cpuUsPerCall / bareGet.cpuUsPerCall,
    sdk_put_unchecked_cpu_ratio: put.cpuUsPerCall / barePut.cpuUsPerCall,
    loadavg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  });
} finally {
  await ctl.stop();
}
