/**
 * Host ownership (issue 11, deliver 2; README "Host ownership"), hand-written: a host, with its paths and TLS,
 * belongs to the namespace whose Ingress claimed it first (creationTimestamp, then namespace/name). A later claim
 * from another namespace is rejected with a reason and changes nothing of the owner's objects (pools, routes,
 * certificate), whatever it brings (same or other paths, its own valid or garbage TLS Secret). Ingresses of the
 * owner's namespace keep sharing the host.
 */
import { backend, body, ingress, ingressClass, names, run, tlsSecret, verdictOf, type Result } from './translate-objects.js';
import type { K8sObject } from './translate-fixtures.js';

const HOST = 'shop.example.com';
const victimTls = tlsSecret('victim', 'shop-tls', [HOST]);
const attackerTls = tlsSecret('attacker', 'shop-tls', [HOST]);

const base = (): K8sObject[] => [ingressClass, ...backend('victim', 'web', '10.1.0.1'), ...backend('attacker', 'evil', '10.2.0.1')];
const victim = (secure: boolean) =>
  ingress('victim', 'site', 1, [{ host: HOST, paths: [{ path: '/', service: 'web' }] }], secure ? { hosts: [HOST], secret: 'shop-tls' } : undefined);
const objectsOf = (r: Result) => r.objects;
const owned = (ns: string) => `host ${HOST} belongs to namespace ${ns}`;

describe('a later claim of a host from another namespace', () => {
  const garbage: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'attacker', name: 'shop-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from('garbage').toString('base64'), 'tls.key': Buffer.from('garbage').toString('base64') } };
  test.each([
    ['HTTP, same host and path', false, async () => [ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }])]],
    ['HTTP, another path of the host', false, async () => [ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/admin', service: 'evil' }] }])]],
    ['HTTPS with its own valid certificate', true, async () => [await attackerTls, ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }], { hosts: [HOST], secret: 'shop-tls' })]],
    ['HTTPS with a garbage TLS Secret', true, async () => [garbage, ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }], { hosts: [HOST], secret: 'shop-tls' })]],
    ['plain HTTP paths on the owner\'s secure host', true, async () => [ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }])]],
  ])('%s: rejected with the reason, the owner\'s objects unchanged', async (_name, secure, extra) => {
    const own: K8sObject[] = [...base(), ...(secure ? [await victimTls] : []), victim(secure)];
    const alone = run(own);
    const r = run([...own, ...(await extra())]);
    expect(verdictOf(r, 'Ingress', 'attacker', 'hijack')).toEqual({
      kind: 'Ingress',
      namespace: 'attacker',
      name: 'hijack',
      accepted: false,
      reason: `${owned('victim')} (Ingress victim/site claimed it first): not served for Ingress attacker/hijack`,
    });
    expect(verdictOf(r, 'Ingress', 'victim', 'site')).toMatchObject({ accepted: true });
    expect(objectsOf(r)).toEqual(objectsOf(alone));
    expect(r.objects.filter((o) => o.name.includes('attacker') || JSON.stringify(o.body).includes('10.2.0.1'))).toEqual([]);
  });
});

test("the owner's certificate and backends (HTTPS): SNI child, certificate, one pool with the owner's server", async () => {
  const v = await victimTls;
  const r = run([...base(), v, victim(true), await attackerTls, ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }], { hosts: [HOST], secret: 'shop-tls' })]);
  expect((body(r, 'sslkeyandcertificate', `c--${HOST}`)?.certificate as { certificate: string }).certificate).toBe(v.pem);
  expect(body(r, 'virtualservice', `c--${HOST}`)?.http_policies).toEqual([{ http_policy_set_ref: `/api/httppolicyset/?name=c--victim-${HOST}`, index: 11 }]);
  expect(names(r, 'pool')).toEqual([`c--victim-${HOST}_-site`]);
  expect(body(r, 'pool', `c--victim-${HOST}_-site`)?.servers).toEqual([{ ip: { addr: '10.1.0.1', type: 'V4' }, port: 8080, enabled: true, external_uuid: '10.1.0.1:8080' }]);
});

test('the owner is the namespace that claimed the host first, not the first by name', () => {
  const r = run([
    ...base(),
    ingress('victim', 'site', 5, [{ host: HOST, paths: [{ path: '/', service: 'web' }] }]),
    ingress('attacker', 'first', 3, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }]),
  ]);
  expect(verdictOf(r, 'Ingress', 'victim', 'site')).toMatchObject({ accepted: false, reason: `${owned('attacker')} (Ingress attacker/first claimed it first): not served for Ingress victim/site` });
  expect(names(r, 'pool')).toEqual([`c--${HOST}_-attacker-first`]);
});

test('the same creationTimestamp: the namespace first by name owns the host', () => {
  const r = run([
    ...base(),
    ingress('victim', 'site', 1, [{ host: HOST, paths: [{ path: '/', service: 'web' }] }]),
    ingress('attacker', 'same', 1, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }]),
  ]);
  expect(verdictOf(r, 'Ingress', 'victim', 'site')).toMatchObject({ accepted: false, reason: `${owned('attacker')} (Ingress attacker/same claimed it first): not served for Ingress victim/site` });
});

test("several Ingresses of the owner's namespace share the host (other paths)", () => {
  const r = run([
    ...base(),
    ...backend('victim', 'api', '10.1.0.2'),
    victim(false),
    ingress('victim', 'api', 2, [{ host: HOST, paths: [{ path: '/api', service: 'api' }] }]),
  ]);
  expect(r.verdicts.filter((v) => !v.accepted)).toEqual([]);
  expect(names(r, 'pool').sort()).toEqual([`c--${HOST}_-victim-site`, `c--${HOST}_api-victim-api`]);
});

test('when the owner goes, the next claim owns the host', () => {
  const r = run([...base(), ingress('attacker', 'hijack', 2, [{ host: HOST, paths: [{ path: '/', service: 'evil' }] }])]);
  expect(verdictOf(r, 'Ingress', 'attacker', 'hijack')).toMatchObject({ accepted: true });
  expect(names(r, 'pool')).toEqual([`c--${HOST}_-attacker-hijack`]);
});

test("an Ingress claiming an owned host and a free one: rejected for the owned host, its free host served", () => {
  const r = run([
    ...base(),
    victim(false),
    ingress('attacker', 'hijack', 2, [
      { host: HOST, paths: [{ path: '/', service: 'evil' }] },
      { host: 'own.example.com', paths: [{ path: '/', service: 'evil' }] },
    ]),
  ]);
  expect(verdictOf(r, 'Ingress', 'attacker', 'hijack')).toMatchObject({ accepted: false, reason: `${owned('victim')} (Ingress victim/site claimed it first): not served for Ingress attacker/hijack` });
  expect(names(r, 'pool').sort()).toEqual(['c--own.example.com_-attacker-hijack', `c--${HOST}_-victim-site`]);
});

test('host-less rules and defaultBackend belong to the namespace that set them first', () => {
  const fallback = (ns: string, name: string, svc: string, day: number): K8sObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: ns, name, creationTimestamp: new Date(Date.UTC(2026, 0, day)).toISOString() } as K8sObject['metadata'],
    spec: { defaultBackend: { service: { name: svc, port: { number: 80 } } } },
  });
  const r = run([...base(), fallback('victim', 'default', 'web', 1), fallback('attacker', 'default', 'evil', 2)]);
  expect(verdictOf(r, 'Ingress', 'attacker', 'default')).toMatchObject({
    accepted: false,
    reason: 'the host-less rules and defaultBackend (no host) belong to namespace victim (Ingress victim/default claimed it first): not served for Ingress attacker/default',
  });
  expect(names(r, 'pool')).toEqual(['c--default-backend-victim-default']);
});

describe('a HostRule for the host', () => {
  const hostRule = (namespace: string, name: string, virtualhost: Record<string, unknown>): K8sObject =>
    ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { namespace, name, creationTimestamp: '2026-01-02T00:00:00.000Z' }, spec: { virtualhost: { fqdn: HOST, ...virtualhost } } }) as K8sObject;
  const own = async (): Promise<K8sObject[]> => [...base(), await victimTls, victim(true)];
  const vsEnabled = (r: Result) => body(r, 'virtualservice', `c--${HOST}`)?.enabled;

  test("of another namespace is rejected for it and changes nothing of the owner's VS (its certificate, enabled)", async () => {
    const alone = run(await own());
    const other = await tlsSecret('attacker', 'rule-cert', [HOST]);
    const r = run([...(await own()), other, hostRule('attacker', 'off', { enableVirtualHost: false, tls: { sslKeyCertificate: { type: 'secret', name: 'rule-cert' } } })]);
    expect(verdictOf(r, 'HostRule', 'attacker', 'off')).toEqual({
      kind: 'HostRule',
      namespace: 'attacker',
      name: 'off',
      accepted: false,
      reason: `host ${HOST} belongs to namespace victim: a HostRule of namespace attacker does not apply to it (only one of the host's namespace or of AKO's namespace avi-system)`,
    });
    expect(r.objects).toEqual(alone.objects);
    // No `enabled: false` (no HostRule applied: the field is not sent).
    expect(vsEnabled(r)).toBeUndefined();
  });

  test.each([
    ["of the host's namespace", 'victim'],
    ["of AKO's namespace", 'avi-system'],
  ])('%s applies', async (_n, namespace) => {
    const r = run([...(await own()), hostRule(namespace, 'off', { enableVirtualHost: false })]);
    expect(verdictOf(r, 'HostRule', namespace, 'off')).toMatchObject({ accepted: true });
    expect(vsEnabled(r)).toBe(false);
  });

  test("an older one of another namespace does not make the owner's rule a duplicate: the owner's applies", async () => {
    const older = { ...hostRule('attacker', 'first', { enableVirtualHost: true }), metadata: { namespace: 'attacker', name: 'first', creationTimestamp: '2026-01-01T00:00:00.000Z' } } as K8sObject;
    const r = run([...(await own()), older, hostRule('victim', 'off', { enableVirtualHost: false })]);
    expect(verdictOf(r, 'HostRule', 'victim', 'off')).toMatchObject({ accepted: true });
    expect(verdictOf(r, 'HostRule', 'attacker', 'first')).toMatchObject({ accepted: false });
    expect(vsEnabled(r)).toBe(false);
  });

  test("AKO's namespace and the owner's compete: the older keeps the FQDN, the other is a duplicate", async () => {
    const older = { ...hostRule('avi-system', 'first', { enableVirtualHost: true }), metadata: { namespace: 'avi-system', name: 'first', creationTimestamp: '2026-01-01T00:00:00.000Z' } } as K8sObject;
    const r = run([...(await own()), older, hostRule('victim', 'off', { enableVirtualHost: false })]);
    expect(verdictOf(r, 'HostRule', 'victim', 'off')).toMatchObject({ accepted: false, reason: `duplicate fqdn ${HOST} found in avi-system/first` });
    expect(vsEnabled(r)).toBe(true);
  });
});
