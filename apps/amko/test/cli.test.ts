// The amko command as a user runs it (the committed bin wrapper, on the built dist): --version and --help exit 0,
// an unknown flag exits 2; what it loads at start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const appDir = join(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { version: string }).version;
const amko = (...args: string[]) => spawnSync(process.execPath, [join(appDir, 'bin/amko.js'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30000 });

test('amko --version prints the package version', () => {
  const r = amko('--version');
  expect(r.stdout).toBe(`amko ${version}\n`);
  expect(r.status).toBe(0);
});

test('amko --help prints the usage, --version included', () => {
  const r = amko('--help');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: amko /);
  expect(r.stdout).toContain('amko --version');
});

test('an unknown flag is refused with exit code 2', () => {
  const r = amko('--bogus');
  expect(r.stderr).toMatch(/Unknown option '--bogus'/);
  expect(r.status).toBe(2);
});

test('at start it does not load undici (issue 15: ~7 MiB of RSS for a fetch/WebSocket client it never uses)', () => {
  // Node 24 loads undici for the ESM facade of node:http (its WebSocket export), so the ops server and the watch
  // take node:http through process.getBuiltinModule. The kubeconfig names an apiserver that refuses connections:
  // AMKO starts, cannot list the AMKOClusters and exits with code 3; the preload reports what Node loaded by then.
  const dir = mkdtempSync(join(tmpdir(), 'amko-start-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n');
    const preload = join(dir, 'report.mjs');
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(`loaded: ${JSON.stringify({ undici: process.moduleLoadList.some((m) => m.includes('undici')), http: process.moduleLoadList.includes('NativeModule http') })}\\n`));\n");
    const withPreload = spawnSync(process.execPath, ['--import', preload, join(appDir, 'bin/amko.js'), '--kubeconfig', kubeconfig, '--api-port', '0'], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30000 });
    expect(withPreload.status).toBe(3);
    expect(withPreload.stderr).toMatch(/cannot list AMKOClusters/);
    expect(/loaded: (.*)/.exec(withPreload.stderr)?.[1]).toBe(JSON.stringify({ undici: false, http: true }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
