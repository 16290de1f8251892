// The files an app needs at run time, laid out under /app exactly as in the workspace (apps/<app>/dist,
// packages/*/dist, node_modules/...), so Node resolves every import in the image as it does here: the app's
// package.json and dist, then the closure of its `dependencies` (and installed `optionalDependencies`) found the
// way Node finds them (node_modules of the importing package's real directory and its parents). Workspace packages
// contribute package.json and dist only; npm packages everything but their nested node_modules, type
// declarations, source maps and markdown. devDependencies never enter.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { TarEntry } from './tar.js';

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readPackage = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
const SKIP_FILE = /(\.d\.[cm]?ts|\.map|\.tsbuildinfo|\.md)$/i;
const KEEP_FILE = /^(licen[cs]e|notice|copying)/i;

function walk(dir: string, skipDir: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) {
      if (!skipDir(name)) walk(path, skipDir, out);
    } else if (st.isFile() || st.isSymbolicLink()) out.push(path);
  }
  return out;
}

/** Where Node finds package NAME imported from a file in FROM (a real directory inside ROOT), or undefined. */
function findPackage(root: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

export interface AppFiles {
  /** Paths relative to the workspace root (the image's /app). */
  entries: TarEntry[];
  /** name@version of every npm package included, sorted. */
  packages: string[];
}

/** The run-time files of the workspace package in APP_DIR (e.g. apps/ako), as tar entries under PREFIX. */
export function appFiles(workspaceRoot: string, appDir: string, prefix = 'app'): AppFiles {
  const root = realpathSync(workspaceRoot);
  const entries: TarEntry[] = [];
  const packages = new Set<string>();
  const seen = new Set<string>();
  const links = new Set<string>();
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const addFile = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) {
      const target = readFileSync(path); // a symlink inside a package: keep its content (targets stay inside it)
      entries.push({ type: 'file', path: `${prefix}/${rel(path)}`, data: target, mode: st.mode & 0o111 ? 0o755 : 0o644 });
    } else entries.push({ type: 'file', path: `${prefix}/${rel(path)}`, data: readFileSync(path), mode: st.mode & 0o111 ? 0o755 : 0o644 });
  };

  const visit = (pkgPath: string) => {
    const real = realpathSync(pkgPath);
    if (real !== pkgPath && !links.has(pkgPath)) {
      links.add(pkgPath);
      entries.push({ type: 'symlink', path: `${prefix}/${rel(pkgPath)}`, target: relative(dirname(pkgPath), real).split(sep).join('/') });
    }
    if (seen.has(real)) return;
    seen.add(real);
    const pkg = readPackage(real);
    const isWorkspace = !rel(real).split('/').includes('node_modules');
    if (isWorkspace) {
      addFile(join(real, 'package.json'));
      for (const sub of ['dist', 'bin']) {
        if (existsSync(join(real, sub))) for (const f of walk(join(real, sub), () => false)) if (!SKIP_FILE.test(f) || KEEP_FILE.test(f)) addFile(f);
      }
    } else {
      packages.add(`${pkg.name}@${pkg.version}`);
      for (const f of walk(real, (name) => name === 'node_modules')) {
        const base = f.slice(f.lastIndexOf(sep) + 1);
        if (!SKIP_FILE.test(base) || KEEP_FILE.test(base)) addFile(f);
      }
    }
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    for (const name of [...new Set([...Object.keys(pkg.dependencies ?? {}), ...optional])].sort()) {
      const found = findPackage(root, real, name);
      if (found) visit(found);
      else if (!optional.has(name)) throw new Error(`${pkg.name} depends on ${name}, which is not installed (run npm ci)`);
    }
  };
  visit(join(root, appDir));
  return { entries, packages: [...packages].sort() };
}
