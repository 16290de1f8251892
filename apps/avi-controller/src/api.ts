// The object API: GET (collection or one), POST, PUT, PATCH, DELETE on /api/<type>[/<uuid>],
// runtime sub-resources, and the macro API.

import type { IncomingMessage } from 'node:http';
import { ApiError, flag, parseJsonBody } from './http.js';
import type { Ctl, ReqCtx } from './context.js';
import type { Entry, Obj } from './store/store.js';
import { newTx } from './store/store.js';
import type { TypeMeta } from './objects/registry.js';
import { render, type RenderOptions } from './objects/render.js';
import { nextUrl, runQuery, visible } from './objects/query.js';
import { create, remove, update } from './objects/write.js';
import { applyPatch, parsePatch } from './objects/patch.js';
import { macroCreate, macroDelete } from './objects/macro.js';
import { gslbRuntime, gslbServiceRuntime, poolRuntime, poolServerRuntime, vsRuntime } from './runtime.js';
import { json, type Reply } from './reply.js';
import { generateInto, wantsGeneration } from './objects/cert-generate.js';
import { handleInventory, isInventory } from './inventory.js';

export interface ApiRequest {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path segments after `/api`. */
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly rc: ReqCtx;
}

function renderOpts(rc: ReqCtx, q: URLSearchParams, forceName = false): RenderOptions {
  const fields = q.get('fields');
  return {
    base: rc.base,
    includeName: forceName || flag(q, 'include_name'),
    version: rc.version,
    ...(fields ? { fields: new Set(fields.split(',').map((f) => f.trim()).filter(Boolean)) } : {}),
    skipDefault: flag(q, 'skip_default'),
  };
}

function withSubresources(ctl: Ctl, e: Entry, body: Obj, q: URLSearchParams): Obj {
  if (q.get('join_subresources')?.split(',').includes('runtime')) {
    if (e.type === 'virtualservice') body.runtime = vsRuntime(ctl, e);
    else if (e.type === 'pool') body.runtime = poolRuntime(ctl, e);
  }
  return body;
}

function notFound(meta: TypeMeta): ApiError {
  return new ApiError(404, `${meta.model} object not found!`);
}

/** Tenants are listed and read only by users with access to them. */
function tenantHidden(rc: ReqCtx, e: Entry): boolean {
  return e.type === 'tenant' && rc.visibleTenants !== undefined && !rc.visibleTenants.has(e.obj.uuid as string);
}

function lookup(ctl: Ctl, meta: TypeMeta, uuid: string, rc: ReqCtx): Entry {
  const e = ctl.store.get(uuid);
  if (!e || e.type !== meta.type || !visible(meta, rc.tenant, e) || tenantHidden(rc, e)) throw notFound(meta);
  return e;
}

function singletonEntry(ctl: Ctl, meta: TypeMeta): Entry {
  for (const e of ctl.store.ofType(meta.type)) return e;
  throw notFound(meta);
}

/** A write on an object owned by another tenant (seen through admin sharing). */
function checkWritable(meta: TypeMeta, e: Entry, tenant: string): void {
  if (tenant === '*' || e.tenant === tenant) return;
  if (meta.type === 'vrfcontext') throw new ApiError(400, `Cannot modify VrfContext ${String(e.obj.name)} in this tenant`);
  throw new ApiError(403, `Permission denied: ${meta.model} ${String(e.obj.name)} belongs to another tenant`);
}

function forcedUuid(ctl: Ctl, meta: TypeMeta, req: IncomingMessage, body: unknown): string | undefined {
  const slug = req.headers.slug;
  const s = Array.isArray(slug) ? slug[0] : slug;
  if (s) return s;
  const sc = singletonEntry(ctl, ctl.registry.get('systemconfiguration')!).obj;
  const portal = sc.portal_configuration as Obj | undefined;
  const b = body as Obj | undefined;
  if (portal?.use_uuid_from_input === true && typeof b?.uuid === 'string') return b.uuid;
  return undefined;
}

async function commitOrRollback<T>(ctl: Ctl, fn: (tx: ReturnType<typeof newTx>) => T): Promise<T> {
  const tx = newTx();
  let out: T;
  try {
    out = fn(tx);
  } catch (e) {
    ctl.store.rollback(tx);
    throw e;
  }
  await ctl.commit(tx);
  return out;
}

function writeReply(ctl: Ctl, rc: ReqCtx, e: Entry, status: number, q: URLSearchParams): Reply {
  const body = render(ctl, e, { ...renderOpts(rc, q, true), fields: undefined, skipDefault: false } as RenderOptions);
  // A header carries ASCII only: a unicode name in the #fragment is percent-encoded there.
  const headers = status === 201 ? { Location: encodeURI(body.url as string) } : undefined;
  return json(status, body, headers);
}

function runtime(ctl: Ctl, meta: TypeMeta, e: Entry, sub: readonly string[]): Reply {
  const what = sub.join('/');
  if (meta.type === 'virtualservice' && (what === 'runtime' || what === 'runtime/detail')) {
    const r = vsRuntime(ctl, e);
    return json(200, what === 'runtime' ? r : [r]);
  }
  if (meta.type === 'pool') {
    if (what === 'runtime') return json(200, poolRuntime(ctl, e));
    if (what === 'runtime/detail') return json(200, [poolRuntime(ctl, e)]);
    if (what === 'runtime/server' || what === 'runtime/server/detail') return json(200, poolServerRuntime(ctl, e));
  }
  if (meta.type === 'gslb' && what === 'runtime') return json(200, gslbRuntime(e, ctl.identity));
  if (meta.type === 'gslbservice' && (what === 'runtime' || what === 'runtime/detail')) {
    return json(200, gslbServiceRuntime(ctl, e, ctl.identity));
  }
  throw new ApiError(404, `Unknown sub-resource ${what} of ${meta.model}`);
}

export async function handleObjects(ctl: Ctl, a: ApiRequest): Promise<Reply> {
  const { method, parts, query: q, rc } = a;
  if (parts[0] === 'macro') return handleMacro(ctl, a);
  if (isInventory(parts[0])) return handleInventory(ctl, method, parts, q, rc);
  const meta = ctl.registry.get(parts[0] ?? '');
  if (!meta) throw new ApiError(404, `Invalid object type ${parts[0] ?? ''}`);
  const uuid = parts[1];
  const sub = parts.slice(2);

  if (meta.singleton && (uuid === undefined || uuid === singletonEntry(ctl, meta).obj.uuid)) {
    const e = singletonEntry(ctl, meta);
    if (sub.length > 0) throw new ApiError(404, `Unknown sub-resource of ${meta.model}`);
    if (method === 'GET') return json(200, render(ctl, e, renderOpts(rc, q)));
    if (method === 'PUT' || method === 'PATCH') {
      const body = parseJsonBody(a.body);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
      const input = method === 'PATCH' ? (() => { const p = parsePatch(body); return applyPatch(e.obj, p.op, p.data); })() : { ...(body as Obj), name: (body as Obj | undefined)?.name ?? e.obj.name };
      const out = await commitOrRollback(ctl, (tx) => update(ctl, tx, meta, e, input, { tenant: rc.tenant, version: rc.version }));
      return writeReply(ctl, rc, out, 200, q);
    }
    throw new ApiError(405, `Method "${method}" not allowed.`);
  }

  if (uuid === undefined) {
    if (method === 'GET') {
      const page = runQuery(ctl, meta, rc.tenant, q, (e) => !tenantHidden(rc, e));
      const opts = renderOpts(rc, q);
      const body: Obj = { count: page.count, results: page.results.map((e) => withSubresources(ctl, e, render(ctl, e, opts), q)) };
      if (page.nextPage !== undefined) body.next = nextUrl(rc.base, `/api/${meta.type}`, q, page.nextPage);
      return json(200, body);
    }
    if (method === 'POST') {
      let body = parseJsonBody(a.body);
      if (meta.type === 'sslkeyandcertificate' && wantsGeneration(body)) body = await generateInto(body as Obj);
      const forceUuid = forcedUuid(ctl, meta, a.req, body);
      const e = await commitOrRollback(ctl, (tx) => create(ctl, tx, meta, body, { tenant: rc.tenant, version: rc.version, ...(forceUuid ? { forceUuid } : {}) }));
      return writeReply(ctl, rc, e, 201, q);
    }
    throw new ApiError(405, `Method "${method}" not allowed.`);
  }

  let id: string;
  try {
    id = decodeURIComponent(uuid);
  } catch {
    throw notFound(meta);
  }
  const e = lookup(ctl, meta, id, rc);
  if (sub.length > 0) {
    if (method !== 'GET') throw new ApiError(405, `Method "${method}" not allowed.`);
    return runtime(ctl, meta, e, sub);
  }
  switch (method) {
    case 'GET':
      return json(200, withSubresources(ctl, e, render(ctl, e, renderOpts(rc, q)), q));
    case 'PUT': {
      checkWritable(meta, e, rc.tenant);
      const body = parseJsonBody(a.body);
      const out = await commitOrRollback(ctl, (tx) => update(ctl, tx, meta, e, body, { tenant: rc.tenant, version: rc.version }));
      return writeReply(ctl, rc, out, 200, q);
    }
    case 'PATCH': {
      checkWritable(meta, e, rc.tenant);
      const p = parsePatch(parseJsonBody(a.body));
      const out = await commitOrRollback(ctl, (tx) => update(ctl, tx, meta, e, applyPatch(e.obj, p.op, p.data), { tenant: rc.tenant, version: rc.version }));
      return writeReply(ctl, rc, out, 200, q);
    }
    case 'DELETE':
      checkWritable(meta, e, rc.tenant);
      await commitOrRollback(ctl, (tx) => remove(ctl, tx, meta, e));
      return { status: 204 };
    default:
      throw new ApiError(405, `Method "${method}" not allowed.`);
  }
}

async function handleMacro(ctl: Ctl, a: ApiRequest): Promise<Reply> {
  const body = parseJsonBody(a.body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'macro body must be {"model_name": ..., "data": {...}}');
  const opts = { tenant: a.rc.tenant, version: a.rc.version };
  if (a.method === 'POST' || a.method === 'PUT') {
    const created = await commitOrRollback(ctl, (tx) => macroCreate(ctl, tx, body as Obj, opts, a.method === 'PUT'));
    // Each object rendered from the final state (children first, as created).
    const out = created.map((e) => ctl.store.get(e.obj.uuid as string) ?? e).map((e) => render(ctl, e, { base: a.rc.base, includeName: true, version: a.rc.version }));
    return json(a.method === 'POST' ? 201 : 200, out);
  }
  if (a.method === 'DELETE') {
    await commitOrRollback(ctl, (tx) => macroDelete(ctl, tx, body as Obj, a.rc.tenant));
    return { status: 204 };
  }
  throw new ApiError(405, `Method "${a.method}" not allowed.`);
}
