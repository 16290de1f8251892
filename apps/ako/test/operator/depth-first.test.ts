// The order a unit's writes start in (unit-sync.ts depthFirst): dependencies first as plan() requires, but the
// parent VS with what it needs before any SNI child's certificate, and each child right after its own objects.
import { plan, AKO_TYPE_ORDER, type DesiredObject } from '@avi-k8s/avi-sync';
import { depthFirst } from '../../src/operator/unit-sync.js';

const d = (type: string, name: string, body: Record<string, unknown> = {}): DesiredObject => ({ tenant: 'admin', type, name, body: { name, ...body }, checksum: `${type}/${name}` });

const desired = [
  d('pool', 'p1'),
  d('pool', 'p2'),
  d('poolgroup', 'pg', { members: [{ pool_ref: '/api/pool?name=p1' }, { pool_ref: '/api/pool?name=p2' }] }),
  d('vsvip', 'vip'),
  d('virtualservice', 'parent', { vsvip_ref: '/api/vsvip/?name=vip', pool_group_ref: '/api/poolgroup/?name=pg' }),
  d('sslkeyandcertificate', 'c1'),
  d('pool', 'c1-pool'),
  d('virtualservice', 'child-1', { vh_parent_vs_ref: '/api/virtualservice/?name=parent', ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate/?name=c1'], pool_ref: '/api/pool?name=c1-pool' }),
  d('sslkeyandcertificate', 'c2'),
  d('virtualservice', 'child-2', { vh_parent_vs_ref: '/api/virtualservice/?name=parent', ssl_key_and_certificate_refs: ['/api/sslkeyandcertificate/?name=c2'] }),
];

test('dependencies first, the parent VS before the children, each child right after its own objects', () => {
  const p = plan(desired, [], { typeOrder: AKO_TYPE_ORDER });
  const ordered = depthFirst(p).ops.map((o) => o.name);
  expect(ordered).toHaveLength(p.ops.length);
  const at = (n: string) => ordered.indexOf(n);
  for (const op of p.ops) for (const dep of op.dependsOn) expect([op.name, at(dep.slice(dep.lastIndexOf('/') + 1)) < at(op.name)]).toEqual([op.name, true]);
  expect(at('parent')).toBeLessThan(at('c1'));
  expect(at('child-1')).toBeLessThan(at('c2'));
  // In plan order every certificate and pool comes before any VS.
  expect(p.ops.map((o) => o.name).indexOf('parent')).toBeGreaterThan(p.ops.map((o) => o.name).indexOf('c2'));
});
