// AMKO as users run it, on a real node (root; npm run jest:node): the chart installed with helm runs our AMKO image
// as a Pod on the node cluster, the GSLB leader. Its member clusters are the node cluster itself (m1) and a second,
// apiserver-only kube-local cluster (m2), each with the real AKO (the built CLI as a process) against one
// avi-controller. AMKO reaches the members' apiservers through the kubeconfig Secret gslb-config-secret with the
// chart's member identity (memberRBAC) as a user sets it up, and the controller at its address.
//
// Addresses, explicitly: the Pod network is 10.88.0.0/16 on bridge kl0 whose gateway 10.88.0.1 is the node IP,
// an address of this machine. The node cluster's apiserver binds 10.88.0.1; m2's apiserver binds 10.88.0.1 too
// (kube-local up --host, another port), and the avi-controller listens on 10.88.0.1: so a Pod reaches all three
// directly. The controller's data plane serves the VIPs on loopback (127.100.0.0/24) and may dial the pod network
// (the backends are the node's Pods, m2's Service lists them in a hand-written EndpointSlice: m2 runs no Pods);
// its DNS server listens on 127.0.0.1 for the test.
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import { buildGoImage, buildImages } from '@avi-k8s/images';
import { runHelm } from '@avi-k8s/helm';
import { startHostCluster, startNodeCluster, type NodeTestCluster, type StoppableTestCluster } from '@avi-k8s/kube-local/testing';
import {
  akoValuesYaml,
  createAviSecret,
  dnsDomainsSeed,
  echoDeployment,
  membersKubeconfig,
  startCli,
  startControllerProcess,
  stopProcess,
  until,
  workspaceRoot,
  writeSeedFile,
  writeValuesFile,
  type ControllerProcess,
} from '@avi-k8s/testbed';

const NODE_IP = '10.88.0.1';
const POD_NETWORK = '10.88.0.0/16';
let node: NodeTestCluster;
let m2: StoppableTestCluster;
let ctl: ControllerProcess;
let avi: AviClient;
let dnsPort: number;
let ns: string;
const akos: ChildProcess[] = [];

/** A UDP port free on 127.0.0.1 now (the controller's DNS server takes it, UDP and TCP). */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Runs the built AKO CLI against cluster KUBECONFIG as AKO cluster NAME (its Secret avi-secret in avi-system). */
async function startAko(kc: k8s.KubeConfig, kubeconfig: string, name: string): Promise<void> {
  await createAviSecret(kc, 'avi-system', ctl);
  // Two clusters' AKOs share the controller's SE group: no static routes (the data plane dials the Pods directly),
  // so neither labels the group for its cluster (a group labelled for another cluster stops AKO, as the Go AKO).
  const values = writeValuesFile(akoValuesYaml(ctl.url, name, { AKOSettings: { disableStaticRouteSync: 'true' } }));
  akos.push(startCli('ako', ['--kubeconfig', kubeconfig, '--values', values, '--namespace', 'avi-system', '--api-port', '0']));
}

beforeAll(async () => {
  const t0 = Date.now();
  const imagesDir = mkdtempSync(join(tmpdir(), 'amko-node-images-'));
  const [amko] = buildImages(workspaceRoot, { apps: ['amko'], outDir: imagesDir });
  const echo = buildGoImage('echo', imagesDir);
  node = await startNodeCluster('amkonode');
  dnsPort = await freeUdpPort();
  // After the node (its bridge address exists now): m2 and the controller, while the images are imported.
  [m2, ctl] = await Promise.all([
    startHostCluster('amkom2', NODE_IP),
    startControllerProcess({
      listen: `${NODE_IP}:0`,
      args: ['--seed', writeSeedFile([dnsDomainsSeed(['example.com'])]), '--dataplane', '--dataplane-dial', POD_NETWORK, '--dns-listen', `127.0.0.1:${dnsPort}`],
    }),
    node.importImage(amko!.file),
    node.importImage(echo.file),
  ]);
  avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  // Each member: its AKO, the chart's member identity (memberRBAC, memberOnly) installed with helm, a token for it.
  const members = await Promise.all(
    ([['m1', node], ['m2', m2]] as const).map(async ([name, c]) => {
      await startAko(c.kubeConfig(), c.kubeconfig, name);
      await runHelm(['install', 'amko-member', join(workspaceRoot, 'apps/amko/chart'), '--namespace', 'avi-system', '--kubeconfig', c.kubeconfig, '--set', 'memberRBAC.enabled=true', '--set', 'memberRBAC.memberOnly=true']);
      return { name, kc: await c.serviceAccountKubeConfig('avi-system', 'amko-member') };
    }),
  );
  const kubeconfig = membersKubeconfig(members);
  // Both at the bridge address (what the AMKO Pod dials), not loopback.
  const written = new k8s.KubeConfig();
  written.loadFromString(kubeconfig);
  expect(written.clusters.map((c) => new URL(c.server).hostname)).toEqual([NODE_IP, NODE_IP]);
  const core = node.kubeConfig().makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'amko-system' } } });
  await core.createNamespacedSecret({ namespace: 'amko-system', body: { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': kubeconfig } } });
  const dir = mkdtempSync(join(tmpdir(), 'amko-node-'));
  const values = {
    configs: { gslbLeaderController: ctl.url, controllerVersion: '30.2.1', memberClusters: [{ clusterContext: 'm1' }, { clusterContext: 'm2' }] },
    federation: { currentCluster: 'm1', currentClusterIsLeader: true, memberClusters: ['m1'] },
    gslbLeaderCredentials: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem },
    globalDeploymentPolicy: { appSelector: { label: { app: 'gslb' } }, matchClusters: [{ cluster: 'm1' }, { cluster: 'm2' }] },
  };
  writeFileSync(join(dir, 'values.yaml'), JSON.stringify(values));
  await runHelm(['install', 'amko', join(workspaceRoot, 'apps/amko/chart'), '--namespace', 'amko-system', '--kubeconfig', node.kubeconfig, '-f', join(dir, 'values.yaml'), '--wait', '--timeout', '120s']);
  process.stderr.write(`images, node, m2, controller, AKOs and AMKO (helm install --wait) ready in ${Date.now() - t0} ms\n`);
  ns = await node.newNamespace('gslb');
}, 300000);

afterAll(async () => {
  for (const a of akos) await stopProcess(a);
  await ctl?.stop();
  await m2?.stop();
  await node?.stop();
});

test('AMKO runs as a Pod from its image, installed by the chart, as amko-sa', async () => {
  const pod = await node.kubeConfig().makeApiClient(k8s.CoreV1Api).readNamespacedPod({ name: 'amko-0', namespace: 'amko-system' });
  expect(pod.spec?.containers[0]?.image).toMatch(/^avi-k8s\/amko:/);
  expect(pod.spec?.serviceAccountName).toBe('amko-sa');
  expect(pod.status?.podIP).toMatch(/^10\.88\./);
  expect(pod.status?.containerStatuses?.[0]?.ready).toBe(true);
});

test('a LoadBalancer Service in both members becomes one GslbService with both AKO VIPs, and the DNS server answers the FQDN with them', async () => {
  const web = { metadata: { name: 'web', labels: { app: 'gslb' } }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as k8s.V1Service;
  // m1: a Deployment on the node behind the Service.
  const core1 = node.kubeConfig().makeApiClient(k8s.CoreV1Api);
  await node.kubeConfig().makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({ namespace: ns, body: echoDeployment('echo') });
  await core1.createNamespacedService({ namespace: ns, body: { ...web, spec: { ...web.spec, selector: { app: 'echo' } } } });
  const podIps = await until('2 echo Pods running', async () => {
    const pods = (await core1.listNamespacedPod({ namespace: ns, labelSelector: 'app=echo' })).items.filter((p) => p.status?.phase === 'Running' && p.status.podIP);
    return pods.length === 2 ? pods.map((p) => p.status!.podIP!) : undefined;
  });
  // m2 runs no Pods: its Service lists the node's Pods in an EndpointSlice of its own.
  const core2 = m2.kubeConfig().makeApiClient(k8s.CoreV1Api);
  await core2.createNamespace({ body: { metadata: { name: ns } } });
  await core2.createNamespacedService({ namespace: ns, body: web });
  await m2.kubeConfig().makeApiClient(k8s.DiscoveryV1Api).createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: podIps.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    },
  });
  const vipOf = (core: k8s.CoreV1Api) =>
    until('AKO writes the VIP and hostname', async () => {
      const ing = (await core.readNamespacedService({ name: 'web', namespace: ns })).status?.loadBalancer?.ingress?.[0];
      return ing?.ip && ing.hostname ? ing : undefined;
    });
  const [one, two] = [await vipOf(core1), await vipOf(core2)];
  // autoFQDN default: <service>.<namespace>.<the DNS profile's first domain>, the same in both members.
  const fqdn = `web.${ns}.avi.internal`;
  expect([one.hostname, two.hostname]).toEqual([fqdn, fqdn]);
  expect(one.ip).not.toBe(two.ip);
  const vips = [one.ip!, two.ip!].sort();

  const gs = await until('the GslbService with both members', async () => {
    const g = (await avi.getByName('gslbservice', fqdn, { includeName: true })) as { groups?: { members?: { ip?: { addr: string } }[] }[] } | undefined;
    const addrs = (g?.groups ?? []).flatMap((x) => x.members ?? []).map((m) => m.ip?.addr).sort();
    return addrs.join() === vips.join() ? g : undefined;
  }, 120000);
  expect(gs.groups).toHaveLength(1);
  const resolver = new Resolver();
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  const answer = await until('the DNS server answers the FQDN with both VIPs', async () => {
    const a = (await resolver.resolve4(fqdn)).sort();
    return a.join() === vips.join() ? a : undefined;
  }, 60000);
  expect(answer).toEqual(vips);
  // As the chart's member identity on both members and amko-sa on the leader, AMKO was refused nothing.
  const log = await core1.readNamespacedPodLog({ name: 'amko-0', namespace: 'amko-system' });
  expect(log).toContain('"message":"member cluster synced"');
  expect(log.split('\n').filter((l) => /forbidden|HTTP 403/i.test(l))).toEqual([]);
});
