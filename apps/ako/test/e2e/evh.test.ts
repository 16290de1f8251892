// EVH mode (AKOSettings.enableEVH) end to end: Ingresses on a real kube-apiserver, AKO in EVH mode, and real HTTP(S)
// requests through the avi-controller's data plane, which hands each request to the EVH child whose vh_matches take
// its Host. Two hosts with paths answer from the backends their Ingresses name (the expected routing is the Ingress
// API's), the secure one redirects plain HTTP to HTTPS and answers TLS with its own certificate (held by the EVH
// parent). An SSORule accepted sets the SSO policy and OAuth settings on the EVH child (status Accepted); one naming
// an SSO policy the controller lacks is Rejected with a Warning Event and changes nothing; the rule removed, the child goes back.
import { request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { dnsDomainsSeed } from '@avi-k8s/testbed';
import { createHash } from 'node:crypto';
import { controllerWrites, eventually, harness, nodePortBackend, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ca: CertificateAuthority;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
let evhValues: Record<string, Record<string, unknown>>;
const servers: Server[] = [];
/** A VIP network of its own (loopback), so this controller's listeners never clash with another test's. */
const net = `127.${190 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}`;
const SSO = { group: 'ako.vmware.com', version: 'v1alpha2', plural: 'ssorules' };
const hostA = 'a.evh.example.com';
const hostB = 'b.evh.example.com';

/** The EVH child VS of a host: `<cluster>--` + sha1 of `<cluster>--<host>` (the Go AKO's Encode). */
const childName = (host: string): string => `${h.clusterName}--${createHash('sha1').update(`${h.clusterName}--${host}`).digest('hex')}`;
const child = (host: string) => h.avi.getByName('virtualservice', childName(host), { includeName: true }) as Promise<AviBody | undefined>;

const backend = (name: string) => nodePortBackend(h, servers, { namespace: ns, name });

const path = (p: string, svc: string): k8s.V1HTTPIngressPath => ({ path: p, pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } });

function get(ip: string, p: string, host: string, tls: boolean): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    };
    const req = tls ? httpsRequest({ host: ip, port: 443, path: p, servername: host, headers: { host }, ca: ca.certPem }, done) : request({ host: ip, port: 80, path: p, headers: { host } }, done);
    req.on('error', reject);
    req.end();
  });
}

/** What serves each request: the backend's name, or `<status>` when none does. */
async function served(ip: string, host: string, paths: readonly string[], tls = false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const r = await get(ip, p, host, tls).catch((e: Error) => ({ status: 0, body: e.message }));
    out[p] = r.status === 200 ? r.body : String(r.status);
  }
  return out;
}

async function vipOf(name: string, host: string): Promise<string> {
  const ing = await eventually(
    `Ingress ${name} status`,
    () => h.networking.readNamespacedIngress({ name, namespace: ns }),
    (i) => !!i.status?.loadBalancer?.ingress?.find((x) => x.hostname === host)?.ip,
  );
  return ing.status!.loadBalancer!.ingress!.find((x) => x.hostname === host)!.ip!;
}

const ssoRule = (name: string) => custom.getNamespacedCustomObject({ ...SSO, namespace: ns, name }) as Promise<{ status?: { status?: string; error?: string } }>;
const createSsoRule = (name: string, spec: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...SSO, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1alpha2', kind: 'SSORule', metadata: { name }, spec } });
const oauth = (authProfile: string) => ({
  cookieName: 'EVHSSO',
  redirectURI: '/oauth/callback',
  oauthSettings: [{ authProfileRef: authProfile, appSettings: { clientID: 'evh-client', clientSecret: 'sso-client', scopes: ['openid'] }, resourceServer: { accessType: 'ACCESS_TOKEN_TYPE_JWT', jwtParams: { audience: 'evh' } } }],
});

beforeAll(async () => {
  const seed = join(mkdtempSync(join(tmpdir(), 'evh-seed-')), 'seed.json');
  const network = {
    type: 'network',
    data: {
      name: 'vip-network',
      dhcp_enabled: false,
      configured_subnets: [
        { prefix: { ip_addr: { addr: `${net}.0`, type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: `${net}.10`, type: 'V4' }, end: { addr: `${net}.250`, type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] },
      ],
    },
  };
  // The Avi SSO policy and auth profile an SSORule names, as an admin made them (parity case c26's seed).
  const authProfile = { type: 'authprofile', data: { name: 'team-oauth', type: 'AUTH_PROFILE_OAUTH', oauth_profile: { oauth_profile_type: 'CLIENT_OAUTH', oauth_controller_settings: {} } } };
  const ssoPolicy = { type: 'ssopolicy', data: { name: 'team-sso', type: 'SSO_TYPE_OAUTH', authentication_policy: { default_auth_profile_ref: '/api/authprofile?name=team-oauth' } } };
  writeFileSync(seed, JSON.stringify({ objects: [dnsDomainsSeed(['example.com']), network, authProfile, ssoPolicy] }));
  h = await harness('evh', 'c3', ['--dataplane', '--seed', seed]);
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('evh-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  // Only this test's AKO selects this Node (nodePortSelector); it has no pod CIDR, so ClusterIP-mode AKOs add no route.
  const node = `evh-${h.clusterName}`;
  await h.core.createNode({ body: { metadata: { name: node, labels: { 'evh-node': h.clusterName } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  for (const b of ['a-root', 'a-api', 'b-root', 'b-shop']) await backend(b);
  ca = await createCA('evh-ca');
  const cert = await issueCertificate(ca, { commonName: hostB, dnsNames: [hostB], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'b-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'sso-client' }, stringData: { clientSecret: 'not-a-real-secret' } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'a' }, spec: { ingressClassName: 'avi-lb', rules: [{ host: hostA, http: { paths: [path('/', 'a-root'), path('/api', 'a-api')] } }] } },
  });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'b' },
      spec: { ingressClassName: 'avi-lb', tls: [{ hosts: [hostB], secretName: 'b-tls' }], rules: [{ host: hostB, http: { paths: [path('/', 'b-root'), path('/shop', 'b-shop')] } }] },
    },
  });
  evhValues = {
    AKOSettings: { enableEVH: true },
    NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
    L7Settings: { serviceType: 'NodePort', shardVSSize: 'SMALL' },
    nodePortSelector: { key: 'evh-node', value: h.clusterName },
  };
  ako = await h.start(evhValues);
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.core.deleteNode({ name: `evh-${h.clusterName}` }).catch(() => undefined);
  await h?.close();
  for (const s of servers) s.close();
});

test('two hosts with paths answer through the EVH parent from their own backends; the secure one redirects HTTP and answers TLS', async () => {
  const ip = await vipOf('a', hostA);
  expect(await vipOf('b', hostB)).toBe(ip); // shardVSSize SMALL: one EVH parent, one VIP
  const parent = (await h.avi.getByName('virtualservice', `${h.clusterName}--Shared-L7-EVH-0`)) as AviBody;
  expect(parent).toMatchObject({ type: 'VS_TYPE_VH_PARENT', vh_type: 'VS_TYPE_VH_ENHANCED' });
  expect(await child(hostA)).toMatchObject({ type: 'VS_TYPE_VH_CHILD', vh_type: 'VS_TYPE_VH_ENHANCED', vh_matches: [{ host: hostA }] });

  const wantA = { '/': 'a-root', '/x': 'a-root', '/api': 'a-api', '/api/v1': 'a-api', '/apix': 'a-root' };
  await eventually('host a routes', () => served(ip, hostA, Object.keys(wantA)), (s) => JSON.stringify(s) === JSON.stringify(wantA));
  const wantB = { '/': 'b-root', '/shop/cart': 'b-shop', '/shopping': 'b-root' };
  await eventually('host b routes (TLS)', () => served(ip, hostB, Object.keys(wantB), true), (s) => JSON.stringify(s) === JSON.stringify(wantB));
  // Host a has no TLS: its requests are not redirected. Host b's plain HTTP requests are (302 to https, same path).
  const redirect = await get(ip, '/shop/cart', hostB, false);
  expect({ status: redirect.status, location: redirect.location }).toEqual({ status: 302, location: `https://${hostB}/shop/cart` });
  expect((await get(ip, '/', hostA, false)).status).toBe(200);
}, 90000);

test('an accepted SSORule sets the SSO policy and OAuth settings on the EVH child; status Accepted', async () => {
  expect((await child(hostB))!.sso_policy_ref).toBeUndefined();
  await createSsoRule('sso-b', { fqdn: hostB, ssoPolicyRef: 'team-sso', oauthVsConfig: oauth('team-oauth') });
  const vs = await eventually('EVH child with SSO', () => child(hostB), (v) => String(v?.sso_policy_ref ?? '').endsWith('#team-sso'));
  const cfg = vs!.oauth_vs_config as { cookie_name?: string; redirect_uri?: string; oauth_settings?: { auth_profile_ref?: string; app_settings?: { client_id?: string } }[] };
  expect(cfg.cookie_name).toBe('EVHSSO');
  expect(cfg.redirect_uri).toBe('/oauth/callback');
  expect(String(cfg.oauth_settings?.[0]?.auth_profile_ref)).toMatch(/#team-oauth$/);
  expect(cfg.oauth_settings?.[0]?.app_settings?.client_id).toBe('evh-client');
  const rule = await eventually('SSORule status', () => ssoRule('sso-b'), (r) => r.status?.status === 'Accepted');
  expect(rule.status).toEqual({ status: 'Accepted', error: '' });
}, 60000);

test('an SSORule naming an SSO policy the controller lacks is Rejected with a Warning Event and changes nothing', async () => {
  await ako.idle();
  const before = (await child(hostA))!;
  await createSsoRule('sso-a', { fqdn: hostA, ssoPolicyRef: 'no-such-sso', oauthVsConfig: oauth('team-oauth') });
  const rule = await eventually('SSORule status', () => ssoRule('sso-a'), (r) => r.status?.status === 'Rejected');
  expect(rule.status).toEqual({ status: 'Rejected', error: 'ssopolicy "no-such-sso" not found on controller' });
  const events = await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'SSORule' && e.involvedObject.name === 'sso-a'),
    (es) => es.some((e) => e.reason === 'Rejected'),
  );
  expect(events.find((e) => e.reason === 'Rejected')!.type).toBe('Warning');
  await ako.idle();
  const after = (await child(hostA))!;
  expect(after._last_modified).toBe(before._last_modified);
  expect(after.sso_policy_ref).toBeUndefined();
}, 60000);

test('the SSORule removed, the EVH child goes back to what the Ingress alone asks for', async () => {
  await custom.deleteNamespacedCustomObject({ ...SSO, namespace: ns, name: 'sso-b' });
  const vs = await eventually('EVH child without SSO', () => child(hostB), (v) => v !== undefined && v.sso_policy_ref === undefined);
  expect(vs!.oauth_vs_config).toBeUndefined();
  // Still served.
  const ip = await vipOf('b', hostB);
  expect(await served(ip, hostB, ['/shop/x'], true)).toEqual({ '/shop/x': 'b-shop' });
}, 60000);

test('a restart in EVH mode with nothing changed writes nothing', async () => {
  await ako.idle();
  await ako.stop();
  const before = await controllerWrites(h);
  ako = await h.start(evhValues);
  await ako.ready;
  await ako.idle();
  expect(await controllerWrites(h)).toBe(before);
}, 60000);
