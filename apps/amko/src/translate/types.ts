// Plain data in and out of translate(): a read-only view of the leader's AMKO objects and every member cluster's
// Ingresses, LoadBalancer Services and Namespaces, plus the few facts read from the GSLB leader controller.
import type * as k8s from '@kubernetes/client-node';
import type { DesiredObject } from '@avi-k8s/avi-sync';

/** A custom resource as the informer holds it (validated inside translate, never trusted). */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: k8s.V1ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export interface MemberSnapshot {
  /** The kubeconfig context name, as listed in GSLBConfig spec.memberClusters. */
  name: string;
  ingresses: readonly k8s.V1Ingress[];
  services: readonly k8s.V1Service[];
  namespaces: readonly k8s.V1Namespace[];
  /** AKO HostRules (ako.vmware.com/v1beta1) of the member: TLS, aliases and the global FQDN mapping. */
  hostRules?: readonly RawObject[];
}

export interface HealthMonitorFact {
  type: string;
  federated: boolean;
  /** HTTP(S) monitors: the request line and the accepted response codes (used when the monitor is a template). */
  httpRequest?: string;
  httpResponseCodes?: string[];
}

/** What translate needs to know about federated objects on the GSLB leader (read by the operator). */
export interface AviFacts {
  /** Federated health monitors by name. */
  healthMonitors: Readonly<Record<string, HealthMonitorFact>>;
  /** Federated application persistence profiles. */
  persistenceProfiles: readonly string[];
  /** Federated PKI profiles; the first is the default for site persistence. */
  pkiProfiles: readonly string[];
  /** Third-party sites of the GSLB configuration. */
  thirdPartySites: readonly string[];
}

export interface Snapshot {
  gdps: readonly RawObject[];
  hostRules: readonly RawObject[];
  members: readonly MemberSnapshot[];
  avi: AviFacts;
}

export interface AmkoConfig {
  /** This AMKO's identity (GSLBConfig annotation amko.vmware.com/amko-uuid). */
  amkoUuid: string;
  /** Default Avi tenant (GSLBConfig spec.gslbLeader.tenant). */
  tenant: string;
  /** Member cluster contexts of GSLBConfig spec.memberClusters. */
  memberClusters: readonly string[];
  /** GSLBConfig spec.useCustomGlobalFqdn: GslbService names come from the members' HostRules (gslb.fqdn). */
  useCustomGlobalFqdn?: boolean;
}

export type VerdictKind = 'GlobalDeploymentPolicy' | 'GSLBHostRule' | 'Ingress' | 'Service';

export interface Verdict {
  kind: VerdictKind;
  /** Member cluster of an Ingress or Service; undefined for the leader's own objects. */
  cluster?: string;
  namespace: string;
  name: string;
  accepted: boolean;
  reason: string;
}

export interface TranslateResult {
  objects: DesiredObject[];
  verdicts: Verdict[];
  /**
   * Set when no GlobalDeploymentPolicy is usable although some exist (all invalid): the operator then keeps what
   * is on the controller rather than deleting every GslbService over a bad edit.
   */
  hold?: string;
}
