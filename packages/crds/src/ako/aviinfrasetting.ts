// AviInfraSetting (ako.vmware.com v1beta1, also served as v1alpha1; cluster-scoped): infra for selected objects.
import * as z from 'zod';
import { customResource, exactlyOneOf, port, ruleStatusSchema, strings } from '../common.js';

export const vipNetworkSchema = z.lazy(() =>
  z
    .object({
      networkName: z.string().optional(),
      networkUUID: z.string().optional(),
      cidr: z.string().optional(),
      v6cidr: z.string().optional(),
    })
    .superRefine(exactlyOneOf(['networkName', 'networkUUID'])),
);

export const nodeNetworkSchema = z.lazy(() =>
  z
    .object({
      networkName: z.string().optional(),
      networkUUID: z.string().optional(),
      cidrs: strings.optional(),
    })
    .superRefine(exactlyOneOf(['networkName', 'networkUUID'])),
);

export const aviInfraSettingSpecSchema = z.lazy(() =>
  z.object({
    seGroup: z.object({ name: z.string() }).optional(),
    network: z
      .object({
        vipNetworks: z.array(vipNetworkSchema).optional(),
        nodeNetworks: z.array(nodeNetworkSchema).optional(),
        enableRhi: z.boolean().optional(),
        enablePublicIP: z.boolean().optional(),
        listeners: z
          .array(z.object({ port, enableSSL: z.boolean().optional(), enableHTTP2: z.boolean().optional() }))
          .optional(),
        bgpPeerLabels: strings.optional(),
      })
      .optional(),
    l7Settings: z.object({ shardSize: z.enum(['SMALL', 'MEDIUM', 'LARGE', 'DEDICATED']) }).optional(),
    nsxSettings: z.object({ t1lr: z.string() }).optional(),
  }),
);
export const aviInfraSettingStatusSchema = ruleStatusSchema;
export const aviInfraSettingSchema = z.lazy(() =>
  customResource({
    apiVersions: ['ako.vmware.com/v1beta1', 'ako.vmware.com/v1alpha1'],
    kind: 'AviInfraSetting',
    spec: aviInfraSettingSpecSchema.optional(),
    status: aviInfraSettingStatusSchema,
  }),
);

export type VipNetwork = z.output<typeof vipNetworkSchema>;
export type NodeNetwork = z.output<typeof nodeNetworkSchema>;
export type AviInfraSettingSpec = z.output<typeof aviInfraSettingSpecSchema>;
export type AviInfraSettingStatus = z.output<typeof aviInfraSettingStatusSchema>;
export type AviInfraSetting = z.output<typeof aviInfraSettingSchema>;
