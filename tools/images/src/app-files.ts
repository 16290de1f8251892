// The files an app needs at run time, laid out under /app as in the workspace: the app's package.json (its
// --version reads it) and its one-file bundle (apps/<app>/dist/bundle.js, written by the app's build with
// tools/bundle: the app, the workspace packages and the npm dependencies it uses, tree-shaken), with the bundle's
// third-party notices (dist/THIRD_PARTY_LICENSES.txt: every bundled npm package's name, version and license files).
// No node_modules: nothing outside the bundle is loaded. No source map: it is for debugging on a workstation.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TarEntry } from './tar.js';

export const BUNDLE = 'dist/bundle.js';
const RUNTIME_FILES = ['package.json', BUNDLE, 'dist/THIRD_PARTY_LICENSES.txt'];
/** Written by tools/bundle beside the bundle: ["name@version", ...] of the npm packages inside it. */
const PACKAGES_FILE = 'dist/bundle.packages.json';

export interface AppFiles {
  /** Paths relative to the workspace root (the image's /app). */
  entries: TarEntry[];
  /** name@version of every npm package bundled, sorted. */
  packages: string[];
}

/** The run-time files of the app in APP_DIR (e.g. apps/ako, relative to the workspace root), as tar entries under PREFIX. */
export function appFiles(workspaceRoot: string, appDir: string, prefix = 'app'): AppFiles {
  const entries: TarEntry[] = [];
  for (const file of [...RUNTIME_FILES, PACKAGES_FILE]) {
    if (!existsSync(join(workspaceRoot, appDir, file))) throw new Error(`${appDir}/${file} is missing: run npm run build first`);
  }
  for (const file of RUNTIME_FILES) {
    const path = join(workspaceRoot, appDir, file);
    entries.push({ type: 'file', path: `${prefix}/${appDir}/${file}`, data: readFileSync(path), mode: statSync(path).mode & 0o111 ? 0o755 : 0o644 });
  }
  const packages = JSON.parse(readFileSync(join(workspaceRoot, appDir, PACKAGES_FILE), 'utf8')) as string[];
  return { entries, packages: [...packages].sort() };
}
