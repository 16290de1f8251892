// The object types this controller serves, with the few facts the server needs about each.
// Field-level knowledge (defaults, known fields, reference targets) comes from the SDK's model
// metadata through `FieldMeta` (see schema.ts); the facts below are server behaviour, not models.

import type { FieldMeta } from './schema.js';

export interface TypeMeta {
  /** API path name, e.g. `virtualservice`. */
  readonly type: string;
  /** Model name as the controller spells it in messages, e.g. `VirtualService`. */
  readonly model: string;
  /** Names are unique per (tenant, cloud) instead of per tenant. */
  readonly cloudScoped: boolean;
  /** Objects of the admin tenant are visible (listed, resolvable) from every tenant. */
  readonly sharedFromAdmin: boolean;
  /** Gets a `cloud_ref` (Default-Cloud) when created without one. */
  readonly hasCloud: boolean;
  /** A single object served at `/api/<type>` (GET returns the object, not a collection). */
  readonly singleton: boolean;
  /** Field metadata from the SDK models; undefined until plugged in (then nothing is dropped or defaulted). */
  fields?: FieldMeta;
}

interface TypeDef {
  model: string;
  cloudScoped?: boolean;
  shared?: boolean;
  cloud?: boolean;
  singleton?: boolean;
}

const DEFS: Record<string, TypeDef> = {
  tenant: { model: 'Tenant', shared: true },
  cloud: { model: 'Cloud', shared: true },
  serviceenginegroup: { model: 'ServiceEngineGroup', cloudScoped: true, shared: true, cloud: true },
  vrfcontext: { model: 'VrfContext', cloudScoped: true, shared: true, cloud: true },
  network: { model: 'Network', cloudScoped: true, shared: true, cloud: true },
  ipamdnsproviderprofile: { model: 'IpamDnsProviderProfile', shared: true },
  virtualservice: { model: 'VirtualService', cloud: true },
  vsvip: { model: 'VsVip', cloud: true },
  pool: { model: 'Pool', cloud: true },
  poolgroup: { model: 'PoolGroup', cloud: true },
  httppolicyset: { model: 'HTTPPolicySet' },
  l4policyset: { model: 'L4PolicySet' },
  vsdatascriptset: { model: 'VSDataScriptSet' },
  sslkeyandcertificate: { model: 'SSLKeyAndCertificate', shared: true },
  pkiprofile: { model: 'PKIProfile', shared: true },
  stringgroup: { model: 'StringGroup' },
  healthmonitor: { model: 'HealthMonitor', shared: true },
  applicationprofile: { model: 'ApplicationProfile', shared: true },
  networkprofile: { model: 'NetworkProfile', shared: true },
  applicationpersistenceprofile: { model: 'ApplicationPersistenceProfile', shared: true },
  sslprofile: { model: 'SSLProfile', shared: true },
  analyticsprofile: { model: 'AnalyticsProfile', shared: true },
  errorpageprofile: { model: 'ErrorPageProfile', shared: true },
  wafpolicy: { model: 'WafPolicy', shared: true },
  protocolparser: { model: 'ProtocolParser', shared: true },
  gslbservice: { model: 'GslbService' },
  gslb: { model: 'Gslb', shared: true },
  user: { model: 'User', shared: true },
  role: { model: 'Role', shared: true },
  // Types AKO validates CRD refs against or reads in other cloud types; stored as given (no field metadata).
  ssopolicy: { model: 'SSOPolicy', shared: true },
  authprofile: { model: 'AuthProfile', shared: true },
  icapprofile: { model: 'IcapProfile', shared: true },
  securitypolicy: { model: 'SecurityPolicy', shared: true },
  networksecuritypolicy: { model: 'NetworkSecurityPolicy', shared: true },
  botdetectionpolicy: { model: 'BotDetectionPolicy', shared: true },
  trafficcloneprofile: { model: 'TrafficCloneProfile', shared: true },
  ipaddrgroup: { model: 'IpAddrGroup', shared: true },
  prioritylabels: { model: 'PriorityLabels', shared: true, cloud: true },
  serviceengine: { model: 'ServiceEngine', shared: true, cloud: true },
  vimgrnwruntime: { model: 'VIMgrNWRuntime', shared: true, cloud: true },
  nsxtsegmentruntime: { model: 'NsxtSegmentRuntime', shared: true, cloud: true },
  vcenterserver: { model: 'VCenterServer', shared: true, cloud: true },
  cluster: { model: 'Cluster', singleton: true, shared: true },
  systemconfiguration: { model: 'SystemConfiguration', singleton: true, shared: true },
  controllerproperties: { model: 'ControllerProperties', singleton: true, shared: true },
};

export type Registry = ReadonlyMap<string, TypeMeta>;

export function buildRegistry(): Map<string, TypeMeta> {
  const out = new Map<string, TypeMeta>();
  for (const [type, d] of Object.entries(DEFS)) {
    out.set(type, {
      type,
      model: d.model,
      cloudScoped: d.cloudScoped ?? false,
      sharedFromAdmin: d.shared ?? false,
      hasCloud: d.cloud ?? false,
      singleton: d.singleton ?? false,
    });
  }
  return out;
}

/** `VrfContext` -> `Vrf context`, `HTTPPolicySet` -> `Http policy set` (the controller's verbose names). */
export function verboseName(model: string): string {
  const words = model
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ');
  const first = words[0] ?? '';
  return [first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(' ');
}
