/**
 * Switching from the Go AKO with nothing changed: the objects the Go AKO owned (test/parity/<case>/go-objects.json,
 * as the controller stored them) are our observed state, our translation of the same manifests the desired one.
 * After adoption (operator/adopt.ts) the plan writes only the shard datascripts (their Lua text is ours), and the
 * Go AKO's objects carry what its boot code reads (service_metadata on every pool and VS).
 */
import { AKO_TYPE_ORDER, plan, type AviBody } from '@avi-k8s/avi-sync';
import { translate } from '../../src/index.js';
import { adoptUpToDate } from '../../src/operator/adopt.js';
import { toObserved } from '../../src/operator/owned.js';
import { caseConfig, caseObjects, caseSnapshot, goObjects, hasPrefixRule, PARITY_CASES } from '../parity-case.js';

/** go-objects.json renders refs `<type>:<name>`; the controller returns `https://<host>/api/<type>/<uuid>#<name>`. */
function stored(v: unknown, isRef = false): unknown {
  if (typeof v === 'string') {
    const m = isRef ? /^([a-z0-9]+):(.+)$/.exec(v) : null;
    return m ? `https://ctl.test/api/${m[1]}/${m[1]}-${m[2]}#${m[2]}` : v;
  }
  if (Array.isArray(v)) return v.map((x) => stored(x, isRef));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stored(x, k.endsWith('_ref') || k.endsWith('_refs'))]));
  return v;
}

const singleStepCases = PARITY_CASES.filter((c) => c !== 'c20-update-seq');

describe.each(singleStepCases)('switch from the Go AKO, nothing changed: %s', (c) => {
  const owned = goObjects(c).filter((o) => !o._written_not_owned);
  const observed = owned.map((o) => {
    const { _type, ...rest } = o;
    const body = { ...(stored(rest) as AviBody), uuid: `${_type}-${o.name}`, tenant_ref: `https://ctl.test/api/tenant/${String(o._tenant ?? 'admin')}#${String(o._tenant ?? 'admin')}` };
    return toObserved(_type, body)!;
  });
  const { objects } = translate(caseSnapshot(caseObjects(c)), caseConfig(c));

  it('writes only the shard datascripts, and the HTTP policy sets of Prefix paths (matched by path element)', () => {
    const p = plan(objects, adoptUpToDate(objects, observed), { typeOrder: AKO_TYPE_ORDER });
    const prefixSets = new Set(owned.filter(hasPrefixRule).map((o) => o.name));
    expect(p.ops.filter((op) => op.type !== 'vsdatascriptset' && !(op.type === 'httppolicyset' && prefixSets.has(op.name))).map((op) => `${op.kind} ${op.type}/${op.name}`)).toEqual([]);
    expect(p.ops.filter((op) => op.type === 'httppolicyset').map((op) => op.name).sort()).toEqual([...prefixSets].sort());
    expect(p.ops.every((op) => op.kind === 'update')).toBe(true);
  });

  it('our pools and virtual services carry service_metadata in the Go AKO shape (its boot code reads it)', () => {
    for (const o of objects.filter((x) => x.type === 'pool' || x.type === 'virtualservice')) {
      const m = JSON.parse(String(o.body.service_metadata)) as Record<string, unknown>;
      expect([o.name, Object.keys(m)]).toEqual([o.name, Object.keys(JSON.parse(String(owned.find((g) => g.name === o.name && g._type === o.type)!.service_metadata)) as object)]);
    }
  });
});

describe('adoption never hides a field we stopped sending', () => {
  const pg = (members?: unknown[]) => ({ name: 'c--Shared-L7-0', uuid: 'poolgroup-1', cloud_config_cksum: '1', implicit_priority_labels: true, ...(members ? { members } : {}) });
  it.each([
    ['an emptied pool group still holding a member', pg([{ pool_ref: 'https://ctl.test/api/pool/pool-1#p' }]), false],
    ['an empty pool group', pg(), true],
  ])('%s', (_n, body, adopted) => {
    const desired = [{ tenant: 'admin', type: 'poolgroup', name: 'c--Shared-L7-0', body: { name: 'c--Shared-L7-0', implicit_priority_labels: true, cloud_config_cksum: '2' }, checksum: '2' }];
    const [o] = adoptUpToDate(desired, [toObserved('poolgroup', body as AviBody)!]);
    expect(o!.checksum === '2').toBe(adopted);
  });
});
