/**
 * Checksums of GslbServices and health monitors. Neither type has a checksum field, so the checksum is computed over
 * a projection of the body that survives a write + read on the controller (refs reduced to names, fields the
 * controller fills in left out). The operator recomputes it from the objects it finds at boot, so a restart with
 * nothing changed writes nothing, and an out-of-band edit of a projected field is repaired on the next full sync.
 */
import { canonicalJson, fnv1a32, makeDesired, parseRef, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const refName = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  const r = parseRef(v);
  return r ? (r.by === 'name' ? r.name : (r.name ?? r.uuid)) : v;
};
const addr = (ip: unknown) => obj(ip).addr ?? null;
const opt = (v: unknown) => v ?? null;

function gslbservice(b: AviBody): unknown {
  return {
    name: b.name,
    domain_names: arr(b.domain_names),
    enabled: opt(b.enabled),
    created_by: opt(b.created_by),
    description: opt(b.description),
    controller_health_status_enabled: opt(b.controller_health_status_enabled),
    health_monitor_scope: opt(b.health_monitor_scope),
    pool_algorithm: opt(b.pool_algorithm),
    tenant: refName(b.tenant_ref),
    ttl: opt(b.ttl),
    site_persistence_enabled: b.site_persistence_enabled === true,
    persistence: b.site_persistence_enabled === true ? refName(b.application_persistence_profile_ref) : null,
    pki: b.site_persistence_enabled === true ? refName(b.pki_profile_ref) : null,
    health_monitors: arr(b.health_monitor_refs).map(refName),
    down_response: b.down_response ? { type: obj(b.down_response).type ?? null, fallback: addr(obj(b.down_response).fallback_ip) } : null,
    groups: arr(b.groups).map((g) => {
      const grp = obj(g);
      return {
        name: grp.name,
        priority: opt(grp.priority),
        enabled: opt(grp.enabled),
        algorithm: opt(grp.algorithm),
        consistent_hash_mask: opt(grp.consistent_hash_mask),
        fallback_algorithm: opt(grp.fallback_algorithm),
        min_health_monitors_up: opt(grp.min_health_monitors_up),
        members: arr(grp.members).map((m) => {
          const mem = obj(m);
          return {
            enabled: opt(mem.enabled),
            ratio: opt(mem.ratio),
            ip: addr(mem.ip),
            cluster_uuid: opt(mem.cluster_uuid),
            vs_uuid: opt(mem.vs_uuid),
            public_ip: addr(obj(mem.public_ip).ip),
          };
        }),
      };
    }),
  };
}

function healthmonitor(b: AviBody): unknown {
  const monitor = obj(b.https_monitor ?? b.http_monitor);
  return {
    name: b.name,
    type: b.type,
    monitor_port: opt(b.monitor_port),
    is_federated: opt(b.is_federated),
    timing: [b.send_interval, b.receive_timeout, b.successful_checks, b.failed_checks].map(opt),
    markers: arr(b.markers).map((m) => ({ key: obj(m).key, values: obj(m).values })),
    tenant: refName(b.tenant_ref),
    description: opt(b.description),
    http_request: opt(monitor.http_request),
    http_response_code: opt(monitor.http_response_code),
    udp_request: opt(obj(b.udp_monitor).udp_request),
    tcp_half_open: opt(obj(b.tcp_monitor).tcp_half_open),
  };
}

const PROJECTIONS: Readonly<Record<string, (b: AviBody) => unknown>> = { gslbservice, healthmonitor };

export function checksumOf(type: string, body: AviBody): string {
  const project = PROJECTIONS[type];
  return String(fnv1a32(canonicalJson(project ? project(body) : body)));
}

export function desiredObject(tenant: string, type: 'gslbservice' | 'healthmonitor', name: string, body: AviBody): DesiredObject {
  return makeDesired({ tenant, type, name, body, checksum: checksumOf(type, body) });
}
