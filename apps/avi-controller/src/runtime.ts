// Runtime (operational) views synthesised from configuration (emulator rule 11): OPER_UP when enabled
// and (for pools) at least one enabled server; OPER_DISABLED when disabled; OPER_DOWN for empty pools.
// Tests can force a state per object uuid (PUT /debug/runtime/<uuid>), not persisted.

import type { Ctl, Identity } from './context.js';
import type { Entry, Obj } from './store/store.js';
import { refUuid } from './store/store.js';
import { combineMemberState } from './gslb-health.js';

export type OperState = 'OPER_UP' | 'OPER_DOWN' | 'OPER_DISABLED' | 'OPER_UNAVAIL' | 'OPER_INITIALIZING' | 'OPER_RESOURCES';

export interface OperStatus {
  state: string;
  reason?: string[];
  last_changed_time: { secs: number; usecs: number };
}

function overridesOf(ctl: Ctl): Map<string, string> {
  return ctl.runtimeOverrides;
}

function status(ctl: Ctl, e: Entry, state: string, reason?: string): OperStatus {
  const forced = overridesOf(ctl).get(e.obj.uuid as string);
  const lm = Number(e.obj._last_modified ?? 0);
  const out: OperStatus = { state: forced ?? state, last_changed_time: { secs: Math.floor(lm / 1e6), usecs: lm % 1e6 } };
  if (!forced && reason) out.reason = [reason];
  return out;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

function serverPort(e: Entry, s: Obj): number {
  return typeof s.port === 'number' && s.port > 0 ? s.port : typeof e.obj.default_server_port === 'number' ? e.obj.default_server_port : 80;
}

/** Why the data plane considers a server down (last dial failed, non-loopback address); undefined otherwise. */
function serverDown(ctl: Ctl, e: Entry, s: Obj): string | undefined {
  const ip = (s.ip as Obj | undefined)?.addr;
  return ctl.dataplane && typeof ip === 'string' ? ctl.dataplane.serverDown(ip, serverPort(e, s)) : undefined;
}

export function poolStatus(ctl: Ctl, e: Entry): OperStatus {
  if (e.obj.enabled === false) return status(ctl, e, 'OPER_DISABLED');
  const enabled = list(e.obj.servers).filter((s) => s.enabled !== false);
  if (enabled.length === 0) return status(ctl, e, 'OPER_DOWN', 'Pool has no enabled servers');
  const down = enabled.map((s) => serverDown(ctl, e, s)).filter((r): r is string => r !== undefined);
  if (down.length === enabled.length) return status(ctl, e, 'OPER_DOWN', `Servers unreachable: ${down[0]!}`);
  return status(ctl, e, 'OPER_UP');
}

export function poolRuntime(ctl: Ctl, e: Entry): Obj {
  const servers = list(e.obj.servers);
  const enabled = servers.filter((s) => s.enabled !== false);
  const st = poolStatus(ctl, e);
  const up = st.state === 'OPER_UP' ? enabled.filter((s) => serverDown(ctl, e, s) === undefined).length : 0;
  return {
    name: e.obj.name,
    uuid: e.obj.uuid,
    oper_status: st,
    num_servers: servers.length,
    num_servers_enabled: enabled.length,
    num_servers_up: up,
    percent_servers_up_enabled: enabled.length ? Math.round((100 * up) / enabled.length) : 0,
    percent_servers_up_total: servers.length ? Math.round((100 * up) / servers.length) : 0,
  };
}

export function poolServerRuntime(ctl: Ctl, e: Entry): Obj[] {
  const st = poolStatus(ctl, e);
  return list(e.obj.servers).map((s) => {
    const down = s.enabled === false ? undefined : serverDown(ctl, e, s);
    const state = s.enabled === false ? 'OPER_DISABLED' : st.state === 'OPER_DISABLED' ? 'OPER_DISABLED' : down !== undefined ? 'OPER_DOWN' : st.state;
    return {
      ip_addr: s.ip,
      port: s.port ?? e.obj.default_server_port ?? 80,
      hostname: s.hostname,
      enabled: s.enabled !== false,
      oper_status: { state, ...(down !== undefined ? { reason: [down] } : {}), last_changed_time: st.last_changed_time },
    };
  });
}

function vsPools(ctl: Ctl, vs: Obj): Entry[] {
  const out: Entry[] = [];
  const p = ctl.store.get(refUuid(vs.pool_ref) ?? '');
  if (p) out.push(p);
  const pg = ctl.store.get(refUuid(vs.pool_group_ref) ?? '');
  for (const m of list(pg?.obj.members)) {
    const mp = ctl.store.get(refUuid(m.pool_ref) ?? '');
    if (mp) out.push(mp);
  }
  return out;
}

export function vsStatus(ctl: Ctl, e: Entry): OperStatus {
  if (e.obj.enabled === false) return status(ctl, e, 'OPER_DISABLED');
  const issues = ctl.dataplane?.vsIssues(e.obj.uuid as string) ?? [];
  if (issues.length > 0) return status(ctl, e, 'OPER_DOWN', issues.join('; '));
  const pools = vsPools(ctl, e.obj);
  if (pools.length > 0 && !pools.some((p) => poolStatus(ctl, p).state === 'OPER_UP')) return status(ctl, e, 'OPER_DOWN', 'Pool(s) down');
  return status(ctl, e, 'OPER_UP');
}

export function vsRuntime(ctl: Ctl, e: Entry): Obj {
  const st = vsStatus(ctl, e);
  const vsvip = ctl.store.get(refUuid(e.obj.vsvip_ref) ?? '');
  const vips = list(vsvip?.obj.vip ?? e.obj.vip);
  return {
    name: e.obj.name,
    uuid: e.obj.uuid,
    oper_status: st,
    percent_ses_up: st.state === 'OPER_UP' ? 100 : 0,
    vip_summary: vips.map((v) => ({
      vip_id: v.vip_id,
      ip_address: v.ip_address,
      enabled: v.enabled !== false,
      auto_allocate_ip: v.auto_allocate_ip ?? false,
      oper_status: { state: v.enabled === false ? 'OPER_DISABLED' : st.state, last_changed_time: st.last_changed_time },
      num_se_assigned: st.state === 'OPER_UP' ? 1 : 0,
      num_se_requested: 1,
      percent_ses_up: st.state === 'OPER_UP' ? 100 : 0,
      service_engine: [],
    })),
  };
}

export function gslbServiceRuntime(ctl: Ctl, e: Entry, identity: Identity): Obj {
  const o = e.obj;
  const tenant = ctl.store.get(refUuid(o.tenant_ref) ?? 'admin');
  const overall = o.enabled === false ? 'OPER_DISABLED' : undefined;
  const forced = overridesOf(ctl);
  let anyUp = false;
  const groups = list(o.groups).map((g) => {
    const members = list(g.members).map((m) => {
      const vsUuid = typeof m.vs_uuid === 'string' ? m.vs_uuid : undefined;
      const vs = vsUuid ? ctl.store.get(vsUuid) : undefined;
      const disabled = overall ?? (g.enabled === false || m.enabled === false ? 'OPER_DISABLED' : undefined);
      let state = disabled ?? 'OPER_UP';
      if (!disabled && vsUuid && forced.has(vsUuid)) state = forced.get(vsUuid)!;
      else if (!disabled && vs && vs.type === 'virtualservice') state = vsStatus(ctl, vs).state;
      // Data-path monitors (gslb-health.ts) combined with the controller-provided status (the VS's), when enabled.
      let reasons: string[] = [];
      const addr = (m.ip as Obj | undefined)?.addr;
      const monitors = !disabled && ctl.gslbHealth && typeof addr === 'string' ? ctl.gslbHealth.results(String(o.uuid), addr) : [];
      if (monitors.length > 0) ({ state, reasons } = combineMemberState(o.controller_health_status_enabled === false ? undefined : state, monitors, g.min_health_monitors_up));
      if (state === 'OPER_UP') anyUp = true;
      return {
        cluster_uuid: m.cluster_uuid ?? identity.clusterUuid,
        vs_uuid: vsUuid,
        vs_name: vs?.obj.name,
        gs_name: o.name,
        gs_uuid: o.uuid,
        fqdn: m.fqdn,
        ip: m.ip,
        oper_ips: m.ip ? [m.ip] : [],
        oper_status: { state, ...(reasons.length > 0 ? { reason: reasons } : {}) },
        vip_type: vsUuid ? 'AVI_VIP' : 'NON_AVI_VIP',
      };
    });
    return { name: g.name, oper_status: { state: overall ?? (members.some((m) => m.oper_status.state === 'OPER_UP') ? 'OPER_UP' : 'OPER_DOWN') }, members };
  });
  const state = overall ?? (anyUp ? 'OPER_UP' : 'OPER_DOWN');
  return {
    name: o.name,
    uuid: o.uuid,
    tenant_name: tenant?.obj.name ?? 'admin',
    domain_names: o.domain_names ?? [],
    oper_status: status(ctl, e, state),
    groups,
  };
}

export function clusterRuntime(identity: Identity): Obj {
  return {
    cluster_state: { state: 'CLUSTER_UP_NO_HA', up_since: identity.upSince, progress: 100 },
    node_states: [
      { name: identity.nodeName, role: 'CLUSTER_LEADER', up_since: identity.upSince, state: 'CLUSTER_ACTIVE', mgmt_ip: identity.nodeName },
    ],
    node_info: { mgmt_ip: identity.nodeName, uuid: identity.clusterUuid, cluster_uuid: identity.clusterUuid },
  };
}

/** `GET /api/gslb/<uuid>/runtime`: each site with its role and state (this controller is the leader site). */
export function gslbRuntime(e: Entry, identity: Identity): Obj {
  const o = e.obj;
  const leader = typeof o.leader_cluster_uuid === 'string' ? o.leader_cluster_uuid : identity.clusterUuid;
  return {
    name: o.name,
    uuid: o.uuid,
    leader_cluster_uuid: leader,
    dns_configs: o.dns_configs ?? [],
    site: list(o.sites).map((s) => {
      const isLeader = s.cluster_uuid === leader;
      const state = s.enabled === false ? 'OPER_DISABLED' : s.cluster_uuid === identity.clusterUuid ? 'OPER_UP' : 'OPER_UNAVAIL';
      return {
        site_info: {
          name: s.name,
          cluster_uuid: s.cluster_uuid,
          ip_addresses: s.ip_addresses ?? [],
          port: s.port ?? 443,
          member_type: s.member_type ?? 'GSLB_ACTIVE_MEMBER',
          role: isLeader ? 'GSLB_LEADER' : 'GSLB_MEMBER',
          enabled: s.enabled !== false,
          state: state === 'OPER_UP' ? 'SITE_STATE_OPERATIONAL' : 'SITE_STATE_UNREACHABLE',
          oper_status: { state },
        },
      };
    }),
  };
}
