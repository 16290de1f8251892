/**
 * SSORule (ako.vmware.com v1alpha2, spec ako.md "CRD SSORule"): OAuth/OIDC (`oauthVsConfig`) or SAML
 * (`samlSpConfig`) single sign-on with an Avi SSO policy, for the virtual service of one FQDN. As the Go AKO 2.2.1
 * (its BuildL7SSORule runs for EVH children only; parity cases c26, c26b): the rule's status is written in every
 * mode, its fields are set on the EVH child VS of the host in EVH mode, and nothing is applied in SNI mode. Pure:
 * the rules, the Secrets they name and the Avi names on the controller (Snapshot.aviRefs) in; verdicts and VS fields out.
 */
import { accepted, rejected, type UnitResult, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { warning } from './warnings.js';
import { ruleRef } from './hostrule.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';

export interface OAuthSettingSpec {
  readonly authProfileRef?: string;
  readonly appSettings?: {
    readonly clientID?: string;
    /** Name of a Secret (rule namespace) whose `clientSecret` key holds the application secret. */
    readonly clientSecret?: string;
    readonly scopes?: readonly string[];
    readonly oidcConfig?: { readonly oidcEnable?: boolean; readonly profile?: boolean; readonly userinfo?: boolean };
  };
  readonly resourceServer?: {
    readonly accessType?: string;
    readonly introspectionDataTimeout?: number;
    readonly jwtParams?: { readonly audience?: string };
    /** `serverSecret` names a Secret whose `serverSecret` key holds the resource server secret. */
    readonly opaqueTokenParams?: { readonly serverID?: string; readonly serverSecret?: string };
  };
}

export interface SsoRuleSpec {
  readonly fqdn?: string;
  readonly ssoPolicyRef?: string;
  readonly oauthVsConfig?: {
    readonly cookieName?: string;
    readonly cookieTimeout?: number;
    readonly logoutURI?: string;
    readonly postLogoutRedirectURI?: string;
    readonly redirectURI?: string;
    readonly oauthSettings?: readonly OAuthSettingSpec[];
  };
  readonly samlSpConfig?: {
    readonly acsIndex?: number;
    readonly authnReqAcsType?: string;
    readonly cookieName?: string;
    readonly cookieTimeout?: number;
    readonly entityID?: string;
    readonly signingSslKeyAndCertificateRef?: string;
    readonly singleSignonURL?: string;
    readonly useIdpSessionTimeout?: boolean;
  };
}

export interface SsoRuleObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly creationTimestamp?: string | Date };
  readonly spec?: SsoRuleSpec;
}

const ns = (r: SsoRuleObject): string => r.metadata?.namespace ?? '';
const name = (r: SsoRuleObject): string => r.metadata?.name ?? '';
export const ssoRuleKey = (r: SsoRuleObject): string => nsName(ns(r), name(r));
export const ssoRuleUnit = (r: SsoRuleObject): string => `SSORule/${ssoRuleKey(r)}`;

/** (Avi type, name) of the Avi objects a rule names: the SSO policy, the auth profiles, the SAML signing certificate. */
export function ssoRuleAviRefs(spec: SsoRuleSpec | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (spec?.ssoPolicyRef) out.push(['ssopolicy', spec.ssoPolicyRef]);
  for (const s of spec?.oauthVsConfig?.oauthSettings ?? []) if (s.authProfileRef) out.push(['authprofile', s.authProfileRef]);
  const cert = spec?.samlSpConfig?.signingSslKeyAndCertificateRef;
  if (cert) out.push(['sslkeyandcertificate', cert]);
  return out;
}

/** `ns/name` of the Secrets a rule reads, with the data key read from each. */
export function ssoRuleSecrets(r: SsoRuleObject): { secret: string; key: 'clientSecret' | 'serverSecret' }[] {
  const out: { secret: string; key: 'clientSecret' | 'serverSecret' }[] = [];
  for (const s of r.spec?.oauthVsConfig?.oauthSettings ?? []) {
    if (s.appSettings?.clientSecret) out.push({ secret: nsName(ns(r), s.appSettings.clientSecret), key: 'clientSecret' });
    const server = s.resourceServer?.opaqueTokenParams?.serverSecret;
    if (server) out.push({ secret: nsName(ns(r), server), key: 'serverSecret' });
  }
  return out;
}

function secretValue(idx: SnapshotIndex, secret: string, key: string): string | undefined {
  const b64 = idx.secrets.get(secret)?.data?.[key];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

const age = (r: SsoRuleObject): string => {
  const t = r.metadata?.creationTimestamp;
  return t instanceof Date ? t.toISOString() : (t ?? '');
};
const byAge = (idx: SnapshotIndex): SsoRuleObject[] => [...(idx.snapshot.ssoRules ?? [])].sort((a, b) => cmp(age(a), age(b)) || cmp(ssoRuleKey(a), ssoRuleKey(b)));

/** Why a rule is rejected, or undefined. */
export function ssoRuleProblem(idx: SnapshotIndex, r: SsoRuleObject): string | undefined {
  const spec = r.spec ?? {};
  const fqdn = spec.fqdn ?? '';
  if (fqdn === '') return 'fqdn is empty';
  if (!spec.ssoPolicyRef) return 'ssoPolicyRef is empty';
  if ((spec.oauthVsConfig === undefined) === (spec.samlSpConfig === undefined)) return 'exactly one of oauthVsConfig and samlSpConfig must be set';
  // One rule per FQDN: the oldest (then namespace/name) keeps it.
  const first = byAge(idx).find((o) => (o.spec?.fqdn ?? '') === fqdn);
  if (first && ssoRuleKey(first) !== ssoRuleKey(r)) return `duplicate fqdn ${fqdn} found in ${ssoRuleKey(first)}`;
  const known = idx.snapshot.aviRefs ? new Set(idx.snapshot.aviRefs) : undefined;
  if (known) for (const [t, n] of ssoRuleAviRefs(spec)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  // The Go AKO silently skips the rule when a Secret is missing; here the rule says so.
  for (const s of ssoRuleSecrets(r)) if (secretValue(idx, s.secret, s.key) === undefined) return `Secret ${s.secret} with key ${s.key} not found`;
  return undefined;
}

export function ssoRuleVerdict(idx: SnapshotIndex, r: SsoRuleObject): Verdict {
  const problem = ssoRuleProblem(idx, r);
  return problem ? rejected('SSORule', ns(r), name(r), problem) : accepted('SSORule', ns(r), name(r));
}

/** The Warning an accepted rule gets in SNI mode, where (as in the Go AKO 2.2.1) nothing is applied. */
export const SSO_SNI_NOT_APPLIED = 'SSORule is applied in EVH mode only (as the Go AKO 2.2.1): nothing is set on the virtual service in SNI mode (AKOSettings.enableEVH false)';

/** The `SSORule/<ns>/<name>` unit: the rule's verdict (its status), and in SNI mode a Warning that it applies nothing. */
export function translateSsoRuleUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const r = (idx.snapshot.ssoRules ?? []).find((x) => ssoRuleUnit(x) === unit);
  if (!r) return { unit, objects: [], verdicts: [] };
  const v = ssoRuleVerdict(idx, r);
  const warnings = v.accepted && !c.enableEVH ? [warning('SSORule', ns(r), name(r), 'NotApplied', SSO_SNI_NOT_APPLIED)] : [];
  return { unit, objects: [], verdicts: [v], ...(warnings.length > 0 ? { warnings } : {}) };
}

/** What an accepted rule sets on the EVH child VS of its FQDN. */
export interface AppliedSsoRule {
  /** `ns/name` (service_metadata crd_status). */
  readonly key: string;
  readonly vsFields: Readonly<Record<string, unknown>>;
}

const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function oauthSetting(idx: SnapshotIndex, r: SsoRuleObject, s: OAuthSettingSpec): Record<string, unknown> {
  const app = s.appSettings;
  const rs = s.resourceServer;
  const opaque = rs?.opaqueTokenParams;
  return defined({
    auth_profile_ref: s.authProfileRef ? ruleRef('authprofile', s.authProfileRef) : undefined,
    app_settings: app
      ? defined({
          client_id: app.clientID,
          client_secret: app.clientSecret ? secretValue(idx, nsName(ns(r), app.clientSecret), 'clientSecret') : undefined,
          scopes: app.scopes ? [...app.scopes] : undefined,
          oidc_config: app.oidcConfig ? defined({ oidc_enable: app.oidcConfig.oidcEnable, profile: app.oidcConfig.profile, userinfo: app.oidcConfig.userinfo }) : undefined,
        })
      : undefined,
    resource_server: rs
      ? defined({
          access_type: rs.accessType,
          // With JWT params the Go AKO sends no introspection timeout (it is for opaque tokens).
          introspection_data_timeout: opaque ? rs.introspectionDataTimeout : undefined,
          jwt_params: rs.jwtParams ? defined({ audience: rs.jwtParams.audience }) : undefined,
          opaque_token_params: opaque
            ? defined({ server_id: opaque.serverID, server_secret: opaque.serverSecret ? secretValue(idx, nsName(ns(r), opaque.serverSecret), 'serverSecret') : undefined })
            : undefined,
        })
      : undefined,
  });
}

/** The accepted SSORule for `host` (exact FQDN), with the VS fields it sets. */
export function ssoRuleFor(idx: SnapshotIndex, host: string): AppliedSsoRule | undefined {
  if (host === '') return undefined;
  const r = byAge(idx).find((o) => o.spec?.fqdn === host && ssoRuleProblem(idx, o) === undefined);
  if (!r) return undefined;
  const spec = r.spec!;
  const oauth = spec.oauthVsConfig;
  const saml = spec.samlSpConfig;
  const vsFields: Record<string, unknown> = { sso_policy_ref: ruleRef('ssopolicy', spec.ssoPolicyRef!) };
  if (oauth) {
    vsFields.oauth_vs_config = defined({
      cookie_name: oauth.cookieName,
      cookie_timeout: oauth.cookieTimeout,
      logout_uri: oauth.logoutURI,
      post_logout_redirect_uri: oauth.postLogoutRedirectURI,
      redirect_uri: oauth.redirectURI,
      oauth_settings: oauth.oauthSettings ? oauth.oauthSettings.map((s) => oauthSetting(idx, r, s)) : undefined,
    });
  }
  if (saml) {
    vsFields.saml_sp_config = defined({
      // The ACS index only with the INDEX request type (as the Go AKO).
      acs_index: saml.authnReqAcsType === 'SAML_AUTHN_REQ_ACS_TYPE_INDEX' ? saml.acsIndex : undefined,
      authn_req_acs_type: saml.authnReqAcsType,
      cookie_name: saml.cookieName,
      cookie_timeout: saml.cookieTimeout,
      entity_id: saml.entityID,
      signing_ssl_key_and_certificate_ref: saml.signingSslKeyAndCertificateRef ? ruleRef('sslkeyandcertificate', saml.signingSslKeyAndCertificateRef) : undefined,
      single_signon_url: saml.singleSignonURL,
      use_idp_session_timeout: saml.useIdpSessionTimeout,
    });
  }
  return { key: ssoRuleKey(r), vsFields };
}
