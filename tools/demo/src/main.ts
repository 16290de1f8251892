#!/usr/bin/env node
// The end-to-end demo: a real kube-apiserver, the avi-controller, AKO, sample Services and Ingresses backed by
// local HTTP servers; prints what was created. `--check` runs it non-interactively and exits 1 if anything is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { down, up } from '@avi-k8s/kube-local';
import { akoValuesYaml, createAviSecret, startControllerProcess, workspaceRoot, writeValuesFile, type ControllerProcess } from '@avi-k8s/testbed';
import { startBackend, type Backend } from './backends.js';
import { applyIngressClass, applySamples, APP_NAMESPACE, NODE_IP, type Sample } from './manifests.js';
import { collectRows, renderTable, type Row } from './report.js';

const AKO_NAMESPACE = 'avi-system';
const say = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, timeout: { type: 'string' } }, strict: true });
  const check = values.check ?? false;
  const timeoutMs = Number(values.timeout ?? 120) * 1000;
  const dir = await mkdtemp(join(tmpdir(), 'avi-k8s-demo-'));
  const backends: Backend[] = [];
  let ctl: ControllerProcess | undefined;
  let ako: ChildProcess | undefined;
  const cleanup = async () => {
    if (ako && ako.exitCode === null) {
      const exited = new Promise((r) => ako!.once('exit', r));
      ako.kill('SIGTERM');
      await exited;
    }
    await ctl?.stop();
    await Promise.all(backends.map((b) => b.close()));
    await down(dir);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    say('1/5 starting a local Kubernetes cluster (etcd + kube-apiserver)...');
    const cluster = await up({ name: 'demo', dir, log: (l) => say(`    ${l}`) });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    say(`    kubectl --kubeconfig ${cluster.kubeconfig} get svc,ingress -A`);

    say('2/5 starting the avi-controller...');
    ctl = await startControllerProcess({ dataDir: join(dir, 'avi-controller'), args: ['--dataplane'] });
    say(`    ${ctl.url}  (user ${ctl.username}, CA ${ctl.caPath})`);

    say('3/5 applying sample Services and Ingresses, with a local backend on each node port...');
    await applyIngressClass(kc);
    const samples: Sample[] = await applySamples(kc, async (name, port) => {
      const backend = await startBackend(name, port, NODE_IP);
      backends.push(backend);
      return backend;
    });

    say('4/5 starting AKO...');
    await createAviSecret(kc, AKO_NAMESPACE, ctl);
    const valuesFile = writeValuesFile(akoValuesYaml(ctl.url, 'demo', { L7Settings: { serviceType: 'NodePort', shardVSSize: 'SMALL' } }));
    ako = spawn(
      process.execPath,
      [join(workspaceRoot, 'apps/ako/dist/main.js'), '--kubeconfig', cluster.kubeconfig, '--values', valuesFile, '--namespace', AKO_NAMESPACE, '--api-port', '0'],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const akoExit = new Promise<number>((resolve) => ako!.once('exit', (code) => resolve(code ?? 1)));

    say('5/5 waiting for the virtual services and the Kubernetes status...');
    const deadline = Date.now() + timeoutMs;
    let rows: Row[] = [];
    for (;;) {
      rows = await collectRows(kc, ctl, APP_NAMESPACE, samples);
      // Also wait for the data plane to answer on every VIP (the controller runs with --dataplane).
      if (rows.every((r) => r.ok && r.traffic !== '-') || Date.now() > deadline) break;
      const exited = await Promise.race([akoExit, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]);
      if (exited !== undefined) {
        say(`AKO exited with code ${exited}`);
        break;
      }
    }
    say('');
    say(renderTable(rows));
    const ok = rows.length > 0 && rows.every((r) => r.ok);
    say('');
    say(ok ? 'All samples are served by the Avi controller.' : 'Some samples are missing (see the table above).');
    if (check) return ok ? 0 : 1;
    say('Running; press Ctrl-C to stop and clean up.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    return ok ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`demo failed: ${err.message}\n`);
    process.exit(1);
  },
);
