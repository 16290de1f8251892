// AKO end to end for Ingresses: shard VS for insecure hosts, SNI child VS with the TLS Secret's certificate for
// secure hosts, status per host, and bad inputs that are rejected with an Event while their neighbours sync.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;

const rule = (host: string, svc: string, path = '/'): k8s.V1IngressRule => ({
  host,
  http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] },
});

async function backend(name: string, ip: string) {
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await h.discovery.createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    },
  });
}

async function ingressStatus(name: string) {
  return eventually(
    `Ingress ${name} status`,
    () => h.networking.readNamespacedIngress({ name, namespace: ns }),
    (i) => !!i.status?.loadBalancer?.ingress?.length,
  );
}

async function events(name: string) {
  return (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.name === name);
}

beforeAll(async () => {
  h = await harness('l7');
  ns = await h.appNamespace('l7-apps');
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  await backend('shop', '10.244.5.1');
  await backend('pay', '10.244.5.2');
  ako = await h.start();
  await ako.ready;
}, 120000);

afterAll(async () => {
  await h?.close();
});

test('an insecure host lands on a shared shard VS with its pool, and the Ingress gets the shard VIP', async () => {
  await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: 'shop' }, spec: { ingressClassName: 'avi-lb', rules: [rule('shop.l7.example.com', 'shop')] } } });
  const ing = await ingressStatus('shop');
  const entry = ing.status!.loadBalancer!.ingress![0]!;
  expect(entry.hostname).toBe('shop.l7.example.com');
  expect(entry.ip).toMatch(/^127\.100\.0\./);
  const shard = (await h.avi.getByName('virtualservice', `${h.clusterName}--Shared-L7-0`)) as AviBody;
  expect(shard).toBeDefined();
  const vsvip = (await h.avi.getByName('vsvip', `${h.clusterName}--Shared-L7-0`)) as AviBody;
  expect(((vsvip.vip as AviBody[])[0]!.ip_address as { addr: string }).addr).toBe(entry.ip);
  const pools = (await h.avi.list('pool', { params: { 'name.contains': 'shop.l7.example.com' } })).results as AviBody[];
  expect(pools).toHaveLength(1);
  expect((pools[0]!.servers as { ip: { addr: string } }[])[0]!.ip.addr).toBe('10.244.5.1');
  const map = JSON.parse(ing.metadata!.annotations!['ako.vmware.com/host-fqdn-vs-uuid-map']!) as Record<string, string>;
  expect(map['shop.l7.example.com']).toBe(shard.uuid);
});

test('a secure host becomes an SNI child VS with the certificate from its TLS Secret', async () => {
  const ca = await createCA('l7-ca');
  const cert = await issueCertificate(ca, { commonName: 'pay.l7.example.com', dnsNames: ['pay.l7.example.com'], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'pay-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'pay' }, spec: { ingressClassName: 'avi-lb', tls: [{ hosts: ['pay.l7.example.com'], secretName: 'pay-tls' }], rules: [rule('pay.l7.example.com', 'pay')] } },
  });
  const ing = await ingressStatus('pay');
  const child = (await h.avi.getByName('virtualservice', `${h.clusterName}--pay.l7.example.com`, { includeName: true })) as AviBody;
  expect(child).toBeDefined();
  expect(String(child.vh_parent_vs_ref)).toContain(`#${h.clusterName}--Shared-L7-0`);
  expect(child.vh_domain_name).toEqual(['pay.l7.example.com']);
  const certObj = (await h.avi.getByName('sslkeyandcertificate', `${h.clusterName}--pay.l7.example.com`)) as AviBody;
  expect((certObj.certificate as { certificate: string }).certificate.trim()).toBe(cert.certPem.trim());
  const map = JSON.parse(ing.metadata!.annotations!['ako.vmware.com/host-fqdn-vs-uuid-map']!) as Record<string, string>;
  expect(map['pay.l7.example.com']).toBe(child.uuid);
});

test('a missing TLS Secret rejects that Ingress with a Warning Event and leaves the others alone', async () => {
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'broken' }, spec: { ingressClassName: 'avi-lb', tls: [{ hosts: ['broken.l7.example.com'], secretName: 'nope' }], rules: [rule('broken.l7.example.com', 'shop')] } },
  });
  const warnings = await eventually('Rejected Event', () => events('broken'), (es) => es.some((e) => e.reason === 'Rejected'));
  expect(warnings.find((e) => e.reason === 'Rejected')?.message).toContain(`TLS Secret ${ns}/nope not found`);
  expect(await h.avi.getByName('virtualservice', `${h.clusterName}--broken.l7.example.com`)).toBeUndefined();
  // The neighbours keep their virtual services.
  expect(await h.avi.getByName('virtualservice', `${h.clusterName}--pay.l7.example.com`)).toBeDefined();

  // Creating the Secret heals it.
  const ca = await createCA('l7-ca-2');
  const cert = await issueCertificate(ca, { commonName: 'broken.l7.example.com', dnsNames: ['broken.l7.example.com'], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'nope' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await ingressStatus('broken');
  expect(await h.avi.getByName('virtualservice', `${h.clusterName}--broken.l7.example.com`)).toBeDefined();
});

test('removing an Ingress removes its host from the controller and clears its status owner', async () => {
  await h.networking.deleteNamespacedIngress({ name: 'pay', namespace: ns });
  await eventually('SNI child deleted', () => h.avi.getByName('virtualservice', `${h.clusterName}--pay.l7.example.com`), (v) => v === undefined);
  await eventually('certificate deleted', () => h.avi.getByName('sslkeyandcertificate', `${h.clusterName}--pay.l7.example.com`), (c) => c === undefined);
});

test('an Ingress that stopped being ours while AKO was down loses its objects and the status AKO wrote', async () => {
  const before = await h.networking.readNamespacedIngress({ name: 'shop', namespace: ns });
  expect(before.status?.loadBalancer?.ingress?.length).toBe(1);
  await ako.stop();
  await h.networking.patchNamespacedIngress(
    { name: 'shop', namespace: ns, body: { spec: { ingressClassName: 'some-other-class' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  ako = await h.start();
  await ako.ready;
  const after = await eventually(
    'status cleared',
    () => h.networking.readNamespacedIngress({ name: 'shop', namespace: ns }),
    (i) => !i.status?.loadBalancer?.ingress?.length,
  );
  expect(after.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map']).toBeUndefined();
  expect((await h.avi.list('pool', { params: { 'name.contains': 'shop.l7.example.com' } })).count).toBe(0);
});
