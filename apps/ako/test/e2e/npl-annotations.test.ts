// AKO end to end, NodePortLocal mode (cniPlugin antrea, serviceType NodePortLocal): the leader puts Antrea's
// `nodeportlocal.antrea.io/enabled: "true"` on the Services it needs NPL ports for (LoadBalancer Services it serves,
// backends of the Ingresses it serves; never type NodePort) and takes it off when a Service stops being needed;
// in ClusterIP and NodePort mode, and with env AUTO_ANNOTATE_SERVICE=false, it annotates nothing and removes
// nothing. Expected behaviour from the Go AKO 2.2.1 (internal/status npl status, ingestion's Ingress-Service mapping,
// lib.AutoAnnotateNPLSvc) and Antrea's docs/node-port-local.md. Real kube-apiserver, real avi-controller.
import * as k8s from '@kubernetes/client-node';
import { createLogger } from '@avi-k8s/kube';
import { startAko } from '../../src/operator/run.js';
import { createLbService, eventually, harness, type Harness } from './harness.js';

const KEY = 'nodeportlocal.antrea.io/enabled';
const NPL = { AKOSettings: { cniPlugin: 'antrea' }, L7Settings: { serviceType: 'NodePortLocal' } };

let h: Harness;
let ns: string;
let other: string;

const annotation = async (name: string, namespace = ns) => (await h.core.readNamespacedService({ name, namespace })).metadata?.annotations?.[KEY];
const rv = async (name: string) => (await h.core.readNamespacedService({ name, namespace: ns })).metadata?.resourceVersion;

async function clusterIp(name: string, annotations: Record<string, string> = {}, type: 'ClusterIP' | 'NodePort' = 'ClusterIP', namespace = ns) {
  await h.core.createNamespacedService({ namespace, body: { metadata: { name, annotations }, spec: { type, ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
}

function ingress(name: string, backends: string[], ingressClassName = 'avi-lb'): k8s.V1Ingress {
  return {
    metadata: { name },
    spec: {
      ingressClassName,
      rules: backends.map((b, i) => ({ host: `${name}-${i}.npl.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: b, port: { number: 80 } } } }] } })),
    },
  };
}

async function lbStatus(name: string) {
  await eventually(`Service ${name} status`, () => h.core.readNamespacedService({ name, namespace: ns }), (s) => !!s.status?.loadBalancer?.ingress?.length);
}

async function ingressStatus(name: string) {
  await eventually(`Ingress ${name} status`, () => h.networking.readNamespacedIngress({ name, namespace: ns }), (i) => !!i.status?.loadBalancer?.ingress?.length);
}

beforeAll(async () => {
  h = await harness('npl');
  ns = await h.appNamespace('npl-apps');
  // Not labelled for this AKO: not synced.
  other = await h.cluster.newNamespace('npl-other');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
}, 120000);

afterAll(async () => {
  await h?.close();
});

test('NodePortLocal mode: LoadBalancer Services and Ingress backends get the annotation, nothing else; a Service no longer a backend loses it', async () => {
  await createLbService(h, ns, 'lb', [{ port: 80, targetPort: 8080 }], ['10.244.7.1']);
  await createLbService(h, other, 'lb-other', [{ port: 80, targetPort: 8080 }], ['10.244.7.2']);
  await clusterIp('web');
  await clusterIp('web2');
  await clusterIp('plain');
  await clusterIp('foreign');
  // NPL does not serve a NodePort Service: the Go AKO takes the annotation off a NodePort backend.
  await clusterIp('np', { [KEY]: 'true' }, 'NodePort');
  await h.networking.createNamespacedIngress({ namespace: ns, body: ingress('shop', ['web', 'np']) });
  await h.networking.createNamespacedIngress({ namespace: ns, body: ingress('elsewhere', ['foreign'], 'not-avi') });

  const ako = await h.start(NPL);
  await ako.ready;
  await eventually('lb and web annotated', async () => [await annotation('lb'), await annotation('web')], (v) => v.every((x) => x === 'true'));
  await eventually('np no longer annotated', () => annotation('np'), (v) => v === undefined);
  await ako.idle();
  expect(await annotation('plain')).toBeUndefined();
  expect(await annotation('web2')).toBeUndefined();
  expect(await annotation('foreign')).toBeUndefined();
  expect(await annotation('lb-other', other)).toBeUndefined();

  // Idempotent: another pass (a new Service) patches nothing already right.
  const before = [await rv('lb'), await rv('web')];
  await clusterIp('plain2');
  await new Promise((r) => setTimeout(r, 1000));
  await ako.idle();
  expect([await rv('lb'), await rv('web')]).toEqual(before);
  expect(await annotation('plain2')).toBeUndefined();

  // The Ingress moves from web to web2: web loses the annotation, web2 gets it; a new LoadBalancer Service gets it.
  await h.networking.replaceNamespacedIngress({ name: 'shop', namespace: ns, body: { ...ingress('shop', ['web2']), metadata: { name: 'shop', resourceVersion: (await h.networking.readNamespacedIngress({ name: 'shop', namespace: ns })).metadata?.resourceVersion } } });
  await createLbService(h, ns, 'lb-late', [{ port: 81, targetPort: 8081 }], ['10.244.7.3']);
  await eventually('web off, web2 and lb-late on', async () => [await annotation('web'), await annotation('web2'), await annotation('lb-late')], (v) => v[0] === undefined && v[1] === 'true' && v[2] === 'true');
  // The Ingress goes: its last backend loses the annotation; the LoadBalancer Services keep theirs.
  await h.networking.deleteNamespacedIngress({ name: 'shop', namespace: ns });
  await eventually('web2 off', () => annotation('web2'), (v) => v === undefined);
  await ako.idle();
  expect([await annotation('lb'), await annotation('lb-late')]).toEqual(['true', 'true']);
  // A LoadBalancer Service that becomes ClusterIP (and is no backend) is no longer needed: it loses it too.
  await h.core.patchNamespacedService({ name: 'lb-late', namespace: ns, body: { spec: { type: 'ClusterIP' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  await eventually('lb-late off', () => annotation('lb-late'), (v) => v === undefined);
  expect(await annotation('lb')).toBe('true');
  // A Service annotated by hand that AKO never needed keeps it.
  await clusterIp('hand', { [KEY]: 'true' });
  await new Promise((r) => setTimeout(r, 1000));
  await ako.idle();
  expect(await annotation('hand')).toBe('true');
  await ako.stop();
}, 120000);

test.each([
  ['ClusterIP', {}],
  ['NodePort', { L7Settings: { serviceType: 'NodePort' } }],
])('%s mode: nothing is annotated and nothing removed', async (mode, values) => {
  const lb = `lb-${mode.toLowerCase()}`;
  const web = `web-${mode.toLowerCase()}`;
  await clusterIp(web);
  await h.networking.createNamespacedIngress({ namespace: ns, body: ingress(`ing-${mode.toLowerCase()}`, [web]) });
  await createLbService(h, ns, lb, [{ port: 80, targetPort: 8080 }], ['10.244.8.1']);
  const ako = await h.start(values);
  await ako.ready;
  await lbStatus(lb);
  await ingressStatus(`ing-${mode.toLowerCase()}`);
  await ako.idle();
  expect(await annotation(lb)).toBeUndefined();
  expect(await annotation(web)).toBeUndefined();
  // Left as they are (the earlier NodePortLocal run annotated lb).
  expect(await annotation('lb')).toBe('true');
  await ako.stop();
}, 120000);

test('NodePortLocal mode with env AUTO_ANNOTATE_SERVICE=false: nothing is annotated and nothing removed', async () => {
  await clusterIp('web-off');
  await h.networking.createNamespacedIngress({ namespace: ns, body: ingress('ing-off', ['web-off']) });
  await createLbService(h, ns, 'lb-off', [{ port: 80, targetPort: 8080 }], ['10.244.9.1']);
  const saved = process.env.AUTO_ANNOTATE_SERVICE;
  process.env.AUTO_ANNOTATE_SERVICE = 'FALSE';
  let ako;
  try {
    ako = await h.start(NPL);
  } finally {
    if (saved === undefined) delete process.env.AUTO_ANNOTATE_SERVICE;
    else process.env.AUTO_ANNOTATE_SERVICE = saved;
  }
  await ako.ready;
  await lbStatus('lb-off');
  await ingressStatus('ing-off');
  await ako.idle();
  expect(await annotation('lb-off')).toBeUndefined();
  expect(await annotation('web-off')).toBeUndefined();
  expect(await annotation('lb')).toBe('true');
  await ako.stop();
}, 120000);

test('NodePortLocal mode, deleteConfig: the annotations AKO needs go, and come back when it is cleared', async () => {
  const ako = await h.start(NPL, 'configmap');
  await ako.ready;
  await eventually('lb-off annotated now', () => annotation('lb-off'), (v) => v === 'true');
  const patch = (deleteConfig: string) =>
    h.core.patchNamespacedConfigMap({ name: 'avi-k8s-config', namespace: h.akoNamespace, body: { data: { deleteConfig } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  await patch('true');
  await eventually('annotations gone', async () => [await annotation('lb'), await annotation('lb-off'), await annotation('web-off')], (v) => v.every((x) => x === undefined));
  expect(await annotation('hand')).toBe('true');
  await patch('false');
  await eventually('annotations back', async () => [await annotation('lb'), await annotation('lb-off'), await annotation('web-off')], (v) => v.every((x) => x === 'true'));
  await ako.stop();
}, 120000);

test('with leader election, a standby annotates nothing; once it leads it annotates', async () => {
  // Another holder's Lease, renewed just now for 8 s: the replica waits on standby for that long (its own clock).
  const coordination = h.kc.makeApiClient(k8s.CoordinationV1Api);
  const micro = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // MicroTime: 6 fraction digits
  await coordination.deleteNamespacedLease({ name: 'ako-lease-lock', namespace: h.akoNamespace }).catch(() => undefined);
  await coordination.createNamespacedLease({
    namespace: h.akoNamespace,
    body: { metadata: { name: 'ako-lease-lock' }, spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 8, renewTime: micro as never, acquireTime: micro as never } },
  });
  await createLbService(h, ns, 'lb-ha', [{ port: 80, targetPort: 8080 }], ['10.244.9.9']);
  const replica = await startAko({
    kubeConfig: h.kc,
    namespace: h.akoNamespace,
    valuesFile: h.valuesFile,
    apiPort: 0,
    apiHost: '127.0.0.1',
    logger: createLogger({ component: 'npl-ha', silent: !process.env.AKO_TEST_LOGS }),
    leaderElection: { identity: 'ako-1', retryPeriodSeconds: 0.5 },
    onLostLeadership: () => undefined,
  });
  try {
    expect(replica.settings.serviceType).toBe('NodePortLocal');
    await eventually('standby ready', async () => (await fetch(`${replica.ops.url}/readyz`)).status, (s) => s === 200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(replica.leading).toBe(false);
    expect(await annotation('lb-ha')).toBeUndefined();
    await replica.ready;
    expect(replica.leading).toBe(true);
    await eventually('lb-ha annotated by the leader', () => annotation('lb-ha'), (v) => v === 'true');
  } finally {
    await replica.stop();
  }
}, 120000);

test('a refused write: a Warning Event NPLAnnotationFailed on that Service, the others are annotated, AKO keeps going', async () => {
  // The apiserver refuses the annotation on two Services of this namespace (a ValidatingAdmissionPolicy).
  const admission = h.kc.makeApiClient(k8s.AdmissionregistrationV1Api);
  const policy = `npl-deny-${h.clusterName}`;
  await admission.createValidatingAdmissionPolicy({
    body: {
      metadata: { name: policy },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['services'] }] },
        matchConditions: [{ name: 'these', expression: `object.metadata.namespace == '${ns}' && object.metadata.name in ['lb-denied', 'probe-denied']` }],
        validations: [{ expression: `!has(object.metadata.annotations) || !('${KEY}' in object.metadata.annotations)`, message: 'no NPL here' }],
      },
    },
  });
  await admission.createValidatingAdmissionPolicyBinding({ body: { metadata: { name: policy }, spec: { policyName: policy, validationActions: ['Deny'] } } });
  try {
    await clusterIp('probe-denied');
    await eventually('the policy is in force', async () => {
      try {
        await h.core.patchNamespacedService({ name: 'probe-denied', namespace: ns, body: { metadata: { annotations: { [KEY]: 'true' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
        await h.core.patchNamespacedService({ name: 'probe-denied', namespace: ns, body: { metadata: { annotations: { [KEY]: null } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
        return false;
      } catch {
        return true;
      }
    }, (v) => v);
    await createLbService(h, ns, 'lb-denied', [{ port: 80, targetPort: 8080 }], ['10.244.9.20']);
    await createLbService(h, ns, 'lb-ok', [{ port: 80, targetPort: 8080 }], ['10.244.9.21']);
    const ako = await h.start(NPL);
    await ako.ready;
    await eventually('lb-ok annotated', () => annotation('lb-ok'), (v) => v === 'true');
    const event = await eventually(
      'Warning Event on lb-denied',
      async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.find((e) => e.involvedObject.name === 'lb-denied' && e.reason === 'NPLAnnotationFailed'),
      (e) => e !== undefined,
    );
    expect(event!.type).toBe('Warning');
    expect(event!.message).toContain(KEY);
    expect(event!.message).toContain('no NPL here');
    expect(await annotation('lb-denied')).toBeUndefined();
    // Still running and annotating.
    await createLbService(h, ns, 'lb-after', [{ port: 81, targetPort: 8081 }], ['10.244.9.22']);
    await eventually('lb-after annotated', () => annotation('lb-after'), (v) => v === 'true');
    await ako.stop();
  } finally {
    await admission.deleteValidatingAdmissionPolicyBinding({ name: policy }).catch(() => undefined);
    await admission.deleteValidatingAdmissionPolicy({ name: policy }).catch(() => undefined);
  }
}, 120000);
