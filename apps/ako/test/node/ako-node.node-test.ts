// AKO as users run it, on a real node (root; npm run jest:node): the chart installed with helm runs our AKO image
// as a Pod (in-cluster config through the kubernetes Service and kube-proxy), backends are Pods of the echo image
// behind a Deployment with EndpointSlices from the real controller, and a request to the VIP of a LoadBalancer
// Service and of an Ingress goes through the avi-controller's data plane (allowed to dial the pod network, and
// nothing else) to a backend Pod. Scaling the Deployment changes the Avi pool.
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import { buildGoImage, buildImages } from '@avi-k8s/images';
import { runHelm } from '@avi-k8s/helm';
import { startNodeCluster, type NodeTestCluster } from '@avi-k8s/kube-local/testing';
import { controllerMetrics, dnsDomainsSeed, echoDeployment, SEED_VIP_NETWORK, startControllerProcess, until, workspaceRoot, writeSeedFile, type ControllerProcess } from '@avi-k8s/testbed';

const POD_NETWORK = '10.88.0.0/16';
const NODE_IP = '10.88.0.1';
const CLUSTER = 'nodetest';
let cluster: NodeTestCluster;
let ctl: ControllerProcess;
let avi: AviClient;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let ns: string;

interface Echo {
  pod: string;
  podIP: string;
  remoteAddr: string;
}

/** GET http://ADDR:PORT/PATH with a Host header (node:http: fetch cannot set Host). */
function get(addr: string, port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A new connection each time (no keep-alive): an L4 virtual service balances connections.
    const req = request({ host: addr, port, path, headers: { host }, timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function podsOf(app: string): Promise<{ names: string[]; ips: string[] }> {
  const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  return { names: pods.map((p) => p.metadata!.name!).sort(), ips: pods.map((p) => p.status!.podIP!).sort() };
}

async function poolServers(name: string): Promise<string[] | undefined> {
  const pool = (await avi.getByName('pool', name)) as { servers?: { ip: { addr: string } }[] } | undefined;
  return pool?.servers?.map((s) => s.ip.addr).sort();
}

/** A data plane counter from the controller's /metrics (what it carried: L4 connections or HTTP requests). */
async function dataplaneCount(metric: 'avi_controller_dataplane_l4_connections' | 'avi_controller_dataplane_http_requests'): Promise<number> {
  const m = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(await controllerMetrics(ctl));
  if (!m) throw new Error(`${metric} is not in the controller's /metrics`);
  return Number(m[1]);
}

beforeAll(async () => {
  const t0 = Date.now();
  // The images first (the AKO image from the built workspace, the echo image from tools/images/go).
  const imagesDir = mkdtempSync(join(tmpdir(), 'node-images-'));
  const [ako] = buildImages(workspaceRoot, { apps: ['ako'], outDir: imagesDir });
  const echo = buildGoImage('echo', imagesDir);
  cluster = await startNodeCluster('akonode');
  await Promise.all([cluster.importImage(ako!.file), cluster.importImage(echo.file)]);
  // The controller listens on the node IP (the AKO Pod reaches it there); its data plane serves loopback VIPs and
  // may dial the pod network.
  ctl = await startControllerProcess({
    listen: `${NODE_IP}:0`,
    args: ['--seed', writeSeedFile([dnsDomainsSeed(['example.com'])]), '--dataplane', '--dataplane-dial', POD_NETWORK],
  });
  avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  const kc = cluster.kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  const dir = mkdtempSync(join(tmpdir(), 'ako-node-'));
  writeFileSync(join(dir, 'ca.pem'), ctl.caPem);
  const values = {
    AKOSettings: { clusterName: CLUSTER, logLevel: 'INFO', fullSyncFrequency: '0' },
    ControllerSettings: { controllerHost: ctl.url, cloudName: 'Default-Cloud', serviceEngineGroupName: 'Default-Group', tenantName: 'admin' },
    NetworkSettings: { vipNetworkList: [SEED_VIP_NETWORK] },
    L7Settings: { shardVSSize: 'SMALL' },
    L4Settings: { autoFQDN: 'default' },
    avicredentials: { username: ctl.username, password: ctl.password },
  };
  writeFileSync(join(dir, 'values.yaml'), JSON.stringify(values));
  await runHelm([
    'install', 'ako', join(workspaceRoot, 'apps/ako/chart'), '--namespace', 'avi-system', '--create-namespace',
    '--kubeconfig', cluster.kubeconfig, '-f', join(dir, 'values.yaml'),
    '--set-file', `avicredentials.certificateAuthorityData=${join(dir, 'ca.pem')}`, '--wait', '--timeout', '120s',
  ]);
  process.stderr.write(`images, node, controller and AKO (helm install --wait) ready in ${Date.now() - t0} ms\n`);
  ns = await cluster.newNamespace('shop');
}, 300000);

afterAll(async () => {
  await ctl?.stop();
  await cluster?.stop();
});

test('AKO runs as a Pod from its image, installed by the chart, as the chart\'s service account', async () => {
  const pod = await core.readNamespacedPod({ name: 'ako-0', namespace: 'avi-system' });
  expect(pod.spec?.containers[0]?.image).toMatch(/^avi-k8s\/ako:/);
  expect(pod.spec?.serviceAccountName).toBe('ako-sa');
  expect(pod.status?.containerStatuses?.[0]?.ready).toBe(true);
  expect(pod.status?.podIP).toMatch(/^10\.88\./);
  expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
});

test('a LoadBalancer Service of a 2-replica Deployment: its VIP reaches a backend Pod through the data plane; scaling changes the pool', async () => {
  await apps.createNamespacedDeployment({ namespace: ns, body: echoDeployment('web', 2) });
  await core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  });
  const two = await until('2 Pods running', async () => ((await podsOf('web')).ips.length === 2 ? podsOf('web') : undefined));
  const vip = await until('the Service gets a VIP from AKO', async () => (await core.readNamespacedService({ name: 'web', namespace: ns })).status?.loadBalancer?.ingress?.[0]?.ip);
  expect(vip).toMatch(/^127\.100\.0\./);
  const pool = `${CLUSTER}--${ns}-web-TCP-80`;
  expect(await until('the pool lists both Pods', async () => {
    const s = await poolServers(pool);
    return s?.join() === two.ips.join() ? s : undefined;
  })).toEqual(two.ips);

  const before = await dataplaneCount('avi_controller_dataplane_l4_connections');
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const res = await until('the VIP answers', () => get(vip, 80, 'web'), 30000);
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body) as Echo;
    expect(two.names).toContain(echo.pod);
    // The backend sees the data plane's connection from the node IP (the controller dials the pod network).
    expect(echo.remoteAddr.startsWith(`${NODE_IP}:`)).toBe(true);
    seen.add(echo.pod);
  }
  expect([...seen].sort()).toEqual(two.names);
  // Each request was a connection the data plane carried (not one kube-proxy answered itself).
  expect((await dataplaneCount('avi_controller_dataplane_l4_connections')) - before).toBeGreaterThanOrEqual(6);

  await apps.patchNamespacedDeploymentScale(
    { name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
  );
  const three = await until('3 Pods running', async () => ((await podsOf('web')).ips.length === 3 ? podsOf('web') : undefined));
  expect(await until('the pool lists the 3 Pods', async () => {
    const s = await poolServers(pool);
    return s?.join() === three.ips.join() ? s : undefined;
  })).toEqual(three.ips);
});

test('an Ingress: its VIP, with the Ingress host, reaches a backend Pod through the data plane', async () => {
  await apps.createNamespacedDeployment({ namespace: ns, body: echoDeployment('shop', 2) });
  await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } });
  const networking = cluster.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
  const host = 'shop.example.com';
  await networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'shop' },
      spec: {
        ingressClassName: 'avi-lb',
        rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }],
      },
    },
  });
  const pods = await until('2 Pods running', async () => ((await podsOf('shop')).ips.length === 2 ? podsOf('shop') : undefined));
  const vip = await until('the Ingress gets a VIP from AKO', async () => (await networking.readNamespacedIngress({ name: 'shop', namespace: ns })).status?.loadBalancer?.ingress?.[0]?.ip);
  const before = await dataplaneCount('avi_controller_dataplane_http_requests');
  const res = await until('the Ingress VIP serves the host', async () => {
    const r = await get(vip, 80, host, '/cart');
    return r.status === 200 ? r : undefined;
  }, 60000);
  const echo = JSON.parse(res.body) as Echo & { host: string; path: string };
  expect(pods.names).toContain(echo.pod);
  expect(echo.host).toBe(host);
  expect(echo.path).toBe('/cart');
  expect(echo.remoteAddr.startsWith(`${NODE_IP}:`)).toBe(true);
  expect((await dataplaneCount('avi_controller_dataplane_http_requests')) - before).toBeGreaterThanOrEqual(1);
  // A host the Ingress does not name is not routed to its Pods.
  const other = await get(vip, 80, 'nothing.example.com');
  expect(other.status).not.toBe(200);
});

test('NodePort mode (helm upgrade): the pool is the node at the Service\'s node port, and the VIP reaches a Pod through it', async () => {
  await runHelm([
    'upgrade', 'ako', join(workspaceRoot, 'apps/ako/chart'), '--namespace', 'avi-system', '--kubeconfig', cluster.kubeconfig,
    '--reuse-values', '--set', 'L7Settings.serviceType=NodePort', '--wait', '--timeout', '120s',
  ]);
  // The mode is read at start: the new AKO Pod takes it.
  await core.deleteNamespacedPod({ name: 'ako-0', namespace: 'avi-system' });
  await until('AKO is back, ready', async () => {
    const pod = await core.readNamespacedPod({ name: 'ako-0', namespace: 'avi-system' });
    return !pod.metadata?.deletionTimestamp && pod.status?.containerStatuses?.[0]?.ready ? pod : undefined;
  }, 120000);
  const svc = await core.readNamespacedService({ name: 'web', namespace: ns });
  const nodePort = svc.spec!.ports![0]!.nodePort!;
  const pool = `${CLUSTER}--${ns}-web-TCP-80`;
  const servers = await until('the pool is the node at the node port', async () => {
    const p = (await avi.getByName('pool', pool)) as { servers?: { ip: { addr: string }; port?: number }[]; default_server_port?: number } | undefined;
    const s = p?.servers?.map((x) => `${x.ip.addr}:${x.port ?? p.default_server_port}`);
    return s?.length === 1 && s[0] === `${NODE_IP}:${nodePort}` ? s : undefined;
  }, 120000);
  expect(servers).toEqual([`${NODE_IP}:${nodePort}`]);
  const { names } = await podsOf('web');
  const res = await until('the VIP answers through the node port', async () => {
    const r = await get(svc.status!.loadBalancer!.ingress![0]!.ip!, 80, 'web');
    return r.status === 200 ? r : undefined;
  }, 30000);
  expect(names).toContain((JSON.parse(res.body) as Echo).pod);
});

/** nodeIP:nodePort of every Pod of APP from its nodeportlocal.antrea.io annotation (written by kube-local's NPL agent). */
async function nplPorts(app: string): Promise<{ names: string[]; servers: string[] } | undefined> {
  const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  const servers: string[] = [];
  for (const p of pods) {
    const raw = p.metadata?.annotations?.['nodeportlocal.antrea.io'];
    if (!raw) return undefined;
    for (const e of JSON.parse(raw) as { podPort: number; nodeIP: string; nodePort: number; protocol: string }[]) {
      if (e.podPort === 8080 && e.protocol === 'tcp') servers.push(`${e.nodeIP}:${e.nodePort}`);
    }
  }
  return { names: pods.map((p) => p.metadata!.name!).sort(), servers: servers.sort() };
}

async function poolAddrs(name: string): Promise<string[] | undefined> {
  const p = (await avi.getByName('pool', name)) as { servers?: { ip: { addr: string }; port?: number }[]; default_server_port?: number } | undefined;
  return p?.servers?.map((x) => `${x.ip.addr}:${x.port ?? p.default_server_port}`).sort();
}

test('NodePortLocal mode (helm upgrade, cniPlugin antrea): pools are nodeIP:nplPort from the Pods\' Antrea annotation; the Service\'s and the Ingress\'s VIPs reach Pods through them; scaling changes the pool', async () => {
  const before = (await core.readNamespacedPod({ name: 'ako-0', namespace: 'avi-system' })).metadata!.uid;
  await runHelm([
    'upgrade', 'ako', join(workspaceRoot, 'apps/ako/chart'), '--namespace', 'avi-system', '--kubeconfig', cluster.kubeconfig, '--reuse-values',
    '--set', 'L7Settings.serviceType=NodePortLocal', '--set', 'AKOSettings.cniPlugin=antrea', '--wait', '--timeout', '120s',
  ]);
  // cniPlugin is in the Pod's environment (CNI_PLUGIN): the StatefulSet rolls the Pod itself; otherwise restart it.
  if ((await core.readNamespacedPod({ name: 'ako-0', namespace: 'avi-system' })).metadata!.uid === before) await core.deleteNamespacedPod({ name: 'ako-0', namespace: 'avi-system' });
  await until('AKO is back, ready', async () => {
    const pod = await core.readNamespacedPod({ name: 'ako-0', namespace: 'avi-system' });
    return !pod.metadata?.deletionTimestamp && pod.status?.containerStatuses?.[0]?.ready ? pod : undefined;
  }, 120000);
  // NodePortLocal is enabled per Service by Antrea's annotation (docs/node-port-local.md): AKO puts it on the
  // LoadBalancer Service (web) and on the Ingress's backend (shop), as the Go AKO does; nobody annotates by hand here.
  for (const name of ['web', 'shop']) {
    await until(`AKO annotates Service ${name} for NodePortLocal`, async () => {
      const s = await core.readNamespacedService({ name, namespace: ns });
      return s.metadata?.annotations?.['nodeportlocal.antrea.io/enabled'] === 'true' ? s : undefined;
    }, 60000);
  }
  const web = await until('the 3 web Pods carry NPL ports', async () => {
    const n = await nplPorts('web');
    return n?.servers.length === 3 ? n : undefined;
  });
  for (const s of web.servers) expect(s).toMatch(/^10\.88\.0\.1:6[01]\d{3}$/);
  const webPool = `${CLUSTER}--${ns}-web-TCP-80`;
  expect(await until('the L4 pool is the NPL ports', async () => {
    const s = await poolAddrs(webPool);
    return s?.join() === web.servers.join() ? s : undefined;
  }, 60000)).toEqual(web.servers);
  const svc = await core.readNamespacedService({ name: 'web', namespace: ns });
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const r = await until('the Service VIP answers through NPL', async () => {
      const x = await get(svc.status!.loadBalancer!.ingress![0]!.ip!, 80, 'web');
      return x.status === 200 ? x : undefined;
    }, 30000);
    const echo = JSON.parse(r.body) as Echo;
    expect(web.names).toContain(echo.pod);
    expect(echo.remoteAddr.startsWith(`${NODE_IP}:`)).toBe(true);
    seen.add(echo.pod);
  }
  expect(seen.size).toBeGreaterThan(1);

  const shop = await until('the 2 shop Pods carry NPL ports', async () => {
    const n = await nplPorts('shop');
    return n?.servers.length === 2 ? n : undefined;
  });
  const shopPool = `${CLUSTER}--shop.example.com_-${ns}-shop`;
  expect(await until('the Ingress pool is the NPL ports', async () => {
    const s = await poolAddrs(shopPool);
    return s?.join() === shop.servers.join() ? s : undefined;
  }, 60000)).toEqual(shop.servers);
  const networking = cluster.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
  const ingVip = (await networking.readNamespacedIngress({ name: 'shop', namespace: ns })).status!.loadBalancer!.ingress![0]!.ip!;
  const res = await until('the Ingress VIP answers through NPL', async () => {
    const r = await get(ingVip, 80, 'shop.example.com', '/npl');
    return r.status === 200 ? r : undefined;
  }, 30000);
  expect(shop.names).toContain((JSON.parse(res.body) as Echo).pod);

  await apps.patchNamespacedDeploymentScale(
    { name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 1 }] },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
  );
  const one = await until('1 web Pod left, with its NPL port', async () => {
    const n = await nplPorts('web');
    return n?.servers.length === 1 && n.names.length === 1 ? n : undefined;
  });
  expect(web.servers).toContain(one.servers[0]);
  expect(await until('the pool is the one NPL port left', async () => {
    const s = await poolAddrs(webPool);
    return s?.join() === one.servers.join() ? s : undefined;
  }, 60000)).toEqual(one.servers);
});
