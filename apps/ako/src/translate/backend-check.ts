/**
 * Why a backend cannot serve: the Service or its port is missing, it is an ExternalName, or its pool would have no
 * server (no EndpointSlices, only IPv6/FQDN slices for an IPv4 Service, no ready endpoint; no node or NPL port in
 * the NodePort modes). The pool is still created (empty, as the Go AKO does); the object gets a warning. Pure.
 */
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import type { AkoConfig } from './config.js';
import { families, poolServers, SKIP_NODEPORT_ANNOTATION, slicePortFor } from './servers.js';
import { nsName, type SnapshotIndex } from './snapshot.js';

export type BackendPort = { readonly number?: number; readonly name?: string };

const portText = (p: BackendPort): string => (p.number !== undefined ? String(p.number) : JSON.stringify(p.name ?? ''));

/** The problem of Service `ns/name` port `port` as a pool's backend, or undefined when it has servers. */
export function backendProblem(idx: SnapshotIndex, c: AkoConfig, ns: string, name: string, port: BackendPort): string | undefined {
  const svc = idx.services.get(nsName(ns, name));
  const what = `backend Service ${ns}/${name}`;
  if (!svc) return `${what} not found: its pool has no servers`;
  if (svc.spec?.type === 'ExternalName') return `${what} is of type ExternalName (${svc.spec.externalName ?? ''}), which AKO cannot send traffic to: its pool has no servers`;
  const sp = (svc.spec?.ports ?? []).find((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
  if (!sp) return `${what} has no port ${portText(port)}: its pool has no servers`;
  if (poolServers(idx, c, svc, sp).length > 0) return undefined;
  return `${what} port ${portText(port)}: ${emptyPoolReason(idx, c, svc, sp)}: its pool has no servers`;
}

/** Why `poolServers` found nothing for this Service port. */
export function emptyPoolReason(idx: SnapshotIndex, c: AkoConfig, svc: V1Service, sp: V1ServicePort): string {
  const byEndpoints = c.serviceType === 'ClusterIP' || svc.metadata?.annotations?.[SKIP_NODEPORT_ANNOTATION] !== undefined;
  if (c.serviceType === 'NodePortLocal' && svc.spec?.type === 'NodePort') return 'NodePortLocal does not serve a Service of type NodePort';
  if (c.serviceType === 'NodePort' && !byEndpoints) {
    if (sp.nodePort === undefined || sp.nodePort === null) return 'no nodePort (serviceType NodePort needs a Service of type NodePort or LoadBalancer)';
    if (svc.spec?.externalTrafficPolicy === 'Local') return 'no node with a ready endpoint (externalTrafficPolicy Local) or no node address of its IP family';
    return 'no node matches the nodePortSelector with an InternalIP of its IP family';
  }
  const slices = idx.slicesByService.get(nsName(svc.metadata?.namespace, svc.metadata?.name)) ?? [];
  if (slices.length === 0) return 'no EndpointSlices';
  const fam = families(svc);
  const usable = slices.filter((s) => (s.addressType === 'IPv4' && fam.v4) || (s.addressType === 'IPv6' && fam.v6));
  if (usable.length === 0) {
    const types = [...new Set(slices.map((s) => s.addressType))].sort().join(', ');
    return `its EndpointSlices are of address type ${types} only, none of the Service's IP families (${svc.spec?.ipFamilies?.join(', ') ?? 'IPv4'})`;
  }
  const withPort = usable.filter((s) => slicePortFor(svc, sp, s) !== undefined);
  if (withPort.length === 0) return `no EndpointSlice port matches the Service port ${sp.name ? JSON.stringify(sp.name) : sp.port}`;
  const endpoints = withPort.flatMap((s) => s.endpoints ?? []);
  if (endpoints.length === 0) return 'no endpoints';
  if (c.serviceType === 'NodePortLocal') return 'no ready pod with a NodePortLocal port for it';
  return `no ready endpoint (${endpoints.length} not ready)`;
}
