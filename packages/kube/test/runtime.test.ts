import * as k8s from '@kubernetes/client-node';
import { Registry, Counter } from 'prom-client';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import {
  createEventRecorder,
  createInformer,
  createLeaderElector,
  createLogger,
  patchServiceLoadBalancer,
  resourceInformers,
  startOpsServer,
  type InformerEvent,
} from '../src/index.js';

let cluster: TestCluster;
let kc: k8s.KubeConfig;
let ns: string;
const logger = createLogger({ component: 'kube-test', silent: true });

async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cluster = await testCluster('c1');
  kc = cluster.kubeConfig();
  ns = await cluster.newNamespace('kube-runtime');
});

describe('informers', () => {
  it('list the existing objects first, then deliver adds, updates and deletes into the cache', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'before' }, data: { v: '0' } } });
    const seen: string[] = [];
    const informer = createInformer<k8s.V1ConfigMap>({
      kubeConfig: kc,
      path: `/api/v1/namespaces/${ns}/configmaps`,
      list: () => core.listNamespacedConfigMap({ namespace: ns }),
      logger,
      onEvent: (event: InformerEvent, obj) => seen.push(`${event} ${obj.metadata?.name}`),
    });
    await informer.start();
    try {
      expect(informer.synced).toBe(true);
      expect(informer.get('before', ns)?.data).toEqual({ v: '0' });
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'after' }, data: { v: '1' } } });
      await core.replaceNamespacedConfigMap({ name: 'after', namespace: ns, body: { metadata: { name: 'after' }, data: { v: '2' } } });
      await eventually(() => informer.get('after', ns)?.data?.v, (v) => v === '2');
      await core.deleteNamespacedConfigMap({ name: 'before', namespace: ns });
      await eventually(() => informer.list(ns).map((c) => c.metadata?.name), (names) => names.length === 1 && names[0] === 'after');
      expect(seen).toEqual(['add before', 'add after', 'update after', 'delete before']);
    } finally {
      await informer.stop();
    }
  });

  it('resourceInformers watch built-in resources cluster-wide', async () => {
    const services = resourceInformers({ kubeConfig: kc, logger }).services();
    await services.start();
    try {
      await kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({
        namespace: ns,
        body: { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } },
      });
      const svc = await eventually(() => services.get('lb', ns), (s) => s !== undefined);
      expect(svc?.spec?.type).toBe('LoadBalancer');
      expect(services.list().some((s) => s.metadata?.name === 'kubernetes' && s.metadata.namespace === 'default')).toBe(true);
    } finally {
      await services.stop();
    }
  });
});

describe('status and events', () => {
  it('writes Service status.loadBalancer through the status subresource', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'status-svc' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } },
    });
    await patchServiceLoadBalancer(kc, ns, 'status-svc', [{ ip: '192.0.2.10', hostname: 'status-svc.example.com' }]);
    const svc = await core.readNamespacedService({ name: 'status-svc', namespace: ns });
    expect(svc.status?.loadBalancer?.ingress).toMatchObject([{ ip: '192.0.2.10', hostname: 'status-svc.example.com' }]);
  });

  it('records an Event and aggregates repeats into a count', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'evented' }, spec: { ports: [{ port: 80 }] } },
    });
    const recorder = createEventRecorder({ kubeConfig: kc, component: 'avi-kubernetes-operator', logger });
    const target = { apiVersion: 'v1', kind: 'Service', metadata: svc.metadata };
    await recorder.record(target, 'Warning', 'SyncError', 'pool could not be created');
    await recorder.record(target, 'Warning', 'SyncError', 'pool could not be created');
    await recorder.record(target, 'Normal', 'Synced', 'virtual service created');
    // Only our recorder's Events: the apiserver's own controllers may add theirs to the same Service (its ClusterIP
    // repair loop does when it races the allocation), and those are not under test.
    const events = (await core.listNamespacedEvent({ namespace: ns })).items.filter(
      (e) => e.involvedObject.name === 'evented' && e.reportingComponent === 'avi-kubernetes-operator',
    );
    const byReason = Object.fromEntries(events.map((e) => [e.reason, e]));
    expect(events).toHaveLength(2);
    expect(byReason.SyncError?.count).toBe(2);
    expect(byReason.SyncError?.type).toBe('Warning');
    expect(byReason.SyncError?.involvedObject.uid).toBe(svc.metadata?.uid);
    expect(byReason.Synced?.source?.component).toBe('avi-kubernetes-operator');
  });

  it('an Event that cannot be written is logged, not thrown', async () => {
    const noAccess = cluster.kubeConfigForToken('invalid-token');
    const recorder = createEventRecorder({ kubeConfig: noAccess, component: 'x', logger });
    await expect(recorder.record({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'n', namespace: ns } }, 'Normal', 'R', 'm')).resolves.toBeUndefined();
  });
});

describe('leader election', () => {
  it('elects one leader, and the other candidate takes over when the leader steps down', async () => {
    const log: string[] = [];
    const candidate = (identity: string) =>
      createLeaderElector({
        kubeConfig: kc,
        namespace: ns,
        name: 'ako-lock',
        identity,
        leaseDurationSeconds: 3,
        renewDeadlineSeconds: 2,
        retryPeriodSeconds: 0.2,
        onStartedLeading: () => log.push(`${identity} leads`),
        onStoppedLeading: () => log.push(`${identity} stops`),
        logger,
      });
    const a = candidate('a');
    a.start();
    await eventually(() => a.isLeader, (v) => v);
    const b = candidate('b');
    b.start();
    await new Promise((r) => setTimeout(r, 800));
    expect(b.isLeader).toBe(false);
    await a.stop();
    await eventually(() => b.isLeader, (v) => v);
    await b.stop();
    expect(log).toEqual(['a leads', 'a stops', 'b leads', 'b stops']);
    const lease = await kc.makeApiClient(k8s.CoordinationV1Api).readNamespacedLease({ name: 'ako-lock', namespace: ns });
    expect(lease.spec?.leaseTransitions).toBe(1);
  });
});

describe('ops server', () => {
  it('serves /healthz, /readyz, /metrics and extra routes', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    let ready = false;
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      ready: () => ready,
      routes: { '/api/status': (_req, res) => void res.end('{"ok":true}') },
    });
    try {
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${ops.url}/metrics`)).text()).toContain('test_things_total 3');
      expect(await (await fetch(`${ops.url}/api/status`)).json()).toEqual({ ok: true });
      expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
    } finally {
      await ops.close();
    }
  });
});
