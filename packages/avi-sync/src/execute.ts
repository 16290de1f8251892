import { keyOf } from './keys.js';
import type { AviBody, ObjectKey, ObservedObject, Operation, OperationKind, Plan } from './types.js';

/**
 * The controller as avi-sync sees it. Apps adapt the Avi SDK client to this; failures are rejected promises
 * (ideally errors carrying an HTTP `status`). Treating "already exists" (409) and similar is the adapter's job.
 */
export interface SyncApi {
  create(req: ObjectKey & { readonly body: AviBody }): Promise<{ readonly uuid: string }>;
  update(req: ObjectKey & { readonly uuid: string; readonly body: AviBody }): Promise<{ readonly uuid?: string } | void>;
  delete(req: ObjectKey & { readonly uuid: string }): Promise<void>;
}

export type OpStatus = 'succeeded' | 'failed' | 'skipped';

export interface OpError {
  readonly message: string;
  readonly httpStatus?: number;
}

export interface OpResult extends ObjectKey {
  readonly id: string;
  readonly kind: OperationKind;
  readonly group: string;
  readonly status: OpStatus;
  readonly uuid?: string;
  readonly error?: OpError;
  /** For skipped ops: the id of the failed operation that blocked this one. */
  readonly blockedBy?: string;
}

export interface ExecuteOptions {
  /** Maximum operations in flight at once (default 4). */
  readonly concurrency?: number;
  /** Whether a delete error means "already gone" (default: HTTP 404), which counts as success. */
  readonly isNotFound?: (err: unknown) => boolean;
  /** Called with each operation's result as soon as it is known (e.g. to report progress). */
  readonly onResult?: (result: OpResult) => void;
  /**
   * What is kept of a written body in the observed state returned (default: all of it). E.g. only its refs (all
   * plan() reads of an observed body), so that a big plan's bodies are released as its operations complete.
   */
  readonly observedBody?: (body: AviBody) => AviBody;
}

export interface ExecuteResult {
  /** One per plan operation, in plan order. */
  readonly results: readonly OpResult[];
  /** `observed` with every successful operation applied, sorted by key: feed it to the next plan(). */
  readonly observed: readonly ObservedObject[];
}

/**
 * Runs a plan against `api` with bounded concurrency. An operation starts only after all of its dependencies
 * succeeded; when one fails, everything that depends on it (transitively) is skipped and reported, and every
 * other operation still runs. Never throws for API failures.
 */
export function execute(plan: Plan, observed: readonly ObservedObject[], api: SyncApi, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  // Not async itself: an async function's suspended frame keeps its parameters, so `plan` (every body) would live
  // until the last operation ended. The runner gets a copy of the ops, whose bodies it drops as they complete.
  return run([...plan.ops], observed, api, options);
}

async function run(ops: Operation[], observed: readonly ObservedObject[], api: SyncApi, options: ExecuteOptions): Promise<ExecuteResult> {
  const limit = Math.max(1, Math.floor(options.concurrency ?? 4));
  const isNotFound = options.isNotFound ?? ((err: unknown) => httpStatusOf(err) === 404);
  const index = new Map(ops.map((op, i) => [op.id, i]));
  const results: (OpResult | undefined)[] = ops.map(() => undefined);
  const state = new Map<string, ObservedObject>(observed.map((o) => [keyOf(o), o]));

  const dependants = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const op of ops) {
    waiting.set(op.id, op.dependsOn.length);
    for (const d of op.dependsOn) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(op.id);
  }
  const ready: number[] = [];
  for (const op of ops) {
    const unknown = op.dependsOn.find((d) => !index.has(d));
    if (unknown) skip(op.id, unknown, `unknown dependency ${unknown}`);
    else if (op.dependsOn.length === 0) ready.push(index.get(op.id)!);
  }

  function skip(id: string, blockedBy: string, message: string): void {
    const i = index.get(id)!;
    if (results[i]) return;
    results[i] = { ...base(ops[i]!), status: 'skipped', blockedBy, error: { message } };
    for (const d of dependants.get(id) ?? []) skip(d, blockedBy, `dependency ${blockedBy} failed`);
  }

  function finish(op: Operation, result: OpResult): void {
    const i = index.get(op.id)!;
    results[i] = result;
    if (op.body !== undefined) {
      const { body: _written, ...rest } = op;
      ops[i] = rest;
    }
    options.onResult?.(result);
    if (result.status === 'succeeded') {
      apply(op, result.uuid);
      for (const d of dependants.get(op.id) ?? []) {
        const left = waiting.get(d)! - 1;
        waiting.set(d, left);
        if (left === 0 && !results[index.get(d)!]) insertSorted(ready, index.get(d)!);
      }
    } else {
      for (const d of dependants.get(op.id) ?? []) skip(d, op.id, `dependency ${op.id} failed`);
    }
  }

  function apply(op: Operation, uuid: string | undefined): void {
    const k = keyOf(op);
    if (op.kind === 'delete') state.delete(k);
    else {
      const body = op.body && options.observedBody ? options.observedBody(op.body) : op.body;
      state.set(k, { tenant: op.tenant, type: op.type, name: op.name, uuid: uuid ?? op.uuid ?? '', checksum: op.checksum, ...(body ? { body } : {}) });
    }
  }

  async function runOp(op: Operation): Promise<OpResult> {
    try {
      switch (op.kind) {
        case 'create': {
          const r = await api.create({ ...keyFields(op), body: op.body ?? {} });
          return { ...base(op), status: 'succeeded', uuid: r.uuid };
        }
        case 'update': {
          const r = await api.update({ ...keyFields(op), uuid: op.uuid ?? '', body: op.body ?? {} });
          return { ...base(op), status: 'succeeded', uuid: (r && r.uuid) || op.uuid };
        }
        case 'delete':
          await api.delete({ ...keyFields(op), uuid: op.uuid ?? '' });
          return { ...base(op), status: 'succeeded', uuid: op.uuid };
      }
    } catch (err) {
      if (op.kind === 'delete' && isNotFound(err)) return { ...base(op), status: 'succeeded', uuid: op.uuid };
      return { ...base(op), status: 'failed', error: toOpError(err) };
    }
  }

  await new Promise<void>((resolve) => {
    let running = 0;
    const pump = (): void => {
      while (running < limit && ready.length > 0) {
        const op = ops[ready.shift()!]!;
        running++;
        void runOp(op).then((r) => {
          running--;
          finish(op, r);
          pump();
        });
      }
      if (running === 0 && ready.length === 0) resolve();
    };
    pump();
  });

  return {
    results: results.map((r, i) => r ?? { ...base(ops[i]!), status: 'skipped', error: { message: 'never became ready' } }),
    // sorted by the Map's keys (each is keyOf its object), not keyOf twice per comparison
    observed: [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o),
  };
}

function base(op: Operation): Pick<OpResult, 'id' | 'kind' | 'group' | 'tenant' | 'type' | 'name'> {
  return { id: op.id, kind: op.kind, group: op.group, tenant: op.tenant, type: op.type, name: op.name };
}

function keyFields(op: ObjectKey): ObjectKey {
  return { tenant: op.tenant, type: op.type, name: op.name };
}

function insertSorted(a: number[], x: number): void {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  a.splice(lo, 0, x);
}

/** Reads an HTTP status from common error shapes (status, statusCode, httpStatus). */
export function httpStatusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as Record<string, unknown>;
  for (const f of ['status', 'statusCode', 'httpStatus']) if (typeof e[f] === 'number') return e[f] as number;
  return undefined;
}

function toOpError(err: unknown): OpError {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  const httpStatus = httpStatusOf(err);
  return httpStatus === undefined ? { message } : { message, httpStatus };
}
