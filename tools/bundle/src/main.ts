#!/usr/bin/env node
// node ../../tools/bundle/dist/main.js ENTRY [--dedupe] [--omit MODULE]...: run by an app's build (cwd = the app's
// directory) after tsc -b; writes dist/bundle.js, its map and dist/THIRD_PARTY_LICENSES.txt. --dedupe bundles one copy
// of each npm package version (src/copies.ts); each --omit names a built module (relative to the app's directory)
// that the app only reaches through an import() it never takes (src/omit.ts).
import { parseArgs } from 'node:util';
import { bundleApp } from './bundle.js';

let entry: string | undefined;
let omit: string[] = [];
let dedupe = false;
try {
  const { values, positionals } = parseArgs({ options: { omit: { type: 'string', multiple: true }, dedupe: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new Error('one ENTRY');
  [entry] = positionals;
  omit = values.omit ?? [];
  dedupe = values.dedupe ?? false;
} catch {
  process.stderr.write(`Usage: node tools/bundle/dist/main.js ENTRY [--dedupe] [--omit MODULE]...   (in the app's directory, e.g. ENTRY=dist/main.js)\n`);
  process.exit(2);
}
try {
  const r = await bundleApp({ appDir: process.cwd(), entry: entry!, omit, dedupe });
  for (const w of r.warnings) process.stderr.write(`bundle: warning: ${w}\n`);
  process.stdout.write(`bundle: ${r.file} (${(r.bytes / 1048576).toFixed(2)} MiB, ${r.packages.length} npm packages)\n`);
} catch (err) {
  process.stderr.write(`bundle: ${(err as Error).message}\n`);
  process.exit(1);
}
