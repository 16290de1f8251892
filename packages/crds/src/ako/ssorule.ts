// SSORule (ako.vmware.com v1alpha2): OAuth/OIDC or SAML single sign-on for the virtual service of one FQDN.
import * as z from 'zod';
import { customResource, exactlyOneOf, int, ruleStatusSchema, strings } from '../common.js';

export const oauthSettingSchema = z.lazy(() =>
  z.object({
    authProfileRef: z.string(),
    appSettings: z
      .object({
        clientID: z.string(),
        /** Name of a Secret whose `clientSecret` key holds the application secret. */
        clientSecret: z.string(),
        scopes: strings.optional(),
        oidcConfig: z
          .object({
            oidcEnable: z.boolean().optional(),
            profile: z.boolean().default(true),
            userinfo: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    resourceServer: z
      .object({
        accessType: z.enum(['ACCESS_TOKEN_TYPE_JWT', 'ACCESS_TOKEN_TYPE_OPAQUE']),
        introspectionDataTimeout: int(0, 1440).default(0),
        jwtParams: z.object({ audience: z.string() }).optional(),
        /** `serverSecret` names a Secret whose `serverSecret` key holds the resource server secret. */
        opaqueTokenParams: z.object({ serverID: z.string(), serverSecret: z.string() }).optional(),
      })
      .superRefine(exactlyOneOf(['jwtParams', 'opaqueTokenParams']))
      .optional(),
  }),
);

export const oauthVsConfigSchema = z.lazy(() =>
  z.object({
    cookieName: z.string().optional(),
    cookieTimeout: int(1, 1440).default(60),
    logoutURI: z.string().optional(),
    postLogoutRedirectURI: z.string().optional(),
    redirectURI: z.string().optional(),
    oauthSettings: z.array(oauthSettingSchema).optional(),
  }),
);

export const samlSpConfigSchema = z.lazy(() =>
  z.object({
    acsIndex: int(0, 64).optional(),
    authnReqAcsType: z.enum(['SAML_AUTHN_REQ_ACS_TYPE_URL', 'SAML_AUTHN_REQ_ACS_TYPE_INDEX', 'SAML_AUTHN_REQ_ACS_TYPE_NONE']),
    cookieName: z.string().optional(),
    cookieTimeout: int(1, 1440).default(60),
    entityID: z.string(),
    signingSslKeyAndCertificateRef: z.string().optional(),
    singleSignonURL: z.string(),
    useIdpSessionTimeout: z.boolean().optional(),
  }),
);

export const ssoRuleSpecSchema = z.lazy(() =>
  z
    .object({
      fqdn: z.string(),
      ssoPolicyRef: z.string(),
      oauthVsConfig: oauthVsConfigSchema.optional(),
      samlSpConfig: samlSpConfigSchema.optional(),
    })
    .superRefine(exactlyOneOf(['oauthVsConfig', 'samlSpConfig'])),
);
export const ssoRuleStatusSchema = ruleStatusSchema;
export const ssoRuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha2'],
    kind: 'SSORule',
    spec: ssoRuleSpecSchema.optional(),
    status: ssoRuleStatusSchema,
  }),
);

export type OAuthSetting = z.output<typeof oauthSettingSchema>;
export type OAuthVsConfig = z.output<typeof oauthVsConfigSchema>;
export type SamlSpConfig = z.output<typeof samlSpConfigSchema>;
export type SSORuleSpec = z.output<typeof ssoRuleSpecSchema>;
export type SSORuleStatus = z.output<typeof ssoRuleStatusSchema>;
export type SSORule = z.output<typeof ssoRuleSchema>;
