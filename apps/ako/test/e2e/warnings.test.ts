// Every bad or degraded input is visible on the real apiserver: a Warning Event on its own object (certificates
// expired, not covering the host, with a key of another certificate or encrypted; backends that cannot serve;
// annotation values AKO does not understand); a wildcard-host Ingress gets a valid status (the VIP, no wildcard
// hostname the apiserver would refuse); and a Service whose VS cannot be made keeps no address from an earlier run.
// Certificates: fixtures/tls (generated once with OpenSSL 3.0, see make.sh there).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

const TLS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
const pem = (f: string): string => readFileSync(join(TLS, f), 'utf8');

let h: Harness;
let ns: string;
let ako: AkoHandle;
const logs: Record<string, unknown>[] = [];

const rule = (host: string, svc: string, port = 80): k8s.V1IngressRule => ({
  host,
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: port } } } }] },
});

async function ingress(name: string, host: string, opts: { secret?: string; service?: string; annotations?: Record<string, string> } = {}) {
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
      spec: { ingressClassName: 'avi-lb', ...(opts.secret ? { tls: [{ hosts: [host], secretName: opts.secret }] } : {}), rules: [rule(host, opts.service ?? 'web')] },
    },
  });
}

async function tlsSecret(name: string, crt: string, key: string) {
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': crt, 'tls.key': key } } });
}

/** The Warning Events on object `name` (of `kind`) with `reason`, once one exists. */
async function warnings(kind: string, name: string, reason: string): Promise<k8s.CoreV1Event[]> {
  return eventually(
    `${reason} Warning Event on ${kind} ${name}`,
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name && e.reason === reason),
    (es) => es.length > 0 && es.every((e) => e.type === 'Warning'),
    60000,
  );
}

const ingressStatus = (name: string) =>
  eventually(`Ingress ${name} status`, () => h.networking.readNamespacedIngress({ name, namespace: ns }), (i) => !!i.status?.loadBalancer?.ingress?.length, 60000);

beforeAll(async () => {
  h = await harness('warn');
  ns = await h.appNamespace('warn-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await h.discovery.createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.8.1'], conditions: { ready: true } }],
    },
  });
  ako = await h.start();
  ako.logger.on('data', (info: Record<string, unknown>) => logs.push(info));
  await ako.ready;
}, 120000);

afterAll(async () => {
  await h?.close();
});

describe('certificates', () => {
  test('an expired certificate is served with a CertificateWarning naming its end', async () => {
    await tlsSecret('expired', pem('expired.crt'), pem('expired.key'));
    await ingress('expired', 'expired.example.com', { secret: 'expired' });
    const [e] = await warnings('Ingress', 'expired', 'CertificateWarning');
    expect(e!.message).toBe(`host expired.example.com: TLS Secret ${ns}/expired: the certificate in tls.crt expired at 2021-01-01T00:00:00.000Z`);
    await ingressStatus('expired');
    expect(await h.avi.getByName('virtualservice', `${h.clusterName}--expired.example.com`)).toBeDefined();
  });

  test('a certificate that expires while nothing changes gets its CertificateWarning after it expired', async () => {
    const ca = await createCA('warn-soon-ca');
    // Valid for 20 s from now (pki backdates notBefore by 5 minutes).
    const cert = await issueCertificate(ca, { commonName: 'soon.example.com', dnsNames: ['soon.example.com'], usage: 'server', days: 20 / 86400 });
    await tlsSecret('soon', cert.certPem, cert.keyPem);
    await ingress('soon', 'soon.example.com', { secret: 'soon' });
    await ingressStatus('soon');
    const notAfter = new Date(new X509Certificate(cert.certPem).validTo);
    const soonWarnings = async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.name === 'soon' && e.reason === 'CertificateWarning');
    expect(Date.now()).toBeLessThan(notAfter.getTime());
    expect(await soonWarnings()).toEqual([]);
    const [e] = await warnings('Ingress', 'soon', 'CertificateWarning');
    expect(e!.message).toBe(`host soon.example.com: TLS Secret ${ns}/soon: the certificate in tls.crt expired at ${notAfter.toISOString()}`);
    expect(new Date(e!.firstTimestamp ?? e!.eventTime ?? 0).getTime()).toBeGreaterThan(notAfter.getTime());
  }, 90000);

  test('a certificate that does not cover the host is served with a CertificateWarning', async () => {
    await tlsSecret('wrong-host', pem('good.crt'), pem('good.key'));
    await ingress('wrong-host', 'shop.warn.example.com', { secret: 'wrong-host' });
    const [e] = await warnings('Ingress', 'wrong-host', 'CertificateWarning');
    expect(e!.message).toBe(
      `host shop.warn.example.com: TLS Secret ${ns}/wrong-host: the certificate in tls.crt (DNS:good.example.com, DNS:*.wild.example.com) does not cover host shop.warn.example.com`,
    );
    await ingressStatus('wrong-host');
  });

  test('the key of another certificate and a passphrase-protected key reject the Ingress; nothing is sent to Avi', async () => {
    await tlsSecret('mismatch', pem('good.crt'), pem('other.key'));
    await ingress('mismatch', 'good.example.com', { secret: 'mismatch' });
    await tlsSecret('encrypted', pem('good.crt'), pem('encrypted-pkcs8.key'));
    await ingress('encrypted', 'a.wild.example.com', { secret: 'encrypted' });
    const [m] = await warnings('Ingress', 'mismatch', 'Rejected');
    expect(m!.message).toBe(`host good.example.com: TLS Secret ${ns}/mismatch: tls.key is not the key of the certificate in tls.crt (CN=good.example.com)`);
    const [x] = await warnings('Ingress', 'encrypted', 'Rejected');
    expect(x!.message).toBe(`host a.wild.example.com: TLS Secret ${ns}/encrypted: tls.key is encrypted (passphrase-protected); AKO needs an unencrypted key`);
    await ako.idle();
    expect(await h.avi.getByName('virtualservice', `${h.clusterName}--good.example.com`)).toBeUndefined();
    expect(await h.avi.getByName('virtualservice', `${h.clusterName}--a.wild.example.com`)).toBeUndefined();
    expect((await h.networking.readNamespacedIngress({ name: 'mismatch', namespace: ns })).status?.loadBalancer?.ingress ?? []).toEqual([]);
  });

  test('text around the PEM blocks: warned, and the controller gets the certificate alone', async () => {
    await tlsSecret('garbage', `Bag Attributes\n    friendlyName: good\n${pem('good.crt')}trailing garbage\n`, pem('good.key'));
    await ingress('garbage', 'b.wild.example.com', { secret: 'garbage' });
    const [e] = await warnings('Ingress', 'garbage', 'CertificateWarning');
    expect(e!.message).toBe(`host b.wild.example.com: TLS Secret ${ns}/garbage: tls.crt has text outside its PEM certificates; only the certificates are used`);
    const certs = await eventually(
      'the certificate on the controller',
      async () => ((await h.avi.list('sslkeyandcertificate', { params: { 'name.contains': 'b.wild.example.com' } })).results ?? []) as AviBody[],
      (l) => l.length > 0,
      60000,
    );
    expect((certs[0]!.certificate as { certificate: string }).certificate).toBe(pem('good.crt'));
  });
});

describe('backends', () => {
  test('a missing Service, an ExternalName Service and a backend with no ready endpoint: served, with a BackendWarning each', async () => {
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.org', ports: [{ port: 80 }] } } });
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'down' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
    await h.discovery.createNamespacedEndpointSlice({
      namespace: ns,
      body: {
        metadata: { name: 'down-1', labels: { 'kubernetes.io/service-name': 'down' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.244.8.9'], conditions: { ready: false } }],
      },
    });
    await ingress('no-svc', 'no-svc.warn.example.com', { service: 'nope' });
    await ingress('ext', 'ext.warn.example.com', { service: 'ext' });
    await ingress('down', 'down.warn.example.com', { service: 'down' });
    const p = 'host';
    expect((await warnings('Ingress', 'no-svc', 'BackendWarning'))[0]!.message).toBe(`${p} no-svc.warn.example.com path /: backend Service ${ns}/nope not found: its pool has no servers`);
    expect((await warnings('Ingress', 'ext', 'BackendWarning'))[0]!.message).toBe(
      `${p} ext.warn.example.com path /: backend Service ${ns}/ext is of type ExternalName (db.example.org), which AKO cannot send traffic to: its pool has no servers`,
    );
    expect((await warnings('Ingress', 'down', 'BackendWarning'))[0]!.message).toBe(`${p} down.warn.example.com path /: backend Service ${ns}/down port 80: no ready endpoint (1 not ready): its pool has no servers`);
    // Still served: each host has its status.
    for (const n of ['no-svc', 'ext', 'down']) await ingressStatus(n);
  });

  test('a LoadBalancer Service without EndpointSlices gets a BackendWarning on itself', async () => {
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'lonely' }, spec: { type: 'LoadBalancer', ports: [{ name: 'tcp', port: 7000, targetPort: 7000 as never }] } } });
    expect((await warnings('Service', 'lonely', 'BackendWarning'))[0]!.message).toBe(`backend Service ${ns}/lonely port 7000: no EndpointSlices: its pool has no servers`);
  });
});

test('an enable-tls value other than true/false gets an InvalidAnnotation Warning naming annotation and value', async () => {
  await ingress('bad-annotation', 'annot.warn.example.com', { annotations: { 'ako.vmware.com/enable-tls': 'yes' } });
  const [e] = await warnings('Ingress', 'bad-annotation', 'InvalidAnnotation');
  expect(e!.message).toBe('annotation ako.vmware.com/enable-tls: "yes" is neither "true" nor "false"; read as false');
});

test('a wildcard-host Ingress gets a valid status (the VIP, no hostname), written once, with no refused status write', async () => {
  await ingress('wild', '*.wild.example.com');
  const ing = await ingressStatus('wild');
  expect(ing.status!.loadBalancer!.ingress).toEqual([{ ip: expect.stringMatching(/^127\.100\.0\./) }]);
  expect(Object.keys(JSON.parse(ing.metadata!.annotations!['ako.vmware.com/host-fqdn-vs-uuid-map']!) as Record<string, string>)).toEqual(['*.wild.example.com']);
  await ako.idle();
  const refused = logs.filter((l) => l.message === 'could not write status' && String(l.key).includes('/wild'));
  expect(refused).toEqual([]);
});

test('a Service whose VS cannot be made any more keeps no address from an earlier run', async () => {
  await createLbService(h, ns, 'lb', [{ port: 80, targetPort: 8080 }], ['10.244.8.20']);
  const withStatus = await eventually('Service lb status', () => h.core.readNamespacedService({ name: 'lb', namespace: ns }), (s) => !!s.status?.loadBalancer?.ingress?.length, 60000);
  const ip = withStatus.status!.loadBalancer!.ingress![0]!.ip;
  // Its EndpointSlice came a moment after it: that passing "no EndpointSlices" is no Warning (it held < 5 s).
  await new Promise((r) => setTimeout(r, 6000));
  const early = (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.name === 'lb' && e.reason === 'BackendWarning');
  expect(early).toEqual([]);
  await ako.stop();
  // While AKO is down: the controller loses the VS (a controller change), and the Service now names an application
  // profile the controller does not have, so the next AKO cannot create the VS.
  const vsName = `${h.clusterName}--${ns}-lb`;
  const ours = (await h.avi.getByName('virtualservice', vsName)) as AviBody;
  await h.avi.delete('virtualservice', ours.uuid as string);
  await h.core.patchNamespacedService(
    { name: 'lb', namespace: ns, body: { metadata: { annotations: { 'ako.vmware.com/application-profile': 'no-such-profile' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  ako = await h.start();
  ako.logger.on('data', (info: Record<string, unknown>) => logs.push(info));
  await ako.ready;
  const cleared = await eventually('Service lb status cleared', () => h.core.readNamespacedService({ name: 'lb', namespace: ns }), (s) => !s.status?.loadBalancer?.ingress?.length, 60000);
  expect(ip).toBeDefined();
  expect(cleared.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map']).toBeUndefined();
  await warnings('Service', 'lb', 'SyncError');
}, 180000);
