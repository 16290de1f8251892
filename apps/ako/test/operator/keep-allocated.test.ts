import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AviBody } from '@avi-k8s/avi-sync';
import { keepAllocatedAddresses } from '../../src/operator/sync-api.js';

const cases = parse(readFileSync(new URL('./fixtures/keep-allocated.yaml', import.meta.url), 'utf8')) as { name: string; desired: AviBody; current: AviBody; written: AviBody }[];

it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
  expect(keepAllocatedAddresses(c.desired, c.current)).toEqual(c.written);
});
