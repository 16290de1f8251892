// HTTPRule (ako.vmware.com v1beta1, also served as v1alpha1): pool settings per FQDN + path.
import * as z from 'zod';
import { customResource, ruleStatusSchema, strings } from '../common.js';

export const httpRuleAlgorithms = [
  'LB_ALGORITHM_CONSISTENT_HASH',
  'LB_ALGORITHM_CORE_AFFINITY',
  'LB_ALGORITHM_FASTEST_RESPONSE',
  'LB_ALGORITHM_FEWEST_SERVERS',
  'LB_ALGORITHM_LEAST_CONNECTIONS',
  'LB_ALGORITHM_LEAST_LOAD',
  'LB_ALGORITHM_ROUND_ROBIN',
] as const;

export const httpRuleHashes = [
  'LB_ALGORITHM_CONSISTENT_HASH_CALLID',
  'LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS',
  'LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS_AND_PORT',
  'LB_ALGORITHM_CONSISTENT_HASH_URI',
  'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER',
  'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_STRING',
] as const;

export const httpRulePathSchema = z.lazy(() =>
  z.object({
    target: z.string().regex(/^\/.*$/),
    loadBalancerPolicy: z
      .object({
        algorithm: z.enum(httpRuleAlgorithms).optional(),
        hash: z.enum(httpRuleHashes).optional(),
        hostHeader: z.string().optional(),
      })
      .optional(),
    healthMonitors: strings.optional(),
    applicationPersistence: z.string().optional(),
    tls: z
      .object({
        type: z.enum(['reencrypt']),
        sslProfile: z.string().optional(),
        destinationCA: z.string().optional(),
        pkiProfile: z.string().optional(),
      })
      .optional(),
    enableHTTP2: z.boolean().optional(),
  }),
);

export const httpRuleSpecSchema = z.lazy(() =>
  z.object({
    fqdn: z.string(),
    paths: z.array(httpRulePathSchema).optional(),
  }),
);
export const httpRuleStatusSchema = ruleStatusSchema;
export const httpRuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1beta1', 'ako.vmware.com/v1alpha1'],
    kind: 'HTTPRule',
    spec: httpRuleSpecSchema.optional(),
    status: httpRuleStatusSchema,
  }),
);

export type HTTPRulePath = z.output<typeof httpRulePathSchema>;
export type HTTPRuleSpec = z.output<typeof httpRuleSpecSchema>;
export type HTTPRuleStatus = z.output<typeof httpRuleStatusSchema>;
export type HTTPRule = z.output<typeof httpRuleSchema>;
