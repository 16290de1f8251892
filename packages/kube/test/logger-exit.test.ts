// Lines logged right before process.exit() are not lost: the operators log why they stop and exit at once
// (ako main.ts, amko cli.ts, onTerminationSignal). A child process on the built dist logs 3000 lines (~300 KB, far
// more than a pipe's 64 KiB buffer) and exits; every line must reach the pipe and a file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '../dist/index.js');
const N = 3000;
const script = `
import { createLogger } from ${JSON.stringify(dist)};
const log = createLogger({ component: 'exit-test' });
for (let i = 0; i < ${N}; i++) log.info('line', { key: 'ns/obj-' + i, pad: 'x'.repeat(40) });
log.error('AKO cannot start', { key: 'avi-system', error: 'bye' });
process.exit(3);
`;

function check(stdout: string): void {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(N + 1);
  for (let i = 0; i < N; i += 997) expect(JSON.parse(lines[i]!)).toMatchObject({ key: `ns/obj-${i}`, message: 'line', component: 'exit-test' });
  expect(JSON.parse(lines[N]!)).toMatchObject({ level: 'error', message: 'AKO cannot start', error: 'bye' });
}

it('every line reaches a pipe before process.exit', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 16 << 20, timeout: 30000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(3);
  check(r.stdout);
});

it('every line reaches a file before process.exit', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'logger-exit-')), 'out.log');
  const fd = openSync(file, 'w');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 30000 });
  closeSync(fd);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(3);
  check(readFileSync(file, 'utf8'));
});
