// Who may do what: users, their `access` entries (tenant + role, or all tenants) and the roles' privileges
// (resource -> NO_ACCESS / READ_ACCESS / WRITE_ACCESS), as the Avi API models them. The built-in `admin` and
// users with `is_superuser` may do everything; anyone else only what a role grants in the request's tenant.

import { ApiError } from './http.js';
import type { Ctl } from './context.js';
import type { Entry, Obj } from './store/store.js';
import { refUuid } from './store/store.js';

export type AccessLevel = 'NO_ACCESS' | 'READ_ACCESS' | 'WRITE_ACCESS';

export interface Principal {
  readonly username: string;
  readonly superuser: boolean;
  /** Privileges per tenant uuid; `*` holds what an `all_tenants` access grants. */
  readonly tenants: ReadonlyMap<string, ReadonlyMap<string, AccessLevel>>;
  readonly defaultTenant: string | undefined;
}

/** The permission resource guarding each object type (Role.json `Permission.resource`). */
const RESOURCE: Record<string, string> = {
  vsvip: 'PERMISSION_VIRTUALSERVICE',
  cluster: 'PERMISSION_CONTROLLER',
  controllerproperties: 'PERMISSION_CONTROLLER',
  icapprofile: 'PERMISSION_ICAP',
  vimgrnwruntime: 'PERMISSION_NETWORK',
  nsxtsegmentruntime: 'PERMISSION_NETWORK',
  vcenterserver: 'PERMISSION_CLOUD',
  analytics: 'PERMISSION_VIRTUALSERVICE',
  useraccount: 'PERMISSION_USER_CREDENTIAL',
  'virtualservice-inventory': 'PERMISSION_VIRTUALSERVICE',
  'pool-inventory': 'PERMISSION_POOL',
  licenseusage: 'PERMISSION_CONTROLLER',
};

export function resourceOf(type: string): string {
  return RESOURCE[type] ?? `PERMISSION_${type.toUpperCase()}`;
}

/** Resources that exist only in the admin tenant: writable only with that access there (or in all tenants). */
const ADMIN_ONLY = new Set(['PERMISSION_CONTROLLER', 'PERMISSION_ROLE', 'PERMISSION_TENANT', 'PERMISSION_USER', 'PERMISSION_SYSTEMCONFIGURATION']);

/** How the controller names a resource in its messages: `PERMISSION_VIRTUALSERVICE` -> the model, system ones -> `System`. */
function resourceLabel(ctl: Ctl, type: string): string {
  const r = resourceOf(type);
  if (r === 'PERMISSION_CONTROLLER' || r === 'PERMISSION_SYSTEMCONFIGURATION') return 'System';
  return ctl.registry.get(type)?.model ?? type;
}

const RANK: Record<AccessLevel, number> = { NO_ACCESS: 0, READ_ACCESS: 1, WRITE_ACCESS: 2 };

function rolePrivileges(role: Entry | undefined): Map<string, AccessLevel> {
  const out = new Map<string, AccessLevel>();
  for (const p of Array.isArray(role?.obj.privileges) ? (role.obj.privileges as Obj[]) : []) {
    if (typeof p.resource === 'string' && typeof p.type === 'string' && p.type in RANK) out.set(p.resource, p.type as AccessLevel);
  }
  return out;
}

export function userEntry(ctl: Ctl, username: string): Entry | undefined {
  return ctl.store.named('user', username)[0] ?? [...ctl.store.ofType('user')].find((u) => u.obj.username === username);
}

export function principalOf(ctl: Ctl, username: string): Principal {
  const user = userEntry(ctl, username);
  const superuser = username === 'admin' || user?.obj.is_superuser === true;
  const tenants = new Map<string, Map<string, AccessLevel>>();
  for (const a of Array.isArray(user?.obj.access) ? (user.obj.access as Obj[]) : []) {
    const privs = rolePrivileges(ctl.store.get(refUuid(a.role_ref) ?? ''));
    const key = a.all_tenants === true ? '*' : refUuid(a.tenant_ref);
    if (!key) continue;
    const into = tenants.get(key) ?? new Map<string, AccessLevel>();
    for (const [r, lvl] of privs) if (RANK[lvl] > RANK[into.get(r) ?? 'NO_ACCESS']) into.set(r, lvl);
    tenants.set(key, into);
  }
  const defaultTenant = refUuid(user?.obj.default_tenant_ref) ?? [...tenants.keys()].find((k) => k !== '*');
  return { username, superuser, tenants, defaultTenant };
}

function level(p: Principal, tenant: string, resource: string): AccessLevel {
  const a = p.tenants.get(tenant)?.get(resource) ?? 'NO_ACCESS';
  const b = p.tenants.get('*')?.get(resource) ?? 'NO_ACCESS';
  return RANK[a] >= RANK[b] ? a : b;
}

export function hasTenant(p: Principal, tenant: string): boolean {
  return p.superuser || p.tenants.has('*') || (tenant !== '*' && p.tenants.has(tenant));
}

/** The tenants a principal sees (undefined = all). */
export function tenantsOf(p: Principal): ReadonlySet<string> | undefined {
  if (p.superuser || p.tenants.has('*')) return undefined;
  return new Set(p.tenants.keys());
}

function tenantName(ctl: Ctl, tenant: string): string {
  return tenant === '*' ? '*' : String(ctl.store.get(tenant)?.obj.name ?? tenant);
}

/** Throws the controller's 403 unless the principal may read (GET) or write (other methods) `type` in `tenant`. */
export function authorize(ctl: Ctl, p: Principal, tenant: string, type: string, write: boolean): void {
  if (p.superuser) return;
  const verb = write ? 'write' : 'read';
  const deny = () => new ApiError(403, `User '${p.username}' is not authorized to ${verb} on resource ${resourceLabel(ctl, type)} in tenant ${tenantName(ctl, tenant)}`);
  if (!hasTenant(p, tenant)) throw deny();
  const resource = resourceOf(type);
  const need = write ? 2 : 1;
  const at = write && ADMIN_ONLY.has(resource) ? 'admin' : tenant;
  if (tenant === '*') {
    if (RANK[p.tenants.get('*')?.get(resource) ?? 'NO_ACCESS'] < need) throw deny();
    return;
  }
  if (RANK[level(p, at, resource)] < need) throw deny();
}

/** Writes of users and roles may not grant more than the writer has (only superusers make superusers). */
export function checkGrant(p: Principal, type: string, body: unknown): void {
  if (p.superuser || (type !== 'user' && type !== 'role')) return;
  const b = (body ?? {}) as Obj;
  if (type === 'user' && b.is_superuser === true) throw new ApiError(403, `User '${p.username}' cannot create or change a superuser`);
}
