// NodePortLocal as Antrea documents it (antrea docs/node-port-local.md), computed from the node's Pods and the
// cluster's Services: for every Pod on this node selected by a Service annotated
// `nodeportlocal.antrea.io/enabled: "true"` (type ClusterIP or LoadBalancer, non-empty selector), each of the
// Service's target ports (TCP or UDP; a named targetPort resolved against the Pod's container ports) gets a node
// port from the range, and the Pod gets the annotation `nodeportlocal.antrea.io`: a JSON array of
// {podPort, nodeIP, nodePort, protocol} (protocol in lower case, one entry per pod port and protocol, as Antrea
// >= 1.7 / 2.x writes it). Pure: the agent (npl-agent.ts) feeds it what it watches and applies the result.

export const NPL_ANNOTATION = 'nodeportlocal.antrea.io';
export const NPL_ENABLED_ANNOTATION = 'nodeportlocal.antrea.io/enabled';
/** Antrea's default NodePortLocal range on Linux (start inclusive, end exclusive here). */
export const NPL_DEFAULT_RANGE = { start: 61000, end: 62000 } as const;

export interface NplPod {
  metadata?: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: { ports?: { name?: string; containerPort: number; protocol?: string }[] }[] };
  status?: { podIP?: string; phase?: string };
}

export interface NplService {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { type?: string; selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string; protocol?: string }[] };
}

export interface NplEntry {
  podPort: number;
  nodeIP: string;
  nodePort: number;
  protocol: 'tcp' | 'udp';
}

/** One DNAT rule: nodeIP:nodePort/protocol -> podIP:podPort. */
export interface NplRule extends NplEntry {
  podIP: string;
}

export interface NplPlan {
  rules: NplRule[];
  /** Per Pod (namespace/name): the annotation value it must carry, or null when it must carry none. */
  annotations: Map<string, string | null>;
  /** Allocation key (pod uid|podPort|protocol) -> node port: pass it back next time so ports stay stable. */
  allocations: Map<string, number>;
  /** Pod ports that got no node port (the range is full). */
  unallocated: string[];
}

const key = (p: NplPod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

function selects(svc: NplService, pod: NplPod): boolean {
  const sel = svc.spec?.selector ?? {};
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function enabled(svc: NplService): boolean {
  const type = svc.spec?.type ?? 'ClusterIP';
  return svc.metadata?.annotations?.[NPL_ENABLED_ANNOTATION] === 'true' && (type === 'ClusterIP' || type === 'LoadBalancer') && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** The pod port a Service port targets on POD (undefined: a named port the Pod does not have). */
function podPort(pod: NplPod, port: { port: number; targetPort?: number | string }, protocol: string): number | undefined {
  const t = port.targetPort;
  if (t === undefined || t === '') return port.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === t && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  }
  return undefined;
}

export function planNpl(pods: Iterable<NplPod>, services: Iterable<NplService>, nodeIP: string, previous: Map<string, number>, range: { start: number; end: number } = NPL_DEFAULT_RANGE): NplPlan {
  const svcs = [...services].filter(enabled);
  // Pod -> the (podPort, protocol) pairs some NPL Service needs.
  const wanted = new Map<NplPod, Map<string, { podPort: number; protocol: 'tcp' | 'udp' }>>();
  const allPods = [...pods];
  for (const pod of allPods) {
    const phase = pod.status?.phase;
    if (!pod.status?.podIP || phase === 'Succeeded' || phase === 'Failed') continue;
    for (const svc of svcs) {
      if (svc.metadata?.namespace !== pod.metadata?.namespace || !selects(svc, pod)) continue;
      for (const p of svc.spec?.ports ?? []) {
        const protocol = p.protocol ?? 'TCP';
        if (protocol !== 'TCP' && protocol !== 'UDP') continue; // Antrea: TCP and UDP only (not SCTP)
        const pp = podPort(pod, p, protocol);
        if (pp === undefined) continue;
        const lower = protocol === 'TCP' ? 'tcp' : 'udp';
        const m = wanted.get(pod) ?? new Map();
        m.set(`${pp}|${lower}`, { podPort: pp, protocol: lower });
        wanted.set(pod, m);
      }
    }
  }
  // Keep the ports already allocated; new ones take the lowest free port of the range.
  const allocations = new Map<string, number>();
  const used = new Set<number>();
  const want: { pod: NplPod; alloc: string; podPort: number; protocol: 'tcp' | 'udp' }[] = [];
  for (const [pod, ports] of wanted) {
    for (const [k, v] of ports) want.push({ pod, alloc: `${pod.metadata?.uid ?? key(pod)}|${k}`, ...v });
  }
  for (const w of want) {
    const port = previous.get(w.alloc);
    if (port !== undefined && port >= range.start && port < range.end && !used.has(port)) {
      allocations.set(w.alloc, port);
      used.add(port);
    }
  }
  let next = range.start;
  const unallocated: string[] = [];
  const rules: NplRule[] = [];
  const annotations = new Map<string, string | null>();
  const entries = new Map<string, NplEntry[]>();
  for (const w of want) {
    let port = allocations.get(w.alloc);
    if (port === undefined) {
      while (next < range.end && used.has(next)) next++;
      if (next >= range.end) {
        unallocated.push(`${key(w.pod)}:${w.podPort}/${w.protocol}`);
        continue;
      }
      port = next;
      used.add(port);
      allocations.set(w.alloc, port);
    }
    const entry: NplEntry = { podPort: w.podPort, nodeIP, nodePort: port, protocol: w.protocol };
    rules.push({ ...entry, podIP: w.pod.status!.podIP! });
    entries.set(key(w.pod), [...(entries.get(key(w.pod)) ?? []), entry]);
  }
  for (const pod of allPods) {
    const list = entries.get(key(pod));
    if (list) {
      list.sort((a, b) => a.podPort - b.podPort || a.protocol.localeCompare(b.protocol));
      annotations.set(key(pod), JSON.stringify(list));
    } else if (pod.metadata?.annotations?.[NPL_ANNOTATION] !== undefined) {
      annotations.set(key(pod), null);
    }
  }
  rules.sort((a, b) => a.nodePort - b.nodePort || a.protocol.localeCompare(b.protocol));
  return { rules, annotations, allocations, unallocated };
}

/** The nftables table with the DNAT rules (traffic from outside the node, and from the node itself; priority -100 is
 * dstnat, which Debian 12's nft 1.0.6 does not accept by name on the output hook). */
export function nplRuleset(table: string, rules: NplRule[]): string {
  const lines = rules.map((r) => `    ip daddr ${r.nodeIP} ${r.protocol} dport ${r.nodePort} dnat to ${r.podIP}:${r.podPort}`);
  const chain = (name: string, hook: string) => [`  chain ${name} {`, `    type nat hook ${hook} priority -100; policy accept;`, ...lines, '  }'];
  return [`table ip ${table}`, `delete table ip ${table}`, `table ip ${table} {`, ...chain('prerouting', 'prerouting'), ...chain('output', 'output'), '}', ''].join('\n');
}
