// Resolving references written by clients to stored uuids, with the controller's scoping rules:
// the request tenant first, then the admin tenant (shared/system objects); cloud-scoped types
// (Default-Group, global, networks exist once per cloud) inside the referencing object's cloud.

import { ApiError } from '../http.js';
import type { Ctl } from '../context.js';
import type { Entry } from '../store/store.js';
import { parseRef, storedRef, type RefInput } from './refs.js';

export function notFound(ctl: Ctl, type: string): ApiError {
  const model = ctl.registry.get(type)?.model ?? type;
  // AKO expects 400 for a missing VrfContext or Network, 404 otherwise.
  const status = type === 'vrfcontext' || type === 'network' ? 400 : 404;
  return new ApiError(status, `${model} object not found!`);
}

export function findRef(ctl: Ctl, ref: RefInput, tenant: string, cloud: string | undefined): Entry | undefined {
  const meta = ctl.registry.get(ref.type);
  if (!meta) return undefined;
  if ('uuid' in ref) {
    const e = ctl.store.get(ref.uuid);
    if (!e || e.type !== ref.type) return undefined;
    if (tenant !== '*' && e.tenant !== tenant && e.tenant !== 'admin' && ref.type !== 'tenant') return undefined;
    return e;
  }
  if (ref.type === 'tenant') return ctl.store.findByName('tenant', 'admin', ref.name);
  let cloudUuid = cloud;
  if (ref.cloud !== undefined) {
    cloudUuid = ctl.store.findByName('cloud', 'admin', ref.cloud)?.obj.uuid as string | undefined;
    if (cloudUuid === undefined) return undefined;
  }
  const scope = meta.cloudScoped ? cloudUuid : undefined;
  if (tenant === '*') {
    for (const e of ctl.store.ofType(ref.type)) if (e.obj.name === ref.name && (scope === undefined || e.cloud === scope)) return e;
    return undefined;
  }
  return ctl.store.findByName(ref.type, tenant, ref.name, scope) ?? (tenant !== 'admin' ? ctl.store.findByName(ref.type, 'admin', ref.name, scope) : undefined);
}

/** Resolves one ref string to its stored form, or throws the controller's not-found error. */
export function resolveRef(ctl: Ctl, value: string, key: string, tenant: string, cloud: string | undefined): string {
  const parsed = parseRef(value) ?? bareUuidRef(ctl, value);
  if (!parsed) throw new ApiError(400, `Invalid reference '${value}' in field ${key}`);
  if (!ctl.registry.has(parsed.type)) throw new ApiError(400, `Invalid reference '${value}' in field ${key}: unknown object type ${parsed.type}`);
  const e = findRef(ctl, parsed, tenant, cloud);
  if (!e) throw notFound(ctl, parsed.type);
  return storedRef(e.type, e.obj.uuid as string);
}

/**
 * A bare uuid as a ref (`"pool_ref": "pool-<uuid>"`, the form of the Go SDK's examples): the type is the uuid's
 * prefix (`<type>-<uuid4>`), or, for seeded uuids without one (`admin`, `default`), the stored object's.
 */
function bareUuidRef(ctl: Ctl, value: string): RefInput | undefined {
  const v = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(v)) return undefined;
  const m = /^([a-z0-9]+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(v);
  if (m && ctl.registry.has(m[1]!)) return { type: m[1]!, uuid: v };
  const e = ctl.store.get(v);
  return e ? { type: e.type, uuid: v } : undefined;
}

/** A system object by name (admin tenant, optionally in a cloud) as a stored ref, or undefined. */
export function systemRef(ctl: Ctl, type: string, name: string, tenant: string, cloud?: string): string | undefined {
  const e = findRef(ctl, { type, name }, tenant, cloud);
  return e ? storedRef(type, e.obj.uuid as string) : undefined;
}
