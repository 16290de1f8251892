/**
 * Checksums of GslbServices and health monitors. Neither type has a checksum field, so the checksum is computed over
 * a projection of the body that survives a write + read on the controller (refs reduced to names, fields the
 * controller fills in left out). The operator recomputes it from the objects it finds at boot, so a restart with
 * nothing changed writes nothing, and an out-of-band edit of a projected field is repaired on the next full sync.
 */
import { canonicalChecksum, makeDesired, parseRef, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const refName = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  // A URL with an empty host (the Go AMKO's tenant_ref, `https:///api/tenant/?name=admin`) is a ref by its path.
  const r = parseRef(v.replace(/^https?:\/\/(?=\/)/, ''));
  return r ? (r.by === 'name' ? r.name : (r.name ?? r.uuid)) : v;
};
const addr = (ip: unknown) => obj(ip).addr ?? null;
const opt = (v: unknown) => v ?? null;
const sorted = <T>(xs: T[], key: (x: T) => string = (x) => JSON.stringify(x)) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

// Lists whose order carries no meaning on the controller are compared as sets, as the Go AMKO's checksum sorts its
// lists (spec amko.md §5.2, gslbutils.GetGSLBServiceChecksum): the Go AMKO builds groups by iterating a Go map
// (rest/dq_nodes.go:buildGslbSvcGroups), so their order on a controller it wrote is arbitrary, and its members and
// description entries come in arrival order. A switch from the Go AMKO must not rewrite a GslbService for that.

function gslbservice(b: AviBody): unknown {
  return {
    name: b.name,
    domain_names: sorted(arr(b.domain_names)),
    enabled: opt(b.enabled),
    created_by: opt(b.created_by),
    description: typeof b.description === 'string' ? sorted(b.description.split(',')).join(',') : opt(b.description),
    controller_health_status_enabled: opt(b.controller_health_status_enabled),
    health_monitor_scope: opt(b.health_monitor_scope),
    pool_algorithm: opt(b.pool_algorithm),
    tenant: refName(b.tenant_ref),
    ttl: opt(b.ttl),
    site_persistence_enabled: b.site_persistence_enabled === true,
    persistence: b.site_persistence_enabled === true ? refName(b.application_persistence_profile_ref) : null,
    pki: b.site_persistence_enabled === true ? refName(b.pki_profile_ref) : null,
    health_monitors: sorted(arr(b.health_monitor_refs).map(refName)),
    down_response: b.down_response ? { type: obj(b.down_response).type ?? null, fallback: addr(obj(b.down_response).fallback_ip) } : null,
    groups: sorted(
      arr(b.groups).map((g) => {
        const grp = obj(g);
        return {
          name: grp.name,
          priority: opt(grp.priority),
          enabled: opt(grp.enabled),
          algorithm: opt(grp.algorithm),
          consistent_hash_mask: opt(grp.consistent_hash_mask),
          fallback_algorithm: opt(grp.fallback_algorithm),
          min_health_monitors_up: opt(grp.min_health_monitors_up),
          members: sorted(
            arr(grp.members).map((m) => {
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
          ),
        };
      }),
      (g) => String(g.priority).padStart(12, '0'),
    ),
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
    description: typeof b.description === 'string' ? sorted(b.description.split(',')).join(',') : opt(b.description),
    http_request: opt(monitor.http_request),
    http_response_code: opt(monitor.http_response_code),
    udp_request: opt(obj(b.udp_monitor).udp_request),
    tcp_half_open: opt(obj(b.tcp_monitor).tcp_half_open),
  };
}

const PROJECTIONS: Readonly<Record<string, (b: AviBody) => unknown>> = { gslbservice, healthmonitor };

export function checksumOf(type: string, body: AviBody): string {
  const project = PROJECTIONS[type];
  return String(canonicalChecksum(project ? project(body) : body));
}

export function desiredObject(tenant: string, type: 'gslbservice' | 'healthmonitor', name: string, body: AviBody): DesiredObject {
  return makeDesired({ tenant, type, name, body, checksum: checksumOf(type, body) });
}
