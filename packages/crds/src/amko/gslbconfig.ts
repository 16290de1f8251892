// GSLBConfig (amko.vmware.com v1alpha1): GSLB leader controller and member cluster contexts.
import * as z from 'zod';
import { customResource, int } from '../common.js';

export const gslbConfigSpecSchema = z.lazy(() =>
  z.object({
    gslbLeader: z
      .object({
        /** Name of a Secret with keys `username` and `password`. */
        credentials: z.string().optional(),
        controllerVersion: z.string().optional(),
        controllerIP: z.string().optional(),
        tenant: z.string().optional(),
      })
      .optional(),
    memberClusters: z.array(z.object({ clusterContext: z.string().optional() })).optional(),
    refreshInterval: int().optional(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
    useCustomGlobalFqdn: z.boolean().optional(),
  }),
);
export const gslbConfigStatusSchema = z.lazy(() => z.object({ state: z.string().optional() }));
export const gslbConfigSchema = z.lazy(() =>
  customResource({
    apiVersions: ['amko.vmware.com/v1alpha1'],
    kind: 'GSLBConfig',
    spec: gslbConfigSpecSchema,
    status: gslbConfigStatusSchema,
  }),
);

export type GSLBConfigSpec = z.output<typeof gslbConfigSpecSchema>;
export type GSLBConfigStatus = z.output<typeof gslbConfigStatusSchema>;
export type GSLBConfig = z.output<typeof gslbConfigSchema>;
