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
  /** L7Settings.noPGForSNI. */
  readonly noPGForSNI: boolean;
  /** Controller default_license_tier (drives the TCP network profile). */
  readonly licenseTier: string;
  /** AKOSettings.primaryInstance. */
  readonly primaryInstance: boolean;
  /** Namespace AKO runs in (secondary AKO name prefix; default TLS secret for enable-tls). */
  readonly akoNamespace: string;
  /** AKOSettings.blockedNamespaceList. */
  readonly blockedNamespaces: readonly string[];
  /** AKOSettings.namespaceSelector: only namespaces with this label are synced. */
  readonly namespaceSelector?: { readonly labelKey: string; readonly labelValue: string };
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

/**
 * Reads the ConfigMap `avi-k8s-config` data (spec §5.2 keys). Unknown keys are ignored; malformed values fall back
 * to the default and are reported. `dnsDomains` and `licenseTier` come from the controller, not the ConfigMap.
 */
export function configFromConfigMap(data: Readonly<Record<string, string>>, extra: Partial<AkoConfig> = {}): { config: AkoConfig; errors: string[] } {
  const errors: string[] = [];
  const str = (k: string, d: string): string => (data[k] !== undefined && data[k] !== '' ? data[k]! : d);
  const bool = (k: string, d: boolean): boolean => {
    const v = data[k];
    if (v === undefined || v === '') return d;
    if (v.toLowerCase() === 'true') return true;
    if (v.toLowerCase() === 'false') return false;
    errors.push(`${k}: ${JSON.stringify(v)} is not true/false`);
    return d;
  };
  const json = <T>(k: string, d: T, check: (v: unknown) => v is T): T => {
    const v = data[k];
    if (v === undefined || v === '' || v === 'null') return d;
    try {
      const parsed: unknown = JSON.parse(v);
      if (check(parsed)) return parsed;
    } catch {
      // reported below
    }
    errors.push(`${k}: ${JSON.stringify(v)} is not valid JSON of the expected shape`);
    return d;
  };
  const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const isVipList = (v: unknown): v is VipNetwork[] => Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object');
  const d = DEFAULT_AKO_CONFIG;
  const serviceType = str('serviceType', d.serviceType);
  const nodeKey = str('nodeKey', '');
  const nsKey = str('nsSyncLabelKey', '');
  const nsValue = str('nsSyncLabelValue', '');
  const config: AkoConfig = {
    ...d,
    clusterName: str('clusterName', ''),
    cloudName: str('cloudName', d.cloudName),
    tenant: str('tenantName', d.tenant),
    seGroupName: str('serviceEngineGroupName', d.seGroupName),
    vrfName: str('vrfName', d.vrfName),
    nsxtT1LR: str('nsxtT1LR', ''),
    serviceType: serviceType as ServiceType,
    shardVSSize: str('shardVSSize', d.shardVSSize),
    vipNetworkList: json('vipNetworkList', [] as VipNetwork[], isVipList),
    autoFQDN: str('autoFQDN', d.autoFQDN),
    defaultDomain: str('defaultDomain', ''),
    enableRHI: bool('enableRHI', false),
    bgpPeerLabels: json('bgpPeerLabels', [] as string[], isStringArray),
    ...(serviceType === 'NodePort' && nodeKey ? { nodePortSelector: { key: nodeKey, value: str('nodeValue', '') } } : {}),
    layer7Only: bool('layer7Only', false),
    defaultLBController: bool('defaultLBController', true),
    noPGForSNI: bool('noPGForSNI', false),
    primaryInstance: bool('primaryInstance', true),
    blockedNamespaces: json('blockedNamespaceList', [] as string[], isStringArray),
    ...(nsKey && nsValue ? { namespaceSelector: { labelKey: nsKey, labelValue: nsValue } } : {}),
    ...extra,
  };
  return { config, errors: [...errors, ...validateConfig(config)] };
}
