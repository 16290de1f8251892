// values.yaml (the Helm chart's keys, spec ako.md §5.1) -> the data of ConfigMap avi-k8s-config (§5.2), as the
// chart renders it. Used when AKO runs outside a cluster with --values; in a cluster the chart's ConfigMap is read.
import * as z from 'zod';

const boolish = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE', '1', '0'])]);
const str = z.union([z.string(), z.number()]).transform(String);
const network = z.object({ networkName: z.string().optional(), networkUUID: z.string().optional(), cidr: z.string().optional(), v6cidr: z.string().optional() }).strict();
const nodeNetwork = z.object({ networkName: z.string().optional(), networkUUID: z.string().optional(), cidrs: z.array(z.string()).optional() }).strict();

/** The chart keys AKO reads; other chart keys (image, resources, ...) are accepted and ignored. */
export const valuesSchema = z
  .object({
    AKOSettings: z
      .object({
        primaryInstance: boolish.default(true),
        enableEvents: boolish.default('true'),
        // Any text, as the Go chart writes it: AKO reads WARNING as WARN and other unknown levels as INFO.
        logLevel: str.default('WARN'),
        fullSyncFrequency: str.default('1800'),
        apiServerPort: str.default('8080'),
        deleteConfig: boolish.default('false'),
        disableStaticRouteSync: boolish.default('false'),
        clusterName: z.string().min(1).default('my-cluster'),
        cniPlugin: z.string().default(''),
        enableEVH: boolish.default(false),
        layer7Only: boolish.default(false),
        namespaceSelector: z.object({ labelKey: z.string().default(''), labelValue: z.string().default('') }).strict().prefault({}),
        servicesAPI: boolish.default(false),
        vipPerNamespace: boolish.default('false'),
        istioEnabled: boolish.default(false),
        blockedNamespaceList: z.array(z.string()).default([]),
        ipFamily: z.enum(['', 'V4', 'V6']).default(''),
        useDefaultSecretsOnly: boolish.default('false'),
        vpcMode: boolish.default(false),
      })
      .passthrough()
      .prefault({}),
    NetworkSettings: z
      .object({
        nodeNetworkList: z.array(nodeNetwork).max(5).default([]),
        enableRHI: boolish.default(false),
        nsxtT1LR: z.string().default(''),
        bgpPeerLabels: z.array(z.string()).default([]),
        vipNetworkList: z.array(network).default([]),
        defaultDomain: z.string().default(''),
      })
      .passthrough()
      .prefault({}),
    L7Settings: z
      .object({
        defaultIngController: boolish.default('true'),
        noPGForSNI: boolish.default(false),
        serviceType: z.enum(['ClusterIP', 'NodePort', 'NodePortLocal']).default('ClusterIP'),
        shardVSSize: z.enum(['LARGE', 'MEDIUM', 'SMALL', 'DEDICATED']).default('LARGE'),
        passthroughShardSize: z.enum(['LARGE', 'MEDIUM', 'SMALL']).default('SMALL'),
        enableMCI: boolish.default('false'),
        fqdnReusePolicy: z.enum(['Strict', 'InterNamespaceAllowed']).default('InterNamespaceAllowed'),
      })
      .passthrough()
      .prefault({}),
    L4Settings: z
      .object({
        defaultLBController: boolish.default('true'),
        defaultDomain: z.string().default(''),
        autoFQDN: z.enum(['default', 'flat', 'disabled']).default('default'),
      })
      .passthrough()
      .prefault({}),
    ControllerSettings: z
      .object({
        serviceEngineGroupName: z.string().default('Default-Group'),
        controllerVersion: z.string().default(''),
        cloudName: z.string().default('Default-Cloud'),
        controllerHost: z.string().default(''),
        tenantName: z.string().default('admin'),
        vrfName: z.string().default(''),
        dedicatedTenantMode: boolish.default(false),
      })
      .passthrough()
      .prefault({}),
    nodePortSelector: z.object({ key: z.string().default(''), value: z.string().default('') }).passthrough().prefault({}),
    featureGates: z.object({ EnablePrometheus: boolish.default(false) }).passthrough().prefault({}),
    'ako-crd-operator': z.object({ enabled: boolish.default(true) }).passthrough().prefault({}),
    // The upstream values.yaml leaves these keys empty (`username:`), which YAML reads as null.
    avicredentials: z
      .object({ username: z.string().nullish(), password: z.string().nullish(), authtoken: z.string().nullish(), certificateAuthorityData: z.string().nullish() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export type Values = z.infer<typeof valuesSchema>;

const s = (v: unknown) => String(v);

/** The ConfigMap avi-k8s-config data the Helm chart renders from these values (all strings). */
export function configMapDataFromValues(values: Values): Record<string, string> {
  const { AKOSettings: ako, NetworkSettings: net, L7Settings: l7, L4Settings: l4, ControllerSettings: ctrl } = values;
  const data: Record<string, string> = {
    controllerIP: ctrl.controllerHost,
    controllerVersion: ctrl.controllerVersion,
    cniPlugin: ako.cniPlugin,
    shardVSSize: l7.shardVSSize,
    passthroughShardSize: l7.passthroughShardSize,
    fullSyncFrequency: ako.fullSyncFrequency,
    primaryInstance: s(ako.primaryInstance),
    cloudName: ctrl.cloudName,
    clusterName: ako.clusterName,
    servicesAPI: s(ako.servicesAPI),
    enableEVH: s(ako.enableEVH),
    layer7Only: s(ako.layer7Only),
    vipPerNamespace: s(ako.vipPerNamespace),
    tenantName: ctrl.tenantName,
    vrfName: ctrl.vrfName,
    dedicatedTenantMode: s(ctrl.dedicatedTenantMode),
    defaultDomain: net.defaultDomain || l4.defaultDomain,
    disableStaticRouteSync: s(ako.disableStaticRouteSync),
    defaultIngController: s(l7.defaultIngController),
    defaultLBController: s(l4.defaultLBController),
    noPGForSNI: s(l7.noPGForSNI),
    enableRHI: s(net.enableRHI),
    enableEvents: s(ako.enableEvents),
    logLevel: ako.logLevel,
    deleteConfig: s(ako.deleteConfig),
    autoFQDN: l4.autoFQDN,
    nsSyncLabelKey: ako.namespaceSelector.labelKey,
    nsSyncLabelValue: ako.namespaceSelector.labelValue,
    serviceType: l7.serviceType,
    serviceEngineGroupName: ctrl.serviceEngineGroupName,
    bgpPeerLabels: JSON.stringify(net.bgpPeerLabels),
    nodeNetworkList: JSON.stringify(net.nodeNetworkList),
    vipNetworkList: JSON.stringify(net.vipNetworkList),
    apiServerPort: ako.apiServerPort,
    enableMCI: s(l7.enableMCI),
    blockedNamespaceList: JSON.stringify(ako.blockedNamespaceList),
    ipFamily: ako.ipFamily,
    istioEnabled: s(ako.istioEnabled),
    useDefaultSecretsOnly: s(ako.useDefaultSecretsOnly),
    vpcMode: s(ako.vpcMode),
    enablePrometheus: s(values.featureGates.EnablePrometheus),
    fqdnReusePolicy: l7.fqdnReusePolicy,
    akoCRDOperatorEnabled: s(values['ako-crd-operator'].enabled),
  };
  if (net.nsxtT1LR) data.nsxtT1LR = net.nsxtT1LR;
  if (l7.serviceType === 'NodePort') {
    data.nodeKey = values.nodePortSelector.key;
    data.nodeValue = values.nodePortSelector.value;
  }
  return data;
}
