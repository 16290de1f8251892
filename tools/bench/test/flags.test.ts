// A benchmark given a wrong flag says what is wrong and how to call it, and exits 2 before it starts anything (no
// cluster, no controller); --help prints the usage and exits 0. Run on the built scripts, as a user runs them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [`${dist}${script}`, ...args], { encoding: 'utf8', timeout: 20_000 });

describe.each([
  ['ako.js', '--hosts', 'ako.js [--services 1000] [--hosts 1000]'],
  ['amko.js', '--fqdns', 'amko.js [--fqdns 200]'],
  ['gslb.js', '--runs', 'gslb.js [--runs 5]'],
  ['sdk.js', '--n', 'sdk.js [--n 300]'],
  ['list-latency.js', '--delay-ms', 'list-latency.js [--objects 4000]'],
])('%s', (script, countFlag, usage) => {
  test('an unknown flag: the flag named, the usage, exit 2', () => {
    const r = run(script, '--bogus', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
    expect(r.stderr).toContain(`usage: ${usage}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test(`a count that is not a positive integer (${countFlag} x): exit 2`, () => {
    const r = run(script, `${countFlag}=x`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${countFlag} must be a positive integer, not 'x'`);
  });

  test('--help: the usage on stdout, exit 0', () => {
    const r = run(script, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`usage: ${usage}`);
  });
});

describe('ako.js counts', () => {
  test.each(['0', '-3', '1.5', ''])('--restarts=%j: exit 2', (value) => {
    const r = run('ako.js', `--restarts=${value}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--restarts must be a positive integer, not '${value}'`);
  });

  test('a flag without its value: exit 2', () => {
    const r = run('ako.js', '--services');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Option '--services <value>' argument missing");
  });
});
