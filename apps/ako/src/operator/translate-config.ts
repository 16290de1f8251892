import type { AkoConfig } from '../translate/index.js';
import type { AkoSettings } from '../config/settings.js';

/** What boot learns from the controller and translate needs. */
export interface ControllerFacts {
  /** DNS sub-domains of the cloud's DNS profile (autoFQDN). */
  dnsDomains: string[];
  /** systemconfiguration.default_license_tier. */
  licenseTier: string;
  /** The VRF objects are placed in: configured, derived from the VIP network, or `global`. */
  vrfName: string;
  /** /api/cluster uuid, written into the ako.vmware.com/controller-cluster-uuid annotation. */
  clusterUuid: string;
  /** The cloud's vtype (pool placement networks are set in vCenter clouds only). */
  cloudType?: string;
}

/** The settings translate() reads, from the validated configuration and the controller's facts. */
export function translateConfig(s: AkoSettings, facts: ControllerFacts, akoNamespace: string): AkoConfig {
  return {
    clusterName: s.clusterName,
    cloudName: s.cloudName,
    tenant: s.tenantName,
    seGroupName: s.seGroupName,
    vrfName: facts.vrfName,
    nsxtT1LR: s.nsxtT1LR,
    serviceType: s.serviceType,
    shardVSSize: s.shardVSSize,
    vipNetworkList: s.vipNetworkList,
    autoFQDN: s.autoFQDN,
    defaultDomain: s.defaultDomain,
    dnsDomains: facts.dnsDomains,
    enableRHI: s.enableRHI,
    bgpPeerLabels: s.bgpPeerLabels,
    ...(s.nodePortSelector ? { nodePortSelector: s.nodePortSelector } : {}),
    layer7Only: s.layer7Only,
    defaultLBController: s.defaultLBController,
    noPGForSNI: s.noPGForSNI,
    ...(s.enableEVH ? { enableEVH: true } : {}),
    licenseTier: facts.licenseTier,
    ...(facts.cloudType ? { cloudType: facts.cloudType } : {}),
    primaryInstance: s.primaryInstance,
    akoNamespace,
    blockedNamespaces: s.blockedNamespaceList,
    ...(s.namespaceSelector ? { namespaceSelector: s.namespaceSelector } : {}),
  };
}
