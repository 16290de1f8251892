import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AKO_TYPE_ORDER, bodyChecksum, execute, keyOf, makeDesired, plan, type ExecuteResult, type ObservedObject, type SyncApi } from '../src/index.js';
import { buildDesired, buildObserved, loadCases, type FixtureDesired, type FixtureObserved } from './fixture-helpers.js';
import { createInMemoryFakeAviApi, type StoredObject } from './in-memory-fake-avi-api.js';

interface ExecuteCase {
  description: string;
  concurrency: number;
  desired: FixtureDesired[];
  /** Owned objects at start; they are also in the fake controller unless `missingOnController`. */
  observed: (FixtureObserved & { missingOnController?: boolean })[];
  /** Op id -> the error the fake controller answers with. */
  failures?: Record<string, { status: number; message: string }>;
  expect: {
    /** Op id -> "succeeded" | "failed" | "skipped <blocking op id>". Every op of the plan must be listed. */
    results: Record<string, string>;
    /** Op ids of plan(desired, observed returned by execute): what is left to do. */
    nextPlan: string[];
  };
}

const MANAGED = ['vsvip', 'sslkeyandcertificate', 'pool', 'poolgroup', 'httppolicyset', 'vsdatascriptset', 'l4policyset', 'virtualservice'];
const CHECKSUM_FIELDS = ['cloud_config_cksum', 'vsvip_cloud_config_cksum'];

/** What a restart sees: the objects on the controller, with the stored checksum or one recomputed from the body. */
function observedAfterRestart(stored: readonly StoredObject[]): ObservedObject[] {
  return stored.map((o) => {
    const field = CHECKSUM_FIELDS.find((f) => typeof o.body[f] === 'string');
    return { ...o, checksum: field ? (o.body[field] as string) : bodyChecksum(o.body) };
  });
}

const cases = loadCases<ExecuteCase>(join(import.meta.dirname, 'fixtures/execute'));

describe('execute (against the in-memory fake SyncApi)', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.map((c) => [c.file, c.data] as const))('%s', async (_file, c) => {
    const desired = buildDesired(c.desired);
    const observed = buildObserved(c.observed, desired);
    const byKey = new Map(desired.map((d) => [keyOf(d), d]));
    const initial: StoredObject[] = c.observed
      .filter((o) => !o.missingOnController)
      .map((o) => ({ tenant: o.tenant, type: o.type, name: o.name, uuid: o.uuid, body: o.checksum === 'same' ? byKey.get(keyOf(o))!.body : (o.body ?? { name: o.name }) }));
    const api = createInMemoryFakeAviApi(MANAGED, c.failures ?? {}, initial);

    const p = plan(desired, observed, { typeOrder: AKO_TYPE_ORDER });
    expect(p.rejected).toEqual([]);
    const out = await execute(p, observed, api, { concurrency: c.concurrency });

    const got = Object.fromEntries(out.results.map((r) => [r.id, r.status === 'skipped' ? `skipped ${r.blockedBy}` : r.status]));
    expect(got).toEqual(c.expect.results);
    expect(api.maxInFlight()).toBeLessThanOrEqual(c.concurrency);
    // Only the failures we injected happen: a wrong order would surface as extra 400/409 answers from the fake.
    for (const r of out.results.filter((x) => x.status === 'failed')) expect(c.failures?.[r.id]?.message).toBe(r.error?.message);
    // Skipped operations never reached the controller.
    for (const r of out.results.filter((x) => x.status === 'skipped')) expect(api.calls).not.toContain(r.id);

    // The tracked observed state matches the controller, and the next plan holds exactly what is left.
    expect(out.observed.map((o) => [keyOf(o), o.uuid])).toEqual(api.stored().map((o) => [keyOf(o), o.uuid]));
    expect(plan(desired, out.observed, { typeOrder: AKO_TYPE_ORDER }).ops.map((o) => o.id)).toEqual(c.expect.nextPlan);
    // A restart (observed re-read from the controller) plans the same.
    expect(plan(desired, observedAfterRestart(api.stored()), { typeOrder: AKO_TYPE_ORDER }).ops.map((o) => o.id)).toEqual(c.expect.nextPlan);
  });

  it('returns a failed result (not a rejection) when the api throws synchronously or rejects with a non-Error', async () => {
    const desired = buildDesired([
      { tenant: 'admin', type: 'pool', name: 'p1', body: {} },
      { tenant: 'admin', type: 'pool', name: 'p2', body: {} },
    ]);
    const out = await execute(plan(desired, []), [], {
      create: (req) => {
        if (req.name === 'p1') throw new Error('boom');
        return Promise.reject({ statusCode: 503 });
      },
      update: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    });
    expect(out.results.map((r) => [r.name, r.status, r.error])).toEqual([
      ['p1', 'failed', { message: 'boom' }],
      ['p2', 'failed', { message: '{"statusCode":503}', httpStatus: 503 }],
    ]);
    expect(out.observed).toEqual([]);
  });
});

describe('execute releases the bodies it has written', () => {
  // A real collection: a body is gone once nothing references it (no timing assumption beyond awaiting the write).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it('drops a written body while other operations still run, though the caller passed the plan', async () => {
    const written = new Set<string>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Pool "slow" answers only when the gate opens; "fast" at once. Neither keeps the body it is sent.
    const api: SyncApi = {
      create: async (r) => {
        if (r.name === 'slow') await gate;
        written.add(r.name);
        return { uuid: `pool-${r.name}` };
      },
      update: async () => undefined,
      delete: async () => undefined,
    };
    const bodies = new Map<string, WeakRef<object>>();
    // The plan is made in a function of its own: the test keeps no reference to it or to the bodies.
    const start = (): Promise<ExecuteResult> => {
      const desired = ['fast', 'slow'].map((name) => makeDesired({ tenant: 'admin', type: 'pool', name, body: { name, servers: [{ ip: { addr: '10.0.0.1', type: 'V4' } }] } }));
      const p = plan(desired, [], { typeOrder: AKO_TYPE_ORDER });
      for (const op of p.ops) bodies.set(op.name, new WeakRef(op.body!));
      return execute(p, [], api, { concurrency: 2, observedBody: () => ({}) });
    };
    const running = start();
    while (!written.has('fast')) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    gc();
    expect(written.has('slow')).toBe(false);
    expect(bodies.get('fast')!.deref()).toBeUndefined();
    // The body still to be written is kept.
    expect(bodies.get('slow')!.deref()).toBeDefined();
    release();
    const out = await running;
    expect(out.results.map((r) => `${r.name} ${r.status}`).sort()).toEqual(['fast succeeded', 'slow succeeded']);
  });
});
