// The typed list of our CRDs: where each manifest lives, its names, versions and the zod schemas of its CRs.
import type { z } from 'zod';
import { hostRuleSchema, hostRuleSpecSchema, hostRuleStatusSchema } from './ako/hostrule.js';
import { httpRuleSchema, httpRuleSpecSchema, httpRuleStatusSchema } from './ako/httprule.js';
import {
  aviInfraSettingSchema,
  aviInfraSettingSpecSchema,
  aviInfraSettingStatusSchema,
} from './ako/aviinfrasetting.js';
import { l4RuleSchema, l4RuleSpecSchema, l4RuleStatusSchema } from './ako/l4rule.js';
import { l7RuleSchema, l7RuleSpecSchema, l7RuleStatusSchema } from './ako/l7rule.js';
import { ssoRuleSchema, ssoRuleSpecSchema, ssoRuleStatusSchema } from './ako/ssorule.js';
import {
  clusterSetSchema,
  clusterSetSpecSchema,
  clusterSetStatusSchema,
  multiClusterIngressSchema,
  multiClusterIngressSpecSchema,
  multiClusterIngressStatusSchema,
  serviceImportSchema,
  serviceImportSpecSchema,
  serviceImportStatusSchema,
} from './ako/multicluster.js';
import { gslbConfigSchema, gslbConfigSpecSchema, gslbConfigStatusSchema } from './amko/gslbconfig.js';
import {
  globalDeploymentPolicySchema,
  globalDeploymentPolicySpecSchema,
  globalDeploymentPolicyStatusSchema,
} from './amko/gdp.js';
import { gslbHostRuleSchema, gslbHostRuleSpecSchema, gslbHostRuleStatusSchema } from './amko/gslbhostrule.js';
import { amkoClusterSchema, amkoClusterSpecSchema, amkoClusterStatusSchema } from './amko/amkocluster.js';

export type CrdGroup = 'ako' | 'amko';
export const CRD_GROUPS: readonly CrdGroup[] = ['ako', 'amko'];
export const API_GROUPS = { ako: 'ako.vmware.com', amko: 'amko.vmware.com' } as const;

export interface CrdKind {
  /** Which operator the CRD belongs to; also the manifests/ sub-directory. */
  group: CrdGroup;
  /** The API group, e.g. ako.vmware.com. */
  apiGroup: string;
  kind: string;
  plural: string;
  shortNames: readonly string[];
  /** The CRD's metadata.name: `<plural>.<apiGroup>`. */
  name: string;
  namespaced: boolean;
  /** Served versions, the storage version first. */
  versions: readonly [string, ...string[]];
  /** Whether the CRD has a status subresource (status is written through /status). */
  statusSubresource: boolean;
  /** File name under manifests/<group>/. */
  file: string;
  schema: z.ZodType;
  specSchema: z.ZodType;
  statusSchema: z.ZodType;
}

function crd(
  group: CrdGroup,
  kind: string,
  plural: string,
  versions: readonly [string, ...string[]],
  shortNames: readonly string[],
  schemas: { schema: z.ZodType; specSchema: z.ZodType; statusSchema: z.ZodType },
  opts: { namespaced?: boolean; statusSubresource?: boolean } = {},
): CrdKind {
  const apiGroup = API_GROUPS[group];
  return {
    group,
    apiGroup,
    kind,
    plural,
    shortNames,
    name: `${plural}.${apiGroup}`,
    namespaced: opts.namespaced ?? true,
    versions,
    statusSubresource: opts.statusSubresource ?? true,
    file: `${plural}.yaml`,
    ...schemas,
  };
}

export const CRD_KINDS: readonly CrdKind[] = [
  crd('ako', 'HostRule', 'hostrules', ['v1beta1', 'v1alpha1'], ['hostrule', 'hr'], {
    schema: hostRuleSchema,
    specSchema: hostRuleSpecSchema,
    statusSchema: hostRuleStatusSchema,
  }),
  crd('ako', 'HTTPRule', 'httprules', ['v1beta1', 'v1alpha1'], ['httprule'], {
    schema: httpRuleSchema,
    specSchema: httpRuleSpecSchema,
    statusSchema: httpRuleStatusSchema,
  }),
  crd(
    'ako',
    'AviInfraSetting',
    'aviinfrasettings',
    ['v1beta1', 'v1alpha1'],
    [],
    { schema: aviInfraSettingSchema, specSchema: aviInfraSettingSpecSchema, statusSchema: aviInfraSettingStatusSchema },
    { namespaced: false },
  ),
  crd('ako', 'L4Rule', 'l4rules', ['v1alpha2'], ['l4rule'], {
    schema: l4RuleSchema,
    specSchema: l4RuleSpecSchema,
    statusSchema: l4RuleStatusSchema,
  }),
  crd('ako', 'L7Rule', 'l7rules', ['v1alpha2'], ['l7rule'], {
    schema: l7RuleSchema,
    specSchema: l7RuleSpecSchema,
    statusSchema: l7RuleStatusSchema,
  }),
  crd('ako', 'SSORule', 'ssorules', ['v1alpha2'], ['ssorule'], {
    schema: ssoRuleSchema,
    specSchema: ssoRuleSpecSchema,
    statusSchema: ssoRuleStatusSchema,
  }),
  crd('ako', 'MultiClusterIngress', 'multiclusteringresses', ['v1alpha1'], ['mci'], {
    schema: multiClusterIngressSchema,
    specSchema: multiClusterIngressSpecSchema,
    statusSchema: multiClusterIngressStatusSchema,
  }),
  crd(
    'ako',
    'ServiceImport',
    'serviceimports',
    ['v1alpha1'],
    ['si'],
    { schema: serviceImportSchema, specSchema: serviceImportSpecSchema, statusSchema: serviceImportStatusSchema },
    { statusSubresource: false },
  ),
  crd('ako', 'ClusterSet', 'clustersets', ['v1alpha1'], ['cs'], {
    schema: clusterSetSchema,
    specSchema: clusterSetSpecSchema,
    statusSchema: clusterSetStatusSchema,
  }),
  crd('amko', 'GSLBConfig', 'gslbconfigs', ['v1alpha1'], ['gc'], {
    schema: gslbConfigSchema,
    specSchema: gslbConfigSpecSchema,
    statusSchema: gslbConfigStatusSchema,
  }),
  crd('amko', 'GlobalDeploymentPolicy', 'globaldeploymentpolicies', ['v1alpha2'], ['gdp'], {
    schema: globalDeploymentPolicySchema,
    specSchema: globalDeploymentPolicySpecSchema,
    statusSchema: globalDeploymentPolicyStatusSchema,
  }),
  crd('amko', 'GSLBHostRule', 'gslbhostrules', ['v1alpha1'], ['ghr'], {
    schema: gslbHostRuleSchema,
    specSchema: gslbHostRuleSpecSchema,
    statusSchema: gslbHostRuleStatusSchema,
  }),
  crd('amko', 'AMKOCluster', 'amkoclusters', ['v1alpha1'], [], {
    schema: amkoClusterSchema,
    specSchema: amkoClusterSpecSchema,
    statusSchema: amkoClusterStatusSchema,
  }),
];

/** The CRD of an apiVersion + kind, or undefined when it is not one of ours. */
export function findCrdKind(apiVersion: string, kind: string): CrdKind | undefined {
  const [apiGroup, version] = apiVersion.split('/');
  return CRD_KINDS.find((k) => k.apiGroup === apiGroup && k.kind === kind && k.versions.includes(version ?? ''));
}

export function crdKindsOf(group?: CrdGroup): CrdKind[] {
  return CRD_KINDS.filter((k) => group === undefined || k.group === group);
}
