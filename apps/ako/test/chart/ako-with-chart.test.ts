// AKO itself, run as ako-sa with only the chart's RBAC and configured only by the chart's ConfigMap and Secret,
// syncs a LoadBalancer Service and TLS Ingresses to a real avi-controller without a single 403. Then, with the
// events rule taken away, the refused Event shows up in AKO's log as a 403: the check can fail.
import * as k8s from '@kubernetes/client-node';
import { createAviClient } from '@avi-k8s/avi-sdk';
import { createLogger } from '@avi-k8s/kube';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { dnsDomainsSeed, SEED_VIP_NETWORK, startControllerProcess, writeSeedFile, type ControllerProcess } from '@avi-k8s/testbed';
import { startAko, type AkoHandle } from '../../src/operator/run.js';
import { eventually } from '../e2e/harness.js';
import { find, render, RBAC_KINDS, type Manifest } from './chart.js';
import { applyManifests as apply } from '@avi-k8s/testbed';

let cluster: TestCluster;
let ctl: ControllerProcess;
let ako: AkoHandle | undefined;
let ns: string;
let apps: string;
let admin: k8s.KubeConfig;
let docs: Manifest[];
let cleanup: () => Promise<void> = async () => {};
const logs: Record<string, unknown>[] = [];
const FORBIDDEN = /forbidden|\b403\b/i;
const forbiddenLines = () => logs.filter((l) => FORBIDDEN.test(JSON.stringify(l)));

async function lbService(name: string, ip: string) {
  await admin.makeApiClient(k8s.CoreV1Api).createNamespacedService({
    namespace: apps,
    body: { metadata: { name }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } },
  });
  await admin.makeApiClient(k8s.DiscoveryV1Api).createNamespacedEndpointSlice({
    namespace: apps,
    body: {
      metadata: { name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    },
  });
}

const ingress = (name: string, host: string, secretName: string, ingressClassName: string): k8s.V1Ingress => ({
  metadata: { name },
  spec: {
    ingressClassName,
    tls: [{ hosts: [host], secretName }],
    rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
});

beforeAll(async () => {
  cluster = await testCluster('c1');
  admin = cluster.kubeConfig();
  // The Ingress hosts live in example.com: a DNS sub-domain of the cloud, or AKO does not serve them (as the Go AKO).
  ctl = await startControllerProcess({ args: ['--seed', writeSeedFile([dnsDomainsSeed(['example.com'])])] });
  ns = await cluster.newNamespace('chart-ako');
  apps = await cluster.newNamespace('chart-apps');
  // AKO syncs only namespaces labelled for it: other suites' Services on this shared cluster stay theirs.
  await admin.makeApiClient(k8s.CoreV1Api).patchNamespace(
    { name: apps, body: { metadata: { labels: { 'chart-test-ako': ns } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  docs = await render({
    namespace: ns,
    values: {
      // A secondary AKO: the chart names its ClusterRole/Binding for the namespace (unique on the shared cluster).
      AKOSettings: { primaryInstance: false, clusterName: ns, logLevel: 'INFO', fullSyncFrequency: '0', namespaceSelector: { labelKey: 'chart-test-ako', labelValue: ns } },
      ControllerSettings: { controllerHost: ctl.url },
      NetworkSettings: { vipNetworkList: [SEED_VIP_NETWORK] },
      L7Settings: { shardVSSize: 'SMALL' },
      avicredentials: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem },
    },
  });
  // Everything the chart installs in the namespace, the StatefulSet too (validated by the apiserver; no kubelet runs it).
  cleanup = await apply(admin, docs.filter((d) => [...RBAC_KINDS, 'ConfigMap', 'Secret', 'StatefulSet'].includes(d.kind!)));
  await admin
    .makeApiClient(k8s.NetworkingV1Api)
    .createIngressClass({ body: { metadata: { name: `avi-lb-${ns}` }, spec: { controller: 'ako.vmware.com/avi-lb' } } });

  const logger = createLogger({ component: 'ako', level: 'debug' });
  logger.silent = !process.env.AKO_TEST_LOGS; // stdout muted; the data listener below still sees every line
  logger.on('data', (info: Record<string, unknown>) => logs.push(info));
  // With leader election, as the StatefulSet's pods run it (POD_NAME set): the Lease rule is exercised too.
  ako = await startAko({
    kubeConfig: await cluster.serviceAccountKubeConfig(ns, 'ako-sa'),
    namespace: ns,
    apiPort: 0,
    apiHost: '127.0.0.1',
    env: { POD_NAME: 'ako-0' },
    leaderElection: { identity: 'ako-0', leaseDurationSeconds: 6, renewDeadlineSeconds: 4, retryPeriodSeconds: 1 },
    logger,
  });
  await ako.ready;
}, 120000);

afterAll(async () => {
  await ako?.stop();
  await ctl?.stop();
  await admin?.makeApiClient(k8s.NetworkingV1Api).deleteIngressClass({ name: `avi-lb-${ns}` }).catch(() => undefined);
  await cleanup();
});

test('AKO as ako-sa reads its configuration from the chart ConfigMap and Secret', () => {
  expect(ako!.settings.clusterName).toBe(ns);
  expect(ako!.settings.controllerHost).toBe(ctl.url);
  expect(ako!.settings.namespaceSelector).toEqual({ labelKey: 'chart-test-ako', labelValue: ns });
});

test('with the chart default featureGates.EnablePrometheus: false, /metrics is not served (as the Go AKO); /api/status is', async () => {
  expect((await fetch(`${ako!.ops.url}/metrics`)).status).toBe(404);
  expect((await fetch(`${ako!.ops.url}/api/status`)).status).toBe(200);
});

test('AKO as ako-sa takes and renews its own Lease (ako-lease-lock) in its namespace', async () => {
  const leases = admin.makeApiClient(k8s.CoordinationV1Api);
  const first = await eventually('the Lease', () => leases.readNamespacedLease({ name: 'ako-lease-lock', namespace: ns }).catch(() => undefined), (l) => l?.spec?.holderIdentity === 'ako-0');
  const renewed = await eventually(
    'a renewal',
    () => leases.readNamespacedLease({ name: 'ako-lease-lock', namespace: ns }),
    (l) => String(l.spec?.renewTime) !== String(first!.spec?.renewTime),
  );
  expect(renewed.spec?.holderIdentity).toBe('ako-0');
  expect(forbiddenLines()).toEqual([]);
});

test('AKO records its readiness as an Event on its Pod in its namespace', async () => {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await eventually('AKOReady Event', async () => (await core.listNamespacedEvent({ namespace: ns })).items, (es) => es.some((e) => e.reason === 'AKOReady' && e.involvedObject.name === 'ako-0'));
});

test('a LoadBalancer Service and TLS Ingresses sync with status, annotations and Events, and nothing is forbidden', async () => {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await lbService('web', '10.244.9.1');
  const ca = await createCA('chart-ca');
  const cert = await issueCertificate(ca, { commonName: 'shop.chart.example.com', dnsNames: ['shop.chart.example.com'], usage: 'server' });
  await core.createNamespacedSecret({ namespace: apps, body: { metadata: { name: 'shop-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  const net = admin.makeApiClient(k8s.NetworkingV1Api);
  await net.createNamespacedIngress({ namespace: apps, body: ingress('shop', 'shop.chart.example.com', 'shop-tls', `avi-lb-${ns}`) });
  await net.createNamespacedIngress({ namespace: apps, body: ingress('broken', 'broken.chart.example.com', 'missing-tls', `avi-lb-${ns}`) });

  const svc = await eventually('Service status', () => core.readNamespacedService({ name: 'web', namespace: apps }), (s) => !!s.status?.loadBalancer?.ingress?.length);
  expect(svc.status!.loadBalancer!.ingress![0]!.ip).toMatch(/^127\.100\.0\./);
  expect(svc.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map']).toBeDefined();
  const ing = await eventually('Ingress status', () => net.readNamespacedIngress({ name: 'shop', namespace: apps }), (i) => !!i.status?.loadBalancer?.ingress?.length);
  expect(ing.status!.loadBalancer!.ingress![0]!.hostname).toBe('shop.chart.example.com');
  const events = await eventually(
    'Synced and Rejected Events',
    async () => (await core.listNamespacedEvent({ namespace: apps })).items,
    (es) => es.some((e) => e.reason === 'Synced' && e.involvedObject.name === 'web') && es.some((e) => e.reason === 'Rejected' && e.involvedObject.name === 'broken'),
  );
  expect(events.find((e) => e.reason === 'Rejected')?.message).toContain('missing-tls');
  // This AKO did the work (other suites' AKOs on the shared cluster write to their own controllers).
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  try {
    const names = ((await avi.list('virtualservice')).results as { name: string }[]).map((v) => v.name);
    expect(names.some((n) => n.startsWith(ns) && n.includes('web'))).toBe(true);
    expect(names.some((n) => n.startsWith(ns) && n.includes('shop.chart.example.com'))).toBe(true);
  } finally {
    await avi.close();
  }
  await ako!.idle();
  expect(forbiddenLines()).toEqual([]);
});

test('a live key changed in its ConfigMap applies: the informer watches avi-k8s-config by name, as the Role allows', async () => {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  await core.patchNamespacedConfigMap({ name: 'avi-k8s-config', namespace: ns, body: { data: { logLevel: 'DEBUG' } } }, mergePatch);
  try {
    await eventually('log level debug', () => ako!.logger.level, (l) => l === 'debug');
  } finally {
    await core.patchNamespacedConfigMap({ name: 'avi-k8s-config', namespace: ns, body: { data: { logLevel: 'INFO' } } }, mergePatch);
  }
  await eventually('log level info', () => ako!.logger.level, (l) => l === 'info');
  expect(forbiddenLines()).toEqual([]);
});

test('without the events rule the Synced Event is refused and shows as 403 in the log', async () => {
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  const role = find<k8s.V1ClusterRole>(docs, 'ClusterRole', `ako-cr-${ns}`);
  const without = role.rules!.filter((r) => !r.resources?.includes('events'));
  expect(without).toHaveLength(role.rules!.length - 1);
  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  await rbac.patchClusterRole({ name: role.metadata!.name!, body: { rules: without } }, mergePatch);
  try {
    await lbService('web2', '10.244.9.2');
    const mentionsWeb2 = (l: Record<string, unknown>) => JSON.stringify(l).includes(`${apps}/web2`);
    const refused = await eventually('a 403 in the log', forbiddenLines, (l) => l.some(mentionsWeb2));
    expect(refused.find(mentionsWeb2)?.message).toBe('could not record event');
  } finally {
    await rbac.patchClusterRole({ name: role.metadata!.name!, body: { rules: role.rules } }, mergePatch);
  }
});
