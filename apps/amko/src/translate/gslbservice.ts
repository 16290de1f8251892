// The GslbService body for one FQDN (spec amko.md §4.2, §4.3, §4.5): one group per distinct priority, members
// de-duplicated by IP, and the GS-wide properties resolved GSLBHostRule > GDP > defaults.
import type { DownResponse, PoolAlgorithmSettings } from '@avi-k8s/crds';
import type { AviBody } from '@avi-k8s/avi-sync';
import { describeMeta, type HostMeta } from './members.js';
import { createdBy, groupName, refByName, tenantRef } from './names.js';

export const DEFAULT_WEIGHT = 1;
export const DEFAULT_PRIORITY = 10;

export interface GsMember {
  ip: string;
  ratio: number;
  priority: number;
  /** Set unless the member is added by IP only (syncVipOnly, third-party). */
  vsUuid?: string;
  clusterUuid?: string;
  publicIp?: string;
}

/** GS-wide settings after precedence. */
export interface GsSettings {
  ttl?: number;
  /** Health monitor names (AMKO's own or the user's refs); empty with controlPlaneHmOnly. */
  healthMonitors: string[];
  /** min_health_monitors_up of every group. */
  minHealthMonitorsUp: number;
  sitePersistence?: { profile: string; pki?: string };
  poolAlgorithm?: PoolAlgorithmSettings;
  downResponse?: DownResponse;
}

export interface GsInput {
  name: string;
  /** The name first, then HostRule aliases (spec §4.1); default: the name alone. */
  domainNames?: readonly string[];
  tenant: string;
  amkoUuid: string;
  /** Kubernetes sources, in a stable order (they make the description). */
  metas: readonly HostMeta[];
  members: readonly GsMember[];
  settings: GsSettings;
}

function v4(addr: string) {
  return { addr, type: addr.includes(':') ? 'V6' : 'V4' };
}

function groupAlgorithm(p: PoolAlgorithmSettings | undefined): AviBody {
  const algorithm = p?.lbAlgorithm ?? 'GSLB_ALGORITHM_ROUND_ROBIN';
  const out: AviBody = { algorithm };
  if (algorithm === 'GSLB_ALGORITHM_CONSISTENT_HASH' && p?.hashMask !== undefined) out.consistent_hash_mask = p.hashMask;
  if (algorithm === 'GSLB_ALGORITHM_GEO' && p?.geoFallback?.lbAlgorithm) {
    out.fallback_algorithm = p.geoFallback.lbAlgorithm;
    if (p.geoFallback.lbAlgorithm === 'GSLB_ALGORITHM_CONSISTENT_HASH' && p.geoFallback.hashMask !== undefined) out.consistent_hash_mask = p.geoFallback.hashMask;
  }
  return out;
}

/** Unique members by IP, first wins (the input order is the caller's stable order). */
export function uniqueByIp(members: readonly GsMember[]): GsMember[] {
  const seen = new Set<string>();
  return members.filter((m) => (seen.has(m.ip) ? false : (seen.add(m.ip), true)));
}

export function gslbServiceBody(gs: GsInput): AviBody {
  const members = uniqueByIp(gs.members);
  const priorities = [...new Set(members.map((m) => m.priority))].sort((a, b) => b - a);
  const algo = groupAlgorithm(gs.settings.poolAlgorithm);
  const groups = priorities.map((priority) => ({
    name: groupName(priority),
    priority,
    enabled: true,
    ...algo,
    min_health_monitors_up: gs.settings.minHealthMonitorsUp,
    members: members
      .filter((m) => m.priority === priority)
      .map((m) => ({
        enabled: true,
        ratio: m.ratio,
        ip: v4(m.ip),
        ...(m.clusterUuid ? { cluster_uuid: m.clusterUuid } : {}),
        ...(m.vsUuid ? { vs_uuid: m.vsUuid } : {}),
        ...(m.publicIp ? { public_ip: { ip: v4(m.publicIp) } } : {}),
      })),
  }));
  const s = gs.settings;
  const down = s.downResponse;
  return {
    name: gs.name,
    domain_names: [...(gs.domainNames ?? [gs.name])],
    enabled: true,
    is_federated: true,
    created_by: createdBy(gs.amkoUuid),
    description: [...new Set(gs.metas.map(describeMeta))].join(','),
    controller_health_status_enabled: true,
    health_monitor_scope: 'GSLB_SERVICE_HEALTH_MONITOR_ALL_MEMBERS',
    min_members: 0,
    pool_algorithm: 'GSLB_SERVICE_ALGORITHM_PRIORITY',
    resolve_cname: false,
    use_edns_client_subnet: true,
    wildcard_match: false,
    tenant_ref: tenantRef(gs.tenant),
    ...(s.ttl !== undefined ? { ttl: s.ttl } : {}),
    site_persistence_enabled: s.sitePersistence !== undefined,
    ...(s.sitePersistence ? { application_persistence_profile_ref: refByName('applicationpersistenceprofile', s.sitePersistence.profile) } : {}),
    ...(s.sitePersistence?.pki ? { pki_profile_ref: refByName('pkiprofile', s.sitePersistence.pki) } : {}),
    // No monitors (controlPlaneHmOnly): no field at all, as the Go AMKO leaves HealthMonitorRefs nil (AviGSBuild).
    ...(s.healthMonitors.length > 0 ? { health_monitor_refs: s.healthMonitors.map((h) => refByName('healthmonitor', h)) } : {}),
    ...(down
      ? { down_response: { type: down.type, ...(down.fallbackIP ? { fallback_ip: v4(down.fallbackIP) } : {}) } }
      : {}),
    groups,
  };
}
