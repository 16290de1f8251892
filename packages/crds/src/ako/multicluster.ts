// MultiClusterIngress, ServiceImport and ClusterSet (ako.vmware.com v1alpha1): multi-cluster ingress with AMKO.
import * as z from 'zod';
import { customResource, int, port } from '../common.js';

export const multiClusterIngressSpecSchema = z.lazy(() =>
  z.object({
    hostName: z.string(),
    secretName: z.string().optional(),
    config: z.array(
      z.object({
        path: z.string().optional(),
        cluster: z.string().optional(),
        service: z
          .object({ name: z.string().optional(), namespace: z.string().optional(), port: port.optional() })
          .optional(),
        weight: int(1, 100).optional(),
      }),
    ),
  }),
);
export const multiClusterIngressStatusSchema = z.lazy(() =>
  z.object({
    loadBalancer: z
      .object({
        ingress: z.array(z.object({ hostname: z.string().optional(), ip: z.string().optional() })).optional(),
      })
      .optional(),
    status: z.object({ accepted: z.boolean().optional(), reason: z.string() }).optional(),
  }),
);
export const multiClusterIngressSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha1'],
    kind: 'MultiClusterIngress',
    spec: multiClusterIngressSpecSchema,
    status: multiClusterIngressStatusSchema,
  }),
);

export const serviceImportSpecSchema = z.lazy(() =>
  z.object({
    cluster: z.string().optional(),
    namespace: z.string().optional(),
    service: z.string().optional(),
    svcPorts: z
      .array(
        z.object({
          port: port.optional(),
          endpoints: z.array(z.object({ ip: z.string().optional(), port: port.optional() })).optional(),
        }),
      )
      .optional(),
  }),
);
/** ServiceImport has no status. */
export const serviceImportStatusSchema = z.lazy(() => z.object({}));
export const serviceImportSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha1'],
    kind: 'ServiceImport',
    spec: serviceImportSpecSchema,
    status: serviceImportStatusSchema,
  }),
);

export const clusterSetSpecSchema = z.lazy(() =>
  z.object({
    secretName: z.string().optional(),
    clusters: z.array(z.object({ context: z.string() })).optional(),
  }),
);
export const clusterSetStatusSchema = z.lazy(() =>
  z.object({
    serviceDiscoveryStatus: z
      .array(z.object({ cluster: z.string().optional(), status: z.string().optional() }))
      .optional(),
  }),
);
export const clusterSetSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1alpha1'],
    kind: 'ClusterSet',
    spec: clusterSetSpecSchema,
    status: clusterSetStatusSchema,
  }),
);

export type MultiClusterIngressSpec = z.output<typeof multiClusterIngressSpecSchema>;
export type MultiClusterIngressStatus = z.output<typeof multiClusterIngressStatusSchema>;
export type MultiClusterIngress = z.output<typeof multiClusterIngressSchema>;
export type ServiceImportSpec = z.output<typeof serviceImportSpecSchema>;
export type ServiceImport = z.output<typeof serviceImportSchema>;
export type ClusterSetSpec = z.output<typeof clusterSetSpecSchema>;
export type ClusterSetStatus = z.output<typeof clusterSetStatusSchema>;
export type ClusterSet = z.output<typeof clusterSetSchema>;
