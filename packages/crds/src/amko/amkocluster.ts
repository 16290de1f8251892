// AMKOCluster (amkoclusters.amko.vmware.com v1alpha1): this AMKO's role and its federation set.
import * as z from 'zod';
import { customResource, strings } from '../common.js';

export const amkoClusterSpecSchema = z.lazy(() =>
  z.object({
    isLeader: z.boolean().optional(),
    clusterContext: z.string(),
    version: z.string(),
    clusters: strings.optional(),
  }),
);
export const amkoClusterStatusSchema = z.lazy(() =>
  z.object({
    conditions: z
      .array(z.object({ type: z.string().optional(), status: z.string().optional(), reason: z.string().optional() }))
      .optional(),
  }),
);
export const amkoClusterSchema = z.lazy(() =>
  customResource({
    apiVersions: ['amko.vmware.com/v1alpha1'],
    kind: 'AMKOCluster',
    spec: amkoClusterSpecSchema.optional(),
    status: amkoClusterStatusSchema,
  }),
);

export type AMKOClusterSpec = z.output<typeof amkoClusterSpecSchema>;
export type AMKOClusterStatus = z.output<typeof amkoClusterStatusSchema>;
export type AMKOCluster = z.output<typeof amkoClusterSchema>;
