// The macro API: `{"model_name": "VirtualService", "data": {...}}` with children inline through
// `<field>_data` siblings (`pool_ref_data`, `health_monitor_refs_data`). All-or-nothing: the caller's
// transaction is rolled back on any failure.

import { ApiError } from '../http.js';
import type { Ctl } from '../context.js';
import type { Entry, Obj, Tx } from '../store/store.js';
import { refUuid } from '../store/store.js';
import { storedRef } from './refs.js';
import type { TypeMeta } from './registry.js';
import { create, remove, update, type WriteOptions } from './write.js';
import { findRef } from './resolve.js';

const ALIASES: Record<string, string> = {
  vrf: 'vrfcontext',
  se_group: 'serviceenginegroup',
  vh_parent_vs: 'virtualservice',
  ssl_key_and_certificate: 'sslkeyandcertificate',
  nw: 'network',
  ca: 'sslkeyandcertificate',
};

/** Never deleted by a macro DELETE (DOC-MACRO). */
const PROTECTED = new Set(['tenant', 'cloud', 'network', 'serviceenginegroup', 'vrfcontext', 'ipamdnsproviderprofile', 'cluster', 'systemconfiguration']);

export function refTarget(ctl: Ctl, meta: TypeMeta, field: string): string | undefined {
  const p = meta.fields?.properties[field];
  const declared = p?.ref ?? p?.items?.ref;
  if (declared) return declared;
  const base = field.replace(/_refs?$/, '');
  const guess = ALIASES[base] ?? base.replace(/_/g, '');
  return ctl.registry.has(guess) ? guess : undefined;
}

export function modelMeta(ctl: Ctl, modelName: unknown): TypeMeta {
  if (typeof modelName !== 'string') throw new ApiError(400, 'model_name is required');
  const want = modelName.toLowerCase();
  for (const m of ctl.registry.values()) if (m.model.toLowerCase() === want || m.type === want) return m;
  throw new ApiError(400, `Unknown model_name ${modelName}`);
}

function children(ctl: Ctl, tx: Tx, meta: TypeMeta, data: Obj, opts: WriteOptions, upsert: boolean, out: Entry[]): Obj {
  const obj: Obj = { ...data };
  for (const key of Object.keys(data)) {
    if (!key.endsWith('_data')) continue;
    const field = key.slice(0, -'_data'.length);
    const target = refTarget(ctl, meta, field);
    if (!target) throw new ApiError(400, `Cannot find the object type of ${key}`);
    const tmeta = ctl.registry.get(target)!;
    const raw = data[key];
    const items = Array.isArray(raw) ? raw : [raw];
    const refs = items.map((item) => {
      const e = write(ctl, tx, tmeta, item as Obj, opts, upsert, out);
      return storedRef(target, e.obj.uuid as string);
    });
    delete obj[key];
    obj[field] = field.endsWith('_refs') ? [...((Array.isArray(obj[field]) ? obj[field] : []) as string[]), ...refs] : refs[0];
  }
  return obj;
}

function write(ctl: Ctl, tx: Tx, meta: TypeMeta, data: Obj, opts: WriteOptions, upsert: boolean, out: Entry[]): Entry {
  if (typeof data !== 'object' || data === null) throw new ApiError(400, `${meta.model} macro data must be an object`);
  const obj = children(ctl, tx, meta, data, opts, upsert, out);
  const existing = upsert ? findTarget(ctl, meta, obj, opts.tenant) : undefined;
  const e = existing ? update(ctl, tx, meta, existing, { ...existing.obj, ...obj }, opts) : create(ctl, tx, meta, obj, opts);
  out.push(e);
  return e;
}

function findTarget(ctl: Ctl, meta: TypeMeta, data: Obj, tenant: string): Entry | undefined {
  if (typeof data.uuid === 'string') {
    const e = ctl.store.get(data.uuid);
    return e && e.type === meta.type ? e : undefined;
  }
  if (typeof data.name === 'string') return findRef(ctl, { type: meta.type, name: data.name }, tenant === '*' ? 'admin' : tenant, undefined);
  return undefined;
}

export function macroCreate(ctl: Ctl, tx: Tx, body: Obj, opts: WriteOptions, upsert: boolean): Entry[] {
  const meta = modelMeta(ctl, body.model_name);
  const out: Entry[] = [];
  if (upsert && !findTarget(ctl, meta, (body.data ?? {}) as Obj, opts.tenant)) throw new ApiError(404, `${meta.model} object not found!`);
  write(ctl, tx, meta, (body.data ?? {}) as Obj, opts, upsert, out);
  return out;
}

/** Deletes the object and then the children it referred to that nothing else uses (system objects kept). */
export function macroDelete(ctl: Ctl, tx: Tx, body: Obj, tenant: string): Entry[] {
  const meta = modelMeta(ctl, body.model_name);
  const top = findTarget(ctl, meta, (body.data ?? {}) as Obj, tenant);
  if (!top) throw new ApiError(404, `${meta.model} object not found!`);
  const deleted: Entry[] = [];
  const visit = (e: Entry, isTop: boolean): void => {
    if (!isTop) {
      const name = String(e.obj.name);
      if (PROTECTED.has(e.type) || name.startsWith('System-') || name.startsWith('Default-') || e.tenant !== top.tenant) return;
      if (ctl.store.referrersOf(e.obj.uuid as string).size > 0) return;
    }
    const childUuids = [...e.refs];
    remove(ctl, tx, ctl.registry.get(e.type)!, e);
    deleted.push(e);
    for (const u of childUuids) {
      const c = ctl.store.get(u);
      if (c && refUuid(c.obj.tenant_ref) !== undefined) visit(c, false);
    }
  };
  visit(top, true);
  return deleted;
}
