// Units are synced on their own keys: a unit whose Avi calls keep failing (503) or are held by the controller
// (latency), both for one type only via /debug/faults pathContains, neither delays the other units nor puts its
// SyncError Events on their Kubernetes objects, and it catches up by itself (its own backoff) once the controller
// answers again.
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle | undefined;

const rule = (host: string, svc: string): k8s.V1IngressRule => ({
  host,
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] },
});

const events = async (kind: string, name: string) =>
  (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);

const lbIngress = async (kind: 'Service' | 'Ingress', name: string) =>
  kind === 'Service'
    ? (await h.core.readNamespacedService({ name, namespace: ns })).status?.loadBalancer?.ingress ?? []
    : (await h.networking.readNamespacedIngress({ name, namespace: ns })).status?.loadBalancer?.ingress ?? [];

beforeAll(async () => {
  h = await harness('units');
  ns = await h.appNamespace('units-apps');
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  await createLbService(h, ns, 'shop', [{ port: 80, targetPort: 8080 }], ['10.244.7.1']);
}, 120000);

afterAll(async () => {
  await h?.avi.request('DELETE', '/debug/faults').catch(() => undefined);
  await ako?.stop();
  await h?.close();
});

test('a failing unit blocks no other unit, its Events land on its own Ingress only, and it recovers on its own', async () => {
  const host = (n: string) => `${n}.units.example.com`;
  // Both hosts on the one shard VS (shardVSSize SMALL): the same unit as far as the parent VS goes.
  await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: 'plain' }, spec: { ingressClassName: 'avi-lb', rules: [rule(host('plain'), 'shop')] } } });
  ako = await h.start({ L7Settings: { shardVSSize: 'SMALL' } });
  await ako.ready;
  await eventually('plain Ingress status', () => lbIngress('Ingress', 'plain'), (l) => l.length === 1);

  // From now on every certificate call fails: only the secure host's SNI child needs one.
  await h.avi.request('PUT', '/debug/faults', { body: { errorRate: 1, errorStatus: 503, pathContains: '/api/sslkeyandcertificate' } });
  const ca = await createCA('units-ca');
  const cert = await issueCertificate(ca, { commonName: host('secure'), dnsNames: [host('secure')], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'secure-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'secure' }, spec: { ingressClassName: 'avi-lb', tls: [{ hosts: [host('secure')], secretName: 'secure-tls' }], rules: [rule(host('secure'), 'shop')] } },
  });
  // The failure is reported on the Ingress whose certificate failed.
  const errors = await eventually('SyncError on the secure Ingress', () => events('Ingress', 'secure'), (es) => es.some((e) => e.reason === 'SyncError'));
  expect(errors.find((e) => e.reason === 'SyncError')?.message).toContain('sslkeyandcertificate');
  expect(await lbIngress('Ingress', 'secure')).toEqual([]);

  // A Service created now is synced at once, although the failing unit is retrying.
  await createLbService(h, ns, 'late', [{ port: 80, targetPort: 8080 }], ['10.244.7.2']);
  await eventually('late Service status', () => lbIngress('Service', 'late'), (l) => l.length === 1);
  expect(await lbIngress('Ingress', 'secure')).toEqual([]);

  // ... and on no other object: not on the other host of its shard VS, not on the Services.
  expect((await lbIngress('Service', 'shop'))[0]?.ip).toMatch(/^127\.100\./);
  expect(await lbIngress('Ingress', 'plain')).toHaveLength(1);
  for (const [kind, name] of [['Ingress', 'plain'], ['Service', 'shop'], ['Service', 'late']] as const) {
    expect((await events(kind, name)).filter((e) => e.type === 'Warning')).toEqual([]);
  }

  // The controller answers again: the unit's own backoff brings the secure host up without any other change.
  await h.avi.request('DELETE', '/debug/faults');
  const secure = await eventually('secure Ingress status', () => lbIngress('Ingress', 'secure'), (l) => l.length === 1, 90000);
  expect(secure[0]).toMatchObject({ hostname: host('secure') });
}, 180000);

test('a slow unit delays no other unit: a Service is synced while a certificate call is held by the controller', async () => {
  const host = 'slow.units.example.com';
  // Every certificate call now waits 30 s at the controller (the other paths answer at once).
  await h.avi.request('PUT', '/debug/faults', { body: { latencyMs: 30000, pathContains: '/api/sslkeyandcertificate' } });
  try {
    const ca = await createCA('units-slow-ca');
    const cert = await issueCertificate(ca, { commonName: host, dnsNames: [host], usage: 'server' });
    await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'slow-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
    await h.networking.createNamespacedIngress({
      namespace: ns,
      body: { metadata: { name: 'slow' }, spec: { ingressClassName: 'avi-lb', tls: [{ hosts: [host], secretName: 'slow-tls' }], rules: [rule(host, 'shop')] } },
    });
    await createLbService(h, ns, 'quick', [{ port: 80, targetPort: 8080 }], ['10.244.7.3']);
    await eventually('quick Service status', () => lbIngress('Service', 'quick'), (l) => l.length === 1);
    // The slow unit is still waiting for its certificate: the other unit did not wait for it.
    expect(await lbIngress('Ingress', 'slow')).toEqual([]);
  } finally {
    await h.avi.request('DELETE', '/debug/faults');
  }
  const slow = await eventually('slow Ingress status', () => lbIngress('Ingress', 'slow'), (l) => l.length === 1, 120000);
  expect(slow[0]).toMatchObject({ hostname: host });
}, 240000);
