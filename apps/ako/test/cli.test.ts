// The ako command as a user runs it (the committed bin wrapper, on the built dist): --version and --help exit 0,
// and `--values` takes the Go chart's values.yaml unchanged (its empty avicredentials lines are YAML null).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const appDir = join(import.meta.dirname, '..');
const bin = join(appDir, 'bin/ako.js');
const version = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { version: string }).version;
const ako = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30000 });

test('ako --version prints the package version', () => {
  const r = ako('--version');
  expect(r.stdout).toBe(`ako ${version}\n`);
  expect(r.status).toBe(0);
});

test('ako --help prints the usage, --version included', () => {
  const r = ako('--help');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: ako .*--values values\.yaml/);
  expect(r.stdout).toContain('ako --version');
});

test('ako --values with the unchanged Go values.yaml gets past the values file to the missing controller host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ako-cli-'));
  // Any kubeconfig: AKO stops at the configuration check, before it talks to the cluster.
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n');
  const r = ako('--kubeconfig', kubeconfig, '--values', join(appDir, 'test/chart/fixtures/values/upstream.yaml'));
  expect(r.stderr).not.toMatch(/invalid values file/);
  expect(r.stderr).toMatch(/key 'controllerIP': required \(ControllerSettings\.controllerHost\)/);
  expect(r.status).toBe(2);
});

test('an unknown flag is refused with exit code 2', () => {
  const r = ako('--bogus');
  expect(r.stderr).toMatch(/Unknown option '--bogus'/);
  expect(r.status).toBe(2);
});
