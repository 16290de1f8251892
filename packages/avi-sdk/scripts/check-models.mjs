#!/usr/bin/env node
// Checks that the committed src/models are exactly what generate-models.mjs makes from SWAGGER_DIR.
// The swagger files are reference material outside the repository, so this is a CI step, not a test:
//   node scripts/check-models.mjs <swagger-dir>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swagger = process.argv[2];
if (!swagger || !existsSync(swagger)) {
  console.error(`usage: check-models.mjs <swagger-dir> (got ${swagger ?? 'nothing'})`);
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'avi-models-'));
try {
  execFileSync(process.execPath, [join(pkg, 'scripts/generate-models.mjs'), swagger, out], { stdio: 'pipe' });
  const committed = join(pkg, 'src/models');
  const fresh = readdirSync(out).sort();
  const have = readdirSync(committed).sort();
  const stale = fresh.filter((f) => !have.includes(f) || readFileSync(join(committed, f), 'utf8') !== readFileSync(join(out, f), 'utf8'));
  const extra = have.filter((f) => !fresh.includes(f));
  if (stale.length || extra.length) {
    console.error(`src/models is not what the generator makes from ${swagger}: differs ${stale.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`);
    console.error(`regenerate: node packages/avi-sdk/scripts/generate-models.mjs ${swagger} packages/avi-sdk/src/models`);
    process.exit(1);
  }
  console.log(`models: ${fresh.length} files match a fresh generation from ${swagger}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
