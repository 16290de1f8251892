// The real bin as a process: bad flags exit non-zero with a clear message; a start prints the URL, the CA
// path and the generated password once; SIGTERM stops it cleanly with every acknowledged write kept.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSocket } from 'node:dgram';
import { login, raw, removeDir, tempDir } from './helpers.js';
import { decodeResponse, encodeQuery, RCODE } from '../src/dns-wire.js';
import type { RunningController } from '../src/index.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(appDir, 'dist/bundle.js');

beforeAll(() => {
  // The bin runs the bundle of dist: build both as the app's build does (tsc incremental, quick when up to date).
  execFileSync(process.execPath, [join(appDir, '../../node_modules/typescript/bin/tsc'), '-b', appDir], { stdio: 'pipe' });
  execFileSync(process.execPath, [join(appDir, '../../tools/bundle/dist/main.js'), 'dist/cli.js'], { cwd: appDir, stdio: 'pipe' });
}, 120_000);

// Every controller a test starts; one still running after its test (a failed assertion) is killed.
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
});

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; out: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => text, exit };
}

test.each([
  [['serve', '--data-dir', '/tmp/x'], /--listen HOST:PORT is required/],
  [['serve', '--listen', '127.0.0.1:0', '--data-dir', '/tmp/x', '--nope'], /Unknown option '--nope'/],
  [['frobnicate'], /unknown command "frobnicate"/],
  [['serve', '--listen', '127.0.0.1:0', '--data-dir', '/tmp/x', '--dns-listen', 'dns.local:53'], /--dns-listen host must be an IP address/],
])('%j exits 2 with a message and the usage', async (args, msg) => {
  const p = run(args);
  expect(await p.exit).toBe(2);
  expect(p.out()).toMatch(msg);
  expect(p.out()).toContain('usage: avi-controller serve');
});

test('starts, prints URL, CA and password once, and stops on SIGTERM keeping its data', async () => {
  const dir = tempDir();
  try {
    const p = run(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--log', join(dir, 'req.log')]);
    for (let i = 0; i < 200 && !p.out().includes('generated admin password'); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
    expect(url).toBeDefined();
    expect(p.out()).toContain(`CA certificate: ${join(dir, 'pki/ca.crt')}`);
    const password = readFileSync(join(dir, 'admin-password'), 'utf8').trim();
    expect(p.out()).toContain(password);
    const ctl = { url: url!, caPem: readFileSync(join(dir, 'pki/ca.crt'), 'utf8'), adminPassword: password } as RunningController;
    expect((await raw(ctl, 'GET', '/api/initial-data')).status).toBe(200);
    const c = await login(ctl);
    expect((await c.post('/api/pool', { name: 'cli-pool' })).status).toBe(201);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);

    const again = run(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir]);
    for (let i = 0; i < 200 && !/listening on/.test(again.out()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(again.out()).not.toContain('generated admin password');
    const url2 = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(again.out())![1]!;
    const c2 = await login({ ...ctl, url: url2 } as RunningController);
    expect((await c2.get('/api/pool?name=cli-pool')).json.count).toBe(1);
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  } finally {
    removeDir(dir);
  }
}, 60_000);

test('a corrupted data file stops the start with exit 1 and names the file', async () => {
  const dir = tempDir();
  try {
    execFileSync('sh', ['-c', `printf '{bad' > ${join(dir, 'objects.snapshot.json')}`]);
    const p = run(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--plain-http'], { AVI_ADMIN_PASSWORD: 'x' });
    expect(await p.exit).toBe(1);
    expect(p.out()).toMatch(/objects\.snapshot\.json is corrupted/);
  } finally {
    removeDir(dir);
  }
});

test('--dataplane and --dns-listen: the bin reports both, answers DNS, and stops on SIGTERM', async () => {
  const dir = tempDir();
  try {
    const p = run(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--log', 'silent', '--dataplane', '--dns-listen', '127.0.0.1:0'], { AVI_ADMIN_PASSWORD: 'Cli-Passw0rd' });
    for (let i = 0; i < 200 && !p.out().includes('data plane on'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(p.out()).toContain('data plane on: 0 listeners');
    const port = Number(/DNS on 127\.0\.0\.1:(\d+) \(udp, tcp\)/.exec(p.out())?.[1]);
    expect(port).toBeGreaterThan(0);
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const s = createSocket('udp4');
      s.on('error', reject);
      s.on('message', (m) => {
        s.close();
        resolve(m);
      });
      s.send(encodeQuery(7, 'nothing.avi.internal'), port, '127.0.0.1');
    });
    expect(decodeResponse(answer)).toMatchObject({ id: 7, rcode: RCODE.NXDOMAIN });
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  } finally {
    removeDir(dir);
  }
}, 30_000);
