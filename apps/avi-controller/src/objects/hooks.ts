// Server-side behaviour per type on create/update: the refs and values the controller fills in
// (CAS test_basic_vs / test_ssl_vs), VIP ids, and the checks that are not plain field rules.

import { ApiError } from '../http.js';
import type { Ctl } from '../context.js';
import type { Obj } from '../store/store.js';
import { systemRef } from './resolve.js';
import { parseCertificateInto } from './certs.js';
import { hashPassword, isHashed } from '../passwords.js';

type Hook = (ctl: Ctl, obj: Obj, prev: Obj | undefined, tenant: string, cloud: string | undefined) => void;

function setRef(ctl: Ctl, obj: Obj, key: string, type: string, name: string, tenant: string, cloud?: string): void {
  if (obj[key] !== undefined) return;
  const r = systemRef(ctl, type, name, tenant, cloud);
  if (r !== undefined) obj[key] = r;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Obj[]) : [];
}

const virtualservice: Hook = (ctl, obj, _prev, tenant, cloud) => {
  setRef(ctl, obj, 'vrf_context_ref', 'vrfcontext', 'global', tenant, cloud);
  setRef(ctl, obj, 'se_group_ref', 'serviceenginegroup', 'Default-Group', tenant, cloud);
  setRef(ctl, obj, 'application_profile_ref', 'applicationprofile', 'System-HTTP', tenant);
  setRef(ctl, obj, 'network_profile_ref', 'networkprofile', 'System-TCP-Proxy', tenant);
  setRef(ctl, obj, 'analytics_profile_ref', 'analyticsprofile', 'System-Analytics-Profile', tenant);
  const services = list(obj.services);
  for (const s of services) {
    if (s.port === undefined) throw new ApiError(400, 'Service port is required');
    if (s.port_range_end === undefined) s.port_range_end = s.port;
  }
  if (services.some((s) => s.enable_ssl === true)) setRef(ctl, obj, 'ssl_profile_ref', 'sslprofile', 'System-Standard-PFS', tenant);
  if (obj.cloud_config_cksum !== undefined && typeof obj.cloud_config_cksum !== 'string') obj.cloud_config_cksum = String(obj.cloud_config_cksum);
  if (obj.type === 'VS_TYPE_VH_CHILD' && obj.vh_parent_vs_ref === undefined) {
    throw new ApiError(400, 'Parent virtual service reference (vh_parent_vs_ref) is required for a VS_TYPE_VH_CHILD virtual service');
  }
  if (obj.vh_parent_vs_ref !== undefined && obj.type !== 'VS_TYPE_VH_CHILD') {
    throw new ApiError(400, 'vh_parent_vs_ref is allowed only on a VS_TYPE_VH_CHILD virtual service');
  }
  // VRF of the VS and of its pool must agree (alb-sdk issue #2659 message).
  const poolUuid = typeof obj.pool_ref === 'string' ? obj.pool_ref.split('/').pop() : undefined;
  const pool = poolUuid ? ctl.store.get(poolUuid) : undefined;
  if (pool && pool.obj.vrf_ref !== undefined && obj.vrf_context_ref !== undefined && pool.obj.vrf_ref !== obj.vrf_context_ref) {
    throw new ApiError(400, `VRF Context for ${String(obj.name)} and pool ${String(pool.obj.name)} different`);
  }
};

const vsvip: Hook = (ctl, obj, prev, tenant, cloud) => {
  setRef(ctl, obj, 'vrf_context_ref', 'vrfcontext', 'global', tenant, cloud);
  const vips = list(obj.vip);
  const prevVips = prev ? list(prev.vip) : [];
  vips.forEach((v, i) => {
    if (v.vip_id === undefined) v.vip_id = String(i);
    else v.vip_id = String(v.vip_id);
    // The controller renders these flags even when false (CAS test_basic_vs).
    for (const k of ['auto_allocate_ip', 'auto_allocate_floating_ip', 'avi_allocated_vip', 'avi_allocated_fip']) v[k] ??= false;
  });
  obj.east_west_placement ??= false;
  if (prevVips.length > 0 && vips.length === prevVips.length) {
    const before = new Set(prevVips.map((v) => String(v.vip_id)));
    if (vips.some((v) => !before.has(v.vip_id as string))) throw new ApiError(400, "Changing an existing VIP's vip_id is not supported");
  }
  ctl.ipam.assign(ctl.store, obj, prev, cloud);
};

const pool: Hook = (ctl, obj, _prev, tenant, cloud) => {
  setRef(ctl, obj, 'vrf_ref', 'vrfcontext', 'global', tenant, cloud);
  setRef(ctl, obj, 'analytics_profile_ref', 'analyticsprofile', 'System-Analytics-Profile', tenant);
  for (const s of list(obj.servers)) {
    const ip = s.ip as Obj | undefined;
    if (!ip || typeof ip.addr !== 'string') throw new ApiError(400, 'Server ip is required');
    if (s.hostname === undefined) s.hostname = ip.addr;
  }
};

const network: Hook = (ctl, obj, _prev, tenant, cloud) => {
  setRef(ctl, obj, 'vrf_context_ref', 'vrfcontext', 'global', tenant, cloud);
};

/** GslbService writes are refused on a follower site and during GSLB maintenance (AMKO's messages). */
export function checkGslbWritable(ctl: Ctl): void {
  for (const g of ctl.store.ofType('gslb')) {
    if (g.obj.maintenance_mode === true) throw new ApiError(400, 'GSLB system is in maintenance mode.');
    if (typeof g.obj.leader_cluster_uuid === 'string' && g.obj.leader_cluster_uuid !== ctl.identity.clusterUuid) {
      throw new ApiError(400, 'Config Operations can be done ONLY on leader');
    }
  }
}

const gslbservice: Hook = (ctl, obj) => {
  checkGslbWritable(ctl);
  ctl.dns.checkGslbDomains(obj);
};

const sslkeyandcertificate: Hook = (_ctl, obj) => {
  parseCertificateInto(obj);
};

const user: Hook = (_ctl, obj) => {
  if (obj.username === undefined) obj.username = obj.name;
  if (typeof obj.password === 'string' && !isHashed(obj.password)) obj.password = hashPassword(obj.password);
};

export const HOOKS: Record<string, Hook> = { virtualservice, vsvip, pool, network, gslbservice, sslkeyandcertificate, user };
