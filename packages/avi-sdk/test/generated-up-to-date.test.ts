// The committed src/models must be exactly what the generator makes from the swagger files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swagger = resolve(pkg, '../../../shared/avi-api/swagger');

test('src/models matches a fresh generation', () => {
  expect(existsSync(swagger)).toBe(true);
  const out = mkdtempSync(join(tmpdir(), 'avi-models-'));
  try {
    execFileSync(process.execPath, [join(pkg, 'scripts/generate-models.mjs'), swagger, out], { stdio: 'pipe' });
    const committed = join(pkg, 'src/models');
    expect(readdirSync(out).sort()).toEqual(readdirSync(committed).sort());
    for (const f of readdirSync(out)) {
      expect({ file: f, text: readFileSync(join(committed, f), 'utf8') }).toEqual({ file: f, text: readFileSync(join(out, f), 'utf8') });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
