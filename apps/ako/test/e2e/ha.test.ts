// Active/passive AKO (replicaCount 2): only the holder of Lease ako-lease-lock writes; the standby takes over when
// the leader goes away, and finds nothing to write.
import { createLogger } from '@avi-k8s/kube';
import { startAko, type AkoHandle } from '../../src/operator/run.js';
import { controllerWrites, createLbService, eventually, harness, type Harness } from './harness.js';

let h: Harness;
let ns: string;

beforeAll(async () => {
  h = await harness('ha');
  ns = await h.appNamespace('ha-apps');
}, 120000);

afterAll(async () => {
  await h?.close();
});

const replica = (identity: string, lost: string[]) =>
  startAko({
    kubeConfig: h.kc,
    namespace: h.akoNamespace,
    valuesFile: h.valuesFile,
    apiPort: 0,
    apiHost: '127.0.0.1',
    logger: createLogger({ component: identity, silent: !process.env.AKO_TEST_LOGS }),
    leaderElection: { identity, leaseDurationSeconds: 6, renewDeadlineSeconds: 4, retryPeriodSeconds: 0.5 },
    onLostLeadership: () => lost.push(identity),
  });

test('one replica leads and writes; the standby is ready but idle, and takes over without writing', async () => {
  await createLbService(h, ns, 'ha-web', [{ port: 80, targetPort: 8080 }], ['10.244.7.1']);
  const lost: string[] = [];
  const a: AkoHandle = await replica('ako-0', lost);
  await a.ready;
  expect(a.leading).toBe(true);
  const b: AkoHandle = await replica('ako-1', lost);
  await eventually('standby ready', async () => (await fetch(`${b.ops.url}/readyz`)).status, (s) => s === 200);
  expect(b.leading).toBe(false);
  const vs = `${h.clusterName}--${ns}-ha-web`;
  expect(await h.avi.getByName('virtualservice', vs)).toBeDefined();

  const before = await controllerWrites(h);
  await a.stop();
  const summary = await b.ready;
  expect(b.leading).toBe(true);
  expect(summary).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  expect(await controllerWrites(h)).toBe(before);

  // The new leader keeps syncing.
  await createLbService(h, ns, 'ha-api', [{ port: 443, targetPort: 8443 }], ['10.244.7.2']);
  await eventually('new leader syncs', () => h.avi.getByName('virtualservice', `${h.clusterName}--${ns}-ha-api`), (v) => v !== undefined);
  await b.stop();
  expect(lost).toEqual([]);
}, 120000);
