// One app, one file: esbuild bundles the app's built entry point (tsc's output, with the workspace packages' dist and
// the npm dependencies) into APP/dist/bundle.js, tree-shaken, as ESM for Node 24, so a process loads one module
// instead of hundreds (Node's loader keeps every module's record, URL and source). CommonJS dependencies get a real
// `require` (createRequire) for Node's built-ins. A linked source map (bundle.js.map, back to the TypeScript through
// tsc's maps; no source text inside) costs nothing unless node runs with --enable-source-maps.
// Whitespace and syntax are minified, identifiers are not (names stay readable in stack traces and logs): measured on
// an idle avi-controller, the unminified bundle kept comments with a few non-Latin-1 characters (dashes), which made
// V8 hold the whole source as a two-byte string (+7 MiB); esbuild's keepNames added 20 MiB of heap; renaming
// identifiers made RSS 4 MiB larger than this. The third-party
// notices of what was bundled go to dist/THIRD_PARTY_LICENSES.txt, their names and versions to dist/bundle.packages.json
// (read by tools/images).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { duplicateCopies, oneCopyPerVersion } from './copies.js';
import { bundledPackages, noticesText, type BundledPackage } from './licenses.js';
import { omitModules } from './omit.js';

export const BUNDLE_FILE = 'dist/bundle.js';
export const NOTICES_FILE = 'dist/THIRD_PARTY_LICENSES.txt';
/** JSON: ["name@version", ...] of the npm packages in the bundle, sorted. */
export const PACKAGES_FILE = 'dist/bundle.packages.json';

// CommonJS code inside an ESM file has no require of its own (the bundled dependencies require Node's built-ins).
const BANNER = "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);";

export interface BundleOptions {
  /** The app's directory (its package.json is there). */
  appDir: string;
  /** The built entry point, relative to appDir (e.g. dist/main.js). */
  entry: string;
  /** Built modules (relative to appDir) the app only names in an import() it never takes: left out (omit.ts). */
  omit?: string[];
  /** One copy of each npm package version (copies.ts). Off unless the app's build asks (--dedupe, as ako's and amko's do). */
  dedupe?: boolean;
}

export interface BundleResult {
  file: string;
  bytes: number;
  packages: BundledPackage[];
  warnings: string[];
}

export async function bundleApp(options: BundleOptions): Promise<BundleResult> {
  const { appDir } = options;
  const app = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { name: string }).name;
  const outfile = join(appDir, BUNDLE_FILE);
  const legalFile = `${outfile}.LEGAL.txt`;
  const esbuildOptions = {
    absWorkingDir: appDir,
    entryPoints: [options.entry],
    outfile: BUNDLE_FILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    banner: { js: BANNER },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'external',
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'silent',
  } satisfies BuildOptions;
  const omit = omitModules(options.omit ?? [], appDir);
  // With dedupe, a first pass finds the packages installed twice at the same version; the bundle takes one copy of each.
  const redirects = options.dedupe ? duplicateCopies((await build({ ...esbuildOptions, write: false, sourcemap: false, legalComments: 'none', plugins: [omit] })).metafile, appDir) : new Map<string, string>();
  const result = await build({ ...esbuildOptions, plugins: [omit, oneCopyPerVersion(redirects)] });
  const out = relative(appDir, outfile).split('\\').join('/');
  const packages = bundledPackages(result.metafile, out, appDir);
  let legal = '';
  try {
    legal = readFileSync(legalFile, 'utf8');
    rmSync(legalFile);
  } catch {
    // no legal comments in the bundled code: esbuild writes no file
  }
  const warnings = result.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  // One character above U+00FF anywhere makes V8 store the whole source as UTF-16 (twice the memory).
  const wide = /[\u0100-\uffff]/.exec(readFileSync(outfile, 'utf8'));
  if (wide) warnings.push(`${BUNDLE_FILE} contains U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}: V8 will hold the whole source as a two-byte string`);
  writeFileSync(join(appDir, NOTICES_FILE), noticesText(app, packages, legal));
  writeFileSync(join(appDir, PACKAGES_FILE), `${JSON.stringify(packages.map((p) => `${p.name}@${p.version}`), null, 2)}\n`);
  return {
    file: outfile,
    bytes: result.metafile.outputs[out]?.bytes ?? 0,
    packages,
    warnings,
  };
}
