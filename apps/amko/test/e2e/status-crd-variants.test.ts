// Status on both CRD variants, on a real kube-apiserver of its own (CRDs are cluster-wide, so the shared test
// clusters keep ours): first the Go chart's variant, which is our CRDs without `subresources.status` (the Go AMKO's
// GSLBConfig, GDP and GSLBHostRule CRDs have no status subresource, spec amko.md §2; the schemas are the same), then
// the same cluster upgraded to our CRDs, as `kubectl apply` of the chart's crds/ does. GSLBConfig, GDP and
// GSLBHostRule statuses show in both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { installCrds, loadCrdManifests, toClientModel } from '@avi-k8s/crds';
import { createLogger } from '@avi-k8s/kube';
import { down, up } from '@avi-k8s/kube-local';
import { eventually, membersKubeconfig, startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { startAmko, type AmkoHandle } from '../../src/operator/run.js';
import { applyAmkoCluster, createCredentials, GROUP } from './harness.js';

const NS = 'avi-system';
let dir: string;
let kc: k8s.KubeConfig;
let ctl: ControllerProcess;
let amko: AmkoHandle | undefined;
let custom: k8s.CustomObjectsApi;

const get = (plural: string, version: string, name: string) =>
  custom.getNamespacedCustomObject({ group: GROUP, version, namespace: NS, plural, name }) as Promise<{ status?: Record<string, string>; metadata: { resourceVersion: string } }>;
const statusOf = async (plural: string, version: string, name: string) => (await get(plural, version, name)).status ?? {};

async function replaceSpec(plural: string, version: string, kind: string, name: string, spec: Record<string, unknown>) {
  const cur = await get(plural, version, name);
  await custom.replaceNamespacedCustomObject({ group: GROUP, version, namespace: NS, plural, name, body: { ...cur, apiVersion: `${GROUP}/${version}`, kind, spec } });
}

async function subresourceOf(plural: string): Promise<boolean> {
  const crd = await kc.makeApiClient(k8s.ApiextensionsV1Api).readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
  return crd.spec.versions.every((v) => v.subresources?.status !== undefined);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amko-crd-variants-'));
  const cluster = await up({ name: 'gocrds', dir });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  // The Go chart's variant: no status subresource on any version.
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  for (const m of await loadCrdManifests('amko')) {
    // The Go chart's AMKOCluster CRD does have the status subresource (the federator's); the others do not.
    const keep = m.spec.names.plural === 'amkoclusters';
    const goVariant = keep ? m : ({ ...m, spec: { ...m.spec, versions: m.spec.versions.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'subresources'))) } } as typeof m);
    await api.createCustomResourceDefinition({ body: await toClientModel(goVariant) });
  }
  await eventually('CRDs established', () => custom.listNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: NS, plural: 'gslbconfigs' }).then(() => true, () => false), (ok) => ok);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  ctl = await startControllerProcess();
  await createCredentials(core, NS, ctl);
  await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': membersKubeconfig([{ name: 'm1', kc }]) } } });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: NS,
    plural: 'gslbconfigs',
    body: {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'GSLBConfig',
      metadata: { name: 'gc-1' },
      spec: { gslbLeader: { credentials: 'gslb-avi-secret', controllerVersion: '30.2.1', controllerIP: ctl.url, tenant: 'admin' }, memberClusters: [{ clusterContext: 'm1' }], refreshInterval: 1800, logLevel: 'INFO' },
    },
  });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha2',
    namespace: NS,
    plural: 'globaldeploymentpolicies',
    body: { apiVersion: `${GROUP}/v1alpha2`, kind: 'GlobalDeploymentPolicy', metadata: { name: 'global-gdp' }, spec: { matchRules: { appSelector: { label: { app: 'gslb' } } }, matchClusters: [{ cluster: 'm1' }] } },
  });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: NS,
    plural: 'gslbhostrules',
    body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name: 'ghr' }, spec: { fqdn: 'app.example.com', healthMonitorRefs: ['no-such-monitor'] } },
  });
  await applyAmkoCluster(kc, NS, { isLeader: true, clusterContext: 'leader', version: '0.1.0', clusters: ['leader'] });
  amko = await startAmko({ kubeConfig: kc, namespace: NS, apiPort: 0, apiHost: '127.0.0.1', memberRetryBaseMs: 200, memberRetryMaxMs: 1000, logger: createLogger({ component: 'amko', silent: !process.env.AMKO_TEST_LOGS }) });
}, 240000);

afterAll(async () => {
  await amko?.stop();
  await ctl?.stop();
  await down(dir).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

test('on the Go chart CRDs (no status subresource) GSLBConfig, GDP and GSLBHostRule show their status', async () => {
  expect(await subresourceOf('gslbconfigs')).toBe(false);
  await eventually('GSLBConfig status', () => statusOf('gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state === 'success: gslb config accepted');
  await eventually('GDP status', () => statusOf('globaldeploymentpolicies', 'v1alpha2', 'global-gdp'), (s) => s.errorStatus === 'success');
  const ghr = await eventually('GSLBHostRule status', () => statusOf('gslbhostrules', 'v1alpha1', 'ghr'), (s) => s.status === 'Rejected');
  expect(ghr.error).toContain('no-such-monitor');
});

test('after the CRDs are upgraded to ours (status subresource) new statuses still show', async () => {
  await installCrds(kc, 'amko');
  expect(await subresourceOf('gslbconfigs')).toBe(true);
  // A GDP edit that is rejected, and a GSLBHostRule that becomes valid.
  await replaceSpec('globaldeploymentpolicies', 'v1alpha2', 'GlobalDeploymentPolicy', 'global-gdp', { matchRules: { appSelector: { label: { app: 'gslb' } } }, matchClusters: [{ cluster: 'm1' }, { cluster: 'nowhere' }] });
  const gdp = await eventually('GDP rejected', () => statusOf('globaldeploymentpolicies', 'v1alpha2', 'global-gdp'), (s) => s.errorStatus !== 'success');
  expect(gdp.errorStatus).toContain('nowhere');
  await replaceSpec('gslbhostrules', 'v1alpha1', 'GSLBHostRule', 'ghr', { fqdn: 'app.example.com', ttl: 5 });
  const ghr = await eventually('GSLBHostRule accepted', () => statusOf('gslbhostrules', 'v1alpha1', 'ghr'), (s) => s.status === 'Accepted');
  expect(ghr.error).toBe('');
});
