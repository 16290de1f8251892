// bundleApp on two more hand-made apps: with dedupe, a package installed twice at one version is bundled once (one
// module instance, its code once), another version of it stays apart; an omitted module's code is not in the bundle, its
// import() rejects naming it, the rest runs, and a static import of an omitted module fails the build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleApp } from '../src/bundle.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-copies-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), text);
}

function pkg(dir: string, name: string, version: string, index: string): void {
  write(`${dir}/package.json`, JSON.stringify({ name, version, license: 'MIT', type: 'module', exports: './index.js' }));
  write(`${dir}/index.js`, index);
}

const run = (file: string, ...args: string[]) =>
  execFileSync(process.execPath, [file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, NODE_OPTIONS: '' } });

const count = (text: string, marker: string) => text.split(marker).length - 1;

beforeAll(() => {
  write('dup/package.json', JSON.stringify({ name: 'dup-app', version: '1.0.0', type: 'module' }));
  // shared@1.0.0 at the top and again under user-a (as npm nests it under a workspace); shared@2.0.0 under user-b.
  const shared1 = "export const state = { marker: 'SHARED_ONE_MARKER' };\n";
  pkg('dup/node_modules/shared', 'shared', '1.0.0', shared1);
  pkg('dup/node_modules/user-a/node_modules/shared', 'shared', '1.0.0', shared1);
  pkg('dup/node_modules/user-a', 'user-a', '1.0.0', "export { state } from 'shared';\n");
  pkg('dup/node_modules/user-b/node_modules/shared', 'shared', '2.0.0', "export const state = { marker: 'SHARED_TWO_MARKER' };\n");
  pkg('dup/node_modules/user-b', 'user-b', '1.0.0', "export { state } from 'shared';\n");
  write(
    'dup/dist/main.js',
    [
      "import { state } from 'shared';",
      "import { state as a } from 'user-a';",
      "import { state as b } from 'user-b';",
      'console.log(JSON.stringify({ sameAsA: state === a, sameAsB: state === b, a: a.marker, b: b.marker }));',
      '',
    ].join('\n'),
  );

  write('lazy/package.json', JSON.stringify({ name: 'lazy-app', version: '1.0.0', type: 'module' }));
  write('lazy/dist/models.js', "export const models = 'LAZY_MODELS_MARKER';\n");
  write(
    'lazy/dist/main.js',
    [
      "const load = process.argv[2] === 'load';",
      "const m = load ? await import('./models.js').then((x) => x.models, (e) => `rejected: ${e.message}`) : 'not loaded';",
      "console.log(JSON.stringify({ m, rest: 'RUNS' }));",
      '',
    ].join('\n'),
  );
  write('static/package.json', JSON.stringify({ name: 'static-app', version: '1.0.0', type: 'module' }));
  write('static/dist/models.js', "export const models = 'STATIC_MODELS_MARKER';\n");
  write('static/dist/main.js', "import { models } from './models.js';\nconsole.log(models);\n");
});

test('a package version installed twice is bundled once, one instance; another version stays apart', async () => {
  const r = await bundleApp({ appDir: join(work, 'dup'), entry: 'dist/main.js', dedupe: true });
  expect(r.warnings).toEqual([]);
  const text = readFileSync(r.file, 'utf8');
  expect(count(text, 'SHARED_ONE_MARKER')).toBe(1);
  expect(count(text, 'SHARED_TWO_MARKER')).toBe(1);
  expect(JSON.parse(run(r.file))).toEqual({ sameAsA: true, sameAsB: false, a: 'SHARED_ONE_MARKER', b: 'SHARED_TWO_MARKER' });
  // user-a and user-b only re-export: no code of theirs in the bundle, so no notice either.
  expect(r.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['shared@1.0.0', 'shared@2.0.0']);
});

test('without dedupe each copy is bundled', async () => {
  const r = await bundleApp({ appDir: join(work, 'dup'), entry: 'dist/main.js' });
  expect(count(readFileSync(r.file, 'utf8'), 'SHARED_ONE_MARKER')).toBe(2);
  expect(JSON.parse(run(r.file))).toMatchObject({ sameAsA: false });
});

test('an omitted module is left out: its import() rejects naming it, the rest runs', async () => {
  const r = await bundleApp({ appDir: join(work, 'lazy'), entry: 'dist/main.js', omit: ['dist/models.js'] });
  expect(r.warnings).toEqual([]);
  expect(readFileSync(r.file, 'utf8')).not.toContain('LAZY_MODELS_MARKER');
  expect(JSON.parse(run(r.file))).toEqual({ m: 'not loaded', rest: 'RUNS' });
  expect(JSON.parse(run(r.file, 'load'))).toEqual({ m: "rejected: dist/models.js is not in this bundle: the app's build omits it (tools/bundle --omit)", rest: 'RUNS' });
});

test('without --omit the same import() loads the module from the bundle', async () => {
  const r = await bundleApp({ appDir: join(work, 'lazy'), entry: 'dist/main.js' });
  expect(readFileSync(r.file, 'utf8')).toContain('LAZY_MODELS_MARKER');
  expect(JSON.parse(run(r.file, 'load'))).toEqual({ m: 'LAZY_MODELS_MARKER', rest: 'RUNS' });
});

test('a static import of an omitted module fails the build', async () => {
  await expect(bundleApp({ appDir: join(work, 'static'), entry: 'dist/main.js', omit: ['dist/models.js'] })).rejects.toThrow(/dist\/models\.js is omitted from the bundle but .*dist\/main\.js imports it statically/);
});
