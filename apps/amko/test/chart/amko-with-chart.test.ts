// AMKO itself, run as amko-sa with only the chart's RBAC on the leader (c1) and the chart's member identity
// (memberRBAC, memberOnly) on c2 and c3, configured only by what the chart renders (AMKOCluster, GSLBConfig gc-1,
// GDP global-gdp, Secret gslb-avi-secret) plus gslb-config-secret: it syncs a GslbService to a real avi-controller, writes status and
// Events (a GSLBHostRule in another namespace too) without a single 403. Then, with the GSLBHostRule status rule
// taken away, the refused status write shows up as a 403 in its log: the check can fail.
import * as k8s from '@kubernetes/client-node';
import { installCrds } from '@avi-k8s/crds';
import { createLogger } from '@avi-k8s/kube';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody } from '@avi-k8s/avi-sync';
import { startAmko, type AmkoHandle } from '../../src/operator/run.js';
import { createMemberIngress, eventually, membersKubeconfig, membersOf, type Member } from '../e2e/harness.js';
import { find, inOrder, render, RBAC_KINDS } from './chart.js';
import { applyManifests as apply } from '@avi-k8s/testbed';

const GROUP = 'amko.vmware.com';
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const FORBIDDEN = /forbidden|\b403\b/i;

let leader: TestCluster;
let admin: k8s.KubeConfig;
let ctl: ControllerProcess;
let avi: AviClient;
let amko: AmkoHandle | undefined;
let ns: string;
let other: string;
let clusterRole: k8s.V1ClusterRole;
const members: Member[] = [];
const cleanups: (() => Promise<void>)[] = [];
const logs: Record<string, unknown>[] = [];
const forbiddenLines = () => logs.filter((l) => FORBIDDEN.test(JSON.stringify(l)));
const host = () => `app.${ns}.example.com`;

const custom = () => admin.makeApiClient(k8s.CustomObjectsApi);
async function status(plural: string, version: string, name: string, namespace = ns): Promise<Record<string, string>> {
  const obj = (await custom().getNamespacedCustomObject({ group: GROUP, version, namespace, plural, name })) as { status?: Record<string, string> };
  return obj.status ?? {};
}
const ghr = (name: string, fqdn: string) => ({ apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name }, spec: { fqdn, ttl: 30 } });

beforeAll(async () => {
  leader = await testCluster('c1');
  admin = leader.kubeConfig();
  await installCrds(admin, 'amko');
  ctl = await startControllerProcess();
  avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  ns = await leader.newNamespace('amko-chart');
  other = await leader.newNamespace('amko-chart-ghr');
  const suiteLabel = { 'amko-chart-suite': ns };

  // Member clusters: the chart's member identity, and an Ingress as AKO leaves it.
  for (const name of ['c2', 'c3'] as const) {
    const cluster = await testCluster(name);
    const rbacNs = await cluster.newNamespace('amko-chart-member');
    cleanups.push(await apply(cluster.kubeConfig(), inOrder(await render({ namespace: rbacNs, values: { memberRBAC: { enabled: true, memberOnly: true } } }), RBAC_KINDS)));
    const appNs = await cluster.newNamespace('amko-chart-apps');
    await cluster.kubeConfig().makeApiClient(k8s.CoreV1Api).patchNamespace({ name: appNs, body: { metadata: { labels: suiteLabel } } }, mergePatch);
    const m: Member = { name, cluster, kc: cluster.kubeConfig(), ns: appNs };
    await createMemberIngress(m, 'web', `app.${ns}.example.com`, name === 'c2' ? '10.20.0.1' : '10.30.0.1');
    members.push({ ...m, kc: await cluster.serviceAccountKubeConfig(rbacNs, 'amko-member') });
  }

  // The leader: everything the chart renders, with the values a user would give.
  const docs = await render({
    namespace: ns,
    values: {
      configs: { gslbLeaderController: ctl.url, controllerVersion: '30.2.1', memberClusters: [{ clusterContext: 'c2' }, { clusterContext: 'c3' }], logLevel: 'DEBUG' },
      federation: { currentCluster: 'c1', currentClusterIsLeader: true, memberClusters: ['c1'] },
      gslbLeaderCredentials: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem },
      globalDeploymentPolicy: {
        appSelector: { label: { app: 'gslb' } },
        namespaceSelector: { label: suiteLabel },
        matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }],
        trafficSplit: [{ cluster: 'c2', weight: 8 }, { cluster: 'c3', weight: 2 }],
      },
    },
  });
  clusterRole = find<k8s.V1ClusterRole>(docs, 'ClusterRole', `amko-cr-${ns}`);
  // The StatefulSet too (validated by the apiserver; no kubelet runs it).
  cleanups.push(await apply(admin, inOrder(docs, [...RBAC_KINDS, 'Secret', 'AMKOCluster', 'GSLBConfig', 'GlobalDeploymentPolicy', 'StatefulSet'])));
  await admin.makeApiClient(k8s.CoreV1Api).createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': membersKubeconfig(members) } } });
  await custom().createNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: other, plural: 'gslbhostrules', body: ghr('ghr-1', host()) });

  const logger = createLogger({ component: 'amko', level: 'debug' });
  logger.silent = !process.env.AMKO_TEST_LOGS; // stdout muted; the data listener below still sees every line
  logger.on('data', (info: Record<string, unknown>) => logs.push(info));
  amko = await startAmko({ kubeConfig: await leader.serviceAccountKubeConfig(ns, 'amko-sa'), namespace: ns, apiPort: 0, apiHost: '127.0.0.1', memberRetryBaseMs: 200, memberRetryMaxMs: 1000, logger, leaderElection: { identity: 'amko-0' } });
  await amko.ready;
}, 180000);

afterAll(async () => {
  await amko?.stop();
  await avi?.close();
  await ctl?.stop();
  for (const c of cleanups) await c();
});

test('AMKO as amko-sa accepts the chart GSLBConfig and GDP, annotates its identity and records Events', async () => {
  await eventually('GSLBConfig accepted', () => status('gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state === 'success: gslb config accepted');
  await eventually('GDP accepted', () => status('globaldeploymentpolicies', 'v1alpha2', 'global-gdp'), (s) => s.errorStatus === 'success');
  const gc = (await custom().getNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: ns, plural: 'gslbconfigs', name: 'gc-1' })) as { metadata: k8s.V1ObjectMeta };
  expect(gc.metadata.annotations?.['amko.vmware.com/amko-uuid']).toMatch(/^[0-9a-f-]{36}$/);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await eventually('GSLBConfigValidation Event', async () => (await core.listNamespacedEvent({ namespace: ns })).items, (es) => es.some((e) => e.reason === 'GSLBConfigValidation' && e.involvedObject.name === 'gc-1'));
});

test('members read through the chart member identity become one GslbService with the GDP split; the GSLBHostRule in another namespace is accepted; nothing is forbidden', async () => {
  const gs = await eventually('GslbService', async () => (await avi.getByName('gslbservice', host(), { includeName: true })) as AviBody | undefined, (g) => Object.values(membersOf(g)).flat().length === 2);
  expect(membersOf(gs)).toEqual({ '10': ['10.20.0.1:8', '10.30.0.1:2'] });
  expect(gs!.ttl).toBe(30);
  await eventually('GSLBHostRule accepted', () => status('gslbhostrules', 'v1alpha1', 'ghr-1', other), (s) => s.status === 'Accepted');
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await eventually('GSLBHostRule Event in its namespace', async () => (await core.listNamespacedEvent({ namespace: other })).items, (es) => es.some((e) => e.involvedObject.name === 'ghr-1'));
  await amko!.idle();
  expect(forbiddenLines()).toEqual([]);
});

test('without the GSLBHostRule status rule the status write is refused and shows as 403 in the log', async () => {
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  const without = clusterRole.rules!.filter((r) => !r.resources?.includes('gslbhostrules/status'));
  expect(without).toHaveLength(clusterRole.rules!.length - 1);
  await rbac.patchClusterRole({ name: clusterRole.metadata!.name!, body: { rules: without } }, mergePatch);
  try {
    await custom().createNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: other, plural: 'gslbhostrules', body: ghr('ghr-2', `other.${ns}.example.com`) });
    const mentions = (l: Record<string, unknown>) => JSON.stringify(l).includes(`${other}/ghr-2`);
    const refused = await eventually('a 403 in the log', forbiddenLines, (l) => l.some(mentions));
    expect(refused.find(mentions)?.message).toBe('could not write status');
  } finally {
    await rbac.patchClusterRole({ name: clusterRole.metadata!.name!, body: { rules: clusterRole.rules } }, mergePatch);
  }
});
