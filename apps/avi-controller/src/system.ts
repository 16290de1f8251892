// Session and system endpoints: /login, /logout, /api/initial-data, /api/cluster/{status,version,runtime},
// /api/user-token, /api/ipamdnsproviderprofiledomainlist.

import type { IncomingMessage } from 'node:http';
import { ApiError, parseJsonBody, parseLoginBody } from './http.js';
import type { Ctl, ReqCtx } from './context.js';
import type { Session } from './session.js';
import type { Obj } from './store/store.js';
import { refUuid } from './store/store.js';
import { render } from './objects/render.js';
import { clusterRuntime } from './runtime.js';
import { json, type Reply } from './reply.js';
import { principalOf, tenantsOf } from './authz.js';

export function versionInfo(ctl: Ctl): Obj {
  return {
    Version: ctl.version,
    build: ctl.build,
    Tag: `${ctl.version}-${ctl.build}-emulator`,
    Date: '2026-01-01T00:00:00+00:00',
    min_version: 15.2,
    ProductName: 'Avi Cloud Controller',
    Product: 'controller',
  };
}

export function initialData(ctl: Ctl): Reply {
  return json(200, {
    current_time: new Date().toISOString(),
    setup_failed: false,
    email_configuration_is_set: false,
    error_message: '',
    user_initial_setup: false,
    sso: false,
    sso_logged_in: false,
    banner: '',
    version: versionInfo(ctl),
  });
}

export function clusterStatus(ctl: Ctl): Reply {
  return json(200, { cluster_state: { state: 'CLUSTER_UP_NO_HA', up_since: ctl.identity.upSince, progress: 100 } });
}

export function clusterVersion(ctl: Ctl): Reply {
  return json(200, versionInfo(ctl));
}

export function clusterRuntimeReply(ctl: Ctl): Reply {
  return json(200, clusterRuntime(ctl.identity));
}

function one(ctl: Ctl, type: string): Obj | undefined {
  for (const e of ctl.store.ofType(type)) return e.obj;
  return undefined;
}

export async function login(ctl: Ctl, req: IncomingMessage, raw: Buffer, base: string): Promise<{ reply: Reply; session: Session }> {
  const creds = parseLoginBody(raw, req.headers['content-type']);
  const username = creds.username ?? '';
  if (!username || (creds.password === undefined && creds.token === undefined)) throw new ApiError(401, 'Invalid credentials');
  const session = ctl.sessions.login(username, creds.password !== undefined ? { password: creds.password } : { token: creds.token! });
  const principal = principalOf(ctl, username);
  const visible = tenantsOf(principal);
  const tenants = [...ctl.store.ofType('tenant')].filter((t) => visible === undefined || visible.has(t.obj.uuid as string));
  const defaultTenant = principal.superuser ? 'admin' : (principal.defaultTenant ?? 'admin');
  const scEntry = ctl.store.ofType('systemconfiguration')[Symbol.iterator]().next().value;
  const props = one(ctl, 'controllerproperties');
  const user = [...ctl.store.ofType('user')].find((u) => u.obj.name === username || u.obj.username === username);
  const body = {
    user_initialized: true,
    version: versionInfo(ctl),
    user: {
      is_superuser: principal.superuser,
      default_tenant_ref: `${base}/api/tenant/${defaultTenant}`,
      name: username,
      username,
      full_name: (user?.obj.full_name as string | undefined) ?? 'System Administrator',
      email: '',
      local: true,
      uuid: (user?.obj.uuid as string | undefined) ?? 'user-1',
      ui_property: '',
    },
    tenants: tenants.map((t) => ({ url: `${base}/api/tenant/${String(t.obj.uuid)}`, uuid: t.obj.uuid, name: t.obj.name, local: t.obj.local ?? true })),
    system_config: scEntry ? render(ctl, scEntry, { base, includeName: false }) : {},
    controller: { api_idle_timeout: (props?.api_idle_timeout as number | undefined) ?? 15 },
    session_cookie_name: 'avi-sessionid',
  };
  return { reply: json(200, body, { 'Set-Cookie': ctl.sessions.cookies(session, ctl.secureCookies), AVI_API_VERSION: ctl.version }), session };
}

export function userTokens(ctl: Ctl, method: string, parts: readonly string[], raw: Buffer, rc: ReqCtx): Reply {
  const uuid = parts[1];
  const view = (t: ReturnType<typeof ctl.sessions.createToken>) => ({
    url: `${rc.base}/api/user-token/${t.uuid}`,
    uuid: t.uuid,
    token: t.token,
    expires_at: new Date(t.expires).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    hours: t.hours,
    username: t.username,
    created_at: new Date(t.created).toISOString(),
  });
  if (uuid === undefined && method === 'GET') {
    const list = ctl.sessions.listTokens(rc.username).map(view);
    return json(200, { count: list.length, results: list });
  }
  if (uuid === undefined && method === 'POST') {
    const body = (parseJsonBody(raw) ?? {}) as Obj;
    const hours = Number(body.hours ?? 24);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 365) throw new ApiError(400, `Invalid hours ${String(body.hours)}`);
    return json(201, view(ctl.sessions.createToken(rc.username, hours)));
  }
  if (uuid !== undefined && method === 'DELETE') {
    if (!ctl.sessions.deleteToken(uuid)) throw new ApiError(404, 'UserToken object not found!');
    return { status: 204 };
  }
  throw new ApiError(405, `Method "${method}" not allowed.`);
}

/** `{"domains": [...]}`: the DNS service domains of the cloud's DNS provider profile. */
export function domainList(ctl: Ctl, q: URLSearchParams): Reply {
  const cloudUuid = q.get('cloud_uuid');
  const cloud = cloudUuid ? ctl.store.get(cloudUuid) : [...ctl.store.ofType('cloud')].find((c) => c.obj.name === 'Default-Cloud');
  if (!cloud || cloud.type !== 'cloud') throw new ApiError(404, 'Cloud object not found!');
  const domains: string[] = [];
  for (const key of ['dns_provider_ref', 'ipam_provider_ref']) {
    const prof = ctl.store.get(refUuid(cloud.obj[key]) ?? '')?.obj;
    const internal = prof?.internal_profile as Obj | undefined;
    for (const d of Array.isArray(internal?.dns_service_domain) ? (internal.dns_service_domain as Obj[]) : []) {
      if (typeof d.domain_name === 'string' && !domains.includes(d.domain_name)) domains.push(d.domain_name);
    }
  }
  return json(200, { domains });
}

/**
 * `GET /api/licenseusage`: the emulator runs every virtual service on one virtual Service Engine of one core, so
 * usage is 1 SE / 1 core once any virtual service exists; the licence is the seed's (100 service cores).
 */
export function licenseUsage(ctl: Ctl): Reply {
  let vses = 0;
  for (const _ of ctl.store.ofType('virtualservice')) vses++;
  const ses = vses > 0 ? 1 : 0;
  const tier = one(ctl, 'systemconfiguration')?.default_license_tier ?? 'ENTERPRISE';
  return json(200, {
    license_tier: tier,
    licensed_service_cores: 100,
    consumed_service_cores: ses,
    licensed_cores: 100,
    num_se_vcpus: ses,
    licensed_ses: 100,
    num_ses: ses,
    licensed_sockets: 0,
    num_sockets: 0,
    num_virtualservices: vses,
  });
}
