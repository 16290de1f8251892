// HostRule (ako.vmware.com v1beta1, also served as v1alpha1): per-FQDN virtual service settings.
import * as z from 'zod';
import { customResource, int, port, ruleStatusSchema, strings } from '../common.js';

const certRef = () =>
  z.object({
    name: z.string(),
    type: z.enum(['ref', 'secret']),
  });

export const hostRuleTlsSchema = z.lazy(() =>
  z.object({
    sslKeyCertificate: certRef().extend({ alternateCertificate: certRef().optional() }),
    sslProfile: z.string().optional(),
    termination: z.enum(['edge']).optional(),
  }),
);

export const hostRuleAnalyticsPolicySchema = z.lazy(() =>
  z.object({
    fullClientLogs: z
      .object({
        enabled: z.boolean().default(false),
        throttle: z.enum(['LOW', 'MEDIUM', 'HIGH', 'DISABLED']).default('HIGH'),
        duration: int(0).optional(),
      })
      .optional(),
    logAllHeaders: z.boolean().default(false),
  }),
);

export const hostRuleVirtualHostSchema = z.lazy(() =>
  z.object({
    fqdn: z.string(),
    fqdnType: z.enum(['Exact', 'Wildcard', 'Contains']).default('Exact'),
    enableVirtualHost: z.boolean().optional(),
    tls: hostRuleTlsSchema.optional(),
    httpPolicy: z.object({ policySets: strings.optional(), overwrite: z.boolean().optional() }).optional(),
    wafPolicy: z.string().optional(),
    applicationProfile: z.string().optional(),
    analyticsProfile: z.string().optional(),
    analyticsPolicy: hostRuleAnalyticsPolicySchema.optional(),
    icapProfile: strings.optional(),
    errorPageProfile: z.string().optional(),
    datascripts: strings.optional(),
    networkSecurityPolicy: z.string().optional(),
    l7Rule: z.string().optional(),
    gslb: z.object({ fqdn: z.string().optional(), includeAliases: z.boolean().default(false) }).optional(),
    aliases: strings.optional(),
    tcpSettings: z
      .object({
        listeners: z.array(z.object({ port: port.optional(), enableSSL: z.boolean().optional() })).optional(),
        loadBalancerIP: z.string().optional(),
      })
      .optional(),
    useRegex: z.boolean().optional(),
    applicationRootPath: z.string().optional(),
  }),
);

export const hostRuleSpecSchema = z.lazy(() => z.object({ virtualhost: hostRuleVirtualHostSchema }));
export const hostRuleStatusSchema = ruleStatusSchema;
export const hostRuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1beta1', 'ako.vmware.com/v1alpha1'],
    kind: 'HostRule',
    spec: hostRuleSpecSchema.optional(),
    status: hostRuleStatusSchema,
  }),
);

export type HostRuleSpec = z.output<typeof hostRuleSpecSchema>;
export type HostRuleStatus = z.output<typeof hostRuleStatusSchema>;
export type HostRule = z.output<typeof hostRuleSchema>;
