/**
 * The AKO settings translate() needs (spec ako.md §5.1 values.yaml / §5.2 ConfigMap `avi-k8s-config` keys), already
 * parsed, plus two facts the app reads from the controller at boot (DNS sub-domains, licence tier).
 */

export type ServiceType = 'ClusterIP' | 'NodePort' | 'NodePortLocal';

export interface VipNetwork {
  readonly networkName?: string;
  readonly networkUUID?: string;
  readonly cidr?: string;
  readonly v6cidr?: string;
}

export interface AkoConfig {
  /** AKOSettings.clusterName: prefix of every object name (`<clusterName>--`). */
  readonly clusterName: string;
  /** ControllerSettings.cloudName. */
  readonly cloudName: string;
  /** ControllerSettings.tenantName: tenant of every object. */
  readonly tenant: string;
  /** ControllerSettings.serviceEngineGroupName. */
  readonly seGroupName: string;
  /** VRF used in vrf_context_ref / vrf_ref (ControllerSettings.vrfName, or the one derived at boot; `global` by default). */
  readonly vrfName: string;
  /** NetworkSettings.nsxtT1LR: when set, objects carry tier1_lr instead of a VRF. */
  readonly nsxtT1LR: string;
  /** L7Settings.serviceType: how pool servers are found. */
  readonly serviceType: ServiceType;
  /** L7Settings.shardVSSize: LARGE | MEDIUM | SMALL | DEDICATED (unknown values mean SMALL, as in AKO). */
  readonly shardVSSize: string;
  /** NetworkSettings.vipNetworkList. */
  readonly vipNetworkList: readonly VipNetwork[];
  /** L4Settings.autoFQDN: default | flat | disabled (unknown values disable it, as in AKO). */
  readonly autoFQDN: string;
  /** NetworkSettings.defaultDomain (else L4Settings.defaultDomain). */
  readonly defaultDomain: string;
  /** DNS sub-domains of the cloud's DNS profile, read by the app at boot. Empty = no autoFQDN. */
  readonly dnsDomains: readonly string[];
  /** NetworkSettings.enableRHI. */
  readonly enableRHI: boolean;
  /** NetworkSettings.bgpPeerLabels (used only with RHI). */
  readonly bgpPeerLabels: readonly string[];
  /** nodePortSelector: in NodePort mode only nodes with this label are pool servers. */
  readonly nodePortSelector?: { readonly key: string; readonly value: string };
  /** AKOSettings.layer7Only: ignore Services of type LoadBalancer. */
  readonly layer7Only: boolean;
  /** L4Settings.defaultLBController: handle LoadBalancer Services without loadBalancerClass. */
  readonly defaultLBController: boolean;
  /** AKOSettings.enableEVH: Enhanced Virtual Hosting (evh.ts), SHA1-encoded names (evh-names.ts). Absent: SNI mode. */
  readonly enableEVH?: boolean;
  /** L7Settings.noPGForSNI. */
  readonly noPGForSNI: boolean;
  /** Controller default_license_tier (drives the TCP network profile). */
  readonly licenseTier: string;
  /**
   * The cloud's vtype on the controller (CLOUD_VCENTER, CLOUD_NONE, ...): pools carry node placement networks in a
   * vCenter cloud only (as the Go AKO). Absent: CLOUD_VCENTER (the Go AKO's default when it has not read the cloud).
   */
  readonly cloudType?: string;
  /** AviInfraSetting network.nodeNetworks of the objects it places (infraConfig): the pools' placement networks. */
  readonly nodeNetworks?: readonly { readonly networkName?: string; readonly networkUUID?: string; readonly cidrs?: readonly string[] }[];
  /** AKOSettings.primaryInstance. */
  readonly primaryInstance: boolean;
  /** Namespace AKO runs in (secondary AKO name prefix; default TLS secret for enable-tls). */
  readonly akoNamespace: string;
  /** AKOSettings.blockedNamespaceList. */
  readonly blockedNamespaces: readonly string[];
  /** AKOSettings.namespaceSelector: only namespaces with this label are synced. */
  readonly namespaceSelector?: { readonly labelKey: string; readonly labelValue: string };
  /**
   * Set only on the config of the objects an AviInfraSetting places (infra-setting.ts infraConfig): its name
   * (inserted into object names), AKO's own config, and its enablePublicIP.
   */
  readonly infraSetting?: string;
  readonly infraBase?: AkoConfig;
  readonly enablePublicIP?: boolean;
  /**
   * Set only on the config of a namespace's L7 objects placed in another tenant (namespace annotation
   * `ako.vmware.com/tenant-name`, infra-setting.ts tenantConfig): its units are keyed `L7/<shard VS>@<tenant>`.
   */
  readonly unitTenant?: string;
}

export const DEFAULT_AKO_CONFIG: AkoConfig = {
  clusterName: 'my-cluster',
  cloudName: 'Default-Cloud',
  tenant: 'admin',
  seGroupName: 'Default-Group',
  vrfName: 'global',
  nsxtT1LR: '',
  serviceType: 'ClusterIP',
  shardVSSize: 'LARGE',
  vipNetworkList: [],
  autoFQDN: 'default',
  defaultDomain: '',
  dnsDomains: [],
  enableRHI: false,
  bgpPeerLabels: [],
  layer7Only: false,
  defaultLBController: true,
  noPGForSNI: false,
  licenseTier: 'ENTERPRISE',
  primaryInstance: true,
  akoNamespace: 'avi-system',
  blockedNamespaces: [],
};

const CLUSTER_NAME = /^[a-zA-Z0-9_-]+$/;

/** Problems that make translation meaningless (AKO disables sync for them). Empty = valid. */
export function validateConfig(c: AkoConfig): string[] {
  const errors: string[] = [];
  if (!CLUSTER_NAME.test(c.clusterName)) errors.push(`clusterName ${JSON.stringify(c.clusterName)} must be non-empty and match ^[a-zA-Z0-9-_]*$`);
  if (!c.cloudName) errors.push('cloudName must not be empty');
  if (!c.tenant) errors.push('tenantName must not be empty');
  if (!['ClusterIP', 'NodePort', 'NodePortLocal'].includes(c.serviceType)) errors.push(`serviceType ${JSON.stringify(c.serviceType)} must be ClusterIP, NodePort or NodePortLocal`);
  return errors;
}
