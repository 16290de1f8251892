import * as k8s from '@kubernetes/client-node';
import { testCluster, type TestCluster } from '../src/testing.js';

let cluster: TestCluster;
let ns: string;

beforeAll(async () => {
  cluster = await testCluster('c1');
  ns = await cluster.newNamespace('kube-local');
});

describe('a kube-local cluster', () => {
  it('answers as the admin with the version it was built at', async () => {
    const version = await cluster.kubeConfig().makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe(`v${process.env.KUBE_VERSION ?? '1.35.4'}`);
    const namespaces = await cluster.kubeConfig().makeApiClient(k8s.CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system', ns]));
  });

  it('allocates cluster IPs and node ports for a LoadBalancer Service (the apiserver built-in allocators run)', async () => {
    const core = cluster.kubeConfig().makeApiClient(k8s.CoreV1Api);
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
    expect(svc.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('enforces a CRD OpenAPI schema: a valid custom resource is stored, an invalid one is rejected', async () => {
    const kc = cluster.kubeConfig();
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const group = `kl${Date.now().toString(36)}.example.com`;
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      required: ['size'],
                      properties: { size: { type: 'integer', minimum: 1, maximum: 10 } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const create = (size: unknown) =>
      custom.createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: ns,
        plural: 'widgets',
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: `w-${String(size)}` }, spec: { size } },
      });
    // The CRD takes a moment to be served after it is created.
    let created: unknown;
    for (let i = 0; i < 100 && !created; i++) {
      created = await create(3).catch(async (err: k8s.ApiException<unknown>) => {
        if (err.code === 404) return new Promise((r) => setTimeout(() => r(undefined), 100));
        throw err;
      });
    }
    expect(created).toMatchObject({ spec: { size: 3 } });
    await expect(create(42)).rejects.toMatchObject({ code: 422, body: expect.stringContaining('spec.size') });
    await expect(create('big')).rejects.toMatchObject({ code: 422 });
  });

  it('delivers watch events', async () => {
    const kc = cluster.kubeConfig();
    const events: string[] = [];
    const seen = new Promise<void>((resolve, reject) => {
      void new k8s.Watch(kc)
        .watch(
          `/api/v1/namespaces/${ns}/configmaps`,
          {},
          (type: string, obj: k8s.V1ConfigMap) => {
            events.push(`${type} ${obj.metadata?.name}`);
            if (type === 'DELETED') resolve();
          },
          (err: unknown) => (err ? reject(err) : undefined),
        )
        .then((req) => seen.finally(() => req.abort()));
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await new Promise((r) => setTimeout(r, 300));
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cm1' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap(
      { name: 'cm1', namespace: ns, body: { data: { a: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'cm1', namespace: ns });
    await seen;
    expect(events).toEqual(['ADDED cm1', 'MODIFIED cm1', 'DELETED cm1']);
  });

  it('authorizes with RBAC: a service account gets what its Role grants and 403 for the rest', async () => {
    const kc = cluster.kubeConfig();
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: ns,
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      },
    });
    const token = await cluster.serviceAccountToken(ns, 'reader');
    const asReader = cluster.kubeConfigForToken(token).makeApiClient(k8s.CoreV1Api);
    await expect(asReader.listNamespacedConfigMap({ namespace: ns })).resolves.toHaveProperty('items');
    await expect(asReader.listNamespacedSecret({ namespace: ns })).rejects.toMatchObject({ code: 403 });
    await expect(asReader.listNamespacedConfigMap({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
    await expect(
      asReader.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'nope' } } }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('rejects an unknown bearer token with 401', async () => {
    const stranger = cluster.kubeConfigForToken('not-a-real-token').makeApiClient(k8s.CoreV1Api);
    await expect(stranger.listNamespace()).rejects.toMatchObject({ code: 401 });
  });
});
