// L4Rule (ako.vmware.com v1alpha2): overrides for the L4 virtual service and pools of a LoadBalancer Service.
import * as z from 'zod';
import { customResource, int, port, ruleStatusSchema, strings } from '../common.js';

export const l4RuleLbAlgorithms = [
  'LB_ALGORITHM_LEAST_CONNECTIONS',
  'LB_ALGORITHM_ROUND_ROBIN',
  'LB_ALGORITHM_FASTEST_RESPONSE',
  'LB_ALGORITHM_CONSISTENT_HASH',
  'LB_ALGORITHM_LEAST_LOAD',
  'LB_ALGORITHM_FEWEST_SERVERS',
  'LB_ALGORITHM_RANDOM',
  'LB_ALGORITHM_FEWEST_TASKS',
  'LB_ALGORITHM_NEAREST_SERVER',
  'LB_ALGORITHM_CORE_AFFINITY',
  'LB_ALGORITHM_TOPOLOGY',
] as const;

export const l4RuleLbAlgorithmHashes = [
  'LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS',
  'LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS_AND_PORT',
  'LB_ALGORITHM_CONSISTENT_HASH_URI',
  'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER',
  'LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_STRING',
  'LB_ALGORITHM_CONSISTENT_HASH_CALLID',
] as const;

export const performanceLimitsSchema = z.lazy(() =>
  z.object({
    maxConcurrentConnections: int(0, 65535).optional(),
    maxThroughput: int(0, 65535).optional(),
  }),
);

export const l4RuleListenerSchema = z.lazy(() =>
  z.object({
    port: int(0, 65535),
    protocol: z.enum(['TCP']),
    enableSsl: z.boolean().default(false),
  }),
);

export const l4RuleBackendSchema = z.lazy(() =>
  z.object({
    port,
    protocol: z.enum(['TCP', 'UDP', 'SCTP']),
    enabled: z.boolean().default(true),
    lbAlgorithm: z.enum(l4RuleLbAlgorithms).default('LB_ALGORITHM_LEAST_CONNECTIONS'),
    lbAlgorithmHash: z.enum(l4RuleLbAlgorithmHashes).optional(),
    lbAlgorithmConsistentHashHdr: z.string().optional(),
    healthMonitorRefs: strings.optional(),
    healthMonitorCrdRefs: strings.optional(),
    applicationPersistenceProfileRef: z.string().optional(),
    pkiProfileRef: z.string().optional(),
    sslProfileRef: z.string().optional(),
    sslKeyAndCertificateRef: z.string().optional(),
    minServersUp: int(0, 65535).optional(),
    analyticsPolicy: z.object({ enableRealtimeMetrics: z.boolean().default(false) }).optional(),
  }),
);

export const l4RuleSpecSchema = z.lazy(() =>
  z.object({
    applicationProfileRef: z.string().default('System-L4-Application'),
    networkProfileRef: z.string().default('System-TCP-Proxy'),
    analyticsProfileRef: z.string().default('System-Analytics-Profile'),
    analyticsPolicy: z
      .object({
        fullClientLogs: z
          .object({
            enabled: z.boolean(),
            throttle: int(0, 65535).default(10),
            duration: int(0, 65535).default(30),
          })
          .optional(),
      })
      .optional(),
    listenerProperties: z.array(l4RuleListenerSchema).optional(),
    backendProperties: z.array(l4RuleBackendSchema).optional(),
    loadBalancerIP: z.string().optional(),
    performanceLimits: performanceLimitsSchema.optional(),
    securityPolicyRef: z.string().optional(),
    networkSecurityPolicyRef: z.string().optional(),
    sslKeyAndCertificateRefs: strings.optional(),
    sslProfileRef: z.string().optional(),
    vsDatascriptRefs: strings.optional(),
    revokeVipRoute: z.boolean().default(false),
  }),
);
export const l4RuleStatusSchema = ruleStatusSchema;
export const l4RuleSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha2'],
    kind: 'L4Rule',
    spec: l4RuleSpecSchema.optional(),
    status: l4RuleStatusSchema,
  }),
);

export type L4RuleListener = z.output<typeof l4RuleListenerSchema>;
export type L4RuleBackend = z.output<typeof l4RuleBackendSchema>;
export type L4RuleSpec = z.output<typeof l4RuleSpecSchema>;
export type L4RuleStatus = z.output<typeof l4RuleStatusSchema>;
export type L4Rule = z.output<typeof l4RuleSchema>;
