// bundleApp on a small hand-made app: one ESM file that runs with no node_modules beside it (an ESM and a CommonJS
// dependency inside, the CommonJS one requiring a Node built-in), unused exports and unused packages left out, and
// the notices naming exactly the packages with code in the bundle, with their license files' text.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleApp } from '../src/bundle.js';
import { packageDirOf } from '../src/licenses.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), text);
}

beforeAll(() => {
  write('app/package.json', JSON.stringify({ name: 'fixture-app', version: '1.2.3', type: 'module' }));
  write('app/node_modules/dep-esm/package.json', JSON.stringify({ name: 'dep-esm', version: '2.0.0', license: 'MIT', type: 'module', exports: './index.js' }));
  write('app/node_modules/dep-esm/LICENSE', 'dep-esm license text, MIT\n');
  write('app/node_modules/dep-esm/index.js', "export const used = () => 'USED_MARKER';\nexport const unused = () => 'UNUSED_MARKER';\n");
  write('app/node_modules/dep-cjs/package.json', JSON.stringify({ name: 'dep-cjs', version: '1.0.0', license: 'ISC', main: 'index.js' }));
  write('app/node_modules/dep-cjs/LICENSE.md', 'dep-cjs license text, ISC\n');
  write('app/node_modules/dep-cjs/NOTICE', 'dep-cjs notice\n');
  write('app/node_modules/dep-cjs/index.js', "const os = require('node:os');\nmodule.exports = () => typeof os.hostname();\n");
  write('app/node_modules/dep-unused/package.json', JSON.stringify({ name: 'dep-unused', version: '3.0.0', license: 'MIT', type: 'module', sideEffects: false, exports: './index.js' }));
  write('app/node_modules/dep-unused/LICENSE', 'dep-unused license text\n');
  write('app/node_modules/dep-unused/index.js', "export const never = () => 'NEVER_MARKER';\n");
  write(
    'app/dist/main.js',
    [
      "import { readFileSync } from 'node:fs';",
      "import { used } from 'dep-esm';",
      "import hostType from 'dep-cjs';",
      "import { never } from 'dep-unused';",
      "const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));",
      'const keep = false && never;',
      'console.log(JSON.stringify({ used: used(), host: hostType(), version, keep }));',
      '',
    ].join('\n'),
  );
});

test('one file that runs without node_modules, reading package.json next to it as the app does', async () => {
  const r = await bundleApp({ appDir: join(work, 'app'), entry: 'dist/main.js' });
  expect(r.file).toBe(join(work, 'app/dist/bundle.js'));
  expect(r.warnings).toEqual([]);
  // Copied where there is no node_modules at all: only Node's built-ins can be loaded.
  write('run/package.json', readFileSync(join(work, 'app/package.json'), 'utf8'));
  mkdirSync(join(work, 'run/dist'), { recursive: true });
  copyFileSync(r.file, join(work, 'run/dist/bundle.js'));
  const out = execFileSync(process.execPath, [join(work, 'run/dist/bundle.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, NODE_OPTIONS: '' } });
  expect(JSON.parse(out)).toEqual({ used: 'USED_MARKER', host: 'string', version: '1.2.3', keep: false });
});

test('tree-shaken: an unused export and a side-effect-free package that is never called are not in the bundle', () => {
  const text = readFileSync(join(work, 'app/dist/bundle.js'), 'utf8');
  expect(text).toContain('USED_MARKER');
  expect(text).not.toContain('UNUSED_MARKER');
  expect(text).not.toContain('NEVER_MARKER');
});

test('a linked source map beside the bundle, with no source text inside', () => {
  const text = readFileSync(join(work, 'app/dist/bundle.js'), 'utf8');
  expect(text.trimEnd().endsWith('//# sourceMappingURL=bundle.js.map')).toBe(true);
  const map = JSON.parse(readFileSync(join(work, 'app/dist/bundle.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
  expect(map.sources).toEqual(expect.arrayContaining(['main.js', '../node_modules/dep-esm/index.js', '../node_modules/dep-cjs/index.js']));
  expect(map.sourcesContent).toBeUndefined();
});

test('the notices and the package list name the bundled packages only, with every license-like file', () => {
  const notices = readFileSync(join(work, 'app/dist/THIRD_PARTY_LICENSES.txt'), 'utf8');
  expect(notices).toContain("Third-party software bundled into fixture-app's dist/bundle.js (2 npm packages):");
  expect(notices).toMatch(/^ {2}dep-cjs@1\.0\.0 {2}ISC$/m);
  expect(notices).toMatch(/^ {2}dep-esm@2\.0\.0 {2}MIT$/m);
  for (const text of ['dep-esm license text, MIT', 'dep-cjs license text, ISC', 'dep-cjs notice']) expect(notices).toContain(text);
  expect(notices).not.toContain('dep-unused');
  expect(JSON.parse(readFileSync(join(work, 'app/dist/bundle.packages.json'), 'utf8'))).toEqual(['dep-cjs@1.0.0', 'dep-esm@2.0.0']);
  expect(existsSync(join(work, 'app/dist/bundle.js.LEGAL.txt'))).toBe(false);
});

test.each([
  ['node_modules/zod/index.js', 'node_modules/zod'],
  ['../../node_modules/@scope/pkg/lib/x.js', '../../node_modules/@scope/pkg'],
  ['node_modules/a/node_modules/b/i.js', 'node_modules/a/node_modules/b'],
  ['dist/main.js', undefined],
  ['node_modules/@scope', undefined],
])('packageDirOf(%s) is %s', (input, dir) => {
  expect(packageDirOf(input)).toBe(dir);
});
