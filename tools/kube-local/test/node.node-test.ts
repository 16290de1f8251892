// kube-local's real node (root): Pods of a Deployment run from a locally built image, the real EndpointSlice
// controller lists them, kube-proxy serves the ClusterIP and NodePort, the apiserver reaches the kubelet (logs,
// exec), kubelet's dangerous sysctls are put back at once, and down leaves nothing on the host.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get as httpGet } from 'node:http';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { buildGoImage } from '@avi-k8s/images';
import { echoDeployment, startNodeCluster, type NodeTestCluster } from '../src/testing.js';
import { execFileSync } from 'node:child_process';

const BRIDGE = 'kl0';
const NODE_IP = '10.88.0.1';
let cluster: NodeTestCluster;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let ns: string;
let savedSysctls: Record<string, string>;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await sleep(200);
  }
}

async function getJson(url: string): Promise<{ pod: string; podIP: string; remoteAddr: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as { pod: string; podIP: string; remoteAddr: string };
}

/** One GET on a new connection (no keep-alive: an open connection would keep its NAT mapping). */
function getFresh(url: string): Promise<{ pod: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as { pod: string });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const sysctl = (key: string) => readFileSync(join('/proc/sys', ...key.split('.')), 'utf8').trim();
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

beforeAll(async () => {
  const t0 = Date.now();
  cluster = await startNodeCluster('knode');
  process.stderr.write(`kube-local node ready in ${Date.now() - t0} ms\n`);
  savedSysctls = (JSON.parse(readFileSync(join(cluster.paths.root, 'node', 'host.json'), 'utf8')) as { sysctls: Record<string, string> }).sysctls;
  const image = buildGoImage('echo', join(cluster.paths.root, 'images'));
  await cluster.importImage(image.file);
  const kc = cluster.kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  ns = await cluster.newNamespace('node');
}, 240000);

afterAll(async () => {
  await cluster?.stop();
});

test('the apiserver listens on the node IP, with SANs for it and the kubernetes Service IP', async () => {
  expect(cluster.server).toMatch(new RegExp(`^https://${NODE_IP.replace(/\./g, '\\.')}:\\d+$`));
  const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
  expect(svc.spec?.clusterIP).toBe('10.96.0.1');
  const cert = new (await import('node:crypto')).X509Certificate(readFileSync(join(cluster.paths.root, 'pki', 'apiserver.crt')));
  expect(cert.subjectAltName).toContain(`IP Address:${NODE_IP}`);
  expect(cert.subjectAltName).toContain('IP Address:10.96.0.1');
  const node = await core.readNode({ name: 'knode-node' });
  expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: NODE_IP });
});

test("kubelet's kernel.panic / panic_on_oops / overcommit settings are put back while the node runs", async () => {
  await sleep(1500);
  for (const key of ['kernel.panic', 'kernel.panic_on_oops', 'vm.overcommit_memory']) expect(`${key}=${sysctl(key)}`).toBe(`${key}=${savedSysctls[key]}`);
});

test('a 2-replica Deployment of the echo image becomes Available, the EndpointSlice controller lists its Pods, and they answer on pod IP, ClusterIP and NodePort', async () => {
  const labels = { app: 'echo' };
  await apps.createNamespacedDeployment({ namespace: ns, body: echoDeployment('echo') });
  await core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'echo' }, spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
  });
  const t0 = Date.now();
  await until('Deployment Available with 2 replicas', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'echo', namespace: ns });
    return d.status?.availableReplicas === 2 && d.status.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ? true : undefined;
  });
  process.stderr.write(`Deployment Available in ${Date.now() - t0} ms\n`);
  const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items;
  const podIps = pods.map((p) => p.status?.podIP).sort();
  expect(podIps).toHaveLength(2);
  for (const ip of podIps) expect(ip).toMatch(/^10\.88\./);
  const discovery = cluster.kubeConfig().makeApiClient(k8s.DiscoveryV1Api);
  const slices = await until('an EndpointSlice with both Pods ready', async () => {
    const list = (await discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: 'kubernetes.io/service-name=echo' })).items;
    const ready = list.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort();
    return ready.length === 2 ? list : undefined;
  });
  expect(slices[0]!.metadata?.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
  expect(slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses)).sort()).toEqual(podIps);

  const names = pods.map((p) => p.metadata!.name!);
  for (const ip of podIps) expect((await getJson(`http://${ip}:8080/`)).podIP).toBe(ip);
  const svc = await core.readNamespacedService({ name: 'echo', namespace: ns });
  // kube-proxy programs the Service within its sync period.
  expect(names).toContain((await until('ClusterIP answers', () => getJson(`http://${svc.spec!.clusterIP}/`), 15000)).pod);
  expect(names).toContain((await until('NodePort answers', () => getJson(`http://${NODE_IP}:${svc.spec!.ports![0]!.nodePort}/`), 15000)).pod);
});

test('kube-proxy answers a LoadBalancer status IP itself with ipMode VIP, and leaves it to the load balancer with ipMode Proxy', async () => {
  await core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080 }] } },
  });
  // No load balancer holds this address (on the node's own bridge network): only kube-proxy can answer it.
  const lbIp = '10.88.255.200';
  const setStatus = (ipMode: 'VIP' | 'Proxy') =>
    core.patchNamespacedServiceStatus(
      { name: 'lb', namespace: ns, body: { status: { loadBalancer: { ingress: [{ ip: lbIp, ipMode }] } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  await setStatus('VIP');
  const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items.map((p) => p.metadata!.name!);
  expect(pods).toContain((await until('kube-proxy answers the VIP-mode status IP', () => getFresh(`http://${lbIp}/`), 15000)).pod);
  await setStatus('Proxy');
  const refused = await until(
    'kube-proxy stops answering the Proxy-mode status IP',
    async () => (await getFresh(`http://${lbIp}/`).then(() => undefined, (err: Error) => err)) ?? undefined,
    20000,
  );
  expect(refused).toBeInstanceOf(Error);
});

test('the apiserver reaches the kubelet: logs and exec', async () => {
  const pod = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items[0]!;
  const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns });
  expect(log).toContain('echo: listening on :8080');
  // A second echo in the same Pod cannot bind :8080: exec runs inside the Pod's network namespace.
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    void new k8s.Exec(cluster.kubeConfig())
      .exec(ns, pod.metadata!.name!, 'echo', ['/echo'], out, out, null, false, (s) => resolve(s))
      .catch(reject);
  });
  expect(status.status).toBe('Failure');
  expect(text).toContain('address already in use');
});

test('NodePortLocal (the agent standing in for Antrea): Pods of an annotated Service get nodeportlocal.antrea.io entries, their node ports reach them; unannotated, the entries and rules go', async () => {
  // The Antrea docs' contract (docs/node-port-local.md): '[{"podPort":8080,"nodeIP":"<node IP>","nodePort":61002,"protocol":"tcp"}]'.
  await core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'npl', annotations: { 'nodeportlocal.antrea.io/enabled': 'true' } }, spec: { selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 8080 }] } },
  });
  type Entry = { podPort: number; nodeIP: string; nodePort: number; protocol: string };
  const annotated = await until('both echo Pods carry the NPL annotation', async () => {
    const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items;
    const all = pods.map((p) => ({ name: p.metadata!.name!, raw: p.metadata?.annotations?.['nodeportlocal.antrea.io'] }));
    return all.length === 2 && all.every((a) => a.raw) ? all.map((a) => ({ name: a.name, entries: JSON.parse(a.raw!) as Entry[] })) : undefined;
  }, 15000);
  const ports = new Set<number>();
  for (const { name, entries } of annotated) {
    expect(entries).toHaveLength(1);
    const [e] = entries as [Entry];
    expect(Object.keys(e).sort()).toEqual(['nodeIP', 'nodePort', 'podPort', 'protocol']);
    expect(e).toMatchObject({ podPort: 8080, nodeIP: NODE_IP, protocol: 'tcp' });
    expect(e.nodePort >= 61000 && e.nodePort < 62000).toBe(true);
    ports.add(e.nodePort);
    // From the node itself (as the avi-controller's data plane dials it) the node port reaches exactly that Pod.
    expect((await until(`node port ${e.nodePort} answers`, () => getFresh(`http://${NODE_IP}:${e.nodePort}/`), 10000)).pod).toBe(name);
  }
  expect(ports.size).toBe(2);
  expect(sh('nft', ['list', 'table', 'ip', 'kube-local-npl'])).toContain('dnat to');

  await core.patchNamespacedService(
    { name: 'npl', namespace: ns, body: { metadata: { annotations: { 'nodeportlocal.antrea.io/enabled': null } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await until('the NPL annotations are removed', async () => {
    const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items;
    return pods.every((p) => p.metadata?.annotations?.['nodeportlocal.antrea.io'] === undefined) ? true : undefined;
  }, 15000);
  expect(sh('nft', ['list', 'table', 'ip', 'kube-local-npl'])).not.toContain('dnat to');
  for (const port of ports) await expect(getFresh(`http://${NODE_IP}:${port}/`)).rejects.toThrow();
});

test('down stops everything and leaves nothing on the host', async () => {
  const root = cluster.paths.root;
  const shimSock = join(root, 'node', 'containerd.sock');
  await cluster.stop();
  expect(existsSync(`/sys/class/net/${BRIDGE}`)).toBe(false);
  expect(sh('nft', ['list', 'tables'])).not.toMatch(/kube-proxy|kube-local/);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(root);
  expect(existsSync('/sys/fs/cgroup/memory/kube-local-knode') || existsSync('/sys/fs/cgroup/kube-local-knode')).toBe(false);
  const ours = readdirProcs().filter((cmd) => cmd.includes(root) || cmd.includes(shimSock));
  expect(ours).toEqual([]);
  for (const [key, value] of Object.entries(savedSysctls)) expect(`${key}=${sysctl(key)}`).toBe(`${key}=${value}`);
  expect(existsSync('/var/lib/kubelet/device-plugins/kubelet.sock')).toBe(false);
});

function readdirProcs(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      /* exited */
    }
  }
  return out;
}
