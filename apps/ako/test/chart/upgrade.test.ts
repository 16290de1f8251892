// helm upgrade from a release with the Go AKO chart's CRD layout (fixtures/upstream-chart: CRDs in crds/ and four
// in the ako-crd-operator sub-chart's templates) to this chart, on a real kube-apiserver of its own (the test adds
// and changes cluster-wide CRDs). Every custom object is there after the upgrade, after a rollback, after the
// README's CRD step (which brings our CRD versions, whose schema defaults then show) and after helm uninstall; the four sub-chart CRDs become ours
// with helm.sh/resource-policy: keep.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubectlBinary, runHelm } from '@avi-k8s/helm';
import { down, up, type RunningCluster } from '@avi-k8s/kube-local';
import { CHART_DIR, FIXTURES } from './chart.js';

const UPSTREAM_CHART = join(FIXTURES, 'upstream-chart');
const NS = 'avi-system';
const APPS_NS = 'apps';
// The kinds and versions the Go chart's CRDs serve (shared/spec/ako.md section 5.4).
const KINDS = [
  { kind: 'HealthMonitor', apiVersion: 'ako.vmware.com/v1alpha1', crd: 'healthmonitors.ako.vmware.com', subChart: true, spec: { type: 'HEALTH_MONITOR_TCP', send_interval: 5 } },
  { kind: 'ApplicationProfile', apiVersion: 'ako.vmware.com/v1alpha1', crd: 'applicationprofiles.ako.vmware.com', subChart: true, spec: { type: 'APPLICATION_PROFILE_TYPE_HTTP', http_profile: { connection_multiplexing_enabled: true } } },
  { kind: 'PKIProfile', apiVersion: 'ako.vmware.com/v1alpha1', crd: 'pkiprofiles.ako.vmware.com', subChart: true, spec: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } },
  { kind: 'RouteBackendExtension', apiVersion: 'ako.vmware.com/v1alpha1', crd: 'routebackendextensions.ako.vmware.com', subChart: true, spec: { lbAlgorithm: 'LB_ALGORITHM_ROUND_ROBIN', persistenceProfile: 'System-Persistence-Client-IP' } },
  { kind: 'HostRule', apiVersion: 'ako.vmware.com/v1beta1', crd: 'hostrules.ako.vmware.com', subChart: false, spec: { virtualhost: { fqdn: 'shop.example.com', enableVirtualHost: true } } },
  { kind: 'L4Rule', apiVersion: 'ako.vmware.com/v1alpha2', crd: 'l4rules.ako.vmware.com', subChart: false, spec: { loadBalancerIP: '10.0.0.9' } },
];
const PER_KIND = 3;

let dir: string;
let cluster: RunningCluster;
let kc: k8s.KubeConfig;
const helm = (...args: string[]) => runHelm([...args, '--kubeconfig', cluster.kubeconfig]);
const ourValues = ['--set', 'AKOSettings.clusterName=my-cluster', '--set', 'ControllerSettings.controllerHost=10.10.10.10', '--set', 'AKOSettings.logLevel=WARNING'];

async function crd(name: string): Promise<k8s.V1CustomResourceDefinition | undefined> {
  try {
    return await kc.makeApiClient(k8s.ApiextensionsV1Api).readCustomResourceDefinition({ name });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

async function waitEstablished(name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const c = await crd(name);
    if (c?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CRD ${name} not established`);
}

/** The custom objects of every kind: "Kind/name" -> spec. */
async function objects(): Promise<Record<string, unknown>> {
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const out: Record<string, unknown> = {};
  for (const k of KINDS) {
    if (!(await crd(k.crd))) continue;
    const list = await api.list<k8s.KubernetesObject & { spec?: unknown }>(k.apiVersion, k.kind, APPS_NS);
    for (const o of list.items) out[`${k.kind}/${o.metadata!.name}`] = o.spec;
  }
  return out;
}

/** The README's step after an upgrade: `helm show crds <chart> | kubectl apply --server-side --force-conflicts -f -`. */
async function applyOurCrds(): Promise<void> {
  const crds = (await runHelm(['show', 'crds', CHART_DIR])).stdout;
  const kubectl = await kubectlBinary();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(kubectl, ['--kubeconfig', cluster.kubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply exited ${code}: ${err}`))));
    child.stdin.end(crds);
  });
}

const expected: Record<string, unknown> = {};

/** Every object is there with the spec it was written with (our CRD schemas may add their defaults on read). */
async function expectEveryObjectKept(): Promise<void> {
  const now = await objects();
  expect(Object.keys(now).sort()).toEqual(Object.keys(expected).sort());
  expect(now).toMatchObject(expected);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ako-upgrade-'));
  cluster = await up({ name: 'upgrade', dir, ownerPid: process.pid });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  await helm('install', 'ako', UPSTREAM_CHART, '--namespace', NS, '--create-namespace');
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: APPS_NS } } });
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const k of KINDS) {
    await waitEstablished(k.crd);
    for (let i = 1; i <= PER_KIND; i++) {
      const name = `${k.kind.toLowerCase()}-${i}`;
      await api.create({ apiVersion: k.apiVersion, kind: k.kind, metadata: { name, namespace: APPS_NS }, spec: k.spec } as k8s.KubernetesObject);
      expected[`${k.kind}/${name}`] = k.spec;
    }
  }
}, 180_000);

afterAll(async () => {
  if (dir) {
    await down(dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

test('the release with the Go chart layout holds every custom object', async () => {
  expect(Object.keys(expected)).toHaveLength(KINDS.length * PER_KIND);
  expect(await objects()).toEqual(expected);
});

test('helm upgrade to our chart keeps every CRD and custom object; the sub-chart CRDs become ours with resource-policy keep', async () => {
  await helm('upgrade', 'ako', CHART_DIR, '--namespace', NS, ...ourValues);
  expect(await objects()).toEqual(expected);
  for (const k of KINDS.filter((k) => k.subChart)) {
    const c = (await crd(k.crd))!;
    expect(c.metadata?.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(c.metadata?.annotations?.['meta.helm.sh/release-name']).toBe('ako');
    expect(c.metadata?.labels?.['app.kubernetes.io/name']).toBe('ako');
  }
  // The ConfigMap is ours now (the blog's logLevel WARNING passes through as the Go chart writes it).
  const cm = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name: 'avi-k8s-config', namespace: NS });
  expect(cm.data?.logLevel).toBe('WARNING');
});

test('helm rollback to the Go chart revision and forward again keeps every custom object', async () => {
  await helm('rollback', 'ako', '1', '--namespace', NS);
  expect(await objects()).toEqual(expected);
  await helm('upgrade', 'ako', CHART_DIR, '--namespace', NS, ...ourValues);
  expect(await objects()).toEqual(expected);
});

test("helm leaves crds/ at the old version on upgrade; the README's step brings ours and keeps every object", async () => {
  const ours = parseAllDocuments((await runHelm(['show', 'crds', CHART_DIR])).stdout)
    .map((d) => d.toJS() as k8s.V1CustomResourceDefinition | null)
    .filter((d): d is k8s.V1CustomResourceDefinition => !!d);
  const hostRule = ours.find((d) => d.metadata?.name === 'hostrules.ako.vmware.com')!;
  const columns = (c: k8s.V1CustomResourceDefinition | undefined) => c?.spec.versions.map((v) => (v.additionalPrinterColumns ?? []).map((p) => p.name));
  expect(columns(hostRule)?.flat().length).toBeGreaterThan(0);
  expect(columns(await crd('hostrules.ako.vmware.com'))).not.toEqual(columns(hostRule));
  await applyOurCrds();
  expect(columns(await crd('hostrules.ako.vmware.com'))).toEqual(columns(hostRule));
  for (const c of ours) expect(await crd(c.metadata!.name!)).toBeDefined();
  await expectEveryObjectKept();
});

test('helm uninstall keeps the CRDs and every custom object (crds/ by helm rule, the sub-chart ones by resource-policy keep)', async () => {
  await helm('uninstall', 'ako', '--namespace', NS);
  const cms = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: NS });
  expect(cms.items.map((c) => c.metadata?.name)).not.toContain('avi-k8s-config');
  for (const k of KINDS) expect(await crd(k.crd)).toBeDefined();
  await expectEveryObjectKept();
});
