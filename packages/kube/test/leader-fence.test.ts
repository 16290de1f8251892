// Leader election as a write fence, on a real kube-apiserver: holding() is a local check against a monotonic clock
// that a paused process fails on resume (the event loop is blocked here, as SIGSTOP freezes it: no timer, no renew),
// a Lease taken by another holder stops writes at once, and a candidate takes a Lease only after it saw it unchanged
// for the lease duration (its own clock, not the holder's renewTime).
import * as k8s from '@kubernetes/client-node';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { checkWriteFence, createEventRecorder, createLeaderElector, createLogger, fenceWrites, LeaseNotHeldError, patchServiceLoadBalancer } from '../src/index.js';

let cluster: TestCluster;
let kc: k8s.KubeConfig;
let ns: string;
const logger = createLogger({ component: 'leader-fence-test', silent: true });
const where = () => ({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespace: ns });
const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Blocks the event loop for `ms` (no timer, no I/O callback runs meanwhile), as a SIGSTOP of the process does. */
function freeze(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

beforeAll(async () => {
  cluster = await testCluster('c1');
  kc = cluster.kubeConfig();
  ns = await cluster.newNamespace('leader-fence');
});

const candidate = (name: string, identity: string, log: string[], timing = { leaseDurationSeconds: 3, renewDeadlineSeconds: 2, retryPeriodSeconds: 0.2 }) =>
  createLeaderElector({
    kubeConfig: kc,
    namespace: ns,
    name,
    identity,
    ...timing,
    onStartedLeading: () => log.push(`${identity} leads`),
    onStoppedLeading: () => log.push(`${identity} stops`),
    logger,
  });

test('a leader frozen past its renew deadline holds nothing on resume, before any timer or renew ran, and steps down for good', async () => {
  const log: string[] = [];
  const a = candidate('frozen', 'a', log);
  a.start();
  await eventually(() => a.isLeader, (v) => v);
  expect(a.holding()).toBe(true);
  freeze(2500);
  // Resumed: the very first check refuses, although the Lease on the apiserver is still a's.
  expect(a.holding()).toBe(false);
  await eventually(() => log, (l) => l.includes('a stops'));
  expect(a.isLeader).toBe(false);
  expect(await a.confirm()).toBe(false);
  // It does not campaign again (its owner exits or stops, as with client-go).
  await new Promise((r) => setTimeout(r, 600));
  expect(log).toEqual(['a leads', 'a stops']);
  await a.stop();
});

test('a Lease another holder took stops writes at the next renew, and confirm() reads it at once', async () => {
  const log: string[] = [];
  const a = candidate('taken', 'a', log, { leaseDurationSeconds: 10, renewDeadlineSeconds: 8, retryPeriodSeconds: 5 });
  a.start();
  await eventually(() => a.isLeader, (v) => v);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const lease = (await custom.getNamespacedCustomObject({ ...where(), name: 'taken' })) as { spec: Record<string, unknown> };
  const now = microTime(new Date());
  await custom.replaceNamespacedCustomObject({ ...where(), name: 'taken', body: { ...lease, spec: { ...lease.spec, holderIdentity: 'someone-else', acquireTime: now, renewTime: now } } });
  // The local check alone cannot know yet (the next renew is 5 s away); confirm() asks the apiserver.
  expect(a.holding()).toBe(true);
  expect(await a.confirm()).toBe(false);
  expect(a.holding()).toBe(false);
  expect(log).toEqual(['a leads', 'a stops']);
  await a.stop();
});

test('a candidate takes an expired Lease only after watching it unchanged for the lease duration', async () => {
  // A Lease whose holder's renewTime is an hour old: by that clock it expired long ago.
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const old = microTime(new Date(Date.now() - 3600_000));
  await custom.createNamespacedCustomObject({
    ...where(),
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'ghost' }, spec: { holderIdentity: 'ghost', leaseDurationSeconds: 2, acquireTime: old, renewTime: old, leaseTransitions: 0 } },
  });
  const log: string[] = [];
  const started = performance.now();
  const b = candidate('ghost', 'b', log, { leaseDurationSeconds: 2, renewDeadlineSeconds: 1, retryPeriodSeconds: 0.2 });
  b.start();
  await eventually(() => b.isLeader, (v) => v);
  expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
  const lease = (await custom.getNamespacedCustomObject({ ...where(), name: 'ghost' })) as { spec: { holderIdentity: string; leaseTransitions: number } };
  expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  await b.stop();
});

test('a renew deadline not shorter than the lease duration is refused', () => {
  expect(() => candidate('bad', 'x', [], { leaseDurationSeconds: 2, renewDeadlineSeconds: 2, retryPeriodSeconds: 0.2 })).toThrow(/renew deadline .* must be shorter than the lease duration/);
});

test('a write fence on a KubeConfig refuses its status and Event writes, and leaves other KubeConfigs alone', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'fenced' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } });
  const fenced = new k8s.KubeConfig();
  fenced.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.getCurrentContext() });
  let open = false;
  fenceWrites(fenced, () => {
    if (!open) throw new LeaseNotHeldError(`${ns}/x`);
  });
  expect(() => checkWriteFence(fenced)).toThrow(LeaseNotHeldError);
  await expect(patchServiceLoadBalancer(fenced, ns, 'fenced', [{ ip: '10.9.9.9' }])).rejects.toThrow(LeaseNotHeldError);
  const recorder = createEventRecorder({ kubeConfig: fenced, component: 'fence-test', logger });
  await recorder.record({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'fenced', namespace: ns } }, 'Normal', 'Fenced', 'not written');
  const svc = await core.readNamespacedServiceStatus({ name: 'fenced', namespace: ns });
  expect(svc.status?.loadBalancer?.ingress ?? []).toEqual([]);
  expect((await core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.reason === 'Fenced')).toEqual([]);
  // The original KubeConfig is not fenced; an open fence lets writes through.
  await patchServiceLoadBalancer(kc, ns, 'fenced', [{ ip: '10.9.9.8' }]);
  open = true;
  await patchServiceLoadBalancer(fenced, ns, 'fenced', [{ ip: '10.9.9.7' }]);
  expect((await core.readNamespacedServiceStatus({ name: 'fenced', namespace: ns })).status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual(['10.9.9.7']);
});
