// The GSLB failover playground: two real member clusters ('a', also AMKO's leader cluster, and 'b'), each with a
// Node on loopback, a NodePort Service with a local HTTP backend on its node port, an Ingress for one global FQDN
// and its own AKO; one avi-controller (GSLB leader, data plane, DNS server); AMKO on 'a' with a GDP that selects
// both Ingresses and names a federated HTTP monitor. Failures to inject: a cluster's backend down, its Ingress
// deleted, the cluster lost (its API server unreachable for AMKO and its backend down), the controller restarted.
import { createSocket } from 'node:dgram';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';
import type { ChildProcess } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { down, up } from '@avi-k8s/kube-local';
import { akoValuesYaml, createAviSecret, dnsDomainsSeed, randomLoopbackNet, vipNetworkSeed, writeSeedFile } from './ako-setup.js';
import { startControllerProcess, type ControllerProcess } from './controller-process.js';
import { configureGslb } from './gslb-setup.js';
import { startCli, stopProcess } from './processes.js';

export interface MonitorSettings {
  sendInterval: number;
  receiveTimeout: number;
  successfulChecks: number;
  failedChecks: number;
}

export interface PlaygroundOptions {
  /** Work dir (clusters, controller data, logs); removed by the caller. */
  dir: string;
  monitor: MonitorSettings;
  /** The GDP's ttl (the GslbService's DNS answer TTL). */
  ttl: number;
  log?: (line: string) => void;
}

export interface PlaygroundCluster {
  name: 'a' | 'b';
  kc: k8s.KubeConfig;
  kubeconfig: string;
  nodePort: number;
  /** The VIP AKO got for the global FQDN's shard VS in this cluster. */
  vip: string;
}

export interface Playground {
  readonly fqdn: string;
  /** `127.0.0.1:<port>` of the controller's DNS server. */
  readonly dns: string;
  readonly clusters: readonly [PlaygroundCluster, PlaygroundCluster];
  readonly ctl: ControllerProcess;
  readonly monitorName: string;
  /** The A records the controller's DNS server answers for the FQDN now (sorted; [] when none or no answer). */
  answer(): Promise<string[]>;
  backendDown(c: PlaygroundCluster): Promise<void>;
  backendUp(c: PlaygroundCluster): Promise<void>;
  deleteIngress(c: PlaygroundCluster): Promise<void>;
  createIngress(c: PlaygroundCluster): Promise<void>;
  /** Cuts (restores) AMKO's path to the cluster's API server. */
  cutApiserver(c: PlaygroundCluster): Promise<void>;
  restoreApiserver(c: PlaygroundCluster): Promise<void>;
  /** Stops the controller (SIGTERM) and starts it again on the same data dir, URL and DNS port. */
  stopController(): Promise<void>;
  startController(): Promise<void>;
  close(): Promise<void>;
}

const NS = 'apps';
const AKO_NS = 'avi-system';
const FQDN = 'shop.gslb.example.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 (the DNS server binds both). */
async function freeDnsPort(): Promise<number> {
  for (;;) {
    const port = await freeTcpPort();
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

/** A free node port (30000-32767) on 127.0.0.1. */
async function freeNodePort(taken: number[]): Promise<number> {
  for (let port = 30000 + Math.floor(Math.random() * 2000); port < 32767; port++) {
    if (taken.includes(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free node port');
}

function backend(name: string, port: number): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} ${req.method} ${req.headers.host ?? ''}${req.url}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A TCP relay on a fixed local port to a cluster's API server (TLS passes through): AMKO's path to that member. */
function relay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  return {
    get port() {
      return port;
    },
    async open() {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    },
    async close() {
      const s = server;
      server = undefined;
      if (!s) return;
      const closed = new Promise((r) => s.close(r));
      for (const c of sockets) c.destroy();
      await closed;
    },
  };
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

async function applyCluster(c: { name: string; kc: k8s.KubeConfig; nodePort: number }): Promise<void> {
  const core = c.kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS, labels: { gslb: 'yes' } } } });
  // A Node on loopback: in NodePort mode AKO sends traffic to nodeIP:nodePort, where the backend listens.
  await core.createNode({ body: { metadata: { name: `node-${c.name}`, labels: { 'kubernetes.io/hostname': `node-${c.name}` } } } });
  await core.patchNodeStatus({ name: `node-${c.name}`, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } }, mergePatch);
  await core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'shop' }, spec: { type: 'NodePort', selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: c.nodePort }] } } });
  await c.kc.makeApiClient(k8s.NetworkingV1Api).createIngressClass({ body: { metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ako.vmware.com/avi-lb' } } });
}

async function createIngress(kc: k8s.KubeConfig): Promise<void> {
  await kc.makeApiClient(k8s.NetworkingV1Api).createNamespacedIngress({
    namespace: NS,
    body: {
      metadata: { name: 'shop', labels: { app: 'gslb' } },
      spec: { ingressClassName: 'avi-lb', rules: [{ host: FQDN, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }] },
    },
  });
}

async function ingressVip(kc: k8s.KubeConfig): Promise<string | undefined> {
  const ing = await kc.makeApiClient(k8s.NetworkingV1Api).readNamespacedIngress({ name: 'shop', namespace: NS }).catch(() => undefined);
  return ing?.status?.loadBalancer?.ingress?.[0]?.ip;
}

/** One HTTPS request to the controller (JSON in and out); rejects on a non-2xx answer. */
function call(ctl: ControllerProcess, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ headers: Record<string, string | string[] | undefined>; json: unknown }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${ctl.url}${path}`, { method, ca: ctl.caPem, headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve({ headers: res.headers, json: text ? JSON.parse(text) : undefined }) : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Logs in as the admin and creates one object (the session is dropped afterwards). */
async function createObject(ctl: ControllerProcess, type: string, body: Record<string, unknown>): Promise<void> {
  const login = await call(ctl, 'POST', '/login', { username: ctl.username, password: ctl.password });
  const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('csrftoken='))?.slice('csrftoken='.length) ?? '';
  await call(ctl, 'POST', `/api/${type}`, body, { cookie: cookies.join('; '), 'x-csrftoken': csrf, referer: `${ctl.url}/`, 'x-avi-version': '30.2.1' });
}

export async function startGslbPlayground(o: PlaygroundOptions): Promise<Playground> {
  const log = o.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await down(o.dir).catch(() => undefined);
  };
  try {
    log('starting clusters a (AMKO leader, member) and b (member)');
    const running = await Promise.all((['a', 'b'] as const).map((name) => up({ name, dir: o.dir, ownerPid: process.pid })));
    const taken: number[] = [];
    const clusters = [] as unknown as [PlaygroundCluster, PlaygroundCluster];
    for (const r of running) {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(r.kubeconfig);
      const nodePort = await freeNodePort(taken);
      taken.push(nodePort);
      clusters.push({ name: r.name as 'a' | 'b', kc, kubeconfig: r.kubeconfig, nodePort, vip: '' });
    }
    const backends = new Map<string, HttpServer>();
    for (const c of clusters) {
      await applyCluster(c);
      backends.set(c.name, await backend(c.name, c.nodePort));
    }
    stops.push(async () => {
      for (const b of backends.values()) await new Promise((r) => b.close(r));
    });

    log('starting the avi-controller (data plane, DNS server)');
    const dnsPort = await freeDnsPort();
    const dns = `127.0.0.1:${dnsPort}`;
    const listen = `127.0.0.1:${await freeTcpPort()}`;
    // A VIP network of its own: the demo (or another playground) may serve the seeded 127.100.0.0/24 at the same time.
    const net = randomLoopbackNet(50, 50);
    const seed = writeSeedFile([dnsDomainsSeed(['example.com']), vipNetworkSeed(net)]);
    const ctlOptions = { dataDir: join(o.dir, 'avi-controller'), listen, args: ['--dataplane', '--dns-listen', dns, '--seed', seed] };
    let ctl = await startControllerProcess(ctlOptions);
    let ctlRunning = true;
    stops.push(async () => {
      if (ctlRunning) await ctl.stop();
    });

    const monitorName = 'gslb-playground-http';
    await createObject(ctl, 'healthmonitor', {
      name: monitorName,
      type: 'HEALTH_MONITOR_HTTP',
      is_federated: true,
      monitor_port: 80,
      send_interval: o.monitor.sendInterval,
      receive_timeout: o.monitor.receiveTimeout,
      successful_checks: o.monitor.successfulChecks,
      failed_checks: o.monitor.failedChecks,
      http_monitor: { http_request: 'HEAD / HTTP/1.0', http_response_code: ['HTTP_2XX', 'HTTP_3XX'] },
    });

    log('starting AKO in each cluster');
    const logs = join(o.dir, 'logs');
    await mkdir(logs, { recursive: true });
    const operators: ChildProcess[] = [];
    stops.push(async () => {
      await Promise.all(operators.map((p) => stopProcess(p)));
    });
    for (const c of clusters) {
      await createAviSecret(c.kc, AKO_NS, ctl);
      const values = join(o.dir, `ako-values-${c.name}.yaml`);
      await writeFile(values, akoValuesYaml(ctl.url, c.name, { L7Settings: { serviceType: 'NodePort', shardVSSize: 'SMALL' }, NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] } }));
      operators.push(startCli('ako', ['--kubeconfig', c.kubeconfig, '--values', values, '--namespace', AKO_NS, '--api-port', '0'], { logFile: join(logs, `ako-${c.name}.log`) }));
      await createIngress(c.kc);
    }
    for (const c of clusters) {
      for (;;) {
        const vip = await ingressVip(c.kc);
        if (vip) {
          c.vip = vip;
          break;
        }
        await sleep(200);
      }
    }

    log('starting AMKO on a');
    const relays = new Map(clusters.map((c) => [c.name, relay(new URL(c.kc.getCurrentCluster()!.server))]));
    for (const r of relays.values()) await r.open();
    stops.push(async () => {
      for (const r of relays.values()) await r.close();
    });
    await configureGslb({
      leader: clusters[0].kc,
      namespace: AKO_NS,
      ctl,
      members: clusters.map((c) => ({ name: c.name, kc: c.kc })),
      servers: Object.fromEntries(clusters.map((c) => [c.name, `https://127.0.0.1:${relays.get(c.name)!.port}`])),
      gdp: {
        matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: { gslb: 'yes' } } },
        matchClusters: clusters.map((c) => ({ cluster: c.name })),
        healthMonitorRefs: [monitorName],
        ttl: o.ttl,
      },
    });
    operators.push(startCli('amko', ['--kubeconfig', clusters[0].kubeconfig, '--namespace', AKO_NS, '--api-port', '0'], { logFile: join(logs, 'amko.log') }));

    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([dns]);
    const answer = () => resolver.resolve4(FQDN).then((ips) => ips.sort(), () => [] as string[]);
    const both = [clusters[0].vip, clusters[1].vip].sort().join();
    for (;;) {
      if ((await answer()).join() === both) break;
      await sleep(200);
    }
    log(`DNS answers ${both} for ${FQDN}`);

    return {
      fqdn: FQDN,
      dns,
      clusters,
      get ctl() {
        return ctl;
      },
      monitorName,
      answer,
      async backendDown(c) {
        const b = backends.get(c.name)!;
        await new Promise((r) => {
          b.close(r);
          b.closeAllConnections();
        });
      },
      async backendUp(c) {
        backends.set(c.name, await backend(c.name, c.nodePort));
      },
      deleteIngress: (c) => c.kc.makeApiClient(k8s.NetworkingV1Api).deleteNamespacedIngress({ name: 'shop', namespace: NS }).then(() => undefined),
      createIngress: (c) => createIngress(c.kc),
      cutApiserver: (c) => relays.get(c.name)!.close(),
      restoreApiserver: (c) => relays.get(c.name)!.open(),
      async stopController() {
        await ctl.stop();
        ctlRunning = false;
      },
      async startController() {
        ctl = await startControllerProcess(ctlOptions);
        ctlRunning = true;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
