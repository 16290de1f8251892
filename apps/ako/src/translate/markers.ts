/**
 * Avi `markers` (RoleFilterMatchLabel) as the Go AKO writes them (spec ako.md §2.3): first `clustername`, then the
 * non-empty marker fields in the order of AKO's AviObjectMarkers struct. Host, Path and IngressName are multi-valued.
 */

export interface MarkerFields {
  readonly Namespace?: string;
  readonly Host?: readonly string[];
  readonly InfrasettingName?: string;
  readonly ServiceName?: string;
  readonly Path?: readonly string[];
  readonly Port?: string;
  readonly Protocol?: string;
  readonly IngressName?: readonly string[];
  readonly GatewayName?: string;
}

export interface AviMarker {
  readonly key: string;
  readonly values: readonly string[];
}

const ORDER: readonly (keyof MarkerFields)[] = ['Namespace', 'Host', 'InfrasettingName', 'ServiceName', 'Path', 'Port', 'Protocol', 'IngressName', 'GatewayName'];

export const CLUSTER_NAME_MARKER = 'clustername';

export function buildMarkers(clusterName: string, fields: MarkerFields = {}): AviMarker[] {
  const out: AviMarker[] = [{ key: CLUSTER_NAME_MARKER, values: [clusterName] }];
  for (const key of ORDER) {
    const v = fields[key];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out.push({ key, values: typeof v === 'string' ? [v] : [...(v as readonly string[])] });
  }
  return out;
}

// One builder per object kind (AKO's Populate*Markers), so callers cannot mix the key sets up.
export const l4VsMarkers = (cluster: string, ns: string, svc: string): AviMarker[] => buildMarkers(cluster, { Namespace: ns, ServiceName: svc });
/** A shared-VIP group's VS and L4 policy set: the annotation value as GatewayName. */
export const l4SharedMarkers = (cluster: string, ns: string, key: string): AviMarker[] => buildMarkers(cluster, { Namespace: ns, GatewayName: key });
export const l4SharedPoolMarkers = (cluster: string, ns: string, svc: string, port: number, protocol: string, key: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, ServiceName: svc, Port: String(port), Protocol: protocol, GatewayName: key });
export const l4PoolMarkers = (cluster: string, ns: string, svc: string, port: number): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, ServiceName: svc, Port: String(port) });
export const l4PolicySetMarkers = (cluster: string, ns: string, svc: string, protocols: readonly string[]): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, ServiceName: svc, Protocol: [...new Set(protocols)].sort().join(',') });
/** Shared VS, shared PG, shared-VS pools, datascript, VsVip: only clustername. */
export const sharedMarkers = (cluster: string): AviMarker[] => buildMarkers(cluster);
/** An insecure host/path's pool on a shard VS. */
export const shardPoolMarkers = (cluster: string, ns: string, host: string, path: string, ing: string, infra?: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, Host: [host], InfrasettingName: infra, Path: [path], IngressName: [ing] });
export const sniVsMarkers = (cluster: string, ns: string, host: string | readonly string[], infra?: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, Host: typeof host === 'string' ? [host] : host, InfrasettingName: infra });
export const sniPoolMarkers = (cluster: string, ns: string, host: string, path: string, ing: string, svc: string, infra?: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, Host: [host], InfrasettingName: infra, ServiceName: svc, Path: [path], IngressName: [ing] });
export const sniPoolGroupMarkers = (cluster: string, ns: string, host: string, path: string, ing: string, infra?: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, Host: [host], InfrasettingName: infra, Path: [path], IngressName: [ing] });
export const httpPolicySetMarkers = (cluster: string, ns: string, host: string | readonly string[], paths: readonly string[], ings: readonly string[], infra?: string): AviMarker[] =>
  buildMarkers(cluster, { Namespace: ns, Host: typeof host === 'string' ? (host ? [host] : []) : host, InfrasettingName: infra, Path: paths, IngressName: ings });
export const tlsCertMarkers = (cluster: string, host: string, infra?: string): AviMarker[] => buildMarkers(cluster, { Host: [host], InfrasettingName: infra });
