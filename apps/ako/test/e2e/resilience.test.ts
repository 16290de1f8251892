// AKO under bad input and a failing controller: clear startup errors, recovery after an outage, and the live
// ConfigMap keys (deleteConfig removes everything AKO owns and nothing else; clearing it brings it back).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createLogger } from '@avi-k8s/kube';
import { akoValuesYaml, writeValuesFile } from '@avi-k8s/testbed';
import { startAko } from '../../src/operator/run.js';
import { createLbService, eventually, harness, type Harness } from './harness.js';

const cli = fileURLToPath(new URL('../../dist/bundle.js', import.meta.url));
let h: Harness;
let ns: string;

beforeAll(async () => {
  h = await harness('res');
  ns = await h.appNamespace('res-apps');
}, 120000);

afterAll(async () => {
  await h.avi.request('DELETE', '/debug/faults').catch(() => undefined);
  await h?.close();
});

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('the CLI names a bad flag, a bad values key and a missing Secret, and exits non-zero', async () => {
  const flag = await run(['--colour', 'red']);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain("Unknown option '--colour'");

  const bad = join(tmpdir(), `ako-bad-${process.pid}.yaml`);
  writeFileSync(bad, 'L7Settings:\n  shardVSSize: HUGE\nControllerSettings:\n  controllerHost: h\n');
  const values = await run(['--kubeconfig', h.cluster.kubeconfig, '--values', bad, '--namespace', h.akoNamespace]);
  expect(values.code).toBe(2);
  expect(values.stderr).toContain('L7Settings.shardVSSize');

  const emptyNs = await h.cluster.newNamespace('res-nosecret');
  const secret = await run(['--kubeconfig', h.cluster.kubeconfig, '--values', h.valuesFile, '--namespace', emptyNs, '--api-port', '0']);
  expect(secret.code).toBe(1);
  expect(secret.stderr).toContain(`Secret ${emptyNs}/avi-secret not found`);
}, 60000);

test('a controller that drops every connection: AKO reports DISCONNECTED, then syncs once it answers again', async () => {
  const ako = await h.start();
  await ako.ready;
  await h.avi.request('PUT', '/debug/faults', { body: { dropRate: 1, pathContains: '/api/vsvip' } });
  await createLbService(h, ns, 'outage', [{ port: 80, targetPort: 8080 }], ['10.244.9.1']);
  const status = async () => (await (await fetch(`${ako.ops.url}/api/status`)).json()) as { avi_api: { connection_status: string; errors: unknown[] } };
  await eventually('DISCONNECTED', status, (s) => s.avi_api.connection_status === 'DISCONNECTED');
  await h.avi.request('DELETE', '/debug/faults');
  const svc = await eventually(
    'Service status after recovery',
    () => h.core.readNamespacedService({ name: 'outage', namespace: ns }),
    (s) => !!s.status?.loadBalancer?.ingress?.length,
    120000,
  );
  expect(svc.status!.loadBalancer!.ingress![0]!.ip).toMatch(/^127\.100\./);
  expect((await status()).avi_api.connection_status).toBe('CONNECTED');
  await ako.stop();
}, 180000);

test('deleteConfig removes every object AKO owns, leaves others alone, and clearing it syncs again; logLevel changes live', async () => {
  const foreign = (await h.avi.create('pool', { name: 'not-ours', servers: [] } as never)) as AviBody;
  await createLbService(h, ns, 'keep', [{ port: 80, targetPort: 8080 }], ['10.244.9.2']);
  const ako = await h.start(undefined, 'configmap');
  await ako.ready;
  const vsName = `${h.clusterName}--${ns}-keep`;
  expect(await h.avi.getByName('virtualservice', vsName)).toBeDefined();
  const patch = (deleteConfig: string) =>
    h.core.patchNamespacedConfigMap(
      { name: 'avi-k8s-config', namespace: h.akoNamespace, body: { data: { deleteConfig } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  await patch('true');
  await eventually('owned objects gone', async () => (await h.avi.list('virtualservice', { params: { created_by: `ako-${h.clusterName}` } })).count, (n) => n === 0);
  await eventually('owned pools gone', async () => (await h.avi.list('pool', { params: { created_by: `ako-${h.clusterName}` } })).count, (n) => n === 0);
  expect(await h.avi.get('pool', String(foreign.uuid))).toMatchObject({ name: 'not-ours' });
  await patch('false');
  await eventually('VS back', () => h.avi.getByName('virtualservice', vsName), (v) => v !== undefined);

  // logLevel is live too.
  await h.core.patchNamespacedConfigMap(
    { name: 'avi-k8s-config', namespace: h.akoNamespace, body: { data: { logLevel: 'ERROR' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await eventually('log level ERROR', () => ako.logger.level, (l) => l === 'error');
  await ako.stop();
}, 120000);

test('controller-side problems at boot: a missing cloud stops AKO, a missing VIP network disables sync; both are Events on its Pod', async () => {
  const start = (overrides: Record<string, Record<string, unknown>>) =>
    startAko({
      kubeConfig: h.kc,
      namespace: h.akoNamespace,
      valuesFile: writeValuesFile(akoValuesYaml(h.ctl.url, h.clusterName, overrides)),
      apiPort: 0,
      apiHost: '127.0.0.1',
      env: { POD_NAME: 'ako-0' },
      logger: createLogger({ component: 'ako', silent: true }),
    });
  await expect(start({ ControllerSettings: { controllerHost: h.ctl.url, cloudName: 'No-Such-Cloud' } })).rejects.toThrow('cloud No-Such-Cloud not found on the controller');

  const disabled = await start({ NetworkSettings: { vipNetworkList: [{ networkName: 'no-such-net', cidr: '10.9.9.0/24' }] } });
  expect(await disabled.ready).toBeUndefined();
  expect((await fetch(`${disabled.ops.url}/readyz`)).status).toBe(503);
  await disabled.stop();

  const events = (await h.core.listNamespacedEvent({ namespace: h.akoNamespace })).items.filter((e) => e.involvedObject.name === 'ako-0');
  expect(events.find((e) => e.reason === 'AKOShutdown')?.message).toBe('cloud No-Such-Cloud not found on the controller');
  expect(events.find((e) => e.reason === 'SyncDisabled')?.message).toBe('VIP network no-such-net not found in cloud Default-Cloud');
});
