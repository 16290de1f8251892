// The operators' own Kubernetes client (kubeconfig.ts, raw.ts, watch.ts, h2.ts, informer.ts) against a real kube-apiserver:
// credentials from a kubeconfig file (client certificate + CA data), a bearer token, the in-cluster service account
// (token file re-read when the kubelet rotates it), TLS verified unless the kubeconfig skips it, and the informer's
// watch (re-watch from the last resourceVersion without a list when the server ends a watch; paged, selected and
// transformed lists), on one HTTP/2 connection for the watches and reads of KubeConfigs with the same server and
// credentials (HTTP/1.1 when a TLS proxy in front of it chooses that in ALPN). client-node is only the test's own
// client here. (A 410 Gone cannot be provoked on demand:
// the apiserver's watch cache answers old resourceVersions from its own history.)
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import {
  createInformer,
  createLogger,
  inClusterKubeConfig,
  kubeConfigFromString,
  KubeRequestError,
  CONNECTION_WINDOW,
  loadKubeConfigFile,
  rawKube,
  STREAM_WINDOW,
  type KubeList,
} from '../src/index.js';

let cluster: TestCluster;
let admin: k8s.KubeConfig;
let ns: string;
let dir: string;
const logger = createLogger({ component: 'kube-test', silent: true });
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A kubeconfig (YAML) for the test cluster with the given cluster and user entries. */
function kubeconfigText(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c`,
    `  cluster: ${JSON.stringify(cluster)}`,
    'users:',
    `- name: u`,
    `  user: ${JSON.stringify(user)}`,
    'contexts:',
    '- name: ctx',
    '  context: {cluster: c, user: u}',
    'current-context: ctx',
  ].join('\n');
}

/** A service account in `ns` allowed to read ConfigMaps there, and a token for it. */
async function readerToken(name: string): Promise<string> {
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] } });
  const token = await cluster.serviceAccountToken(ns, name);
  await rbac.createNamespacedRoleBinding({
    namespace: ns,
    body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }] },
  });
  return token;
}

/** This process's established TCP connections to PORT, read from /proc (the kernel's view, not the client's). */
function connectionsTo(port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  let n = 0;
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // remote address, state (01: established), inode
      if (f.length > 9 && parseInt(f[2]!.split(':')[1]!, 16) === port && f[3] === '01' && inodes.has(f[9]!)) n++;
    }
  }
  return n;
}

const configMaps = () => `/api/v1/namespaces/${ns}/configmaps`;

beforeAll(async () => {
  cluster = await testCluster('c1');
  admin = cluster.kubeConfig();
  ns = await cluster.newNamespace('lean-client');
  dir = await mkdtemp(join(tmpdir(), 'lean-client-'));
  await admin.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'one' }, data: { v: '1' } } });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('credentials', () => {
  it('a kubeconfig file with a client certificate and the CA as data reads as the admin', async () => {
    const kc = loadKubeConfigFile(cluster.kubeconfig);
    expect(kc.getCurrentUser()?.certData).toContain('BEGIN CERTIFICATE');
    const list = (await rawKube(kc).request('GET', configMaps())) as KubeList<k8s.V1ConfigMap>;
    expect(list.items.map((c) => c.metadata?.name)).toContain('one');
  });

  it('a bearer token reads what its RBAC allows; a wrong token gets 401, a forbidden read 403', async () => {
    const token = await readerToken('reader');
    const kc = kubeConfigFromString(kubeconfigText({ server: cluster.server, 'certificate-authority-data': b64(cluster.caPem) }, { token }));
    const cm = (await rawKube(kc).request('GET', `${configMaps()}/one`)) as k8s.V1ConfigMap;
    expect(cm.data).toEqual({ v: '1' });
    const forbidden = await rawKube(kc).request('GET', `/api/v1/namespaces/${ns}/secrets`).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(KubeRequestError);
    expect((forbidden as KubeRequestError).code).toBe(403);
    const wrong = kubeConfigFromString(kubeconfigText({ server: cluster.server, 'certificate-authority-data': b64(cluster.caPem) }, { token: 'not-a-token' }));
    const unauthorized = await rawKube(wrong).request('GET', `${configMaps()}/one`).catch((e: unknown) => e);
    expect((unauthorized as KubeRequestError).statusCode).toBe(401);
  });

  it('verifies the server against the CA: another CA fails, insecure-skip-tls-verify connects', async () => {
    const other = await createCA('not the cluster CA');
    const token = await readerToken('reader-tls');
    const wrongCa = kubeConfigFromString(kubeconfigText({ server: cluster.server, 'certificate-authority-data': b64(other.certPem) }, { token }));
    const err = (await rawKube(wrongCa).request('GET', `${configMaps()}/one`).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    // A TLS failure before any HTTP answer (Node's error codes name the certificate problem).
    expect(err).not.toBeInstanceOf(KubeRequestError);
    expect(String(err.code)).toMatch(/CERT|SIGNATURE|ISSUER|SELF_SIGNED/);
    const skip = kubeConfigFromString(kubeconfigText({ server: cluster.server, 'insecure-skip-tls-verify': true }, { token }));
    expect(((await rawKube(skip).request('GET', `${configMaps()}/one`)) as k8s.V1ConfigMap).data).toEqual({ v: '1' });
  });

  it('the in-cluster service account: token and CA files, and a rotated token file is read again', async () => {
    const sa = join(dir, 'serviceaccount');
    await import('node:fs/promises').then((fs) => fs.mkdir(sa));
    await writeFile(join(sa, 'token'), 'expired-or-wrong');
    await writeFile(join(sa, 'ca.crt'), cluster.caPem);
    const url = new URL(cluster.server);
    const kc = inClusterKubeConfig({ KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port }, sa, 100);
    const before = await rawKube(kc).request('GET', `${configMaps()}/one`).catch((e: unknown) => e);
    expect((before as KubeRequestError).statusCode).toBe(401);
    // The kubelet writes the new token; the next request after the re-read interval uses it.
    await writeFile(join(sa, 'token'), `${await readerToken('in-cluster')}\n`);
    await new Promise((r) => setTimeout(r, 150));
    expect(((await rawKube(kc).request('GET', `${configMaps()}/one`)) as k8s.V1ConfigMap).data).toEqual({ v: '1' });
    expect(() => inClusterKubeConfig({}, sa)).toThrow(/KUBERNETES_SERVICE_HOST/);
  });

  it('refuses what it cannot do with a message that says so', () => {
    expect(() => kubeConfigFromString(kubeconfigText({ server: cluster.server }, { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } }))).toThrow(
      /user u uses an exec plugin, which is not supported/,
    );
    expect(() => kubeConfigFromString('clusters: [{name: c, cluster: {server: ""}}]')).toThrow(/clusters.0.cluster.server: server is empty/);
    expect(() => kubeConfigFromString(kubeconfigText({ server: cluster.server, 'proxy-url': 'http://proxy:3128' }, {}))).toThrow(/cluster c has a proxy-url, which is not supported/);
    expect(() => kubeConfigFromString('{ not yaml')).toThrow(/kubeconfig is not YAML/);
  });

  it('names the field of a malformed kubeconfig, and ignores fields it does not read', () => {
    const bad: [string, string][] = [
      ['just a string', 'kubeconfig: (root): Invalid input: expected object, received string'],
      ['clusters: {name: c}', 'kubeconfig: clusters: Invalid input: expected array, received object'],
      ['clusters: [{cluster: {server: "https://x"}}]', 'kubeconfig: clusters.0.name: Invalid input: expected string, received undefined'],
      ['clusters: [{name: "", cluster: {server: "https://x"}}]', 'kubeconfig: clusters.0.name: name is empty'],
      ['clusters: [{name: c}]', 'kubeconfig: clusters.0.cluster: Invalid input: expected object, received undefined'],
      ['clusters: [{name: c, cluster: {server: 6443}}]', 'kubeconfig: clusters.0.cluster.server: Invalid input: expected string, received number'],
      ['clusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: "yes"}}]', 'kubeconfig: clusters.0.cluster.insecure-skip-tls-verify: Invalid input: expected boolean, received string'],
      ['users: [{name: u, user: {token: [a]}}]', 'kubeconfig: users.0.user.token: Invalid input: expected string, received array'],
      ['users: [{name: u, user: "x"}]', 'kubeconfig: users.0.user: Invalid input: expected object, received string'],
      ['contexts: [{name: x, context: {user: u}}]', 'kubeconfig: contexts.0.context.cluster: Invalid input: expected string, received undefined'],
      ['contexts: [{name: x, context: {cluster: c, namespace: 1}}]', 'kubeconfig: contexts.0.context.namespace: Invalid input: expected string, received number'],
      ['current-context: 3', 'kubeconfig: current-context: Invalid input: expected string, received number'],
    ];
    for (const [text, message] of bad) expect(() => kubeConfigFromString(text)).toThrow(new Error(message));
    // null lists and a null user are empty; unknown fields and the first context stand in for a missing current one.
    const kc = kubeConfigFromString('apiVersion: v1\nkind: Config\npreferences: {}\nclusters: [{name: c, extra: 1, cluster: {server: "https://x:6443", extensions: []}}]\nusers: [{name: u, user: null}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: null');
    expect(kc.getCurrentContext()).toBe('x');
    expect(kc.getCurrentCluster()).toEqual({ name: 'c', server: 'https://x:6443', skipTLSVerify: false });
    expect(kc.getCurrentUser()).toEqual({ name: 'u' });
    expect(kubeConfigFromString('clusters: null\nusers: null\ncontexts: null').getCurrentCluster()).toBeNull();
  });
});

describe('informer on the raw watch', () => {
  it('when the server ends a watch (timeoutSeconds), watches again from the last resourceVersion without a list', async () => {
    const kc = loadKubeConfigFile(cluster.kubeconfig);
    const core = admin.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = createInformer<k8s.V1ConfigMap>({
      kubeConfig: kc,
      path: configMaps(),
      logger,
      watchTimeoutSeconds: 1,
      list: async () => {
        lists++;
        return (await rawKube(kc).request('GET', configMaps())) as KubeList<k8s.V1ConfigMap>;
      },
    });
    await informer.start();
    try {
      // Watches of 1-2 s: several have ended by now.
      await new Promise((r) => setTimeout(r, 5000));
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'late' }, data: { v: 'x' } } });
      await eventually(() => informer.get('late', ns), (o) => o !== undefined);
      await core.deleteNamespacedConfigMap({ namespace: ns, name: 'late' });
      await eventually(() => informer.get('late', ns), (o) => o === undefined);
      expect(lists).toBe(1);
    } finally {
      await informer.stop();
    }
  }, 60000);

  it('lists page by page with a label selector and keeps only the transformed objects', async () => {
    const kc = loadKubeConfigFile(cluster.kubeconfig);
    const core = admin.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < 7; i++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `paged-${i}`, labels: { paged: 'yes' } }, data: { big: 'x'.repeat(100) } } });
    const informer = createInformer<k8s.V1ConfigMap>({
      kubeConfig: kc,
      path: configMaps(),
      labelSelector: 'paged=yes',
      pageSize: 3,
      logger,
      transform: (o) => ({ metadata: { name: o.metadata!.name!, namespace: o.metadata!.namespace!, resourceVersion: o.metadata!.resourceVersion! } }),
    });
    await informer.start();
    try {
      expect(informer.list(ns).map((o) => o.metadata?.name).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `paged-${i}`));
      expect(informer.list(ns).every((o) => o.data === undefined)).toBe(true);
      expect(informer.get('one', ns)).toBeUndefined();
    } finally {
      await informer.stop();
    }
  }, 60000);

  it('the watches and reads of KubeConfigs with the same server and credentials share one HTTP/2 connection', async () => {
    const port = Number(new URL(cluster.server).port);
    const before = connectionsTo(port);
    const kcs = [loadKubeConfigFile(cluster.kubeconfig), loadKubeConfigFile(cluster.kubeconfig)];
    const informers = kcs.flatMap((kc) => [
      createInformer<k8s.V1ConfigMap>({ kubeConfig: kc, path: configMaps(), logger }),
      createInformer<k8s.V1ConfigMap>({ kubeConfig: kc, path: `/api/v1/namespaces/${ns}/secrets`, logger }),
    ]);
    await Promise.all(informers.map((i) => i.start()));
    try {
      expect(informers[2]!.get('one', ns)?.data).toEqual({ v: '1' });
      expect(((await rawKube(kcs[1]!).request('GET', `${configMaps()}/one`)) as k8s.V1ConfigMap).data).toEqual({ v: '1' });
      // four watches and four lists (each on a connection of its own over HTTP/1.1) add at most one connection
      expect(connectionsTo(port) - before).toBeLessThanOrEqual(1);
      await admin.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'shared' }, data: { v: 's' } } });
      await eventually(() => informers.filter((i) => i.get('shared', ns)?.data?.v === 's').length, (n) => n === 2);
    } finally {
      await Promise.all(informers.map((i) => i.stop()));
    }
  }, 60000);

  it('a TLS proxy that chooses HTTP/1.1 in ALPN gets the reads and watches on HTTP/1.1, the first read included', async () => {
    const ca = await createCA('proxy CA');
    const serverCert = await issueCertificate(ca, { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const upstream = new URL(cluster.server);
    const versions = new Set<string>();
    // Node's https server speaks HTTP/1.1 only (its ALPN offers http/1.1)
    const proxy = https.createServer({ key: serverCert.keyPem, cert: serverCert.certPem }, (req, res) => {
      versions.add(req.httpVersion);
      const up = https.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, ca: cluster.caPem }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const token = await readerToken('reader-h1');
    const kc = kubeConfigFromString(kubeconfigText({ server: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`, 'certificate-authority-data': b64(ca.certPem) }, { token }));
    const informer = createInformer<k8s.V1ConfigMap>({ kubeConfig: kc, path: configMaps(), logger });
    try {
      await informer.start();
      // the first list is in the cache at start: the failed h2 attempt was made again on HTTP/1.1
      expect(informer.get('one', ns)?.data).toEqual({ v: '1' });
      expect(((await rawKube(kc).request('GET', `${configMaps()}/one`)) as k8s.V1ConfigMap).data).toEqual({ v: '1' });
      await admin.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'via-h1' }, data: { v: 'h1' } } });
      await eventually(() => informer.get('via-h1', ns)?.data?.v, (v) => v === 'h1');
      expect([...versions]).toEqual(['1.1']);
    } finally {
      await informer.stop();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  }, 60000);
  it('grants the apiserver flow-control windows as Go\'s HTTP/2 client does: a list page never waits for window updates', async () => {
    // An HTTP/2 proxy in front of the apiserver (Node's own HTTP/2 server) sees what the client grants on the wire.
    const ca = await createCA('h2 proxy CA');
    const serverCert = await issueCertificate(ca, { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const upstream = new URL(cluster.server);
    const seen: { streamWindow?: number; connectionWindow?: number; bodyBytes: number } = { bodyBytes: 0 };
    const proxy = http2.createSecureServer({ key: serverCert.keyPem, cert: serverCert.certPem }, (req, res) => {
      // before any of the answer is sent: what the client allows this connection to receive
      seen.streamWindow = req.stream.session!.remoteSettings.initialWindowSize;
      seen.connectionWindow = req.stream.session!.state.remoteWindowSize;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !k.startsWith(':')));
      const up = https.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, ca: cluster.caPem }, (r) => {
        res.writeHead(r.statusCode ?? 502, { 'content-type': String(r.headers['content-type'] ?? '') });
        r.on('data', (c: Buffer) => (seen.bodyBytes += c.length));
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end();
    });
    const sessions = new Set<http2.ServerHttp2Session>();
    proxy.on('session', (session) => sessions.add(session));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const token = await readerToken('reader-h2-window');
    const kc = kubeConfigFromString(kubeconfigText({ server: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`, 'certificate-authority-data': b64(ca.certPem) }, { token }));
    const core = admin.makeApiClient(k8s.CoreV1Api);
    // a page larger than HTTP/2's default window of 64 KiB
    const big = 'x'.repeat(200 * 1024);
    for (let i = 0; i < 3; i++) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `big-${i}` }, data: { v: big } } });
    try {
      const list = (await rawKube(kc).request('GET', `${configMaps()}?labelSelector=`)) as KubeList<k8s.V1ConfigMap>;
      expect(list.items.filter((c) => c.data?.v === big)).toHaveLength(3);
      expect(seen.bodyBytes).toBeGreaterThan(3 * 200 * 1024);
      expect(STREAM_WINDOW).toBe(4 * 1024 * 1024);
      expect(seen.streamWindow).toBe(STREAM_WINDOW);
      // the connection's window: HTTP/2's initial 65535 raised to CONNECTION_WINDOW (64 MiB)
      expect(CONNECTION_WINDOW).toBe(64 * 1024 * 1024);
      expect(seen.connectionWindow).toBe(CONNECTION_WINDOW);
      expect(seen.bodyBytes).toBeLessThan(seen.streamWindow!);
    } finally {
      for (let i = 0; i < 3; i++) await core.deleteNamespacedConfigMap({ namespace: ns, name: `big-${i}` });
      for (const session of sessions) session.destroy();
      await new Promise((r) => proxy.close(r));
    }
  }, 60000);
});
