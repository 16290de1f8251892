#!/usr/bin/env node
// The Avi SDK's overhead: N pool creates and gets through the SDK against the avi-controller, beside bare keep-alive
// HTTPS GETs of the same objects (the floor), so the ratio shows what the SDK costs.
//   node tools/bench/dist/sdk.js [--n 300] [--concurrency 8]
import https from 'node:https';
import { parseArgs } from 'node:util';
import { createAviClient } from '@avi-k8s/avi-sdk';
import { startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { percentile, printReport } from './report.js';

const { values } = parseArgs({ options: { n: { type: 'string' }, concurrency: { type: 'string' } }, strict: true });
const n = Number(values.n ?? 300);
const concurrency = Number(values.concurrency ?? 8);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write('usage: sdk.js [--n N] [--concurrency C]\n');
  process.exit(2);
}

/** Runs fn(i) for i in 0..n-1 with `concurrency` workers: calls/s and latency percentiles. */
async function measure(fn: (i: number) => Promise<unknown>) {
  const latencies: number[] = new Array(n);
  let next = 0;
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
  const sorted = latencies.sort((a, b) => a - b);
  return { perSec: (n / (performance.now() - started)) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function login(ctl: ControllerProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${ctl.url}/login`, { method: 'POST', ca: ctl.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve((res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')) : reject(new Error(`login HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify({ username: ctl.username, password: ctl.password }));
  });
}

function bareGet(agent: https.Agent, url: string, cookie: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { agent, headers: { cookie, 'x-avi-version': '30.2.1', 'x-avi-tenant': 'admin' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const ctl = await startControllerProcess();
try {
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem, maxInFlight: concurrency });
  const uuids: string[] = new Array(n);
  const create = await measure(async (i) => {
    uuids[i] = String((await avi.create('pool', { name: `bench-${i}`, servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }] })).uuid);
  });
  const get = await measure((i) => avi.get('pool', uuids[i]!));
  const cookie = await login(ctl);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: ctl.caPem });
  const bare = await measure((i) => bareGet(agent, `${ctl.url}/api/pool/${uuids[i]}`, cookie));
  agent.destroy();
  await avi.close();
  printReport('sdk-pools', {
    calls: n,
    concurrency,
    sdk_create_per_s: create.perSec,
    sdk_create_p50_ms: create.p50,
    sdk_create_p99_ms: create.p99,
    sdk_get_per_s: get.perSec,
    sdk_get_p50_ms: get.p50,
    sdk_get_p99_ms: get.p99,
    bare_get_per_s: bare.perSec,
    bare_get_p50_ms: bare.p50,
    bare_get_p99_ms: bare.p99,
    sdk_get_overhead_ratio: bare.perSec / get.perSec,
  });
} finally {
  await ctl.stop();
}
