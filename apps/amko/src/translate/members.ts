// What AMKO reads from a member cluster's objects (spec amko.md §3.3): one "host meta" per Ingress host with a VIP
// in its status, and one per LoadBalancer Service, with the AKO annotations that identify the Avi VS.
import { isIP } from 'node:net';
import type * as k8s from '@kubernetes/client-node';

export const ANN_VS_UUID_MAP = 'ako.vmware.com/host-fqdn-vs-uuid-map';
export const ANN_CONTROLLER_UUID = 'ako.vmware.com/controller-cluster-uuid';
export const ANN_TENANT = 'ako.vmware.com/tenant-name';
export const ANN_ENABLE_TLS = 'ako.vmware.com/enable-tls';

export interface HostMeta {
  kind: 'INGRESS' | 'LBSVC';
  cluster: string;
  namespace: string;
  name: string;
  host: string;
  ip: string;
  labels: Readonly<Record<string, string>>;
  /** Ingress: paths of this host (sorted, unique, default '/'). */
  paths: string[];
  tls: boolean;
  /** LBSVC: lowest port and its protocol. */
  port?: number;
  protocol?: 'TCP' | 'UDP';
  vsUuid?: string;
  controllerUuid?: string;
  /** The object's own tenant annotation, if any. */
  tenant?: string;
}

export type Extracted = { ok: true; metas: HostMeta[] } | { ok: false; reason: string } | { ok: 'skip' };

function vsUuidMap(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  const raw = annotations?.[ANN_VS_UUID_MAP];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, string>;
  } catch {
    /* reported by the caller as missing */
  }
  return undefined;
}

function identity(annotations: Record<string, string> | undefined, host: string): Pick<HostMeta, 'vsUuid' | 'controllerUuid' | 'tenant'> {
  const vs = vsUuidMap(annotations)?.[host];
  const ctl = annotations?.[ANN_CONTROLLER_UUID];
  const tenant = annotations?.[ANN_TENANT];
  return { ...(vs ? { vsUuid: vs } : {}), ...(ctl ? { controllerUuid: ctl } : {}), ...(tenant ? { tenant } : {}) };
}

export function ingressMetas(cluster: string, ing: k8s.V1Ingress): Extracted {
  const md = ing.metadata ?? {};
  const rules = ing.spec?.rules ?? [];
  const hosts = new Set(rules.map((r) => r.host).filter((h): h is string => !!h));
  const lb = ing.status?.loadBalancer?.ingress ?? [];
  if (lb.length === 0) return { ok: 'skip' };
  const tlsHosts = new Set((ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
  const allTls = md.annotations?.[ANN_ENABLE_TLS] !== undefined;
  const metas: HostMeta[] = [];
  const seen = new Set<string>();
  for (const entry of lb) {
    const host = entry.hostname;
    if (!host || !entry.ip || !isIP(entry.ip) || !hosts.has(host) || seen.has(host)) continue;
    seen.add(host);
    const paths = [...new Set(rules.filter((r) => r.host === host).flatMap((r) => (r.http?.paths ?? []).map((p) => p.path || '/')))].sort();
    metas.push({
      kind: 'INGRESS',
      cluster,
      namespace: md.namespace ?? '',
      name: md.name ?? '',
      host,
      ip: entry.ip,
      labels: md.labels ?? {},
      paths: paths.length ? paths : ['/'],
      tls: allTls || tlsHosts.has(host),
      ...identity(md.annotations, host),
    });
  }
  if (metas.length === 0) return { ok: false, reason: 'no status entry with an IP and a hostname matching a rule host' };
  return { ok: true, metas };
}

export function serviceMetas(cluster: string, svc: k8s.V1Service): Extracted {
  if (svc.spec?.type !== 'LoadBalancer') return { ok: 'skip' };
  const md = svc.metadata ?? {};
  const first = svc.status?.loadBalancer?.ingress?.[0];
  if (!first) return { ok: 'skip' };
  if (!first.hostname) return { ok: false, reason: 'status.loadBalancer.ingress[0] has no hostname' };
  if (!first.ip || !isIP(first.ip)) return { ok: false, reason: 'status.loadBalancer.ingress[0] has no IP address' };
  const ports = [...(svc.spec.ports ?? [])].sort((a, b) => a.port - b.port);
  const lowest = ports[0];
  if (!lowest) return { ok: false, reason: 'the Service has no ports' };
  return {
    ok: true,
    metas: [
      {
        kind: 'LBSVC',
        cluster,
        namespace: md.namespace ?? '',
        name: md.name ?? '',
        host: first.hostname,
        ip: first.ip,
        labels: md.labels ?? {},
        paths: [],
        tls: false,
        port: lowest.port,
        protocol: lowest.protocol === 'UDP' ? 'UDP' : 'TCP',
        ...identity(md.annotations, first.hostname),
      },
    ],
  };
}

/** The GslbService description entry of a meta (spec §4.5): INGRESS/cluster/ns/name/host or LBSVC/cluster/ns/name. */
export function describeMeta(m: HostMeta): string {
  return m.kind === 'INGRESS' ? `INGRESS/${m.cluster}/${m.namespace}/${m.name}/${m.host}` : `LBSVC/${m.cluster}/${m.namespace}/${m.name}`;
}
