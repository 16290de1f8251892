// The write path shared by POST, PUT, PATCH, the macro API and seeding: input -> stored object.
// Unknown fields dropped, refs resolved to `/api/<type>/<uuid>`, server defaults filled, per-type
// behaviour applied (IPAM, VIP ids...), names unique, then stored in the caller's transaction.

import { randomUUID } from 'node:crypto';
import { ApiError } from '../http.js';
import type { Ctl } from '../context.js';
import type { Entry, Obj, Tx } from '../store/store.js';
import { refUuid } from '../store/store.js';
import { dropEmptyRefs, mapRefs, storedRef } from './refs.js';
import { resolveRef, notFound } from './resolve.js';
import { applyDefaults, dropUnknown, materializeDefaults } from './schema.js';
import { HOOKS, checkGslbWritable } from './hooks.js';
import { migrateLegacy } from './legacy.js';
import { SECRETS } from './render.js';
import { verboseName, type TypeMeta } from './registry.js';
import { mergeForVersion, versionOf } from './versioned.js';
import { checkName } from './names.js';
import { checkDeletable } from './system-defaults.js';

export interface WriteOptions {
  /** Request tenant uuid (`*` is treated as admin for writes). */
  tenant: string;
  /** Uuid forced by the client (`Slug` header), for creates. */
  forceUuid?: string;
  /** The request's X-Avi-Version: fields introduced later are ignored (and kept as stored on updates). */
  version?: string;
}

/** Configuration objects shown with every nested setting's defaults, as on a real controller. */
const MATERIALIZED = new Set(['systemconfiguration', 'tenant', 'controllerproperties']);

function asObject(body: unknown): Obj {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Request body must be a JSON object');
  return structuredClone(body) as Obj;
}

function newUuid(type: string): string {
  return `${type}-${randomUUID()}`;
}

/** Builds the stored form of `body` for type `meta` (prev = the stored object on update). */
export function prepare(ctl: Ctl, meta: TypeMeta, body: unknown, prev: Entry | undefined, opts: WriteOptions): Obj {
  const obj = asObject(body);
  migrateLegacy(meta.type, obj);
  if (meta.fields) dropUnknown(obj, meta.fields);
  if (meta.fields && opts.version !== undefined) mergeForVersion(obj, prev?.obj, meta.fields, versionOf(opts.version));
  // Empty refs ("", also as list entries) mean "not set", as the Go AKO sends them on every object.
  dropEmptyRefs(obj);
  delete obj.url;
  delete obj._last_modified;
  if (prev) obj.uuid = prev.obj.uuid;
  else if (opts.forceUuid) obj.uuid = opts.forceUuid;
  else obj.uuid = newUuid(meta.type);
  if (typeof obj.name !== 'string' || obj.name === '') {
    if (meta.singleton && prev) obj.name = prev.obj.name;
    else throw new ApiError(400, `${meta.model}: field 'name' is required`);
  }
  checkName(meta.model, obj.name as string);

  // Tenant: the object's own tenant_ref, else the request tenant.
  const reqTenant = opts.tenant === '*' ? 'admin' : opts.tenant;
  let tenant = reqTenant;
  if (meta.type === 'tenant') tenant = 'admin';
  else if (typeof obj.tenant_ref === 'string' && obj.tenant_ref !== '') {
    tenant = refUuid(resolveRef(ctl, obj.tenant_ref, 'tenant_ref', 'admin', undefined))!;
  } else if (prev) tenant = prev.tenant;
  obj.tenant_ref = storedRef('tenant', tenant);

  // Cloud: resolved first, because cloud-scoped refs resolve inside it.
  let cloud: string | undefined;
  if (typeof obj.cloud_ref === 'string' && obj.cloud_ref !== '') {
    cloud = refUuid(resolveRef(ctl, obj.cloud_ref, 'cloud_ref', tenant, undefined));
    obj.cloud_ref = storedRef('cloud', cloud!);
  } else if (meta.hasCloud) {
    const c = ctl.store.findByName('cloud', 'admin', 'Default-Cloud');
    if (!c) throw notFound(ctl, 'cloud');
    cloud = c.obj.uuid as string;
    obj.cloud_ref = storedRef('cloud', cloud);
  }

  // The object's own tenant_ref and cloud_ref are resolved above; nested ones (a user's access[].tenant_ref...) here.
  const own = { tenant_ref: obj.tenant_ref, cloud_ref: obj.cloud_ref };
  delete obj.tenant_ref;
  delete obj.cloud_ref;
  mapRefs(obj, (value, key) => resolveRef(ctl, value, key, key === 'tenant_ref' ? 'admin' : tenant, cloud));
  obj.tenant_ref = own.tenant_ref;
  if (own.cloud_ref !== undefined) obj.cloud_ref = own.cloud_ref;

  HOOKS[meta.type]?.(ctl, obj, prev?.obj, tenant, cloud);
  if (meta.fields) {
    if (MATERIALIZED.has(meta.type)) materializeDefaults(obj, meta.fields);
    else applyDefaults(obj, meta.fields);
  }

  const clash = ctl.store.findByName(meta.type, tenant, obj.name as string, meta.cloudScoped ? cloud : undefined);
  if (clash && clash.obj.uuid !== obj.uuid && (!meta.cloudScoped || clash.cloud === cloud)) {
    const what = meta.cloudScoped ? 'Name, Tenant ref and Cloud ref' : 'Name and Tenant ref';
    throw new ApiError(409, `${verboseName(meta.model)} with this ${what} already exists.`);
  }
  if (!prev && ctl.store.get(obj.uuid as string)) throw new ApiError(409, `${verboseName(meta.model)} with this Uuid already exists.`);
  obj._last_modified = ctl.nextModified();
  return obj;
}

export function create(ctl: Ctl, tx: Tx, meta: TypeMeta, body: unknown, opts: WriteOptions): Entry {
  const obj = prepare(ctl, meta, body, undefined, opts);
  return ctl.store.put(tx, meta.type, obj);
}

export function update(ctl: Ctl, tx: Tx, meta: TypeMeta, prev: Entry, body: unknown, opts: WriteOptions): Entry {
  const b = body as Obj | undefined;
  const lm = b && typeof b === 'object' ? b._last_modified : undefined;
  if (lm !== undefined && lm !== null && String(lm) !== prev.obj._last_modified) {
    throw new ApiError(412, `Concurrent Update Error: Need to reload object data ${meta.model} ${String(prev.obj.name)}`);
  }
  const obj = prepare(ctl, meta, body, prev, opts);
  // Write-only secrets (never rendered, so absent from a GET-modify-PUT) are kept.
  for (const k of SECRETS[meta.type] ?? []) if (obj[k] === undefined && prev.obj[k] !== undefined) obj[k] = prev.obj[k];
  return ctl.store.put(tx, meta.type, obj);
}

/** Deletes unless something still refers to the object (403 with the referrers, as the controller says). */
export function remove(ctl: Ctl, tx: Tx, meta: TypeMeta, e: Entry): void {
  if (meta.type === 'gslbservice') checkGslbWritable(ctl);
  checkDeletable(e);
  const refs = [...ctl.store.referrersOf(e.obj.uuid as string)].map((u) => ctl.store.get(u)).filter((x): x is Entry => !!x);
  if (refs.length > 0) {
    const list = refs.map((r) => `'${ctl.registry.get(r.type)?.model ?? r.type} ${String(r.obj.name)}'`).join(', ');
    throw new ApiError(403, `Cannot delete, object is referred by: [${list}]`, { obj_name: e.obj.name });
  }
  ctl.store.remove(tx, e.obj.uuid as string);
}
