/**
 * Pool servers of a Service port (spec ako.md §1 "Backend service type"): pod IPs from EndpointSlices (ClusterIP),
 * `nodeIP:nodePort` of the selected nodes (NodePort), or Antrea NodePortLocal ports from the pods' annotation.
 */
import type { V1EndpointSlice, V1Node, V1Service, V1ServicePort } from '@kubernetes/client-node';
import type { AkoConfig } from './config.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';

export const SKIP_NODEPORT_ANNOTATION = 'skipnodeport.ako.vmware.com/enabled';
export const NPL_POD_ANNOTATION = 'nodeportlocal.antrea.io';

export interface PoolServer {
  readonly enabled?: true;
  /** `<ip>:<port>`, as the Go AKO sets it. */
  readonly external_uuid: string;
  readonly ip: { readonly addr: string; readonly type: 'V4' | 'V6' };
  readonly port: number;
  readonly server_node?: string;
}

const server = (addr: string, port: number, extra: { enabled?: true; server_node?: string } = {}): PoolServer => ({
  ...(extra.enabled ? { enabled: true as const } : {}),
  external_uuid: `${addr}:${port}`,
  ip: { addr, type: isV4(addr) ? 'V4' : 'V6' },
  port,
  ...(extra.server_node ? { server_node: extra.server_node } : {}),
});

export const isV4 = (addr: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(addr);
export const families = (svc: V1Service): { v4: boolean; v6: boolean } => {
  const f = svc.spec?.ipFamilies ?? ['IPv4'];
  return { v4: f.includes('IPv4'), v6: f.includes('IPv6') };
};

/** The slice port that backs `sp` (by name; a single-port Service matches a single-port slice). */
export function slicePortFor(svc: V1Service, sp: V1ServicePort, es: V1EndpointSlice): number | undefined {
  const ports = es.ports ?? [];
  const byName = ports.find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
  if (byName?.port !== undefined) return byName.port;
  if ((svc.spec?.ports ?? []).length === 1 && ports.length === 1) return ports[0]!.port;
  return undefined;
}

interface ReadyEndpoint {
  readonly addr: string;
  readonly port: number;
  readonly node?: string;
  readonly pod?: string;
}

/** Ready endpoints of a Service port, deduplicated and sorted. */
export function readyEndpoints(idx: SnapshotIndex, svc: V1Service, sp: V1ServicePort): ReadyEndpoint[] {
  const ns = svc.metadata?.namespace ?? '';
  const seen = new Map<string, ReadyEndpoint>();
  for (const es of idx.slicesByService.get(nsName(ns, svc.metadata?.name)) ?? []) {
    // An FQDN slice's addresses are host names, not a server's IP.
    if (es.addressType === 'FQDN') continue;
    const port = slicePortFor(svc, sp, es);
    if (port === undefined) continue;
    for (const ep of es.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      // An endpoint is one pod: its first address only (the EndpointSlice API allows more, all the same pod).
      for (const addr of (ep.addresses ?? []).slice(0, 1)) {
        const e: ReadyEndpoint = { addr, port, ...(ep.nodeName ? { node: ep.nodeName } : {}), ...(ep.targetRef?.kind === 'Pod' && ep.targetRef.name ? { pod: ep.targetRef.name } : {}) };
        seen.set(`${addr}:${port}`, e);
      }
    }
  }
  return [...seen.values()].sort((a, b) => cmp(a.addr, b.addr) || a.port - b.port);
}

function endpointServers(idx: SnapshotIndex, svc: V1Service, sp: V1ServicePort): PoolServer[] {
  const fam = families(svc);
  const out: PoolServer[] = [];
  for (const e of readyEndpoints(idx, svc, sp)) {
    const v4 = isV4(e.addr);
    if ((v4 && !fam.v4) || (!v4 && !fam.v6)) continue;
    out.push(server(e.addr, e.port, { enabled: true, ...(e.node ? { server_node: e.node } : {}) }));
  }
  return out;
}

/** The node address AKO uses: the first InternalIP of the family (`GetIPFromNode`). */
export function nodeAddress(node: V1Node, v4: boolean): string | undefined {
  return (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP' && isV4(a.address) === v4)?.address;
}

function nodePortServers(idx: SnapshotIndex, c: AkoConfig, svc: V1Service, sp: V1ServicePort): PoolServer[] {
  if (sp.nodePort === undefined || sp.nodePort === null) return [];
  const fam = families(svc);
  const sel = c.nodePortSelector;
  let nodes = [...idx.snapshot.nodes].sort((a, b) => cmp(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  if (sel && sel.key) nodes = nodes.filter((n) => n.metadata?.labels?.[sel.key] === sel.value);
  if (svc.spec?.externalTrafficPolicy === 'Local') {
    const withPods = new Set(readyEndpoints(idx, svc, sp).map((e) => e.node).filter((n) => n !== undefined));
    nodes = nodes.filter((n) => withPods.has(n.metadata?.name ?? ''));
  }
  const out: PoolServer[] = [];
  for (const n of nodes) {
    const v4 = fam.v4 ? nodeAddress(n, true) : undefined;
    const addr = v4 ?? (fam.v6 ? nodeAddress(n, false) : undefined);
    if (addr === undefined) continue;
    out.push(server(addr, sp.nodePort));
  }
  return out;
}

interface NplEntry {
  podPort?: number;
  nodeIP?: string;
  nodePort?: number;
  /** Antrea >= 1.7 writes one entry per pod port and protocol ("tcp", "udp"), each with its own node port. */
  protocol?: string;
  /** Antrea < 2.0 (deprecated): the entry's protocols. */
  protocols?: string[];
}

/** Whether an NPL entry serves PROTOCOL (entries without protocol fields, from old Antreas, serve any). */
function nplProtocolMatches(x: NplEntry, protocol: string): boolean {
  const p = protocol.toLowerCase();
  if (typeof x.protocol === 'string') return x.protocol.toLowerCase() === p;
  if (Array.isArray(x.protocols)) return x.protocols.some((q) => typeof q === 'string' && q.toLowerCase() === p);
  return true;
}

function nplServers(idx: SnapshotIndex, svc: V1Service, sp: V1ServicePort): PoolServer[] {
  const ns = svc.metadata?.namespace ?? '';
  const seen = new Map<string, PoolServer>();
  for (const e of readyEndpoints(idx, svc, sp)) {
    if (!e.pod) continue;
    const raw = idx.pods.get(nsName(ns, e.pod))?.metadata?.annotations?.[NPL_POD_ANNOTATION];
    if (!raw) continue;
    let entries: unknown;
    try {
      entries = JSON.parse(raw);
    } catch {
      continue; // a malformed annotation contributes no server
    }
    if (!Array.isArray(entries)) continue;
    for (const x of entries as NplEntry[]) {
      if (x.podPort !== e.port || typeof x.nodeIP !== 'string' || typeof x.nodePort !== 'number' || !nplProtocolMatches(x, sp.protocol ?? 'TCP')) continue;
      seen.set(`${x.nodeIP}:${x.nodePort}`, server(x.nodeIP, x.nodePort));
    }
  }
  return [...seen.values()].sort((a, b) => cmp(a.ip.addr, b.ip.addr) || a.port - b.port);
}

/** Pool servers for one port of `svc` under the configured serviceType. */
export function poolServers(idx: SnapshotIndex, c: AkoConfig, svc: V1Service, sp: V1ServicePort): PoolServer[] {
  if (c.serviceType === 'NodePortLocal') return svc.spec?.type === 'NodePort' ? [] : nplServers(idx, svc, sp);
  if (svc.metadata?.annotations?.[SKIP_NODEPORT_ANNOTATION] !== undefined) return endpointServers(idx, svc, sp);
  if (c.serviceType === 'NodePort') return nodePortServers(idx, c, svc, sp);
  return endpointServers(idx, svc, sp);
}
