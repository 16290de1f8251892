// L7Rule (ako.vmware.com v1alpha2): virtual-service knobs referenced from HostRule spec.virtualhost.l7Rule.
import * as z from 'zod';
import { customResource, int, ruleStatusSchema, strings } from '../common.js';
import { performanceLimitsSchema } from './l4rule.js';

/** A reference to an object that already exists on the Avi controller. */
export const aviRefSchema = z.lazy(() =>
  z.object({
    kind: z.enum(['AviRef']).default('AviRef'),
    name: z.string(),
  }),
);

export const l7RuleSpecSchema = z.lazy(() =>
  z.object({
    allowInvalidClientCert: z.boolean().default(false),
    botPolicyRef: z.string().optional(),
    closeClientConnOnConfigUpdate: z.boolean().default(false),
    hostNameXlate: z.string().optional(),
    ignPoolNetReach: z.boolean().default(false),
    minPoolsUp: int(0, 65535).optional(),
    performanceLimits: performanceLimitsSchema.optional(),
    removeListeningPortOnVsDown: z.boolean().default(false),
    securityPolicyRef: z.string().optional(),
    sslSessCacheAvgSize: int(1024, 16383).default(1024),
    trafficCloneProfileRef: z.string().optional(),
    analyticsProfile: aviRefSchema.optional(),
    applicationProfile: aviRefSchema.optional(),
    wafPolicy: aviRefSchema.optional(),
    icapProfile: aviRefSchema.optional(),
    errorPageProfile: aviRefSchema.optional(),
    analyticsPolicy: z
      .object({
        fullClientLogs: z
          .object({
            enabled: z.boolean().default(false),
            throttle: z.enum(['LOW', 'MEDIUM', 'HIGH', 'DISABLED']).default('HIGH'),
            duration: int().default(0),
          })
          .optional(),
        logAllHeaders: z.boolean().default(false),
      })
      .optional(),
    httpPolicy: z.object({ policySets: strings.optional(), overwrite: z.boolean().optional() }).optional(),
  }),
);
export const l7RuleStatusSchema = ruleStatusSchema;
export const l7RuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha2'],
    kind: 'L7Rule',
    spec: l7RuleSpecSchema.optional(),
    status: l7RuleStatusSchema,
  }),
);

export type AviRef = z.output<typeof aviRefSchema>;
export type L7RuleSpec = z.output<typeof l7RuleSpecSchema>;
export type L7RuleStatus = z.output<typeof l7RuleStatusSchema>;
export type L7Rule = z.output<typeof l7RuleSchema>;
