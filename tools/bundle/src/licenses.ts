// The third-party notices of a bundle: every npm package that contributed code to it (esbuild's metafile says which
// input files landed in the output), with its name, version, declared license and the text of its LICENSE/NOTICE/
// COPYING files, in one file shipped beside the bundle (the images carry it instead of the packages themselves).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Metafile } from 'esbuild';

const LICENSE_FILE = /^(licen[cs]e|notice|copying)/i;

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** Directory of the package, relative to the bundling working directory. */
  dir: string;
  /** [file name, text] of each license-like file at the package's top level, sorted by name. */
  files: [string, string][];
}

/** The package directory (up to node_modules/NAME or node_modules/@SCOPE/NAME) of an input path, or undefined. */
export function packageDirOf(input: string): string | undefined {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const end = parts[at + 1]!.startsWith('@') ? at + 3 : at + 2;
  return end <= parts.length ? parts.slice(0, end).join(sep) : undefined;
}

/** The npm packages with code in OUTPUT (a key of metafile.outputs), sorted by name and version. */
export function bundledPackages(metafile: Metafile, output: string, cwd: string): BundledPackage[] {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const dirs = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const dir = bytesInOutput > 0 ? packageDirOf(input) : undefined;
    if (dir) dirs.add(dir);
  }
  const packages = [...dirs].map((dir): BundledPackage => {
    const abs = join(cwd, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown };
    const files = existsSync(abs)
      ? readdirSync(abs).filter((f) => LICENSE_FILE.test(f)).sort().map((f): [string, string] => [f, readFileSync(join(abs, f), 'utf8')])
      : [];
    return { name: pkg.name, version: pkg.version, license: typeof pkg.license === 'string' ? pkg.license : 'UNKNOWN', dir, files };
  });
  // The same name@version installed twice (nested copies) is one notice.
  const unique = new Map(packages.map((p) => [`${p.name}@${p.version}`, p]));
  return [...unique.values()].sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1));
}

/** The notices file: a summary line per package, then each package's license texts. */
export function noticesText(app: string, packages: BundledPackage[], legalComments: string): string {
  const rule = '-'.repeat(78);
  const lines = [
    `Third-party software bundled into ${app}'s dist/bundle.js (${packages.length} npm packages):`,
    '',
    ...packages.map((p) => `  ${p.name}@${p.version}  ${p.license}`),
    '',
  ];
  for (const p of packages) {
    lines.push(rule, `${p.name}@${p.version} (${p.license})`, rule, '');
    if (p.files.length === 0) lines.push(`(the package ships no license file; its package.json declares "${p.license}")`, '');
    for (const [file, text] of p.files) lines.push(`${file}:`, '', text.trimEnd(), '');
  }
  if (legalComments.trim()) lines.push(rule, 'Legal comments (@license, @preserve, /*!) found in the bundled code', rule, '', legalComments.trimEnd(), '');
  return lines.join('\n');
}
