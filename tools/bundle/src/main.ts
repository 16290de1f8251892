#!/usr/bin/env node
// node ../../tools/bundle/dist/main.js ENTRY: run by an app's build (cwd = the app's directory) after
// tsc -b; writes dist/bundle.js, its map and dist/THIRD_PARTY_LICENSES.txt.
import { bundleApp } from './bundle.js';

const args = process.argv.slice(2);
const [entry] = args;
if (!entry || args.length !== 1 || entry.startsWith('-')) {
  process.stderr.write(`Usage: node tools/bundle/dist/main.js ENTRY   (in the app's directory, e.g. ENTRY=dist/main.js)\n`);
  process.exit(2);
}
try {
  const r = await bundleApp({ appDir: process.cwd(), entry });
  for (const w of r.warnings) process.stderr.write(`bundle: warning: ${w}\n`);
  process.stdout.write(`bundle: ${r.file} (${(r.bytes / 1048576).toFixed(2)} MiB, ${r.packages.length} npm packages)\n`);
} catch (err) {
  process.stderr.write(`bundle: ${(err as Error).message}\n`);
  process.exit(1);
}
