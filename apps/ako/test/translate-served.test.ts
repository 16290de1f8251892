// servedObjects (translate/served.ts): which Kubernetes objects each Avi object of a unit serves, on a hand-written
// shard: objects naming Ingresses in their service_metadata answer for themselves; an object naming none for the
// named objects above it (the first named one stops the walk up) and every named object below it, so a shared VsVip
// or certificate and the shard VS itself for every named child. Expected values written by hand from that rule.
import { AKO_TYPE_ORDER, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';
import { indexSnapshot, translateUnit, translationUnits, validateConfig } from '../src/index.js';
import { servedObjects } from '../src/translate/index.js';
import { statusResult } from '../src/operator/boot-results.js';
import { loadCases, snapshotOf } from './translate-fixtures.js';

const obj = (type: string, name: string, body: AviBody): DesiredObject => ({ tenant: 'admin', type, name, body: { name, ...body }, checksum: '' });
const meta = (ingress: string) => JSON.stringify({ namespace_ingress_name: [ingress] });

const shard = [
  obj('vsvip', 'shard-vip', {}),
  obj('sslkeyandcertificate', 'wildcard', {}),
  obj('virtualservice', 'shard', { vsvip_ref: '/api/vsvip?name=shard-vip', ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=wildcard'] }),
  obj('pool', 'pool-a', {}),
  obj('poolgroup', 'pg-a', { members: [{ pool_ref: '/api/pool?name=pool-a' }] }),
  obj('virtualservice', 'child-a', {
    vh_parent_vs_ref: '/api/virtualservice?name=shard',
    ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=wildcard'],
    pool_group_ref: '/api/poolgroup?name=pg-a',
    service_metadata: meta('shop/a'),
  }),
  obj('pool', 'pool-b', { service_metadata: meta('ops/b') }),
  obj('virtualservice', 'child-b', {
    vh_parent_vs_ref: '/api/virtualservice?name=shard',
    ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate?name=wildcard'],
    pool_ref: '/api/pool?name=pool-b',
    service_metadata: meta('ops/b'),
  }),
  // a ref to an object outside the unit is no edge
  obj('pool', 'orphan', { health_monitor_refs: ['/api/healthmonitor?name=System-TCP'] }),
];

test('each object of a shard serves the Ingresses named by it, above it or below it', () => {
  const both = ['Ingress/ops/b', 'Ingress/shop/a'];
  expect(Object.fromEntries(servedObjects(shard))).toEqual({
    'admin/vsvip/shard-vip': both,
    'admin/sslkeyandcertificate/wildcard': both,
    'admin/virtualservice/shard': both,
    'admin/pool/pool-a': ['Ingress/shop/a'],
    'admin/poolgroup/pg-a': ['Ingress/shop/a'],
    'admin/virtualservice/child-a': ['Ingress/shop/a'],
    'admin/pool/pool-b': ['Ingress/ops/b'],
    'admin/virtualservice/child-b': ['Ingress/ops/b'],
    'admin/pool/orphan': [],
  });
});

test('an object listed twice counts as its last listing; the edges of both are kept', () => {
  const again = obj('pool', 'pool-a', { service_metadata: meta('shop/a2') });
  const served = servedObjects([...shard, again]);
  expect(served.get('admin/pool/pool-a')).toEqual(['Ingress/shop/a2']);
  // pg-a (no names of its own): child-a above it, and now the names of pool-a below it
  expect(served.get('admin/poolgroup/pg-a')).toEqual(['Ingress/shop/a', 'Ingress/shop/a2']);
});

test('translateUnit with served: false gives the same objects, verdicts and recheck time, without the served map', () => {
  const cases = loadCases().filter((c) => validateConfig(c.config).length === 0);
  expect(cases.length).toBeGreaterThan(0);
  for (const c of cases) {
    const idx = indexSnapshot({ ...snapshotOf(c.objects), now: Date.parse('2026-01-01T00:00:00Z') });
    for (const u of translationUnits(idx, c.config)) {
      const full = translateUnit(idx, c.config, u);
      const lean = translateUnit(idx, c.config, u, { served: false });
      expect(full.served).toBeDefined();
      expect(lean.served).toBeUndefined();
      const { served: _served, ...rest } = full;
      expect([c.name, u, lean]).toEqual([c.name, u, rest]);
    }
  }
});

test('the bodies the status stage keeps give the same served map as the full ones (a failure report computes it from them)', () => {
  const cases = loadCases().filter((c) => validateConfig(c.config).length === 0);
  let objects = 0;
  for (const c of cases) {
    const idx = indexSnapshot({ ...snapshotOf(c.objects), now: Date.parse('2026-01-01T00:00:00Z') });
    for (const u of translationUnits(idx, c.config)) {
      const full = translateUnit(idx, c.config, u);
      // statusBody keeps the refs of AKO's own types: every object a unit has is of one.
      expect([c.name, u, full.objects.map((o) => o.type).filter((t) => !AKO_TYPE_ORDER.includes(t))]).toEqual([c.name, u, []]);
      const kept = servedObjects(statusResult(full).objects);
      expect([c.name, u, Object.fromEntries(kept)]).toEqual([c.name, u, Object.fromEntries(full.served!)]);
      objects += full.objects.length;
    }
  }
  expect(objects).toBeGreaterThan(100);
});
