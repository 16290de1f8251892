// The GSLBConfig and GDP the chart renders (for every values fixture) are accepted by the real kube-apiserver with
// our CRDs installed, nothing in them is pruned by the CRD schema, and AMKO's own parsers accept their specs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { globalDeploymentPolicySpecSchema, gslbConfigSpecSchema, installCrds, parseWith } from '@avi-k8s/crds';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { FIXTURES, render } from './chart.js';

const valuesDir = join(FIXTURES, 'values');
const valueFixtures = readdirSync(valuesDir).filter((f) => f.endsWith('.yaml')).sort();
const PARSERS = { GSLBConfig: gslbConfigSpecSchema, GlobalDeploymentPolicy: globalDeploymentPolicySpecSchema } as const;

let cluster: TestCluster;
let api: k8s.KubernetesObjectApi;

beforeAll(async () => {
  cluster = await testCluster('c1');
  await installCrds(cluster.kubeConfig(), 'amko');
  api = k8s.KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
}, 120000);

test.each(valueFixtures)('values %s: GSLBConfig and GDP are stored as rendered (defaults aside)', async (file) => {
  const ns = await cluster.newNamespace('amko-chart-crd');
  const docs = await render({ namespace: ns, valuesFiles: [join(valuesDir, file)] });
  const custom = docs.filter((d) => d.kind === 'GSLBConfig' || d.kind === 'GlobalDeploymentPolicy');
  if (file === 'member-only.yaml') expect(custom).toEqual([]);
  else expect(custom.map((d) => d.kind).sort()).toEqual(['GSLBConfig', 'GlobalDeploymentPolicy']);
  for (const doc of custom) {
    const parsed = parseWith(PARSERS[doc.kind as keyof typeof PARSERS], doc.spec);
    expect(parsed).toMatchObject({ ok: true });
    const stored = (await api.create(doc)) as k8s.KubernetesObject & { spec?: unknown };
    // Every rendered field survives (a field unknown to the schema would be pruned); the CRD may add defaults.
    expect(stored.spec).toMatchObject(doc.spec as object);
    expect(stored.metadata?.annotations ?? {}).toEqual(doc.metadata?.annotations ?? {});
  }
});

test('the apiserver refuses a GDP the CRD schema forbids (the check can fail)', async () => {
  const ns = await cluster.newNamespace('amko-chart-crd');
  const docs = await render({ namespace: ns, values: { globalDeploymentPolicy: { ttl: 100000 } } });
  const gdp = docs.find((d) => d.kind === 'GlobalDeploymentPolicy')!;
  const err = (await api.create(gdp).catch((e: unknown) => e)) as { code?: number; body?: string };
  expect(err.code).toBe(422);
  expect(String(err.body)).toContain('spec.ttl');
});
