#!/usr/bin/env node
// The amko command (package.json "bin", linked by npm install even before a build): runs the built CLI,
// the one-file bundle (dist/bundle.js, written by the build after tsc).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/bundle.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('amko: not built yet: run `npm run build` in the workspace root first\n');
  process.exit(1);
}
await import(cli.href);
