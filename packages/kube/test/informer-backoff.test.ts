// The informer's re-list/watch retries against a real kube-apiserver: a resource whose CRD is not served (every list
// answers 404) is retried with a delay that grows with each failure in a row and stops growing at the cap; once the
// CRD exists, the informer lists and watches it.
import * as k8s from '@kubernetes/client-node';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { createInformer, createLogger, watchRetryDelay } from '../src/index.js';

let cluster: TestCluster;
let kc: k8s.KubeConfig;
let ns: string;
const logger = createLogger({ component: 'kube-test', silent: true });

const BASE_MS = 400;
const MAX_MS = 3200;
/** Room for a loaded 2-core machine between a timer firing and the request reaching the apiserver. */
const SLACK_MS = 2000;

async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 30000): Promise<T> {
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
  ns = await cluster.newNamespace('informer-backoff');
});

describe('watchRetryDelay', () => {
  // Hand-computed: ceiling = min(max, base * 2^n); the delay lies in [ceiling/2, ceiling].
  it.each([
    [0, 0, 200],
    [0, 1, 400],
    [1, 0, 400],
    [2, 1, 1600],
    [3, 0, 1600],
    [4, 1, 3200],
    [9, 0, 1600],
    [9, 1, 3200],
    [1000, 1, 3200],
  ])('failure %i with random %d waits %i ms (base 400, max 3200)', (failures, random, want) => {
    expect(watchRetryDelay(failures, BASE_MS, MAX_MS, () => random)).toBe(want);
  });
});

describe('informer retries on the real apiserver', () => {
  const group = `backoff${process.pid}.test.example`;
  const crdName = `widgets.${group}`;
  const ext = () => kc.makeApiClient(k8s.ApiextensionsV1Api);
  afterAll(async () => {
    await ext().deleteCustomResourceDefinition({ name: crdName }).catch(() => undefined);
  });

  it('back off on a resource that is not served, capped, then list and watch it once its CRD exists', async () => {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const lists: number[] = [];
    const failed: number[] = [];
    const informer = createInformer<k8s.KubernetesObject>({
      kubeConfig: kc,
      path: `/apis/${group}/v1/namespaces/${ns}/widgets`,
      list: async () => {
        lists.push(Date.now());
        try {
          return (await custom.listNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'widgets' })) as k8s.KubernetesListObject<k8s.KubernetesObject>;
        } catch (e) {
          failed.push(Date.now());
          throw e;
        }
      },
      logger,
      retryBaseMs: BASE_MS,
      retryMaxMs: MAX_MS,
    });
    await informer.start();
    try {
      // Seven lists: the first and six retries (ceilings 400, 800, 1600, 3200, 3200, 3200 ms).
      await eventually(() => lists.length, (n) => n >= 7, 11200 + 7 * SLACK_MS);
      expect(failed.length).toBeGreaterThanOrEqual(6);
      const gaps = lists.slice(1, 7).map((t, i) => t - lists[i]!);
      // Timers never fire early: retry i waits at least half its ceiling. The old informer retried every 500 ms.
      const lower = [200, 400, 800, 1600, 1600, 1600];
      gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(lower[i]! - 5));
      // And never longer than the cap (plus the machine's slack): without a cap retry 5 would wait 6.4-12.8 s.
      gaps.forEach((g) => expect(g).toBeLessThanOrEqual(MAX_MS + SLACK_MS));

      await ext().createCustomResourceDefinition({
        body: {
          metadata: { name: crdName },
          spec: {
            group,
            scope: 'Namespaced',
            names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
            versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
          },
        },
      });
      await eventually(
        () => custom.listNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'widgets' }).then(() => true, () => false),
        (ok) => ok,
      );
      await custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'widgets', body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' } } });
      // Listed on the next retry (at most the cap away), then watched: a second object arrives by the watch.
      await eventually(() => informer.get('w1', ns), (w) => w !== undefined, MAX_MS + 3 * SLACK_MS);
      const listsWhenSynced = lists.length;
      await custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'widgets', body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w2' } } });
      await eventually(() => informer.get('w2', ns), (w) => w !== undefined, 10000);
      expect(lists.length).toBe(listsWhenSynced);
    } finally {
      await informer.stop();
    }
  }, 90000);
});
