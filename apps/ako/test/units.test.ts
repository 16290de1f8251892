import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_AKO_CONFIG, buildMarkers, names, shardIndex, shardSize, shardVsNameForHost, type AkoConfig } from '../src/index.js';
import { fnv1a32 } from '@avi-k8s/avi-sync';
import { l4Fqdns } from '../src/translate/fqdn.js';
import type { MarkerFields } from '../src/translate/markers.js';

const table = <T>(file: string): T[] => (parse(readFileSync(join(import.meta.dirname, 'fixtures/units', file), 'utf8')) as { cases: T[] }).cases;
const cfg = (over: Partial<AkoConfig> = {}): AkoConfig => ({ ...DEFAULT_AKO_CONFIG, ...over });

describe('names', () => {
  const cases = table<{ fn: string; config: Partial<AkoConfig>; args: (string | number | boolean | null)[]; expect: string }>('names.yaml');
  it.each(cases.map((c) => [`${c.fn}(${c.args.join(', ')})`, c] as const))('%s', (_t, c) => {
    const fn = (names as unknown as Record<string, (...a: unknown[]) => string>)[c.fn];
    expect(typeof fn).toBe('function');
    expect(fn!(cfg(c.config), ...c.args.map((a) => (a === null ? undefined : a)))).toBe(c.expect);
  });
});

describe('shard', () => {
  const cases = table<{ host: string; shardVSSize: string; index: number; fnv: number }>('shard.yaml');
  it.each(cases.map((c) => [`${c.host} ${c.shardVSSize}`, c] as const))('%s', (_t, c) => {
    expect(fnv1a32(c.host)).toBe(c.fnv);
    expect(shardIndex(c.host, shardSize(c.shardVSSize))).toBe(c.index);
    expect(shardVsNameForHost(cfg({ clusterName: 'k', shardVSSize: c.shardVSSize }), c.host)).toBe(`k--Shared-L7-${c.index}`);
  });
  it('maps sizes as AKO does (unknown -> 1)', () => {
    expect(['LARGE', 'MEDIUM', 'SMALL', 'DEDICATED', 'large', ''].map(shardSize)).toEqual([8, 4, 1, 0, 1, 1]);
  });
});

describe('autoFQDN', () => {
  const cases = table<{ autoFQDN: string; dnsDomains: string[]; defaultDomain?: string; ns: string; name: string; annotations?: Record<string, string>; expect: string[] }>('fqdn.yaml');
  it.each(cases.map((c) => [`${c.autoFQDN} ${c.ns}/${c.name} ${JSON.stringify(c.dnsDomains)}`, c] as const))('%s', (_t, c) => {
    const config = cfg({ autoFQDN: c.autoFQDN, dnsDomains: c.dnsDomains, defaultDomain: c.defaultDomain ?? '' });
    expect(l4Fqdns(config, c.ns, c.name, c.annotations ?? {})).toEqual(c.expect);
  });
});

describe('markers', () => {
  const cases = table<{ cluster: string; fields: MarkerFields; expect: unknown }>('markers.yaml');
  it.each(cases.map((c, i) => [i, c] as const))('case %d', (_i, c) => {
    expect(buildMarkers(c.cluster, c.fields)).toEqual(c.expect);
  });
});
