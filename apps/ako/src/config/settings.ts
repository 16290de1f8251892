// ConfigMap avi-k8s-config data (+ the container env the chart derives from it) -> validated AKO settings.
// A bad value is a startup error that names the key; nothing is guessed.

export type ShardSize = 'LARGE' | 'MEDIUM' | 'SMALL' | 'DEDICATED';
export type LogLevel = 'INFO' | 'DEBUG' | 'WARN' | 'ERROR';

export interface NetworkRef {
  networkName?: string;
  networkUUID?: string;
  cidr?: string;
  v6cidr?: string;
  cidrs?: string[];
}

export interface AkoSettings {
  controllerHost: string;
  controllerVersion: string;
  cloudName: string;
  clusterName: string;
  tenantName: string;
  vrfName: string;
  seGroupName: string;
  shardVSSize: ShardSize;
  passthroughShardSize: Exclude<ShardSize, 'DEDICATED'>;
  serviceType: 'ClusterIP' | 'NodePort' | 'NodePortLocal';
  autoFQDN: 'default' | 'flat' | 'disabled';
  defaultDomain: string;
  primaryInstance: boolean;
  layer7Only: boolean;
  servicesAPI: boolean;
  enableEVH: boolean;
  vipPerNamespace: boolean;
  dedicatedTenantMode: boolean;
  disableStaticRouteSync: boolean;
  defaultIngController: boolean;
  defaultLBController: boolean;
  noPGForSNI: boolean;
  enableRHI: boolean;
  nsxtT1LR: string;
  enableEvents: boolean;
  logLevel: LogLevel;
  deleteConfig: boolean;
  namespaceSelector?: { labelKey: string; labelValue: string };
  nodePortSelector?: { key: string; value: string };
  bgpPeerLabels: string[];
  nodeNetworkList: NetworkRef[];
  vipNetworkList: NetworkRef[];
  blockedNamespaceList: string[];
  apiServerPort: number;
  fullSyncFrequencySeconds: number;
  ipFamily: 'V4' | 'V6';
  enablePrometheus: boolean;
  fqdnReusePolicy: 'strict' | 'internamespaceallowed';
}

/** ConfigMap keys with the env var the chart sets from them (spec §5.2); the env var wins when set. */
export const ENV_OF_KEY: Record<string, string> = {
  controllerIP: 'CTRL_IPADDRESS',
  controllerVersion: 'CTRL_VERSION',
  cniPlugin: 'CNI_PLUGIN',
  shardVSSize: 'SHARD_VS_SIZE',
  passthroughShardSize: 'PASSTHROUGH_SHARD_SIZE',
  fullSyncFrequency: 'FULL_SYNC_INTERVAL',
  primaryInstance: 'PRIMARY_AKO_FLAG',
  cloudName: 'CLOUD_NAME',
  clusterName: 'CLUSTER_NAME',
  servicesAPI: 'SERVICES_API',
  enableEVH: 'ENABLE_EVH',
  vipPerNamespace: 'VIP_PER_NAMESPACE',
  tenantName: 'TENANT_NAME',
  vrfName: 'VRF_NAME',
  dedicatedTenantMode: 'DEDICATED_TENANT_MODE',
  defaultDomain: 'DEFAULT_DOMAIN',
  disableStaticRouteSync: 'DISABLE_STATIC_ROUTE_SYNC',
  defaultIngController: 'DEFAULT_ING_CONTROLLER',
  defaultLBController: 'DEFAULT_LB_CONTROLLER',
  enableRHI: 'ENABLE_RHI',
  nsxtT1LR: 'NSXT_T1_LR',
  autoFQDN: 'AUTO_L4_FQDN',
  nsSyncLabelKey: 'NAMESPACE_SYNC_LABEL_KEY',
  nsSyncLabelValue: 'NAMESPACE_SYNC_LABEL_VALUE',
  serviceType: 'SERVICE_TYPE',
  nodeKey: 'NODE_KEY',
  nodeValue: 'NODE_VALUE',
  serviceEngineGroupName: 'SEG_NAME',
  bgpPeerLabels: 'BGP_PEER_LABELS',
  nodeNetworkList: 'NODE_NETWORK_LIST',
  vipNetworkList: 'VIP_NETWORK_LIST',
  apiServerPort: 'AKO_API_PORT',
  enableMCI: 'MCI_ENABLED',
  blockedNamespaceList: 'BLOCKED_NS_LIST',
  ipFamily: 'IP_FAMILY',
  istioEnabled: 'ISTIO_ENABLED',
  useDefaultSecretsOnly: 'USE_DEFAULT_SECRETS_ONLY',
  vpcMode: 'VPC_MODE',
  enablePrometheus: 'PROMETHEUS_ENABLED',
  fqdnReusePolicy: 'FQDN_REUSE_POLICY',
};

/** Keys AKO re-reads while running (no restart): spec §5.2 "live". */
export const LIVE_KEYS = ['logLevel', 'deleteConfig', 'enableEvents'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid AKO configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * The log level as the Go AKO reads it: INFO, DEBUG, WARN or ERROR (any case); WARNING is WARN; any other text is
 * INFO (the Go AKO's level map has no entry for it, and its zero value is INFO); absent or empty: WARN (the chart's
 * default).
 */
export function logLevelOf(value: string | undefined): LogLevel {
  const v = value?.trim().toUpperCase();
  if (!v) return 'WARN';
  if (v === 'WARNING') return 'WARN';
  return (['INFO', 'DEBUG', 'WARN', 'ERROR'] as const).find((l) => l === v) ?? 'INFO';
}

const isTrue = (v: string): boolean => TRUE.has(v);

/**
 * Values that ask for something this AKO does not implement: AKO refuses to start (exit 2) naming the key and why,
 * never accepts and ignores them (README "Differences"). The chart fails the render on the same values.
 */
export const REFUSED: readonly { key: string; refuses: (v: string) => boolean; why: string }[] = [
  { key: 'servicesAPI', refuses: isTrue, why: 'the Gateway API (servicesAPI) is not implemented by this AKO; set it to false' },
  { key: 'vipPerNamespace', refuses: isTrue, why: 'a shard VS per namespace (vipPerNamespace) is not implemented by this AKO; set it to false' },
  { key: 'dedicatedTenantMode', refuses: isTrue, why: 'dedicatedTenantMode is not implemented by this AKO; set it to false' },
  { key: 'istioEnabled', refuses: isTrue, why: 'Istio (istioEnabled) is not implemented by this AKO; set it to false' },
  { key: 'enableMCI', refuses: isTrue, why: 'multi-cluster Ingress (enableMCI) is not implemented by this AKO; set it to false' },
  { key: 'useDefaultSecretsOnly', refuses: isTrue, why: 'useDefaultSecretsOnly (OpenShift Routes) is not implemented by this AKO; set it to false' },
  { key: 'vpcMode', refuses: isTrue, why: 'vpcMode (NSX VPC) is not implemented by this AKO; set it to false' },
  { key: 'ipFamily', refuses: (v) => v.toUpperCase() === 'V6', why: 'IPv6 VIPs (ipFamily V6) are not implemented by this AKO; set it to V4 or leave it empty' },
  {
    key: 'nodeNetworkList',
    refuses: (v) => v !== '' && v !== '[]' && v !== 'null',
    why: 'nodeNetworkList (SE placement networks for node traffic) is not implemented by this AKO; leave it empty',
  },
  {
    key: 'cniPlugin',
    refuses: (v) => !['', 'flannel', 'canal', 'antrea'].includes(v.toLowerCase()),
    why: "this AKO reads pod CIDRs from Node spec.podCIDR only (CNIs flannel, canal, antrea or none); calico block affinities, cilium, ovn-kubernetes, ncp and openshift are not implemented",
  },
];

/** Settings this AKO does not implement together with enableEVH (the chart fails the render on the same pairs). */
export const EVH_REFUSED: readonly { with: string; refuses: (s: AkoSettings) => boolean; why: string }[] = [
  { with: "shardVSSize 'DEDICATED'", refuses: (s) => s.shardVSSize === 'DEDICATED', why: 'dedicated EVH virtual services are not implemented by this AKO; use a shared shardVSSize (LARGE, MEDIUM, SMALL) or enableEVH false' },
  { with: "noPGForSNI 'true'", refuses: (s) => s.noPGForSNI, why: 'noPGForSNI is not implemented in EVH mode by this AKO; set it to false' },
];

/** Parses settings from ConfigMap data and env; throws ConfigError listing every bad key. */
export function parseSettings(data: Record<string, string | undefined>, env: Record<string, string | undefined> = {}): AkoSettings {
  const problems: string[] = [];
  const raw = (key: string): string | undefined => {
    const envName = ENV_OF_KEY[key];
    const fromEnv = envName ? env[envName] : undefined;
    return (fromEnv !== undefined && fromEnv !== '' ? fromEnv : data[key])?.trim();
  };
  const where = (key: string) => (ENV_OF_KEY[key] && env[ENV_OF_KEY[key]!] ? `env ${ENV_OF_KEY[key]} (key '${key}')` : `key '${key}'`);
  const text = (key: string, fallback = '') => raw(key) || fallback;
  const bool = (key: string, fallback: boolean): boolean => {
    const v = raw(key);
    if (v === undefined || v === '') return fallback;
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    problems.push(`${where(key)}: "${v}" is not a boolean (true or false)`);
    return fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T, caseInsensitive = true): T => {
    const v = raw(key);
    if (v === undefined || v === '') return fallback;
    const match = allowed.find((a) => (caseInsensitive ? a.toLowerCase() === v.toLowerCase() : a === v));
    if (match) return match;
    problems.push(`${where(key)}: "${v}" is not one of ${allowed.join(', ')}`);
    return fallback;
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const v = raw(key);
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    problems.push(`${where(key)}: "${v}" is not a whole number from ${min} to ${max}`);
    return fallback;
  };
  const json = <T>(key: string, check: (v: unknown) => v is T, what: string): T | undefined => {
    const v = raw(key);
    if (v === undefined || v === '' || v === 'null') return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      if (check(parsed)) return parsed;
    } catch {
      /* reported below */
    }
    problems.push(`${where(key)}: ${JSON.stringify(v)} is not ${what}`);
    return undefined;
  };
  const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const isNetworkList = (v: unknown): v is NetworkRef[] =>
    Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x) && ('networkName' in x || 'networkUUID' in x));

  const clusterName = text('clusterName');
  if (!clusterName) problems.push(`key 'clusterName': required (AKOSettings.clusterName)`);
  // The Go AKO's rule (checkRequiredValuesYaml): ^[a-zA-Z0-9-_]*$
  else if (!/^[A-Za-z0-9_-]+$/.test(clusterName)) problems.push(`key 'clusterName': "${clusterName}" may hold only letters, digits, '_' and '-'`);
  const controllerHost = text('controllerIP');
  if (!controllerHost) problems.push(`key 'controllerIP': required (ControllerSettings.controllerHost)`);

  const nsKey = text('nsSyncLabelKey');
  const nsValue = text('nsSyncLabelValue');
  if (Boolean(nsKey) !== Boolean(nsValue)) problems.push(`keys 'nsSyncLabelKey'/'nsSyncLabelValue': set both or neither (AKOSettings.namespaceSelector)`);
  const nodeKey = text('nodeKey');
  const nodeValue = text('nodeValue');

  const vipNetworkList = json('vipNetworkList', isNetworkList, 'a JSON list of {networkName|networkUUID, cidr}') ?? [];
  const settings: AkoSettings = {
    controllerHost,
    controllerVersion: text('controllerVersion'),
    cloudName: text('cloudName', 'Default-Cloud'),
    clusterName,
    tenantName: text('tenantName', 'admin'),
    vrfName: text('vrfName'),
    seGroupName: text('serviceEngineGroupName', 'Default-Group'),
    shardVSSize: oneOf('shardVSSize', ['LARGE', 'MEDIUM', 'SMALL', 'DEDICATED'] as const, 'LARGE'),
    passthroughShardSize: oneOf('passthroughShardSize', ['LARGE', 'MEDIUM', 'SMALL'] as const, 'SMALL'),
    serviceType: oneOf('serviceType', ['ClusterIP', 'NodePort', 'NodePortLocal'] as const, 'ClusterIP'),
    autoFQDN: oneOf('autoFQDN', ['default', 'flat', 'disabled'] as const, 'default'),
    defaultDomain: text('defaultDomain'),
    primaryInstance: bool('primaryInstance', true),
    layer7Only: bool('layer7Only', false),
    servicesAPI: bool('servicesAPI', false),
    enableEVH: bool('enableEVH', false),
    vipPerNamespace: bool('vipPerNamespace', false),
    dedicatedTenantMode: bool('dedicatedTenantMode', false),
    disableStaticRouteSync: bool('disableStaticRouteSync', false),
    defaultIngController: bool('defaultIngController', true),
    defaultLBController: bool('defaultLBController', true),
    noPGForSNI: bool('noPGForSNI', false),
    enableRHI: bool('enableRHI', false),
    nsxtT1LR: text('nsxtT1LR'),
    enableEvents: bool('enableEvents', true),
    logLevel: logLevelOf(raw('logLevel')),
    deleteConfig: bool('deleteConfig', false),
    ...(nsKey && nsValue ? { namespaceSelector: { labelKey: nsKey, labelValue: nsValue } } : {}),
    ...(nodeKey && nodeValue ? { nodePortSelector: { key: nodeKey, value: nodeValue } } : {}),
    bgpPeerLabels: json('bgpPeerLabels', isStringList, 'a JSON list of strings') ?? [],
    nodeNetworkList: json('nodeNetworkList', isNetworkList, 'a JSON list of {networkName|networkUUID, cidrs}') ?? [],
    vipNetworkList,
    blockedNamespaceList: json('blockedNamespaceList', isStringList, 'a JSON list of strings') ?? [],
    apiServerPort: int('apiServerPort', 8080, 1, 65535),
    fullSyncFrequencySeconds: int('fullSyncFrequency', 1800, 0, 7 * 24 * 3600),
    ipFamily: oneOf('ipFamily', ['V4', 'V6'] as const, 'V4'),
    enablePrometheus: bool('enablePrometheus', false),
    fqdnReusePolicy: oneOf('fqdnReusePolicy', ['strict', 'internamespaceallowed'] as const, 'internamespaceallowed'),
  };
  if (settings.nodeNetworkList.length > 5) problems.push(`key 'nodeNetworkList': at most 5 networks`);
  for (const r of REFUSED) {
    const v = raw(r.key);
    if (v !== undefined && r.refuses(v)) problems.push(`${where(r.key)}: "${v}" is refused: ${r.why}`);
  }
  // EVH is implemented (translate/evh.ts) but not with every other mode: those pairs are refused too.
  if (settings.enableEVH) for (const r of EVH_REFUSED) if (r.refuses(settings)) problems.push(`key 'enableEVH': "true" with ${r.with} is refused: ${r.why}`);
  if (problems.length) throw new ConfigError(problems);
  return settings;
}
