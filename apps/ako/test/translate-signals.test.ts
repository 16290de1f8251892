// Bad or degraded inputs get a signal from translate (hand-written expectations):
//  - TLS Secrets: a pair that cannot be used (no PEM, a PEM that does not parse, an encrypted key, a key of another
//    certificate) rejects the Ingress for that host; a usable but doubtful one (expired, not yet valid at the
//    snapshot's `now`, host not covered, text outside the PEM blocks) is served with a CertificateWarning;
//  - backends that cannot serve (missing Service or port, ExternalName, no EndpointSlices, IPv6/FQDN slices only,
//    no ready endpoint) are served (an empty pool, as before) with a BackendWarning naming the backend;
//  - AKO's boolean annotations with a value other than true/false get an InvalidAnnotation warning.
// The certificates are fixtures/tls (generated once with OpenSSL 3.0 by fixtures/tls/make.sh); their dates, read
// by `openssl x509 -dates`: good/cn-only from 2026-12-01 for 10 years, expired 2020-01-01..2021-01-01, future
// 2090-01-01..2091-01-01.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AKO_CONFIG, indexSnapshot, translate, translateUnit, translationUnits, type AkoConfig } from '../src/index.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const TLS = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tls');
const pem = (f: string): string => readFileSync(join(TLS, f), 'utf8');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const NOW_2030 = Date.parse('2030-06-01T00:00:00Z');
const cfg: AkoConfig = { ...DEFAULT_AKO_CONFIG, clusterName: 'sig' };

const ingressClass = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ako.vmware.com/avi-lb' } };
const web = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'red' }, spec: { type: 'ClusterIP', ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80 }] } };
const webSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-1', namespace: 'red', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true } }],
};
const secret = (name: string, crt: string, key: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'red' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(crt), 'tls.key': b64(key) } });
const ingress = (name: string, host: string, opts: { secret?: string; service?: string; port?: number; annotations?: Record<string, string> } = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'red', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
  spec: {
    ...(opts.secret ? { tls: [{ hosts: [host], secretName: opts.secret }] } : {}),
    rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: opts.service ?? 'web', port: { number: opts.port ?? 80 } } } }] } }],
  },
});

function run(extra: unknown[], now: number | null = NOW_2030) {
  const objects = [ingressClass, web, webSlice, ...extra] as unknown as K8sObject[];
  return translate({ ...snapshotOf(objects), ...(now !== null ? { now } : {}) }, cfg);
}
const verdictOf = (r: ReturnType<typeof run>, name: string) => r.verdicts.find((v) => v.kind === 'Ingress' && v.name === name);
const warningsOf = (r: ReturnType<typeof run>, kind: string, name: string) => (r.warnings ?? []).filter((w) => w.kind === kind && w.name === name).map((w) => `${w.reason}: ${w.message}`);
const certBodies = (r: ReturnType<typeof run>) => r.objects.filter((o) => o.type === 'sslkeyandcertificate').map((o) => (o.body.certificate as { certificate: string }).certificate);

describe('TLS Secrets that cannot be used reject the Ingress for the host', () => {
  const S = 'TLS Secret red/s';
  it.each([
    ['a key of another certificate', pem('good.crt'), pem('other.key'), `host good.example.com: ${S}: tls.key is not the key of the certificate in tls.crt (CN=good.example.com)`],
    ['a passphrase-protected PKCS#8 key', pem('good.crt'), pem('encrypted-pkcs8.key'), `host good.example.com: ${S}: tls.key is encrypted (passphrase-protected); AKO needs an unencrypted key`],
    ['a passphrase-protected traditional RSA key', pem('good.crt'), pem('encrypted-rsa.key'), `host good.example.com: ${S}: tls.key is encrypted (passphrase-protected); AKO needs an unencrypted key`],
    ['no PEM certificate at all', 'hello', pem('good.key'), `host good.example.com: ${S}: tls.crt holds no PEM certificate`],
    ['no PEM key at all', pem('good.crt'), 'hello', `host good.example.com: ${S}: tls.key holds no PEM private key`],
  ])('%s', (_what, crt, key, reason) => {
    const r = run([secret('s', crt, key), ingress('i', 'good.example.com', { secret: 's' })]);
    expect(verdictOf(r, 'i')).toMatchObject({ accepted: false, reason });
    expect(certBodies(r)).toEqual([]);
  });

  it('a certificate whose base64 does not decode to X.509', () => {
    const r = run([secret('s', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', pem('good.key')), ingress('i', 'good.example.com', { secret: 's' })]);
    expect(verdictOf(r, 'i')?.accepted).toBe(false);
    expect(verdictOf(r, 'i')?.reason).toMatch(/^host good\.example\.com: TLS Secret red\/s: tls\.crt: PEM certificate 1 does not parse as X\.509 \(/);
  });
});

describe('TLS Secrets that are served with a CertificateWarning', () => {
  it.each([
    ['expired', 'expired', 'expired.example.com', ['CertificateWarning: host expired.example.com: TLS Secret red/s: the certificate in tls.crt expired at 2021-01-01T00:00:00.000Z']],
    ['not yet valid', 'future', 'future.example.com', ['CertificateWarning: host future.example.com: TLS Secret red/s: the certificate in tls.crt is not valid before 2090-01-01T00:00:00.000Z']],
    [
      'not covering the host',
      'good',
      'other.example.com',
      ['CertificateWarning: host other.example.com: TLS Secret red/s: the certificate in tls.crt (DNS:good.example.com, DNS:*.wild.example.com) does not cover host other.example.com'],
    ],
    ['valid, host in its SAN', 'good', 'good.example.com', []],
    ['valid, host under its wildcard SAN', 'good', 'shop.wild.example.com', []],
    ['valid, wildcard host equal to its wildcard SAN', 'good', '*.wild.example.com', []],
    ['valid, no SAN, host its CN', 'cn-only', 'cn-only.example.com', []],
    ['valid, wildcard host two labels under its wildcard SAN', 'good', '*.a.wild.example.com', [
      'CertificateWarning: host *.a.wild.example.com: TLS Secret red/s: the certificate in tls.crt (DNS:good.example.com, DNS:*.wild.example.com) does not cover host *.a.wild.example.com',
    ]],
  ])('%s', (_what, pair, host, warnings) => {
    const r = run([secret('s', pem(`${pair}.crt`), pem(`${pair}.key`)), ingress('i', host, { secret: 's' })]);
    expect(verdictOf(r, 'i')).toMatchObject({ accepted: true, reason: '' });
    expect(warningsOf(r, 'Ingress', 'i')).toEqual(warnings);
    expect(certBodies(r)).toEqual([pem(`${pair}.crt`)]);
  });

  it('an EC PARAMETERS block before the key (openssl ecparam -genkey) is no garbage: no warning, the key sent as it is', () => {
    const key = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${pem('good.key')}`;
    const r = run([secret('s', pem('good.crt'), key), ingress('i', 'good.example.com', { secret: 's' })]);
    expect(warningsOf(r, 'Ingress', 'i')).toEqual([]);
    expect(r.objects.find((o) => o.type === 'sslkeyandcertificate')?.body.key).toBe(key);
  });

  it('a chain (leaf, then its issuer) is sent as it is; the leaf is the one checked', () => {
    const chain = `${pem('good.crt')}${pem('cn-only.crt')}`;
    const r = run([secret('s', chain, pem('good.key')), ingress('i', 'good.example.com', { secret: 's' })]);
    expect(warningsOf(r, 'Ingress', 'i')).toEqual([]);
    expect(certBodies(r)).toEqual([chain]);
  });

  it('without a time in the snapshot, validity is not judged', () => {
    const r = run([secret('s', pem('expired.crt'), pem('expired.key')), ingress('i', 'expired.example.com', { secret: 's' })], null);
    expect(warningsOf(r, 'Ingress', 'i')).toEqual([]);
  });

  it('text outside the PEM blocks: warned, and only the PEM blocks go to Avi', () => {
    const crt = `Bag Attributes\n    friendlyName: good\n${pem('good.crt')}trailing garbage\n`;
    const r = run([secret('s', crt, `${pem('good.key')}more garbage`), ingress('i', 'good.example.com', { secret: 's' })]);
    expect(verdictOf(r, 'i')).toMatchObject({ accepted: true });
    expect(warningsOf(r, 'Ingress', 'i')).toEqual([
      'CertificateWarning: host good.example.com: TLS Secret red/s: tls.crt has text outside its PEM certificates; only the certificates are used',
      'CertificateWarning: host good.example.com: TLS Secret red/s: tls.key has text outside its PEM private key; only the key is used',
    ]);
    expect(certBodies(r)).toEqual([pem('good.crt')]);
    expect(r.objects.find((o) => o.type === 'sslkeyandcertificate')?.body.key).toBe(pem('good.key'));
  });
});

describe('a unit is translated again when one of its certificates becomes valid or expires (UnitResult.recheckAt)', () => {
  // Dates by `openssl x509 -startdate -enddate` of the fixtures; a certificate expires just after its notAfter.
  const recheckAt = (pair: string, host: string, now: number | undefined) => {
    const objects = [ingressClass, web, webSlice, secret('s', pem(`${pair}.crt`), pem(`${pair}.key`)), ingress('i', host, { secret: 's' })] as unknown as K8sObject[];
    const idx = indexSnapshot({ ...snapshotOf(objects), ...(now !== undefined ? { now } : {}) });
    const at = translationUnits(idx, cfg).map((u) => translateUnit(idx, cfg, u).recheckAt).filter((t) => t !== undefined);
    return at.length > 0 ? new Date(Math.min(...at)).toISOString() : undefined;
  };
  it.each([
    ['valid: when it expires', 'good', 'good.example.com', NOW_2030, '2036-11-28T22:17:40.001Z'],
    ['not yet valid: when it becomes valid', 'future', 'future.example.com', NOW_2030, '2090-01-01T00:00:00.000Z'],
    ['expired: never', 'expired', 'expired.example.com', NOW_2030, undefined],
    ['no time in the snapshot: never', 'good', 'good.example.com', undefined, undefined],
  ])('%s', (_what, pair, host, now, want) => {
    expect(recheckAt(pair, host, now)).toBe(want);
  });
});

describe('backends that cannot serve: served with a BackendWarning naming the backend', () => {
  const ext = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'red' }, spec: { type: 'ExternalName', externalName: 'db.example.org', ports: [{ port: 80 }] } };
  const bare = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'red' }, spec: { type: 'ClusterIP', ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80 }] } });
  const slice = (svc: string, addressType: string, addresses: string[], ready: boolean) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-${addressType.toLowerCase()}`, namespace: 'red', labels: { 'kubernetes.io/service-name': svc } },
    addressType,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready } })),
  });
  const where = 'BackendWarning: host b.example.com path /: backend Service';
  it.each([
    ['a missing Service', [], 'nope', 80, [`${where} red/nope not found: its pool has no servers`]],
    ['a missing port', [], 'web', 8081, [`${where} red/web has no port 8081: its pool has no servers`]],
    ['an ExternalName Service', [ext], 'ext', 80, [`${where} red/ext is of type ExternalName (db.example.org), which AKO cannot send traffic to: its pool has no servers`]],
    ['no EndpointSlices', [bare('lone')], 'lone', 80, [`${where} red/lone port 80: no EndpointSlices: its pool has no servers`]],
    [
      'IPv6 slices only on an IPv4 Service',
      [bare('v6'), slice('v6', 'IPv6', ['fd00::1'], true)],
      'v6',
      80,
      [`${where} red/v6 port 80: its EndpointSlices are of address type IPv6 only, none of the Service's IP families (IPv4): its pool has no servers`],
    ],
    [
      'FQDN slices only',
      [bare('fq'), slice('fq', 'FQDN', ['db.example.org'], true)],
      'fq',
      80,
      [`${where} red/fq port 80: its EndpointSlices are of address type FQDN only, none of the Service's IP families (IPv4): its pool has no servers`],
    ],
    ['no ready endpoint', [bare('down'), slice('down', 'IPv4', ['10.1.0.7', '10.1.0.8'], false)], 'down', 80, [`${where} red/down port 80: no ready endpoint (2 not ready): its pool has no servers`]],
    ['a ready endpoint', [], 'web', 80, []],
  ])('%s', (_what, extra, service, port, warnings) => {
    const r = run([...extra, ingress('i', 'b.example.com', { service, port })]);
    expect(verdictOf(r, 'i')).toMatchObject({ accepted: true });
    expect(warningsOf(r, 'Ingress', 'i')).toEqual(warnings);
    // Still served: the host's pool exists (empty when the backend cannot serve).
    expect(r.objects.some((o) => o.type === 'pool' && JSON.stringify(o.body.service_metadata).includes('b.example.com'))).toBe(true);
  });

  it('an FQDN slice gives the pool no server (its addresses are names, not IPs)', () => {
    const r = run([{ ...bare('fq6'), spec: { type: 'ClusterIP', ipFamilies: ['IPv6'], ports: [{ name: 'http', port: 80 }] } }, slice('fq6', 'FQDN', ['db.example.org'], true), ingress('i', 'b.example.com', { service: 'fq6' })]);
    const pool = r.objects.find((o) => o.type === 'pool' && JSON.stringify(o.body.service_metadata).includes('b.example.com'));
    expect(pool?.body.servers).toBeUndefined();
  });

  it('a LoadBalancer Service without ready endpoints is served with a BackendWarning on itself', () => {
    const lb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'red' }, spec: { type: 'LoadBalancer', ipFamilies: ['IPv4'], ports: [{ name: 'tcp', port: 5000, protocol: 'TCP' }] } };
    const r = run([lb]);
    expect(r.verdicts.find((v) => v.kind === 'Service' && v.name === 'lb')).toMatchObject({ accepted: true });
    expect(warningsOf(r, 'Service', 'lb')).toEqual(['BackendWarning: backend Service red/lb port 5000: no EndpointSlices: its pool has no servers']);
  });
});

describe('backends in the NodePort and NodePortLocal modes', () => {
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.1.10' }] } };
  const np = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np', namespace: 'red' }, spec: { type: 'NodePort', ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] } };
  const translateIn = (serviceType: AkoConfig['serviceType'], extra: unknown[], service: string) =>
    translate({ ...snapshotOf([ingressClass, web, webSlice, ...extra, ingress('i', 'b.example.com', { service })] as unknown as K8sObject[]), now: NOW_2030 }, { ...cfg, serviceType });
  const where = 'BackendWarning: host b.example.com path /: backend Service';
  it.each([
    ['NodePort mode, a ClusterIP backend', 'NodePort', [node], 'web', [`${where} red/web port 80: no nodePort (serviceType NodePort needs a Service of type NodePort or LoadBalancer): its pool has no servers`]],
    ['NodePort mode, a NodePort backend and no node', 'NodePort', [np], 'np', [`${where} red/np port 80: no node matches the nodePortSelector with an InternalIP of its IP family: its pool has no servers`]],
    ['NodePort mode, a NodePort backend and a node', 'NodePort', [node, np], 'np', []],
    ['NodePortLocal mode, a NodePort backend', 'NodePortLocal', [np], 'np', [`${where} red/np port 80: NodePortLocal does not serve a Service of type NodePort: its pool has no servers`]],
    ['NodePortLocal mode, ready pods without the Antrea annotation', 'NodePortLocal', [], 'web', [`${where} red/web port 80: no ready pod with a NodePortLocal port for it: its pool has no servers`]],
  ] as const)('%s', (_what, mode, extra, service, warnings) => {
    const r = translateIn(mode, [...extra], service);
    expect(warningsOf(r, 'Ingress', 'i')).toEqual(warnings);
  });
});

describe('annotation values AKO does not understand', () => {
  it.each([
    ['yes', ['InvalidAnnotation: annotation ako.vmware.com/enable-tls: "yes" is neither "true" nor "false"; read as false']],
    ['True', ['InvalidAnnotation: annotation ako.vmware.com/enable-tls: "True" is neither "true" nor "false"; read as false']],
    ['true', []],
    ['false', []],
  ])('Ingress ako.vmware.com/enable-tls: %j', (value, warnings) => {
    const r = run([ingress('i', 'a.example.com', { annotations: { 'ako.vmware.com/enable-tls': value } })]);
    expect(warningsOf(r, 'Ingress', 'i')).toEqual(warnings);
  });

  it('Service ako.vmware.com/disable-traffic: "1"', () => {
    const lb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'red', annotations: { 'ako.vmware.com/disable-traffic': '1' } }, spec: { type: 'LoadBalancer', selector: {}, ports: [{ port: 80 }] } };
    const r = run([lb]);
    expect(warningsOf(r, 'Service', 'lb').filter((w) => w.startsWith('InvalidAnnotation'))).toEqual([
      'InvalidAnnotation: annotation ako.vmware.com/disable-traffic: "1" is neither "true" nor "false"; read as false',
    ]);
  });
});
