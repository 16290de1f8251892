// Against a real kube-apiserver: our CRDs install (and re-install) cleanly, every valid fixture is accepted with
// the same defaults and pruning the zod schemas apply, every invalid fixture is rejected with 422 for the field
// it names, and the status subresource takes status patches.
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { testCluster } from '@avi-k8s/kube-local/testing';
import { CRD_KINDS, findCrdKind, installCrds, parseCustomResource, type CrdKind } from '../src/index.js';
import { invalidFixtures, validFixtures, type Fixture } from './fixtures.js';

type Obj = Record<string, unknown> & { metadata?: { name?: string }; spec?: unknown; status?: unknown };

let kc: KubeConfig;
let api: CustomObjectsApi;
let ns: string;
const clusterScoped: { crd: CrdKind; version: string; name: string }[] = [];

beforeAll(async () => {
  const c = await testCluster('c1');
  kc = c.kubeConfig();
  api = kc.makeApiClient(CustomObjectsApi);
  ns = await c.newNamespace('crds');
  await installCrds(kc);
}, 180000);

afterAll(async () => {
  for (const { crd, version, name } of clusterScoped) {
    await api.deleteClusterCustomObject({ group: crd.apiGroup, version, plural: crd.plural, name }).catch(() => {});
  }
});

function target(doc: Fixture['doc']) {
  const crd = findCrdKind(doc.apiVersion, doc.kind);
  if (!crd) throw new Error(`fixture kind ${doc.apiVersion} ${doc.kind} is not one of ours`);
  return { crd, version: doc.apiVersion.split('/')[1]! };
}

/** Creates the CR in the test namespace (cluster-scoped ones get a per-run name). */
async function create(doc: Fixture['doc'], name = doc.metadata.name): Promise<Obj> {
  const { crd, version } = target(doc);
  const coords = { group: crd.apiGroup, version, plural: crd.plural };
  if (crd.namespaced) {
    const body = { ...doc, metadata: { ...doc.metadata, name, namespace: ns } };
    return (await api.createNamespacedCustomObject({ ...coords, namespace: ns, body })) as Obj;
  }
  const unique = `${name}-${ns}`;
  clusterScoped.push({ crd, version, name: unique });
  return (await api.createClusterCustomObject({ ...coords, body: { ...doc, metadata: { ...doc.metadata, name: unique } } })) as Obj;
}

async function rejection(p: Promise<unknown>): Promise<{ code?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; body?: string };
    return { code: e.code, message: (JSON.parse(e.body ?? '{}') as { message?: string }).message ?? String(err) };
  }
  throw new Error('the apiserver accepted it');
}

describe('valid fixtures are accepted', () => {
  it.each(validFixtures.map((f) => [f.file, f] as const))('%s', async (_file, f) => {
    const created = await create(f.doc);
    const parsed = parseCustomResource(f.doc);
    if (!parsed.ok) throw new Error(parsed.error);
    // The apiserver's defaulting and pruning equal zod's.
    expect(created.spec).toEqual((parsed.value as Obj).spec);
    // And what the apiserver stored is valid input for the operators.
    expect(parseCustomResource(created)).toMatchObject({ ok: true });
  });
});

describe('invalid fixtures are rejected by schema validation (422)', () => {
  it.each(invalidFixtures.map((f) => [f.file, f] as const))('%s', async (_file, f) => {
    const { code, message } = await rejection(create(f.doc));
    expect(code).toBe(422);
    expect(namesField(message, f.errorPath!)).toBe(true);
  });
});

/** The apiserver names a field as `path: <reason>`, or for oneOf as `"path" must validate one and only one`. */
function namesField(message: string, path: string): boolean {
  return message.includes(`${path}:`) || message.includes(`"${path}" must validate one and only one schema`);
}

const sampleStatus: Record<string, Record<string, unknown>> = {
  HostRule: { status: 'Accepted', error: '' },
  HTTPRule: { status: 'Rejected', error: 'hostrule not found' },
  AviInfraSetting: { status: 'Accepted', error: '' },
  L4Rule: { status: 'Accepted', error: '' },
  L7Rule: { status: 'Accepted', error: '' },
  SSORule: { status: 'Accepted', error: '' },
  MultiClusterIngress: {
    loadBalancer: { ingress: [{ hostname: 'app.example.com', ip: '10.0.0.1' }] },
    status: { accepted: true, reason: '' },
  },
  ClusterSet: { serviceDiscoveryStatus: [{ cluster: 'cluster1-admin', status: 'connected' }] },
  GSLBConfig: { state: 'success: gslb config accepted' },
  GlobalDeploymentPolicy: { errorStatus: 'success' },
  GSLBHostRule: { status: 'Accepted', error: '' },
  AMKOCluster: { conditions: [{ type: 'current AMKOCluster Validation', status: 'Success', reason: '' }] },
};

describe('status subresource', () => {
  const withStatus = CRD_KINDS.filter((k) => k.statusSubresource);
  const fixtureOf = (crd: CrdKind) => validFixtures.find((f) => f.doc.kind === crd.kind)!;
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  test('every kind with a status subresource has a sample status', () => {
    expect(Object.keys(sampleStatus).sort()).toEqual(withStatus.map((k) => k.kind).sort());
  });

  it.each(withStatus.map((k) => [k.kind, k] as const))('%s: status is ignored on create and patched via /status', async (_kind, crd) => {
    const doc = fixtureOf(crd).doc;
    const status = sampleStatus[crd.kind]!;
    const created = await create({ ...doc, status }, `status-${crd.kind.toLowerCase()}`);
    expect(created.status).toBeUndefined();

    const name = created.metadata!.name!;
    const version = doc.apiVersion.split('/')[1]!;
    const coords = { group: crd.apiGroup, version, plural: crd.plural, name, body: { status } };
    const patched = (
      crd.namespaced
        ? await api.patchNamespacedCustomObjectStatus({ ...coords, namespace: ns }, mergePatch)
        : await api.patchClusterCustomObjectStatus(coords, mergePatch)
    ) as Obj;
    expect(patched.status).toEqual(status);
    expect(patched.spec).toEqual(created.spec);
    const parsed = crd.statusSchema.safeParse(patched.status);
    expect(parsed.success).toBe(true);
  });

  test('a status that breaks the schema is rejected', async () => {
    const crd = CRD_KINDS.find((k) => k.kind === 'L4Rule')!;
    const created = await create(fixtureOf(crd).doc, 'bad-status');
    const { code, message } = await rejection(
      api.patchNamespacedCustomObjectStatus(
        {
          group: crd.apiGroup,
          version: 'v1alpha2',
          plural: crd.plural,
          namespace: ns,
          name: created.metadata!.name!,
          body: { status: { status: 5 } },
        },
        mergePatch,
      ),
    );
    expect(code).toBe(422);
    expect(message).toContain('status.status:');
  });
});

describe('installCrds', () => {
  test('is idempotent and tolerates concurrent installers: CRDs are updated in place, CRs survive', async () => {
    const [all, ako, amko] = await Promise.all([installCrds(kc), installCrds(kc, 'ako'), installCrds(kc, 'amko')]);
    expect(all.map((r) => r.name)).toEqual(CRD_KINDS.map((k) => k.name));
    expect(new Set([...all, ...ako, ...amko].map((r) => r.action))).toEqual(new Set(['updated']));
    expect(ako).toHaveLength(9);
    expect(amko).toHaveLength(4);
    const hr = await api.getNamespacedCustomObject({
      group: 'ako.vmware.com',
      version: 'v1beta1',
      namespace: ns,
      plural: 'hostrules',
      name: 'full-host-rule',
    });
    expect((hr as Obj).spec).toMatchObject({ virtualhost: { fqdn: 'foo.region1.com' } });
  });

  test('a v1alpha1 HostRule reads back as v1beta1 (same schema, conversion None)', async () => {
    const hr = (await api.getNamespacedCustomObject({
      group: 'ako.vmware.com',
      version: 'v1beta1',
      namespace: ns,
      plural: 'hostrules',
      name: 'old-host-rule',
    })) as Obj;
    expect(hr.apiVersion).toBe('ako.vmware.com/v1beta1');
    expect(hr.spec).toEqual({ virtualhost: { fqdn: '*.wild.example.com', fqdnType: 'Wildcard' } });
  });
});
