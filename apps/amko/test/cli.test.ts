// The amko command as a user runs it (the committed bin wrapper, on the built dist): --version and --help exit 0;
// it runs node with a small young generation (--max-semi-space-size=2) unless told otherwise.
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

/** node's own arguments (execArgv) of each process image amko runs as, printed by a preloaded module, for --version. */
function execArgvs(env: Record<string, string>): string[][] {
  // NODE_OPTIONS takes double quotes as its own quoting: the probe uses single quotes only.
  const probe = "--import=data:text/javascript,console.error('execArgv='+JSON.stringify(process.execArgv))";
  const r = spawnSync(process.execPath, [join(appDir, 'bin/amko.js'), '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} ${probe}` }, timeout: 60000 });
  expect(r.stdout).toBe(`amko ${version}\n`);
  return r.stderr.split('\n').filter((l) => l.startsWith('execArgv=')).map((l) => JSON.parse(l.slice('execArgv='.length)) as string[]);
}

test('amko replaces itself (execve) with node --max-semi-space-size=2; a flag already given or AMKO_NODE_FLAGS=off keeps node as started', () => {
  expect(execArgvs({})).toEqual([[], ['--max-semi-space-size=2']]);
  expect(execArgvs({ NODE_OPTIONS: '--max-semi-space-size=8' })).toEqual([[]]);
  expect(execArgvs({ AMKO_NODE_FLAGS: 'off' })).toEqual([[]]);
}, 120000);
