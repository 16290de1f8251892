// The committed package-lock.json is what `npm ci` installs from (scripts/setup.sh): it must list every platform's
// optional packages (npm ci refuses a lock without them: "Missing: @swc/core-darwin-arm64 from lock file") and
// agree with every workspace package.json (else npm install rewrites it on a fresh clone).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');
interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** The package (lock path) that contains the package at DIR: "a/node_modules/b/node_modules/c" -> "a/node_modules/b". */
function parent(dir: string): string {
  const i = dir.lastIndexOf('node_modules/');
  return i < 0 ? '' : dir.slice(0, i).replace(/\/$/, '');
}

/** Whether npm finds NAME from the package at FROM: its node_modules, then its parents', up to the root's. */
function resolves(packages: Record<string, unknown>, from: string, name: string): boolean {
  for (let dir = from; ; dir = parent(dir)) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (dir === '') return false;
  }
}

test('every optional dependency of every locked package is in the lock (all platforms)', () => {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link) continue;
    for (const name of Object.keys(entry.optionalDependencies ?? {})) if (!resolves(lock.packages, path, name)) missing.push(`${path} -> ${name}`);
  }
  expect(missing).toEqual([]);
  // The check finds a missing one: the lock without swc's macOS binary.
  const { 'node_modules/@swc/core-darwin-arm64': _dropped, ...withoutOne } = lock.packages;
  expect(resolves(withoutOne, 'node_modules/@swc/core', '@swc/core-darwin-arm64')).toBe(false);
  expect(resolves(lock.packages, 'node_modules/@swc/core', '@swc/core-darwin-arm64')).toBe(true);
});

test('the lock records each workspace package.json as it is', () => {
  const workspaces = Object.keys(lock.packages).filter((p) => p && !p.includes('node_modules/'));
  expect(workspaces.length).toBeGreaterThan(5);
  for (const ws of ['', ...workspaces]) {
    const pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8')) as LockEntry;
    const entry = lock.packages[ws]!;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      expect({ ws, field, deps: entry[field] ?? {} }).toEqual({ ws, field, deps: pkg[field] ?? {} });
    }
  }
});
