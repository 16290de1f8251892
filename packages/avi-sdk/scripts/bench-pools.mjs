#!/usr/bin/env node
// Benchmark (not a test): N pool creates and N gets through the SDK against the avi-controller, beside bare
// keep-alive HTTPS GETs of the same objects (the floor). Prints JSON and a table.
// Needs built dist/ of the SDK and of apps/avi-controller (`npm run build`).
// Usage: node scripts/bench-pools.mjs [--n 300] [--concurrency 8]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const { createAviClient } = await import(join(here, '../dist/index.js'));

const { values } = parseArgs({ options: { n: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '8' } } });
const n = Number(values.n);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: bench-pools.mjs [--n N] [--concurrency C]');
  process.exit(2);
}

async function startController() {
  const dataDir = mkdtempSync(join(tmpdir(), 'avi-sdk-bench-'));
  const password = 'Bench-Passw0rd';
  const child = spawn(
    process.execPath,
    [join(root, 'apps/avi-controller/dist/cli.js'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--log', 'silent'],
    { env: { ...process.env, AVI_ADMIN_PASSWORD: password }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const ready = await new Promise((ok, fail) => {
    child.stderr.on('data', (c) => {
      stderr += c;
      const url = /listening on (\S+)/.exec(stderr)?.[1];
      const ca = /CA certificate: (\S+)/.exec(stderr)?.[1];
      if (url && ca) ok({ url, ca });
    });
    child.once('exit', (code) => fail(new Error(`avi-controller exited with ${code}: ${stderr}`)));
  });
  return {
    ...ready,
    caPem: readFileSync(ready.ca, 'utf8'),
    password,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Run fn(i) for i in 0..n-1 with `concurrency` workers; returns per-call latencies (ms) and wall time.
async function run(fn) {
  const lat = new Array(n);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await fn(i);
        lat[i] = performance.now() - t;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const sorted = [...lat].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { calls: n, callsPerSec: Math.round((n / wallMs) * 1000), p50Ms: +q(0.5).toFixed(2), p99Ms: +q(0.99).toFixed(2) };
}

function bareGet(agent, url, cookie, caPem) {
  return new Promise((ok, fail) => {
    const req = https.request(url, { agent, ca: caPem, headers: { cookie, 'x-avi-version': '30.2.1', 'x-avi-tenant': 'admin' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? ok() : fail(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end();
  });
}

const ctl = await startController();
try {
  const avi = createAviClient({ controller: ctl.url, username: 'admin', password: ctl.password, caPem: ctl.caPem, maxInFlight: concurrency });
  const uuids = new Array(n);
  const create = await run(async (i) => {
    uuids[i] = (await avi.create('pool', { name: `bench-${i}`, servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: 8080 }] })).uuid;
  });
  const get = await run((i) => avi.get('pool', uuids[i]));

  // the floor: same GETs over a bare keep-alive agent with the session cookies of a fresh login
  const login = await fetchLogin(ctl);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: ctl.caPem });
  const bare = await run((i) => bareGet(agent, `${ctl.url}/api/pool/${uuids[i]}`, login, ctl.caPem));
  agent.destroy();
  await avi.close();

  const result = { n, concurrency, sdkCreate: create, sdkGet: get, bareKeepAliveGet: bare };
  console.log(JSON.stringify(result));
  console.log('\n| operation | calls/s | p50 ms | p99 ms |\n|---|---|---|---|');
  for (const [name, r] of [['SDK create', create], ['SDK get', get], ['bare keep-alive GET', bare]]) {
    console.log(`| ${name} | ${r.callsPerSec} | ${r.p50Ms} | ${r.p99Ms} |`);
  }
} finally {
  await ctl.stop();
}

async function fetchLogin(c) {
  return new Promise((ok, fail) => {
    const body = JSON.stringify({ username: 'admin', password: c.password });
    const req = https.request(`${c.url}/login`, { method: 'POST', ca: c.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => {
        const cookies = (res.headers['set-cookie'] ?? []).map((s) => s.split(';')[0]).join('; ');
        return res.statusCode === 200 ? ok(cookies) : fail(new Error(`login HTTP ${res.statusCode}`));
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}
