// The chart renders and lints, and its ConfigMap avi-k8s-config is exactly what AKO itself derives from the same
// values (configMapDataFromValues), so `--values values.yaml` outside a cluster and the chart inside agree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { helmLint, HelmError, runHelm } from '@avi-k8s/helm';
import { parseSettings } from '../../src/config/settings.js';
import { configMapDataFromValues, valuesSchema } from '../../src/config/values.js';
import { CHART_DIR, FIXTURES, find, render } from './chart.js';

const valuesDir = join(FIXTURES, 'values');
// The CRDs of the Go chart's ako-crd-operator sub-chart (shared/spec/ako.md section 5.4).
const CRD_OPERATOR_CRDS = ['healthmonitors', 'applicationprofiles', 'pkiprofiles', 'routebackendextensions'].map((p) => `${p}.ako.vmware.com`);
const valueFixtures = readdirSync(valuesDir).filter((f) => f.endsWith('.yaml')).sort();
const rejected = parseYaml(readFileSync(join(FIXTURES, 'rejected.yaml'), 'utf8')) as { name: string; values: Record<string, unknown>; error: string }[];

test('helm lint --strict passes with the default values and with every values fixture', async () => {
  await expect(helmLint(CHART_DIR)).resolves.toContain('0 chart(s) failed');
  for (const f of valueFixtures) await expect(helmLint(CHART_DIR, { valuesFiles: [join(valuesDir, f)] })).resolves.toContain('0 chart(s) failed');
});

test('the chart values.yaml is valid for AKO and its defaults are AKO defaults', () => {
  const chartValues = valuesSchema.parse(parseYaml(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')));
  expect(configMapDataFromValues(chartValues)).toEqual(configMapDataFromValues(valuesSchema.parse({})));
});

test.each(valueFixtures)('values %s: the rendered ConfigMap data equals configMapDataFromValues', async (file) => {
  const path = join(valuesDir, file);
  const docs = await render({ namespace: 'avi-system', valuesFiles: [path] });
  const cm = find<k8s.V1ConfigMap>(docs, 'ConfigMap', 'avi-k8s-config');
  expect(cm.metadata?.namespace).toBe('avi-system');
  const expected = configMapDataFromValues(valuesSchema.parse(parseYaml(readFileSync(path, 'utf8')) ?? {}));
  expect(cm.data).toEqual(expected);
});

test('the default install: Secret avi-secret only with credentials, StatefulSet ako as ako-sa, IngressClass avi-lb', async () => {
  const docs = await render({ namespace: 'avi-system' });
  expect(docs.map((d) => `${d.kind}/${d.metadata?.name}`).sort()).toEqual(
    [
      'ConfigMap/avi-k8s-config',
      'ClusterRole/ako-cr',
      'ClusterRoleBinding/ako-crb',
      'IngressClass/avi-lb',
      'Role/ako-role',
      'RoleBinding/ako-rolebinding',
      'ServiceAccount/ako-sa',
      'StatefulSet/ako',
      // The Go chart's ako-crd-operator sub-chart CRDs, kept across an upgrade from it.
      ...CRD_OPERATOR_CRDS.map((n) => `CustomResourceDefinition/${n}`),
    ].sort(),
  );
  const sts = find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'ako');
  expect(sts.spec?.serviceName).toBe('ako');
  const pod = sts.spec!.template.spec!;
  expect(pod.serviceAccountName).toBe('ako-sa');
  const container = pod.containers[0]!;
  expect(container.livenessProbe?.httpGet).toEqual({ path: '/api/status', port: 8080 });
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.valueFrom?.configMapKeyRef?.key ?? e.valueFrom?.fieldRef?.fieldPath ?? e.value]));
  expect(env).toMatchObject({ POD_NAMESPACE: 'metadata.namespace', CTRL_IPADDRESS: 'controllerIP', CLUSTER_NAME: 'clusterName', SEG_NAME: 'serviceEngineGroupName', USE_PVC: 'false' });
  // The heap is capped at 3/4 of the 400Mi memory limit, so V8 collects before the pod is OOM-killed; a small young
  // generation and two V8 background threads keep the RSS low.
  expect(env.NODE_OPTIONS).toBe('--max-old-space-size=300 --max-semi-space-size=1 --v8-pool-size=2');
  // One malloc arena: the threads' arenas held freed memory.
  expect(env.MALLOC_ARENA_MAX).toBe('1');
  expect(env.NSXT_T1_LR).toBeUndefined();
  expect(env.NODE_KEY).toBeUndefined();
  const ic = find<k8s.V1IngressClass>(docs, 'IngressClass', 'avi-lb');
  expect(ic.spec?.controller).toBe('ako.vmware.com/avi-lb');
  expect(ic.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class']).toBe('true');
});

test.each([
  ['2Gi', '--max-old-space-size=1536 --max-semi-space-size=1 --v8-pool-size=2'],
  ['1000Mi', '--max-old-space-size=750 --max-semi-space-size=1 --v8-pool-size=2'],
  ['1G', '--max-semi-space-size=1 --v8-pool-size=2'],
])('memory limit %s -> NODE_OPTIONS %s', async (memory, expected) => {
  const docs = await render({ values: { resources: { limits: { cpu: '1', memory } } } });
  const env = find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'ako').spec!.template.spec!.containers[0]!.env ?? [];
  expect(env.find((e) => e.name === 'NODE_OPTIONS')?.value).toBe(expected);
});

test('credentials in the values make Secret avi-secret with the keys AKO reads', async () => {
  const docs = await render({ values: { avicredentials: { username: 'ako-user', authtoken: 'tok', certificateAuthorityData: '-----BEGIN CERTIFICATE-----\nx\n' } } });
  const secret = find<k8s.V1Secret>(docs, 'Secret', 'avi-secret');
  const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  expect(data).toEqual({ username: 'ako-user', authtoken: 'tok', certificateAuthorityData: '-----BEGIN CERTIFICATE-----\nx\n' });
  // A username alone is not enough: an existing avi-secret is used instead.
  expect((await render({ values: { avicredentials: { username: 'ako-user' } } })).some((d) => d.kind === 'Secret')).toBe(false);
});

test('a secondary AKO gets cluster RBAC named for its namespace with the same rules, and no IngressClass', async () => {
  const primary = await render({ namespace: 'avi-system' });
  const secondary = await render({ namespace: 'avi-two', values: { AKOSettings: { primaryInstance: false } } });
  const cr = find<k8s.V1ClusterRole>(secondary, 'ClusterRole', 'ako-cr-avi-two');
  expect(cr.rules).toEqual(find<k8s.V1ClusterRole>(primary, 'ClusterRole', 'ako-cr').rules);
  const crb = find<k8s.V1ClusterRoleBinding>(secondary, 'ClusterRoleBinding', 'ako-crb-avi-two');
  expect(crb.roleRef.name).toBe('ako-cr-avi-two');
  expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ako-sa', namespace: 'avi-two' }]);
  expect(secondary.some((d) => d.kind === 'IngressClass')).toBe(false);
});

test('the CRDs in chart/crds are copies of packages/crds/manifests/ako (node apps/ako/chart/scripts/sync-crds.mjs)', () => {
  const source = join(CHART_DIR, '../../../packages/crds/manifests/ako');
  const sourceFiles = readdirSync(source).filter((f) => f.endsWith('.yaml')).sort();
  expect(readdirSync(join(CHART_DIR, 'crds')).sort()).toEqual(sourceFiles.map((f) => `ako.vmware.com_${f}`));
  for (const f of sourceFiles) expect(readFileSync(join(CHART_DIR, 'crds', `ako.vmware.com_${f}`), 'utf8')).toBe(readFileSync(join(source, f), 'utf8'));
});

test.each(rejected)('the chart refuses $name', async ({ values, error }) => {
  const err = await render({ values }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HelmError);
  expect((err as HelmError).message).toContain(error);
});

describe('image', () => {
  const image = async (values?: Record<string, unknown>, valuesFiles?: string[]) =>
    find<k8s.V1StatefulSet>(await render({ ...(values ? { values } : {}), ...(valuesFiles ? { valuesFiles } : {}) }), 'StatefulSet', 'ako').spec!.template.spec!.containers[0]!.image;
  const appVersion = (parseYaml(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string }).appVersion;

  test('defaults to this AKO, avi-k8s/ako tagged with the chart appVersion (the name npm run images gives it)', async () => {
    expect(await image()).toBe(`avi-k8s/ako:${appVersion}`);
  });
  test('the unchanged Go values.yaml (its internal build registry) also gets this AKO', async () => {
    expect(await image(undefined, [join(valuesDir, 'upstream.yaml')])).toBe(`avi-k8s/ako:${appVersion}`);
  });
  test('image.repository and image.tag override it', async () => {
    expect(await image({ image: { repository: 'registry.example.com/team/ako' } })).toBe(`registry.example.com/team/ako:${appVersion}`);
    expect(await image({ image: { repository: 'registry.example.com/team/ako', tag: '9.9.9' } })).toBe('registry.example.com/team/ako:9.9.9');
  });
});

describe('upgrade from the Go chart', () => {
  test('the ako-crd-operator CRDs are rendered with helm.sh/resource-policy: keep (helm never deletes them)', async () => {
    const docs = await render();
    for (const name of CRD_OPERATOR_CRDS) {
      const crd = find<k8s.V1CustomResourceDefinition>(docs, 'CustomResourceDefinition', name);
      expect(crd.metadata?.annotations?.['helm.sh/resource-policy']).toBe('keep');
      expect(crd.spec.group).toBe('ako.vmware.com');
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    }
  });
  test('not with ako-crd-operator.enabled: false (the Go chart then has none either), nor for a secondary AKO', async () => {
    for (const values of [{ 'ako-crd-operator': { enabled: false } }, { AKOSettings: { primaryInstance: false } }]) {
      expect((await render({ values })).filter((d) => d.kind === 'CustomResourceDefinition')).toEqual([]);
    }
  });
});

test("the blog's --set line with AKOSettings.logLevel=WARNING renders a ConfigMap AKO accepts, at level WARN", async () => {
  const args = ['--set', 'AKOSettings.clusterName=my-cluster', '--set', 'ControllerSettings.controllerHost=10.10.10.10', '--set', 'AKOSettings.logLevel=WARNING'];
  await expect(runHelm(['lint', CHART_DIR, '--strict', ...args])).resolves.toBeDefined();
  const cm = find<k8s.V1ConfigMap>(await render({ extraArgs: args }), 'ConfigMap', 'avi-k8s-config');
  expect(cm.data?.logLevel).toBe('WARNING');
  expect(parseSettings(cm.data!).logLevel).toBe('WARN');
});

test('AKOSettings.enableEVH true renders a ConfigMap AKO accepts in EVH mode', async () => {
  const args = ['--set', 'AKOSettings.clusterName=my-cluster', '--set', 'ControllerSettings.controllerHost=10.10.10.10', '--set', 'AKOSettings.enableEVH=true'];
  const cm = find<k8s.V1ConfigMap>(await render({ extraArgs: args }), 'ConfigMap', 'avi-k8s-config');
  expect(cm.data?.enableEVH).toBe('true');
  expect(parseSettings(cm.data!).enableEVH).toBe(true);
});
