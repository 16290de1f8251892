/**
 * IN-MEMORY FAKE of the SyncApi interface, for the executor's unit tests ONLY.
 *
 * The real integration (SDK client adapted to SyncApi, talking HTTPS to apps/avi-controller) is tested in the apps.
 * This fake exists so the executor's scheduling can be checked in isolation, and it is strict on purpose: like the
 * controller it refuses a create/update whose name ref points to a missing object, and a delete of an object that
 * another object still references. So an ordering bug in the executor shows up as a failed operation here.
 */
import { findRefs, keyOf, type AviBody, type ObjectKey, type SyncApi } from '../src/index.js';

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface StoredObject extends ObjectKey {
  readonly uuid: string;
  readonly body: AviBody;
}

export interface InMemoryFakeAviApi extends SyncApi {
  /** Objects currently stored, sorted by key. */
  readonly stored: () => StoredObject[];
  /** Every call in the order it started: `<kind>:<tenant>/<type>/<name>`. */
  readonly calls: string[];
  /** Highest number of calls in flight at once. */
  readonly maxInFlight: () => number;
}

/**
 * `failures` maps an op id (`create:admin/pool/x`) to the error the fake answers with.
 * `managedTypes`: refs to these types must resolve to a stored object (others, e.g. cloud or tenant, are external).
 */
export function createInMemoryFakeAviApi(
  managedTypes: readonly string[],
  failures: Readonly<Record<string, { status: number; message: string }>> = {},
  initial: readonly StoredObject[] = [],
): InMemoryFakeAviApi {
  const store = new Map<string, StoredObject>(initial.map((o) => [keyOf(o), o]));
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let nextUuid = 1;

  const missingRef = (k: ObjectKey, body: AviBody): string | undefined => {
    for (const r of findRefs(body)) {
      if (r.by !== 'name' || !managedTypes.includes(r.type)) continue;
      if (!store.has(keyOf({ tenant: r.tenant ?? k.tenant, type: r.type, name: r.name }))) return `${r.type}/${r.name}`;
    }
    return undefined;
  };
  const referrer = (k: ObjectKey): string | undefined => {
    for (const o of store.values()) {
      if (o.tenant !== k.tenant) continue;
      if (findRefs(o.body).some((r) => r.by === 'name' && r.type === k.type && r.name === k.name)) return `${o.type}/${o.name}`;
    }
    return undefined;
  };

  async function call<T>(id: string, fn: () => T): Promise<T> {
    calls.push(id);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      // Yield a few turns (more for longer names) so that concurrent calls interleave.
      for (let i = 0; i < 1 + (id.length % 3); i++) await new Promise((r) => setImmediate(r));
      const f = failures[id];
      if (f) throw new FakeApiError(f.status, f.message);
      return fn();
    } finally {
      inFlight--;
    }
  }

  return {
    calls,
    maxInFlight: () => maxInFlight,
    stored: () => [...store.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)),
    create: (req) =>
      call(`create:${keyOf(req)}`, () => {
        if (store.has(keyOf(req))) throw new FakeApiError(409, `${req.type} ${req.name} already exists`);
        const missing = missingRef(req, req.body);
        if (missing) throw new FakeApiError(400, `referenced object ${missing} not found`);
        const uuid = `${req.type}-${nextUuid++}`;
        store.set(keyOf(req), { tenant: req.tenant, type: req.type, name: req.name, uuid, body: req.body });
        return { uuid };
      }),
    update: (req) =>
      call(`update:${keyOf(req)}`, () => {
        const cur = store.get(keyOf(req));
        if (!cur || cur.uuid !== req.uuid) throw new FakeApiError(404, `${req.type} ${req.uuid} not found`);
        const missing = missingRef(req, req.body);
        if (missing) throw new FakeApiError(400, `referenced object ${missing} not found`);
        store.set(keyOf(req), { ...cur, body: req.body });
        return { uuid: cur.uuid };
      }),
    delete: (req) =>
      call(`delete:${keyOf(req)}`, () => {
        const cur = store.get(keyOf(req));
        if (!cur || cur.uuid !== req.uuid) throw new FakeApiError(404, `${req.type} ${req.uuid} not found`);
        const by = referrer(req);
        if (by) throw new FakeApiError(409, `cannot delete ${req.type} ${req.name}: referred to by ${by}`);
        store.delete(keyOf(req));
      }),
  };
}
