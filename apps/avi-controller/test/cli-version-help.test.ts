// The avi-controller command as `npx avi-controller` runs it (the committed bin wrapper, on the built dist):
// --version and --help at the top and under `serve`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const appDir = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const run = (...args: string[]) => spawnSync(process.execPath, [join(appDir, pkg.bin['avi-controller']!), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30000 });

test('the bin is a committed file, not the build output (npm links it before any build)', () => {
  expect(pkg.bin['avi-controller']).not.toMatch(/dist/);
});

test.each([[['--version']], [['version']], [['serve', '--version']]])('%j prints the package version', (args) => {
  const r = run(...args);
  expect(r.stdout).toBe(`avi-controller ${pkg.version}\n`);
  expect(r.status).toBe(0);
});

test.each([[['--help']], [['serve', '--help']], [['serve', '-h', '--listen', '127.0.0.1:0']]])('%j prints the usage', (args) => {
  const r = run(...args);
  expect(r.stdout).toMatch(/^usage: avi-controller serve --listen HOST:PORT/);
  expect(r.status).toBe(0);
});
