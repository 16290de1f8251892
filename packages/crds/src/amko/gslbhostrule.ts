// GSLBHostRule (amko.vmware.com v1alpha1): overrides for the GSLB service of one FQDN.
import * as z from 'zod';
import { customResource, int, strings } from '../common.js';
import { downResponseSchema, poolAlgorithmSettingsSchema } from './gslb-common.js';

export const ghrTrafficSplitSchema = z.lazy(() =>
  z.object({
    cluster: z.string().optional(),
    weight: int(1, 20).default(1),
    priority: int(0).default(1),
  }),
);

export const gslbHostRuleSpecSchema = z.lazy(() =>
  z.object({
    fqdn: z.string().optional(),
    ttl: int(0, 86400).optional(),
    sitePersistence: z
      .object({
        enabled: z.boolean().optional(),
        profileRef: z.string().optional(),
        pkiProfileRef: z.string().optional(),
      })
      .optional(),
    thirdPartyMembers: z
      .array(z.object({ vip: z.string().optional(), site: z.string().optional(), publicIP: z.string().optional() }))
      .optional(),
    healthMonitorRefs: strings.optional(),
    healthMonitorTemplate: z.string().optional(),
    trafficSplit: z.array(ghrTrafficSplitSchema).optional(),
    poolAlgorithmSettings: poolAlgorithmSettingsSchema.optional(),
    downResponse: downResponseSchema.optional(),
    controlPlaneHmOnly: z.boolean().optional(),
    publicIP: z.array(z.object({ cluster: z.string(), ip: z.string() })).optional(),
  }),
);
export const gslbHostRuleStatusSchema = z.lazy(() =>
  z.object({ status: z.string().optional(), error: z.string().optional() }),
);
export const gslbHostRuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['amko.vmware.com/v1alpha1'],
    kind: 'GSLBHostRule',
    spec: gslbHostRuleSpecSchema,
    status: gslbHostRuleStatusSchema,
  }),
);

export type GHRTrafficSplit = z.output<typeof ghrTrafficSplitSchema>;
export type GSLBHostRuleSpec = z.output<typeof gslbHostRuleSpecSchema>;
export type GSLBHostRuleStatus = z.output<typeof gslbHostRuleStatusSchema>;
export type GSLBHostRule = z.output<typeof gslbHostRuleSchema>;
