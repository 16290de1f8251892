// The amko command as a user runs it (the committed bin wrapper, on the built dist): --version and --help exit 0,
// an unknown flag exits 2.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
