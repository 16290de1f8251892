// One copy of each npm package version in a bundle. npm nests a copy of a package under every workspace whose
// version differs from the root's (yaml 2.9.1 under packages/crds, packages/kube and apps/amko, as the root has 1.x),
// and esbuild bundles each copy it reaches: the same code twice in the bundle, so twice in every process's memory
// (V8 keeps the whole source). The bundle imports one copy (the first directory in sorted order) wherever another
// copy of the same name@version would have been imported.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';
import { packageDirOf } from './licenses.js';

/** name@version of the package in DIR (absolute). */
function packageKey(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name}@${pkg.version}`;
}

/**
 * The package directories of METAFILE's inputs (relative to CWD) that hold another copy of a name@version also
 * found elsewhere: absolute directory -> the absolute directory of the copy to use instead (the first in sorted order).
 */
export function duplicateCopies(metafile: Metafile, cwd: string): Map<string, string> {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input);
    if (dir) dirs.add(resolve(cwd, dir));
  }
  const byKey = new Map<string, string[]>();
  for (const dir of [...dirs].sort()) {
    const key = packageKey(dir);
    byKey.set(key, [...(byKey.get(key) ?? []), dir]);
  }
  const redirects = new Map<string, string>();
  for (const [first, ...others] of byKey.values()) for (const dir of others) redirects.set(dir, first!);
  return redirects;
}

const RESOLVING = Symbol('one-copy');

/** An esbuild plugin importing, for each directory of REDIRECTS, the same file of the copy it maps to. */
export function oneCopyPerVersion(redirects: Map<string, string>): Plugin {
  return {
    name: 'one-copy-per-version',
    setup(build) {
      if (redirects.size === 0) return;
      // Bare specifiers only: a package is entered by name, and the files of the copy used import each other relatively.
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (r.errors.length > 0 || r.external || !r.path) return undefined;
        const dir = packageDirOf(r.path);
        const to = dir ? redirects.get(dir) : undefined;
        return to ? { path: join(to, relative(dir!, r.path)), sideEffects: r.sideEffects } : undefined;
      });
    },
  };
}
