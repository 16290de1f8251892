// What the Go AMKO sends and stores, written by hand from the spec's facts (/work/shared/spec/amko.md, each fact with
// its upstream path in github.com/vmware/global-load-balancing-services-for-kubernetes) and from reading that source
// (gslb/rest/dq_nodes.go), never from running our code. Shared by the translate parity table and the switch tests.
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';

/** The AMKO identity of the spec's GSLBConfig sample (§2.1). */
export const AMKO_UUID = 'b3923b8e-7bff-11ee-8972-a24a90367d8f';
/** §2.1 / §14.1: created_by on GslbServices and the created-by marker value on monitors. */
export const GO_CREATED_BY = `amko-${AMKO_UUID}`;
/**
 * §4.5 (gslbutils.go:GetAviAdminTenantRef): `https://` + env GSLB_CTRL_IPADDRESS (set by nothing) +
 * `/api/tenant/?name=admin`, on every GslbService and monitor whatever the GS's tenant (issue 15 saw it on the wire).
 */
export const GO_TENANT_REF = 'https:///api/tenant/?name=admin';
/** Ours: the GS's tenant as a relative ref (deliberate difference, README). */
export const OUR_TENANT_REF = '/api/tenant/?name=admin';

/** §4.5, rest/dq_nodes.go:AviGSBuild: the fields every GslbService the Go AMKO builds carries with fixed values. */
export const GO_GS_FIXED = {
  enabled: true,
  is_federated: true,
  created_by: GO_CREATED_BY,
  controller_health_status_enabled: true,
  health_monitor_scope: 'GSLB_SERVICE_HEALTH_MONITOR_ALL_MEMBERS',
  min_members: 0,
  pool_algorithm: 'GSLB_SERVICE_ALGORITHM_PRIORITY',
  resolve_cname: false,
  use_edns_client_subnet: true,
  wildcard_match: false,
  tenant_ref: GO_TENANT_REF,
} as const;

/** §4.4, rest/dq_nodes.go:AviGsHmBuild: the fields every monitor the Go AMKO builds carries with fixed values. */
export const GO_HM_FIXED = {
  is_federated: true,
  send_interval: 10,
  receive_timeout: 4,
  successful_checks: 3,
  failed_checks: 3,
  allow_duplicate_monitors: true,
  markers: [{ key: 'created-by', values: [GO_CREATED_BY] }],
  tenant_ref: GO_TENANT_REF,
} as const;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
/** §4.4: `amko--` + hex(SHA1("http"|"https" + "--" + gsName + "--" + path)) (gslbutils.EncodeHMName). */
export const goPathHmName = (protocol: 'http' | 'https', gs: string, path: string) => `amko--${sha1(`${protocol}--${gs}--${path}`)}`;
/** §4.4: `amko--` + hex(SHA1(gsName)) for a LoadBalancer Service GS. */
export const goServiceHmName = (gs: string) => `amko--${sha1(gs)}`;
/** rest/dq_nodes.go:AviGSBuild: `hmAPI := "/api/healthmonitor?name="`, `/api/applicationpersistenceprofile?name=`. */
export const goRef = (type: string, name: string) => `/api/${type}?name=${name}`;

/** A Go path monitor, §4.4 table row 1 (HEAD <path> HTTP/1.0 and 2XX/3XX unless a template gives them). */
export function goPathHm(protocol: 'http' | 'https', gs: string, path: string, template?: { name: string; request: string; codes: string[] }): AviBody {
  const name = goPathHmName(protocol, gs, path);
  const monitor = { http_request: template ? template.request : `HEAD ${path} HTTP/1.0`, http_response_code: template ? template.codes : ['HTTP_2XX', 'HTTP_3XX'] };
  return {
    ...GO_HM_FIXED,
    name,
    type: protocol === 'https' ? 'HEALTH_MONITOR_HTTPS' : 'HEALTH_MONITOR_HTTP',
    monitor_port: protocol === 'https' ? 443 : 80,
    description: `created by: amko, gsname: ${gs}, path: ${path}, protocol: ${protocol}${template ? `, created from: ${template.name}` : ''}`,
    [protocol === 'https' ? 'https_monitor' : 'http_monitor']: monitor,
  };
}

/** A Go TCP/UDP monitor, §4.4 table row 2: lowest service port, tcp_half_open false or the fixed UDP request. */
export function goServiceHm(gs: string, port: number, udp = false): AviBody {
  return {
    ...GO_HM_FIXED,
    name: goServiceHmName(gs),
    type: udp ? 'HEALTH_MONITOR_UDP' : 'HEALTH_MONITOR_TCP',
    monitor_port: port,
    description: `created by: amko, gsname: ${gs}`,
    ...(udp ? { udp_monitor: { udp_request: 'created_by: amko, request string not required' } } : { tcp_monitor: { tcp_half_open: false } }),
  };
}

/** §4.2 (buildGsPoolMember): enabled, ratio, ip V4, and cluster_uuid + vs_uuid unless added by IP only. */
export function goMember(ip: string, ratio: number, ids?: { cluster: string; vs: string }, publicIp?: string): AviBody {
  return {
    enabled: true,
    ratio,
    ip: { addr: ip, type: 'V4' },
    ...(ids ? { cluster_uuid: ids.cluster, vs_uuid: ids.vs } : {}),
    ...(publicIp ? { public_ip: { ip: { addr: publicIp, type: 'V4' } } } : {}),
  };
}

/** §4.3 (buildGsPool): `amko-gs-group-<p>`, enabled, the pool algorithm, min_health_monitors_up 2 unless changed. */
export function goGroup(priority: number, members: AviBody[], extra: AviBody = {}): AviBody {
  return { name: `amko-gs-group-${priority}`, priority, enabled: true, algorithm: 'GSLB_ALGORITHM_ROUND_ROBIN', min_health_monitors_up: 2, members, ...extra };
}

// ---- inputs: member objects as AKO leaves them (§3.3), in namespace `gslb` labelled ns=gslb ----

export const NS = 'gslb';
export const ids = (cluster: string, name: string) => ({ cluster: `cluster-${cluster}`, vs: `virtualservice-${cluster}-${name}` });

export function namespace(labels: Record<string, string> = { ns: 'gslb' }): k8s.V1Namespace {
  return { metadata: { name: NS, labels } };
}

export function ingress(cluster: string, name: string, host: string, ip: string, opts: { paths?: string[]; tls?: boolean; labels?: Record<string, string> } = {}): k8s.V1Ingress {
  const id = ids(cluster, name);
  return {
    metadata: {
      name,
      namespace: NS,
      labels: opts.labels ?? { app: 'gslb' },
      annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host]: id.vs }), 'ako.vmware.com/controller-cluster-uuid': id.cluster },
    },
    spec: {
      ...(opts.tls ? { tls: [{ hosts: [host], secretName: 'tls' }] } : {}),
      rules: [{ host, http: { paths: (opts.paths ?? ['/']).map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } })) } }],
    },
    status: { loadBalancer: { ingress: [{ ip, hostname: host }] } },
  };
}

export function lbService(cluster: string, name: string, host: string, ip: string, ports: { port: number; protocol?: 'TCP' | 'UDP' }[]): k8s.V1Service {
  const id = ids(cluster, name);
  return {
    metadata: {
      name,
      namespace: NS,
      labels: { app: 'gslb' },
      annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host]: id.vs }), 'ako.vmware.com/controller-cluster-uuid': id.cluster },
    },
    spec: { type: 'LoadBalancer', ports: ports.map((p) => ({ port: p.port, targetPort: p.port, protocol: p.protocol ?? 'TCP' })) },
    status: { loadBalancer: { ingress: [{ ip, hostname: host }] } },
  };
}

/** The GDP of the docs' minimal sample (§2.2) for members c2 and c3, plus `extra`. */
export function gdpSpec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: { ns: 'gslb' } } },
    matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }],
    ...extra,
  };
}

/** An AKO HostRule (ako.vmware.com/v1beta1) in a member, as AKO leaves it (status Accepted unless given). */
export function akoHostRule(
  name: string,
  fqdn: string,
  o: { aliases?: string[]; gslb?: { fqdn: string; includeAliases?: boolean }; tlsCert?: string; status?: string } = {},
): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: unknown; status: unknown } {
  return {
    apiVersion: 'ako.vmware.com/v1beta1',
    kind: 'HostRule',
    metadata: { name, namespace: NS },
    spec: {
      virtualhost: {
        fqdn,
        fqdnType: 'Exact',
        ...(o.aliases ? { aliases: o.aliases } : {}),
        ...(o.gslb ? { gslb: o.gslb } : {}),
        ...(o.tlsCert ? { tls: { sslKeyCertificate: { name: o.tlsCert, type: 'ref' } } } : {}),
      },
    },
    status: { status: o.status ?? 'Accepted' },
  };
}
