// onlyChanged (operator/unit-sync.ts): what a unit's plan looks at. Hand-written cases: a shard's pool group and two
// pools owned, one pool's servers changed; the plan of what is left gives the same operations as the plan of all.
import { AKO_TYPE_ORDER, plan, type DesiredObject, type ObservedObject } from '@avi-k8s/avi-sync';
import { onlyChanged } from '../../src/operator/unit-sync.js';

const want = (type: string, name: string, checksum: string, body: Record<string, unknown> = {}): DesiredObject => ({ tenant: 'admin', type, name, checksum, body: { name, ...body } });
const have = (type: string, name: string, checksum: string): ObservedObject => ({ tenant: 'admin', type, name, uuid: `${type}-${name}`, checksum });

const pg = want('poolgroup', 'pg', 'g1', { members: [{ pool_ref: '/api/pool?name=a' }, { pool_ref: '/api/pool?name=b' }] });
const owned = [have('poolgroup', 'pg', 'g1'), have('pool', 'a', 'a1'), have('pool', 'b', 'b1')];
const names = (xs: readonly { type: string; name: string }[]) => xs.map((x) => `${x.type}/${x.name}`);

test.each([
  {
    case: 'one pool changed: only it is planned, the others kept as they are',
    desired: [pg, want('pool', 'a', 'a2'), want('pool', 'b', 'b1')],
    changed: ['pool/a'],
    planned: ['pool/a'],
    kept: ['poolgroup/pg', 'pool/b'],
  },
  {
    case: 'a new pool and the pool group naming it: both planned',
    desired: [want('poolgroup', 'pg', 'g2', { members: [{ pool_ref: '/api/pool?name=c' }] }), want('pool', 'a', 'a1'), want('pool', 'b', 'b1'), want('pool', 'c', 'c1')],
    changed: ['poolgroup/pg', 'pool/c'],
    planned: ['poolgroup/pg'],
    kept: ['pool/a', 'pool/b'],
  },
  {
    case: 'an owned object no longer desired (a delete): everything is planned',
    desired: [pg, want('pool', 'a', 'a2')],
    changed: ['poolgroup/pg', 'pool/a'],
    planned: ['poolgroup/pg', 'pool/a', 'pool/b'],
    kept: [],
  },
  {
    case: 'an object desired twice: everything is planned (plan() judges the two)',
    desired: [pg, want('pool', 'a', 'a1'), want('pool', 'b', 'b1'), want('pool', 'b', 'b2')],
    changed: ['poolgroup/pg', 'pool/a', 'pool/b', 'pool/b'],
    planned: ['poolgroup/pg', 'pool/a', 'pool/b'],
    kept: [],
  },
  {
    case: 'nothing changed: nothing planned',
    desired: [pg, want('pool', 'a', 'a1'), want('pool', 'b', 'b1')],
    changed: [],
    planned: [],
    kept: ['poolgroup/pg', 'pool/a', 'pool/b'],
  },
])('$case', ({ desired, changed, planned, kept }) => {
  const out = onlyChanged(desired, owned);
  expect({ changed: names(out.changed), planned: names(out.planned), kept: names(out.kept) }).toEqual({ changed, planned, kept });
  // The same operations, in the same order, as a plan of everything.
  const ops = (p: ReturnType<typeof plan>) => p.ops.map((o) => ({ id: o.id, dependsOn: o.dependsOn }));
  expect(ops(plan(out.changed, out.planned, { typeOrder: AKO_TYPE_ORDER }))).toEqual(ops(plan(desired, owned, { typeOrder: AKO_TYPE_ORDER })));
});
