import { AKO_TYPE_ORDER, parseRef, plan, type AviBody, type ObservedObject } from '@avi-k8s/avi-sync';
import { observedChecksum, translate } from '../src/index.js';
import { loadCases, snapshotOf } from './translate-fixtures.js';

/**
 * What a GET returns for an object we wrote, approximately: `*_ref(s)` fields turned into
 * `https://<ctrl>/api/<type>/<uuid>#<name>` (include_name) and no private key. Enough to check that checksums
 * survive the round trip.
 */
function asFetched(type: string, body: AviBody): AviBody {
  const toUuidRef = (v: unknown): unknown => {
    const r = typeof v === 'string' ? parseRef(v) : undefined;
    return r && r.by === 'name' ? `https://10.0.0.1/api/${r.type}/${r.type}-${r.name.length}#${r.name}` : v;
  };
  const map = (v: unknown, key = ''): unknown => {
    const isRefField = key.endsWith('_ref') || key.endsWith('_refs');
    if (Array.isArray(v)) return v.map((x) => map(x, isRefField ? key : ''));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x, k)]));
    return isRefField ? toUuidRef(v) : v;
  };
  const out = map(body) as AviBody;
  if (type === 'sslkeyandcertificate') delete out.key;
  return { ...out, uuid: `${type}-uuid` };
}

describe('translate output through avi-sync', () => {
  const cases = loadCases();

  it.each(cases.map((c) => [c.name, c] as const))('%s: plans without cycles, and a restart with nothing changed writes nothing', (_n, c) => {
    const { objects } = translate(snapshotOf(c.objects), c.config);
    const first = plan(objects, [], { typeOrder: AKO_TYPE_ORDER });
    // Colliding names (l4-08) never reach avi-sync: translate rejects the newer input (name-claims.ts).
    expect(first.rejected).toEqual([]);
    expect(first.ops.map((o) => o.kind)).toEqual(objects.map(() => 'create'));
    // Every ref to another desired object is ordered before its referrer.
    const pos = new Map(first.ops.map((o, i) => [`${o.type}/${o.name}`, i]));
    for (const op of first.ops) {
      for (const dep of op.dependsOn) expect(first.ops.findIndex((o) => o.id === dep)).toBeLessThan(pos.get(`${op.type}/${op.name}`)!);
    }

    const observed: ObservedObject[] = objects.map((o) => {
      const fetched = asFetched(o.type, o.body);
      return { tenant: o.tenant, type: o.type, name: o.name, uuid: `${o.type}-uuid`, body: fetched, checksum: observedChecksum(o.type, fetched) };
    });
    expect(plan(objects, observed, { typeOrder: AKO_TYPE_ORDER }).ops).toEqual([]);
  });

  it('a shard VS is created after everything it references, and an SNI child after its parent', () => {
    const c = cases.find((x) => x.name === 'l7-02-secure-sni-children')!;
    const { objects } = translate(snapshotOf(c.objects), c.config);
    const ids = plan(objects, [], { typeOrder: AKO_TYPE_ORDER }).ops.map((o) => `${o.type}/${o.name}`);
    const at = (id: string): number => ids.indexOf(id);
    expect(at('virtualservice/c1--Shared-L7-0')).toBeGreaterThan(at('vsvip/c1--Shared-L7-0'));
    expect(at('virtualservice/c1--Shared-L7-0')).toBeGreaterThan(at('vsdatascriptset/c1--Shared-L7-0'));
    expect(at('virtualservice/c1--Shared-L7-0')).toBeGreaterThan(at('httppolicyset/c1--Shared-L7-0'));
    expect(at('virtualservice/c1--secure.example.com')).toBeGreaterThan(at('virtualservice/c1--Shared-L7-0'));
    expect(at('virtualservice/c1--secure.example.com')).toBeGreaterThan(at('sslkeyandcertificate/c1--secure.example.com-alt'));
    expect(at('httppolicyset/c1--shop-secure.example.com')).toBeGreaterThan(at('poolgroup/c1--shop-secure.example.com_api-shop'));
    expect(at('poolgroup/c1--shop-secure.example.com_api-shop')).toBeGreaterThan(at('pool/c1--shop-secure.example.com_api-shop'));
  });
});
