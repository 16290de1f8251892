/**
 * SSORule beyond parity cases c26 (SNI mode) and c26b (EVH, OAuth with JWT): hand-written cases from the Go AKO's
 * rules (shared spec ako.md "CRD SSORule"; its BuildL7SSORule: fields copied to the EVH child, Secrets read for the
 * client and resource server secrets, acs_index only with the INDEX request type, introspection timeout only for
 * opaque tokens). Field names are the Avi VirtualService swagger's (SAMLSPConfig, OAuthVSConfig, ...).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { indexSnapshot, translate, unitsAffectedBy, type TranslateResult } from '../src/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const EVH = caseConfig('c26b-ssorule-evh');
const SNI = caseConfig('c26-ssorule');
const inputs = caseObjects('c26b-ssorule-evh');
const base = inputs.filter((o) => o.kind !== 'SSORule');
const c26bRule = inputs.find((o) => o.kind === 'SSORule')!;
const CHILD = 'par--03ab1bd1f2bcf9305422432e73a3cb84c20389d2'; // sha1 of par--sso.par.test
const REFS = ['ssopolicy/custom-sso', 'authprofile/custom-oauth', 'sslkeyandcertificate/idp-signing'];

const rule = (name: string, spec: Record<string, unknown>, created = '2026-12-01T10:00:00Z'): K8sObject =>
  ({ apiVersion: 'ako.vmware.com/v1alpha2', kind: 'SSORule', metadata: { namespace: 'red', name, creationTimestamp: created }, spec: { fqdn: 'sso.par.test', ssoPolicyRef: 'custom-sso', ...spec } }) as K8sObject;
const secret = (name: string, data: Record<string, string>): K8sObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'red', name }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) }) as K8sObject;

const run = (objs: K8sObject[], c = EVH, refs = REFS): TranslateResult => translate({ ...snapshotOf([...base, ...objs]), aviRefs: refs }, c);
const child = (r: TranslateResult): Record<string, unknown> => r.objects.find((o) => o.type === 'virtualservice' && o.name === CHILD)!.body;
const verdict = (r: TranslateResult, name: string) => r.verdicts.find((v) => v.kind === 'SSORule' && v.name === name);
const crdStatus = (r: TranslateResult): unknown => (JSON.parse(child(r).service_metadata as string) as { crd_status: unknown }).crd_status;
const SSO_FIELDS = ['sso_policy_ref', 'oauth_vs_config', 'saml_sp_config'];

test('SAML: saml_sp_config on the EVH child; the ACS index only with the INDEX request type', () => {
  const saml = { entityID: 'https://sso.par.test/sp', singleSignonURL: 'https://sso.par.test/sso/acs/', cookieName: 'SAMLC', cookieTimeout: 30, acsIndex: 3, signingSslKeyAndCertificateRef: 'idp-signing', useIdpSessionTimeout: true };
  const byUrl = run([rule('saml', { samlSpConfig: { ...saml, authnReqAcsType: 'SAML_AUTHN_REQ_ACS_TYPE_URL' } })]);
  expect(verdict(byUrl, 'saml')).toMatchObject({ accepted: true, reason: '' });
  expect(child(byUrl).sso_policy_ref).toBe('/api/ssopolicy?name=custom-sso');
  expect(child(byUrl).saml_sp_config).toEqual({
    authn_req_acs_type: 'SAML_AUTHN_REQ_ACS_TYPE_URL',
    cookie_name: 'SAMLC',
    cookie_timeout: 30,
    entity_id: 'https://sso.par.test/sp',
    signing_ssl_key_and_certificate_ref: '/api/sslkeyandcertificate?name=idp-signing',
    single_signon_url: 'https://sso.par.test/sso/acs/',
    use_idp_session_timeout: true,
  });
  expect(crdStatus(byUrl)).toEqual({ type: 'SSORule', value: 'red/saml', status: 'ACTIVE' });
  const byIndex = run([rule('saml', { samlSpConfig: { ...saml, authnReqAcsType: 'SAML_AUTHN_REQ_ACS_TYPE_INDEX' } })]);
  expect(child(byIndex).saml_sp_config).toMatchObject({ acs_index: 3, authn_req_acs_type: 'SAML_AUTHN_REQ_ACS_TYPE_INDEX' });
});

test('OAuth with opaque tokens: the server secret from its Secret, the introspection timeout kept', () => {
  const r = run([
    secret('rs', { serverSecret: 's3cret' }),
    rule('opaque', {
      oauthVsConfig: {
        cookieName: 'C',
        oauthSettings: [{ authProfileRef: 'custom-oauth', resourceServer: { accessType: 'ACCESS_TOKEN_TYPE_OPAQUE', introspectionDataTimeout: 5, opaqueTokenParams: { serverID: 'rs-id', serverSecret: 'rs' } } }],
      },
    }),
  ]);
  expect(child(r).oauth_vs_config).toEqual({
    cookie_name: 'C',
    oauth_settings: [
      {
        auth_profile_ref: '/api/authprofile?name=custom-oauth',
        resource_server: { access_type: 'ACCESS_TOKEN_TYPE_OPAQUE', introspection_data_timeout: 5, opaque_token_params: { server_id: 'rs-id', server_secret: 's3cret' } },
      },
    ],
  });
});

test.each([
  ['its SSO policy is not on the controller', c26bRule, ['authprofile/custom-oauth'], 'ssopolicy "custom-sso" not found on controller'],
  ['its auth profile is not on the controller', c26bRule, ['ssopolicy/custom-sso'], 'authprofile "custom-oauth" not found on controller'],
])('an SSORule is Rejected when %s, and the VS stays as it was', (_n, r, refs, reason) => {
  const out = run([r], EVH, refs);
  expect(verdict(out, 'sso-1')).toEqual({ kind: 'SSORule', namespace: 'red', name: 'sso-1', accepted: false, reason });
  for (const f of SSO_FIELDS) expect(child(out)[f]).toBeUndefined();
  expect(crdStatus(out)).toEqual({ type: '', value: '', status: '' });
});

test('an SSORule whose client Secret is missing is Rejected saying so (the Go AKO skips it silently)', () => {
  const out = translate({ ...snapshotOf([...base.filter((o) => o.metadata?.name !== 'sso-client-secret'), c26bRule]), aviRefs: REFS }, EVH);
  expect(verdict(out, 'sso-1')).toMatchObject({ accepted: false, reason: 'Secret red/sso-client-secret with key clientSecret not found' });
  expect(child(out).oauth_vs_config).toBeUndefined();
});

test('two SSORules for one FQDN: the older applies, the other is Rejected', () => {
  const older = rule('older', { samlSpConfig: { entityID: 'e', singleSignonURL: 'u', authnReqAcsType: 'SAML_AUTHN_REQ_ACS_TYPE_NONE' } }, '2026-12-01T09:00:00Z');
  const younger = { ...c26bRule, metadata: { ...c26bRule.metadata, creationTimestamp: '2026-12-01T10:00:00Z' } } as K8sObject;
  const out = run([younger, older]);
  expect(verdict(out, 'older')).toMatchObject({ accepted: true });
  expect(verdict(out, 'sso-1')).toMatchObject({ accepted: false, reason: 'duplicate fqdn sso.par.test found in red/older' });
  expect(child(out).saml_sp_config).toEqual({ entity_id: 'e', single_signon_url: 'u', authn_req_acs_type: 'SAML_AUTHN_REQ_ACS_TYPE_NONE' });
  expect(child(out).oauth_vs_config).toBeUndefined();
});

test('the rule removed: the EVH child goes back to the VS without SSO', () => {
  const withRule = run([c26bRule]);
  const without = run([]);
  expect(child(withRule).sso_policy_ref).toBe('/api/ssopolicy?name=custom-sso');
  for (const f of SSO_FIELDS) expect(child(without)[f]).toBeUndefined();
  expect(without.verdicts.some((v) => v.kind === 'SSORule')).toBe(false);
});

test('in SNI mode the rule is Accepted and nothing is applied (as the Go AKO 2.2.1, c26), with a Warning saying so', () => {
  const out = translate({ ...snapshotOf([...base, c26bRule]), aviRefs: REFS }, SNI);
  expect(verdict(out, 'sso-1')).toMatchObject({ accepted: true });
  expect(out.warnings?.filter((w) => w.kind === 'SSORule')).toEqual([{ kind: 'SSORule', namespace: 'red', name: 'sso-1', reason: 'NotApplied', message: expect.stringContaining('applied in EVH mode only') }]);
  expect(run([c26bRule]).warnings?.some((w) => w.kind === 'SSORule')).toBeFalsy();
  for (const o of out.objects.filter((x) => x.type === 'virtualservice')) for (const f of SSO_FIELDS) expect(o.body[f]).toBeUndefined();
});

test('a change of the client Secret reaches the EVH child: its unit and the rule are affected, the new secret is sent', () => {
  const objs = [...base, c26bRule];
  const idx = indexSnapshot({ ...snapshotOf(objs), aviRefs: REFS });
  const units = unitsAffectedBy(idx, EVH, { kind: 'Secret', namespace: 'red', name: 'sso-client-secret' });
  expect(units).toEqual(expect.arrayContaining(['L7/par--Shared-L7-EVH-5', 'SSORule/red/sso-1']));
  const changed = [...base.filter((o) => o.metadata?.name !== 'sso-client-secret'), secret('sso-client-secret', { clientSecret: 'rotated' }), c26bRule];
  const r = translate({ ...snapshotOf(changed), aviRefs: REFS }, EVH);
  expect((child(r).oauth_vs_config as { oauth_settings: { app_settings: { client_secret: string } }[] }).oauth_settings[0]!.app_settings.client_secret).toBe('rotated');
});

describe('the SSORule samples of the AKO documentation (test/fixtures/ssorule-docs), applied in EVH mode', () => {
  const doc = (f: string): K8sObject => parse(readFileSync(join(import.meta.dirname, 'fixtures', 'ssorule-docs', f), 'utf8')) as K8sObject;
  const app: K8sObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as K8sObject,
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'app' }, spec: { ports: [{ name: 'http', port: 80 }] } } as K8sObject,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { namespace: 'default', name: 'app' },
      spec: { rules: [{ host: 'my-ssorule.test.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] },
    } as K8sObject,
    { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'default', name: 'my-oauth-secret' }, data: { clientSecret: Buffer.from('the-client-secret').toString('base64'), serverSecret: Buffer.from('the-server-secret').toString('base64') } } as K8sObject,
  ];
  const ingressClass = base.filter((o) => o.kind === 'IngressClass');
  // The docs' host is outside the corpus' DNS sub-domains: no sub-domains here (every host served, no autoFQDN).
  const cfg = { ...EVH, dnsDomains: [] };
  // sha1 of par--my-ssorule.test.com
  const evhChild = (r: TranslateResult) => r.objects.find((o) => o.type === 'virtualservice' && o.name === 'par--dc9df6e0b6edde29c37a2f7c1d7129a634f6ca0a')?.body;
  const refs = ['ssopolicy/oauth', 'authprofile/okta-oauth', 'ssopolicy/saml-app', 'sslkeyandcertificate/my-test-app-secret'];

  it('OAuth/OIDC: the OAuth settings with both secrets from the Secret, the SSO policy', () => {
    const r = translate({ ...snapshotOf([...ingressClass, ...app, doc('oauth.yaml')]), aviRefs: refs }, cfg);
    expect(r.verdicts.find((v) => v.kind === 'SSORule')).toMatchObject({ accepted: true });
    expect(evhChild(r)).toMatchObject({
      sso_policy_ref: '/api/ssopolicy?name=oauth',
      oauth_vs_config: {
        cookie_name: 'OAUTH_XYZ',
        cookie_timeout: 120,
        logout_uri: 'https://my-ssorule.test.com/oauth/logout',
        redirect_uri: 'https://my-ssorule.test.com/oauth/callback',
        post_logout_redirect_uri: 'https://my-ssorule.test.com/oauth/postLogoutRedirectURI',
        oauth_settings: [
          {
            auth_profile_ref: '/api/authprofile?name=okta-oauth',
            app_settings: { client_id: 'my-client-id', client_secret: 'the-client-secret', oidc_config: { oidc_enable: true, profile: true, userinfo: true }, scopes: ['scope1'] },
            resource_server: { access_type: 'ACCESS_TOKEN_TYPE_OPAQUE', introspection_data_timeout: 60, opaque_token_params: { server_id: 'my-server-id', server_secret: 'the-server-secret' } },
          },
        ],
      },
    });
  });

  it('SAML: the SAML service provider settings (no ACS index with request type NONE), the SSO policy', () => {
    const r = translate({ ...snapshotOf([...ingressClass, ...app, doc('saml.yaml')]), aviRefs: refs }, cfg);
    expect(evhChild(r)).toMatchObject({
      sso_policy_ref: '/api/ssopolicy?name=saml-app',
      saml_sp_config: {
        authn_req_acs_type: 'SAML_AUTHN_REQ_ACS_TYPE_NONE',
        cookie_name: 'saml-cookie',
        cookie_timeout: 120,
        entity_id: 'my-ssorule.test.com',
        single_signon_url: 'https://my-ssorule.test.com/sso/acs/',
        signing_ssl_key_and_certificate_ref: '/api/sslkeyandcertificate?name=my-test-app-secret',
        use_idp_session_timeout: false,
      },
    });
  });
});
