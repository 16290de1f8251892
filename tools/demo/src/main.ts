#!/usr/bin/env node
// The end-to-end demo: two real kube-apiservers ('demo' and 'demo-2'), the avi-controller (also the GSLB leader,
// with its data plane and DNS server), AKO in each cluster, AMKO on the leader cluster 'demo', and sample Services
// and Ingresses backed by local HTTP servers; prints what was created in each cluster and the GSLB services.
// `--check` runs it non-interactively and exits 1 if anything is missing. `--node` (root): the cluster 'demo' gets a
// real node (kube-local up --node) and its samples are backed by Pods of the echo image instead of local servers.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { down } from '@avi-k8s/kube-local';
import { buildGoImage } from '@avi-k8s/images';
import { dnsDomainsSeed, exited, startControllerProcess, stopProcess, writeSeedFile, type ControllerProcess } from '@avi-k8s/testbed';
import { startBackend, type Backend } from './backends.js';
import { startAko, startClusters, type DemoCluster } from './clusters.js';
import { configureDemoGslb, startAmko } from './gslb.js';
import { collectGslbRows, renderGslbTable, type GslbRow } from './gslb-report.js';
import { applyIngressClass, applySamples, APP_NAMESPACE, NODE_IP, type Sample } from './manifests.js';
import { freeDnsPort } from './ports.js';
import { collectRows, renderTable, type Row } from './report.js';

const CLUSTERS = ['demo', 'demo-2'];
/** kube-local's pod network (and node IP 10.88.0.1), dialled by the data plane with --node. */
const POD_NETWORK = '10.88.0.0/16';
/** The GDP's trafficSplit, to show weights becoming member ratios. */
const WEIGHTS: Record<string, number> = { demo: 2, 'demo-2': 1 };
const say = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, timeout: { type: 'string' }, node: { type: 'boolean' } }, strict: true });
  const check = values.check ?? false;
  const withNode = values.node ?? false;
  const timeoutMs = Number(values.timeout ?? 150) * 1000;
  const dir = await mkdtemp(join(tmpdir(), 'avi-k8s-demo-'));
  const backends: Backend[] = [];
  const operators: ChildProcess[] = [];
  let ctl: ControllerProcess | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.all(operators.map((p) => stopProcess(p)));
      await ctl?.stop();
      await Promise.all(backends.map((b) => b.close()));
      await down(dir);
      await rm(dir, { recursive: true, force: true });
    })());
  // Ctrl-C while waiting at the end returns normally; earlier it cleans up and exits here.
  let waiting = false;
  let wake = () => {};
  const stopRequested = new Promise<void>((r) => (wake = r));
  const onSignal = () => {
    wake();
    if (!waiting) {
      say('stopping...');
      void cleanup().finally(() => process.exit(130));
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`1/6 starting two local Kubernetes clusters (${CLUSTERS.join(', ')}: etcd + kube-apiserver each${withNode ? `; ${CLUSTERS[0]} with a real node` : ''})...`);
    const clusters: DemoCluster[] = await startClusters(dir, CLUSTERS, (l) => say(`    ${l}`), withNode ? CLUSTERS[0] : undefined);
    for (const c of clusters) say(`    kubectl --kubeconfig ${c.kubeconfig} get svc,ingress -A   (${c.name}, node ports ${c.nodePorts.join(', ')})`);
    const leader = clusters[0]!;

    say('2/6 starting the avi-controller (GSLB leader, data plane, DNS server)...');
    const dnsServer = `127.0.0.1:${await freeDnsPort()}`;
    // The samples' hosts are under example.com, which AKO serves only as a DNS sub-domain of the cloud.
    // With a node, the data plane may also dial the node (10.88.0.1, its node ports) and its Pods.
    ctl = await startControllerProcess({
      dataDir: join(dir, 'avi-controller'),
      args: ['--dataplane', ...(withNode ? ['--dataplane-dial', POD_NETWORK] : []), '--dns-listen', dnsServer, '--seed', writeSeedFile([dnsDomainsSeed(['example.com'])])],
    });
    say(`    ${ctl.url}  (user ${ctl.username}, CA ${ctl.caPath}, DNS ${dnsServer})`);

    say(`3/6 applying sample Services and Ingresses in each cluster, with ${withNode ? `Pods of the echo image in ${CLUSTERS[0]} and ` : ''}a local backend on each node port${withNode ? ' elsewhere' : ''}...`);
    const samples = new Map<string, Sample[]>();
    for (const c of clusters) {
      await applyIngressClass(c.kc);
      if (c.importImage) await c.importImage(buildGoImage('echo', dir).file);
      const applied = await applySamples(
        c.kc,
        c.nodePorts,
        async (name, port) => {
          const backend = await startBackend(name, port, NODE_IP);
          backends.push(backend);
          return backend;
        },
        c.importImage ? 'pods' : 'local',
      );
      samples.set(c.name, applied);
    }

    say('4/6 starting AKO in each cluster...');
    for (const c of clusters) operators.push(await startAko(dir, c, ctl));

    say(`5/6 starting AMKO on ${leader.name} (members ${CLUSTERS.join(', ')}, GDP selects app=gslb)...`);
    await configureDemoGslb(leader, clusters, ctl, WEIGHTS);
    operators.push(startAmko(leader));
    const anyExit = Promise.race(operators.map((p, i) => exited(p).then((code) => `${i < clusters.length ? `AKO (${clusters[i]!.name})` : 'AMKO'} exited with code ${code}`)));

    say('6/6 waiting for the virtual services, the Kubernetes status and the GSLB services...');
    const globalFqdns = [...samples.get(leader.name)!].filter((s) => s.kind === 'Ingress').flatMap((s) => s.hosts);
    const deadline = Date.now() + timeoutMs;
    let rows: Row[] = [];
    let gslbRows: GslbRow[] = [];
    for (;;) {
      rows = [];
      for (const c of clusters) rows.push(...(await collectRows(c.name, c.kc, ctl, APP_NAMESPACE, samples.get(c.name)!)));
      const clusterOf = new Map(rows.filter((r) => r.vip !== '-').map((r) => [r.vip, r.cluster]));
      gslbRows = await collectGslbRows(ctl, dnsServer, globalFqdns, clusterOf);
      // Also wait for the data plane to answer on every VIP (the controller runs with --dataplane).
      if ((rows.every((r) => r.ok && r.traffic !== '-') && gslbRows.every((r) => r.ok && r.status !== '-')) || Date.now() > deadline) break;
      const gone = await Promise.race([anyExit, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
      if (gone !== undefined) {
        say(gone);
        break;
      }
    }
    say('');
    say(renderTable(rows));
    say('');
    say(renderGslbTable(gslbRows));
    const ok = rows.length > 0 && rows.every((r) => r.ok);
    const gslbOk = gslbRows.length > 0 && gslbRows.every((r) => r.ok);
    say('');
    say(ok ? 'All samples are served by the Avi controller.' : 'Some samples are missing (see the table above).');
    say(gslbOk ? `Every global FQDN has a GslbService with a member in each cluster and a DNS answer from ${dnsServer}.` : 'Some GSLB services are missing (see the table above).');
    if (check) return ok && gslbOk ? 0 : 1;
    say(`Try: dig @${dnsServer.replace(':', ' -p ')} ${globalFqdns[0] ?? ''}`);
    say('Running; press Ctrl-C to stop and clean up.');
    waiting = true;
    await stopRequested;
    return ok && gslbOk ? 0 : 1;
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
