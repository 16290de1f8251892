// GlobalDeploymentPolicy (amko.vmware.com v1alpha2): selection and traffic policy for GSLB services.
import * as z from 'zod';
import { customResource, int, strings } from '../common.js';
import { downResponseSchema, poolAlgorithmSettingsSchema } from './gslb-common.js';

const labelSelector = z.lazy(() => z.object({ label: z.record(z.string(), z.string()).optional() }));

export const gdpTrafficSplitSchema = z.lazy(() =>
  z.object({
    cluster: z.string().optional(),
    weight: int(1, 20).default(1),
    priority: int(0, 100).default(10),
  }),
);

export const globalDeploymentPolicySpecSchema = z.lazy(() =>
  z.object({
    matchRules: z
      .object({ appSelector: labelSelector.optional(), namespaceSelector: labelSelector.optional() })
      .optional(),
    matchClusters: z.array(z.object({ cluster: z.string().optional(), syncVipOnly: z.boolean().optional() })).optional(),
    trafficSplit: z.array(gdpTrafficSplitSchema).optional(),
    healthMonitorRefs: strings.optional(),
    healthMonitorTemplate: z.string().optional(),
    ttl: int(0, 86400).optional(),
    sitePersistenceRef: z.string().optional(),
    pkiProfileRef: z.string().optional(),
    poolAlgorithmSettings: poolAlgorithmSettingsSchema.optional(),
    downResponse: downResponseSchema.optional(),
    controlPlaneHmOnly: z.boolean().optional(),
    defaultDomain: z.string().optional(),
  }),
);
export const globalDeploymentPolicyStatusSchema = z.lazy(() => z.object({ errorStatus: z.string().optional() }));
export const globalDeploymentPolicySchema = z.lazy(() =>
  customResource({
    apiVersions: ['amko.vmware.com/v1alpha2'],
    kind: 'GlobalDeploymentPolicy',
    spec: globalDeploymentPolicySpecSchema,
    status: globalDeploymentPolicyStatusSchema,
  }),
);

export type GDPTrafficSplit = z.output<typeof gdpTrafficSplitSchema>;
export type GlobalDeploymentPolicySpec = z.output<typeof globalDeploymentPolicySpecSchema>;
export type GlobalDeploymentPolicyStatus = z.output<typeof globalDeploymentPolicyStatusSchema>;
export type GlobalDeploymentPolicy = z.output<typeof globalDeploymentPolicySchema>;
