// Admin endpoints under /debug (admin credentials required): faults, session expiry, DNS records,
// IPAM view, per-object runtime overrides, and a dump of every object of a tenant.

import { ApiError, flag, parseJsonBody } from './http.js';
import type { Ctl } from './context.js';
import type { Obj } from './store/store.js';
import { render } from './objects/render.js';
import { json, type Reply } from './reply.js';

const STATES = new Set([
  'OPER_UP', 'OPER_DOWN', 'OPER_CREATING', 'OPER_RESOURCES', 'OPER_INACTIVE', 'OPER_DISABLED', 'OPER_UNUSED', 'OPER_UNKNOWN',
  'OPER_PROCESSING', 'OPER_INITIALIZING', 'OPER_ERROR_DISABLED', 'OPER_AWAIT_MANUAL_PLACEMENT', 'OPER_UPGRADING',
  'OPER_SE_PROCESSING', 'OPER_PARTITIONED', 'OPER_DISABLING', 'OPER_FAILED', 'OPER_UNAVAIL', 'OPER_AGGREGATE_DOWN',
]);

export function handleDebug(ctl: Ctl, method: string, parts: readonly string[], q: URLSearchParams, raw: Buffer, base: string): Reply {
  const [what, arg] = parts;
  if (what === 'faults') {
    if (method === 'GET') return json(200, ctl.faults.config);
    if (method === 'DELETE') {
      ctl.faults.reset();
      return json(200, ctl.faults.config);
    }
    if (method === 'PUT' || method === 'POST' || method === 'PATCH') {
      const body = parseJsonBody(raw) ?? {};
      const cfg = ctl.faults.set(body);
      let expired = 0;
      if ((body as Obj).expireSessions === true) expired = ctl.sessions.expireAll();
      return json(200, { ...cfg, expiredSessions: expired });
    }
  }
  if (what === 'sessions' && arg === 'expire' && method === 'POST') return json(200, { expired: ctl.sessions.expireAll() });
  if (what === 'dns' && method === 'GET') {
    const fqdn = q.get('fqdn');
    const records = fqdn ? ctl.dns.lookup(fqdn) : ctl.dns.records();
    return json(200, { count: records.length, records });
  }
  if (what === 'ipam' && method === 'GET') {
    return json(200, { allocations: Object.fromEntries([...ctl.ipam.owners.entries()].sort()) });
  }
  if (what === 'runtime' && arg !== undefined) {
    if (!ctl.store.get(arg)) throw new ApiError(404, `object ${arg} not found`);
    if (method === 'DELETE') {
      ctl.runtimeOverrides.delete(arg);
      return { status: 204 };
    }
    if (method === 'PUT') {
      const state = ((parseJsonBody(raw) ?? {}) as Obj).state;
      if (typeof state !== 'string' || !STATES.has(state)) throw new ApiError(400, `state must be one of ${[...STATES].join(', ')}`);
      ctl.runtimeOverrides.set(arg, state);
      return json(200, { uuid: arg, state });
    }
  }
  if (what === 'dump' && method === 'GET') {
    const tenantName = q.get('tenant') ?? 'admin';
    let tenant = '*';
    if (tenantName !== '*') {
      const t = ctl.store.findByName('tenant', 'admin', tenantName);
      if (!t) throw new ApiError(404, `Tenant '${tenantName}' does not exist!`);
      tenant = t.obj.uuid as string;
    }
    const objects: Record<string, Obj[]> = {};
    for (const e of ctl.store.all()) {
      if (tenant !== '*' && e.tenant !== tenant) continue;
      (objects[e.type] ??= []).push(render(ctl, e, { base, includeName: flag(q, 'include_name') }));
    }
    return json(200, { tenant: tenantName, count: Object.values(objects).reduce((n, l) => n + l.length, 0), objects });
  }
  throw new ApiError(404, `Unknown debug endpoint ${method} /debug/${parts.join('/')}`);
}
