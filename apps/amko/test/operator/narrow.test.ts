// narrowToChanges leaves out GslbServices (and their monitors) already as desired: the plan of what is left must have
// exactly the operations, in the same order, of the plan over everything, in each case a pass meets.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { plan, type DesiredObject, type ObservedObject } from '@avi-k8s/avi-sync';
import { narrowToChanges } from '../../src/operator/narrow.js';
import { TYPE_ORDER } from '../../src/operator/reconciler.js';
import { translate, type AmkoConfig, type Snapshot } from '../../src/translate/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../translate/fixtures');
const load = (file: string) => parse(readFileSync(join(fixtures, file), 'utf8')) as { config: AmkoConfig; snapshot: Snapshot };

const refsOnly = (b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).filter(([k]) => k.endsWith('_ref') || k.endsWith('_refs')));
const stored = (d: DesiredObject, checksum = d.checksum): ObservedObject => ({ tenant: d.tenant, type: d.type, name: d.name, uuid: `uuid-${d.name}`, checksum, body: refsOnly(d.body) });
const ops = (desired: readonly DesiredObject[], owned: readonly ObservedObject[]) =>
  plan(desired, owned, { typeOrder: TYPE_ORDER }).ops.map((o) => `${o.kind} ${o.type}/${o.name}`);
const narrowedOps = (desired: readonly DesiredObject[], owned: readonly ObservedObject[]) => {
  const n = narrowToChanges(desired, owned);
  // Nothing is lost: every owned object is either planned or kept as it is.
  expect(n.observed.length + n.unchanged.length).toBe(owned.length);
  return ops(n.desired, n.observed);
};

const desired = [
  ...translate(load('01-two-members.yaml').snapshot, load('01-two-members.yaml').config).objects,
  ...translate(load('06-second-gdp-and-tenants.yaml').snapshot, load('06-second-gdp-and-tenants.yaml').config).objects,
];
const gss = desired.filter((d) => d.type === 'gslbservice');
const hms = desired.filter((d) => d.type === 'healthmonitor');

describe('narrowToChanges', () => {
  test('the fixtures give several GslbServices with monitors (the cases below are not vacuous)', () => {
    expect(gss.length).toBeGreaterThanOrEqual(2);
    expect(hms.length).toBeGreaterThanOrEqual(2);
  });

  test('everything as desired: nothing is planned, every owned object is kept', () => {
    const owned = desired.map((d) => stored(d));
    const n = narrowToChanges(desired, owned);
    expect([n.desired.length, n.observed.length, n.unchanged.length]).toEqual([0, 0, owned.length]);
    expect(ops(desired, owned)).toEqual([]);
  });

  test('a changed GslbService, a changed monitor, a new GslbService, an owned one nobody desires: the same operations', () => {
    const [changedGs, newGs] = gss;
    const changedHm = hms[hms.length - 1]!;
    const owned = desired.filter((d) => d !== newGs).map((d) => stored(d, d === changedGs || d === changedHm ? 'stale' : d.checksum));
    owned.push({ tenant: 'admin', type: 'gslbservice', name: 'gone.example.com', uuid: 'uuid-gone', checksum: '1', body: {} });
    owned.push({ tenant: 'admin', type: 'healthmonitor', name: 'amko--gone', uuid: 'uuid-gone-hm', checksum: '2', body: {} });
    const full = ops(desired, owned);
    expect(full.length).toBeGreaterThanOrEqual(5);
    expect(narrowedOps(desired, owned)).toEqual(full);
  });

  test('an owned monitor nobody desires but a GslbService as desired still names: kept (not deleted), as by the full plan', () => {
    const gs = gss[0]!;
    const name = 'amko--named-elsewhere';
    const named: DesiredObject = { ...gs, body: { ...gs.body, health_monitor_refs: [...((gs.body.health_monitor_refs as string[]) ?? []), `/api/healthmonitor?name=${name}`] } };
    const all = desired.map((d) => (d === gs ? named : d));
    const owned = all.map((d) => stored(d));
    owned.push({ tenant: gs.tenant, type: 'healthmonitor', name, uuid: 'uuid-named', checksum: '3', body: {} });
    expect(ops(all, owned)).toEqual([]);
    expect(narrowedOps(all, owned)).toEqual([]);
    const n = narrowToChanges(all, owned);
    expect(n.desired.map((d) => d.name)).toContain(gs.name);
  });

  test('a monitor that changed keeps its GslbService in the plan, in the same order', () => {
    const hm = hms[0]!;
    const owned = desired.map((d) => stored(d, d === hm ? 'stale' : d.checksum));
    expect(narrowedOps(desired, owned)).toEqual(ops(desired, owned));
    expect(narrowToChanges(desired, owned).desired.some((d) => d.type === 'gslbservice')).toBe(true);
  });
});
