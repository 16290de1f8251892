// The floor of the AKO benchmark: how long the peers alone take for the writes AKO made, measured in the same run.
//  - controller: the objects AKO left on the controller, created again on a fresh controller in dependency order
//    (avi-sync's plan) at the same concurrency by a bare keep-alive HTTPS client (login cookie + CSRF, nothing else),
//    VIPs allocated by the controller as for AKO;
//  - apiserver: the same status + annotation write (one merge patch of the status subresource, as AKO's status
//    stage makes it) and Event on the same Services and Ingresses (status and annotations cleared first, untimed),
//    at the status stage's concurrency, by the raw keep-alive client.
import { createPool, send, targetOf } from '@avi-k8s/avi-sdk';
import * as k8s from '@kubernetes/client-node';
import { execute, plan, AKO_TYPE_ORDER, type AviBody, type DesiredObject, type SyncApi } from '@avi-k8s/avi-sync';
import { forEachLimit, MERGE_PATCH, rawKube } from '@avi-k8s/kube';

interface Ctl {
  url: string;
  username: string;
  password: string;
  caPem: string;
}

/**
 * A bare keep-alive JSON client with the controller's session cookie and CSRF token: the SDK's transport (the same
 * TLS connections and HTTP framing AKO's calls use, so the floor is not paying a heavier client than AKO), and
 * nothing of the session (no retries, no limiter, no hook, no model checks).
 */
export async function bareAvi(ctl: Ctl, concurrency: number) {
  const base = new URL(ctl.url);
  const pool = createPool(targetOf(base.origin), { maxSockets: concurrency, caPem: ctl.caPem });
  const referer = `${base.origin}/`;
  let cookie = '';
  let csrf = '';
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: AviBody; setCookie: string[] }> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'x-avi-version': '30.2.1' };
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET') {
      headers['x-csrftoken'] = csrf;
      headers.referer = referer;
    }
    const res = await send(pool, path, method, headers, payload, 60_000);
    let json: AviBody = {};
    try {
      json = res.body ? (JSON.parse(res.body) as AviBody) : {};
    } catch {
      json = { text: res.body };
    }
    const setCookie = res.headers['set-cookie'] ?? [];
    return { status: res.status, json, setCookie };
  };
  const login = await call('POST', '/login', { username: ctl.username, password: ctl.password });
  const jar = new Map(login.setCookie.map((c) => c.split(';')[0]!.split('=') as [string, string]));
  cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  csrf = jar.get('csrftoken') ?? '';
  return { call, close: () => pool.destroy() };
}

const OWNED_TYPES = [...AKO_TYPE_ORDER];
const DROP = new Set(['uuid', 'url', '_last_modified', 'tenant_ref']);

/** A stored body made writable again: server fields dropped, `https://host/api/<type>/<uuid>#<name>` refs by name. */
function writable(v: unknown): unknown {
  if (typeof v === 'string') {
    const m = /^https?:\/\/[^/]+\/api\/([a-z0-9_-]+)\/[^#?]+#(.+)$/.exec(v);
    return m ? `/api/${m[1]}/?name=${encodeURIComponent(m[2]!)}` : v;
  }
  if (Array.isArray(v)) return v.map(writable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !DROP.has(k)).map(([k, x]) => [k, writable(x)]));
  return v;
}

/** Every object of AKO's types on `from` (tenant admin), as desired objects to create elsewhere. */
export async function readObjects(from: Ctl, createdBy: string, namePrefix: string): Promise<DesiredObject[]> {
  const c = await bareAvi(from, 4);
  const out: DesiredObject[] = [];
  try {
    for (const type of OWNED_TYPES) {
      for (let page = 1; ; page++) {
        const r = await c.call('GET', `/api/${type}?include_name=true&page_size=200&page=${page}`);
        const results = (r.json.results as AviBody[] | undefined) ?? [];
        for (const body of results) {
          const name = String(body.name);
          if (body.created_by !== createdBy && !name.startsWith(namePrefix)) continue;
          const w = writable(body) as AviBody;
          // AKO asks the controller to allocate each VIP (auto_allocate_ip, no address): so does the floor.
          if (type === 'vsvip' && Array.isArray(w.vip)) w.vip = (w.vip as AviBody[]).map(({ ip_address: _ip, ...v }) => (v.auto_allocate_ip ? v : { ...v, ip_address: _ip }));
          out.push({ tenant: 'admin', type, name, body: w, checksum: '' });
        }
        if (!r.json.next) break;
      }
    }
  } finally {
    c.close();
  }
  return out;
}

/** Seconds a fresh controller takes to create `objects` in dependency order at `concurrency`. */
export async function controllerFloor(to: Ctl, objects: readonly DesiredObject[], concurrency: number, cpu: () => number): Promise<{ seconds: number; cpuSeconds: number; writes: number; failed: number }> {
  const c = await bareAvi(to, concurrency);
  const api: SyncApi = {
    async create({ type, body }) {
      const r = await c.call('POST', `/api/${type}`, body);
      if (r.status >= 300) throw Object.assign(new Error(`POST /api/${type}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`), { status: r.status });
      return { uuid: String(r.json.uuid) };
    },
    async update() {},
    async delete() {},
  };
  const p = plan(objects, [], { typeOrder: AKO_TYPE_ORDER });
  const t = performance.now();
  const cpu0 = cpu();
  const out = await execute(p, [], api, { concurrency });
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpu() - cpu0;
  c.close();
  return { seconds, cpuSeconds, writes: out.results.length, failed: out.results.filter((r) => r.status !== 'succeeded').length };
}

interface KubeWrite {
  kind: 'Service' | 'Ingress';
  namespace: string;
  name: string;
  uid?: string;
  annotations: Record<string, string>;
  ingress: k8s.V1LoadBalancerIngress[];
}

const AKO_ANNOTATIONS = ['ako.vmware.com/host-fqdn-vs-uuid-map', 'ako.vmware.com/controller-cluster-uuid', 'ako.vmware.com/tenant-name'];

/** The status and annotations AKO wrote, read back from the cluster. */
export async function readKubeWrites(kc: k8s.KubeConfig): Promise<KubeWrite[]> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const net = kc.makeApiClient(k8s.NetworkingV1Api);
  const pick = (kind: KubeWrite['kind'], o: k8s.V1Service | k8s.V1Ingress): KubeWrite[] => {
    const ingress = (o.status?.loadBalancer?.ingress ?? []) as k8s.V1LoadBalancerIngress[];
    const annotations = Object.fromEntries(Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => AKO_ANNOTATIONS.includes(k)));
    if (ingress.length === 0 && Object.keys(annotations).length === 0) return [];
    return [{ kind, namespace: o.metadata!.namespace!, name: o.metadata!.name!, ...(o.metadata?.uid ? { uid: o.metadata.uid } : {}), annotations, ingress }];
  };
  return [
    ...(await core.listServiceForAllNamespaces()).items.flatMap((s) => pick('Service', s)),
    ...(await net.listIngressForAllNamespaces()).items.flatMap((i) => pick('Ingress', i)),
  ];
}

const NO_ANSWER = { answer: false };

const objectPath = (w: KubeWrite) =>
  w.kind === 'Service' ? `/api/v1/namespaces/${w.namespace}/services/${w.name}` : `/apis/networking.k8s.io/v1/namespaces/${w.namespace}/ingresses/${w.name}`;

/** Seconds the apiserver takes for the status + annotation patch and the Event of each object, at `concurrency`. */
export async function apiserverFloor(kc: k8s.KubeConfig, writes: readonly KubeWrite[], concurrency: number, cpu: () => number): Promise<{ seconds: number; cpuSeconds: number; writes: number }> {
  const raw = rawKube(kc);
  // Untimed: back to the state before AKO wrote.
  await forEachLimit(writes, concurrency, async (w) => {
    await raw.request('PATCH', objectPath(w), { metadata: { annotations: Object.fromEntries(Object.keys(w.annotations).map((k) => [k, null])) } }, MERGE_PATCH);
    await raw.request('PATCH', `${objectPath(w)}/status`, { status: { loadBalancer: { ingress: null } } }, MERGE_PATCH);
  });
  let n = 0;
  const t = performance.now();
  const cpu0 = cpu();
  await forEachLimit(writes, concurrency, async (w, i) => {
    // As AKO's writers make them (packages/kube status.ts, events.ts): the answers are not parsed.
    await raw.request('PATCH', `${objectPath(w)}/status`, { metadata: { annotations: w.annotations }, status: { loadBalancer: { ingress: w.ingress } } }, MERGE_PATCH, NO_ANSWER);
    const now = new Date().toISOString();
    await raw.request('POST', `/api/v1/namespaces/${w.namespace}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${w.name}.floor${i.toString(16)}`, namespace: w.namespace },
      involvedObject: { apiVersion: w.kind === 'Service' ? 'v1' : 'networking.k8s.io/v1', kind: w.kind, name: w.name, namespace: w.namespace, uid: w.uid },
      type: 'Normal',
      reason: 'Synced',
      message: `Added virtualservice for ${w.name}`,
      source: { component: 'avi-kubernetes-operator' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    }, 'application/json', NO_ANSWER);
    n += 2;
  });
  return { seconds: (performance.now() - t) / 1000, cpuSeconds: cpu() - cpu0, writes: n };
}
