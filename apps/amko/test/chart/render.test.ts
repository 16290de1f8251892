// The chart lints and renders: for each values fixture (fixtures/values/NAME.yaml) the objects, the GSLBConfig, the
// GDP, the AMKOCluster, the Secret and the ServiceAccount wiring are exactly fixtures/expected/NAME.yaml; unsupported
// values fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { helmLint, HelmError } from '@avi-k8s/helm';
import { CHART_DIR, FIXTURES, find, render, type Manifest } from './chart.js';

interface Expected {
  objects: string[];
  serviceAccount?: string;
  secret?: Record<string, string>;
  gslbConfig?: { metadata: { annotations?: Record<string, string> }; spec: unknown };
  gdp?: { spec: unknown };
  amkoCluster?: { spec: unknown };
}

const valuesDir = join(FIXTURES, 'values');
const valueFixtures = readdirSync(valuesDir).filter((f) => f.endsWith('.yaml')).sort();
const expected = (file: string) => parseYaml(readFileSync(join(FIXTURES, 'expected', file), 'utf8')) as Expected;
const rejected = parseYaml(readFileSync(join(FIXTURES, 'rejected.yaml'), 'utf8')) as { name: string; values: Record<string, unknown>; error: string }[];

test('helm lint --strict passes with the default values and with every values fixture', async () => {
  await expect(helmLint(CHART_DIR)).resolves.toContain('0 chart(s) failed');
  for (const f of valueFixtures) await expect(helmLint(CHART_DIR, { valuesFiles: [join(valuesDir, f)] })).resolves.toContain('0 chart(s) failed');
});

test('values.yaml has the Go chart\'s keys', () => {
  const values = parseYaml(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const goKeys = ['replicaCount', 'image', 'federation', 'multiClusterIngress', 'configs', 'gslbLeaderCredentials', 'globalDeploymentPolicy', 'serviceAccount', 'resources', 'service', 'rbac', 'persistentVolumeClaim', 'mountPath', 'logFile', 'federatorLogFile'];
  expect(Object.keys(values)).toEqual(expect.arrayContaining(goKeys));
  expect(Object.keys(values.configs!).sort()).toEqual(['amkoUUID', 'controllerVersion', 'gslbLeaderController', 'logLevel', 'memberClusters', 'refreshInterval', 'tenant', 'useCustomGlobalFqdn']);
  // The Go chart's image keys, with this AMKO's image as the default (tag empty: the chart's appVersion).
  expect(values.image).toEqual({ repository: 'avi-k8s/amko', tag: '', pullPolicy: 'IfNotPresent' });
  expect(values.resources).toEqual({ limits: { cpu: '250m', memory: '300Mi' }, requests: { cpu: '100m', memory: '200Mi' } });
});

const decode = (s: k8s.V1Secret) => Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

test.each(valueFixtures)('values %s render the expected objects', async (file) => {
  const want = expected(file);
  const docs: Manifest[] = await render({ namespace: 'avi-system', valuesFiles: [join(valuesDir, file)] });
  expect(docs.map((d) => `${d.kind}/${d.metadata?.name}`).sort()).toEqual(want.objects);
  for (const d of docs) if (!['ClusterRole', 'ClusterRoleBinding'].includes(d.kind!)) expect(d.metadata?.namespace).toBe('avi-system');

  if (want.gslbConfig) {
    const gc = find<{ metadata: k8s.V1ObjectMeta; spec: unknown }>(docs, 'GSLBConfig', 'gc-1');
    expect(gc.metadata.annotations ?? {}).toEqual(want.gslbConfig.metadata.annotations ?? {});
    expect(gc.spec).toEqual(want.gslbConfig.spec);
  }
  if (want.gdp) expect(find<{ spec: unknown }>(docs, 'GlobalDeploymentPolicy', 'global-gdp').spec).toEqual(want.gdp.spec);
  // The AMKOCluster as the Go chart renders it from federation.*, spec.version from the chart's appVersion.
  if (want.amkoCluster) expect(find<{ spec: unknown }>(docs, 'AMKOCluster', 'amkocluster-federation').spec).toEqual(want.amkoCluster.spec);
  const secret = docs.find((d) => d.kind === 'Secret') as k8s.V1Secret | undefined;
  expect(secret ? decode(secret) : undefined).toEqual(want.secret);

  if (want.serviceAccount) {
    const sa = want.serviceAccount;
    expect(find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'amko').spec?.template.spec?.serviceAccountName).toBe(sa);
    expect(find<k8s.V1RoleBinding>(docs, 'RoleBinding', 'amko-rolebinding').subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: 'avi-system' }]);
    expect(find<k8s.V1ClusterRoleBinding>(docs, 'ClusterRoleBinding', 'amko-crb-avi-system').subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: 'avi-system' }]);
  }
});

test('the StatefulSet runs one AMKO with its namespace from the pod, probes on /healthz and /readyz, heap below the limit', async () => {
  const docs = await render({ namespace: 'gslb', values: { resources: { limits: { cpu: '1', memory: '2Gi' } } } });
  const sts = find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'amko');
  expect(sts.spec?.replicas).toBe(1);
  const c = sts.spec!.template.spec!.containers[0]!;
  expect(c.image).toBe('avi-k8s/amko:0.1.0');
  expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 8080 });
  expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 8080 });
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath ?? e.value]));
  expect(env).toEqual({ POD_NAMESPACE: 'metadata.namespace', POD_NAME: 'metadata.name', NODE_OPTIONS: '--max-old-space-size=1024 --max-semi-space-size=2 --v8-pool-size=2 --jitless', MALLOC_ARENA_MAX: '1' });
});

test('serviceAccount.create false uses an existing ServiceAccount', async () => {
  const docs = await render({ values: { serviceAccount: { create: false, name: 'existing' } } });
  expect(docs.some((d) => d.kind === 'ServiceAccount')).toBe(false);
  expect(find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'amko').spec?.template.spec?.serviceAccountName).toBe('existing');
});

test('the CRDs in chart/crds are copies of packages/crds/manifests/amko (node apps/amko/chart/scripts/sync-crds.mjs)', () => {
  const source = join(CHART_DIR, '../../../packages/crds/manifests/amko');
  const sourceFiles = readdirSync(source).filter((f) => f.endsWith('.yaml')).sort();
  expect(readdirSync(join(CHART_DIR, 'crds')).sort()).toEqual(sourceFiles.map((f) => `amko.vmware.com_${f}`));
  for (const f of sourceFiles) expect(readFileSync(join(CHART_DIR, 'crds', `amko.vmware.com_${f}`), 'utf8')).toBe(readFileSync(join(source, f), 'utf8'));
});

test.each(rejected)('the chart refuses $name', async ({ values, error }) => {
  const err = await render({ values }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HelmError);
  expect((err as HelmError).message).toContain(error);
});

test('image: the Go chart\'s default repository also means this AMKO; image.repository and image.tag override it', async () => {
  const image = async (values: Record<string, unknown>) => find<k8s.V1StatefulSet>(await render({ values }), 'StatefulSet', 'amko').spec!.template.spec!.containers[0]!.image;
  const appVersion = (parseYaml(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion;
  expect(await image({})).toBe(`avi-k8s/amko:${appVersion}`);
  expect(await image({ image: { repository: 'projects.packages.broadcom.com/ako/amko' } })).toBe(`avi-k8s/amko:${appVersion}`);
  expect(await image({ image: { repository: 'registry.example.com/amko' } })).toBe(`registry.example.com/amko:${appVersion}`);
  expect(await image({ image: { repository: 'registry.example.com/amko', tag: '1.2.3' } })).toBe('registry.example.com/amko:1.2.3');
});

test('replicaCount 2 renders two replicas that elect a leader (POD_NAME is the identity; the Role grants the Lease)', async () => {
  const docs = await render({ namespace: 'gslb', values: { replicaCount: 2 } });
  const sts = find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'amko');
  expect(sts.spec?.replicas).toBe(2);
  expect(sts.spec!.template.spec!.containers[0]!.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  const rules = find<k8s.V1Role>(docs, 'Role', 'amko-role').rules ?? [];
  expect(rules.filter((r) => r.apiGroups?.includes('coordination.k8s.io')).map((r) => `${r.verbs.join(',')}:${(r.resourceNames ?? ['*']).join(',')}`)).toEqual(['create:*', 'get,update:amko-lease-lock']);
});

test('the AMKOCluster version follows the chart appVersion, and isLeader is a boolean whatever the values give', async () => {
  const appVersion = (parseYaml(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion;
  const spec = async (values: Record<string, unknown>) => find<{ spec: Record<string, unknown> }>(await render({ values }), 'AMKOCluster', 'amkocluster-federation').spec;
  expect((await spec({})).version).toBe(appVersion);
  expect((await spec({ federation: { currentClusterIsLeader: false } })).isLeader).toBe(false);
  expect(await spec({ federation: { currentCluster: 'c1', memberClusters: null } })).toEqual({ clusterContext: 'c1', isLeader: true, version: appVersion });
  // memberOnly renders no AMKO, so no AMKOCluster either.
  expect((await render({ values: { memberRBAC: { enabled: true, memberOnly: true } } })).some((d) => d.kind === 'AMKOCluster')).toBe(false);
});
