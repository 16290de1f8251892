/**
 * Host-level L7 objects shared by the SNI and dedicated modes: how a host is served (TLS or not), its certificates,
 * and per path a pool and pool group switched by one HTTP policy set per namespace.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { cloudRef, placement, rejected, serviceMetadata, tenantRef, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { DEFAULT_SECRET, type HostPath } from './ingress.js';
import { httpPolicySetMarkers, sharedMarkers, sniPoolGroupMarkers, sniPoolMarkers, tlsCertMarkers } from './markers.js';
import { akoUser, defaultCertName, nameRef, sniHttpPolicySetName, sniPoolGroupName, sniPoolName, tlsCertName } from './names.js';
import { poolGroupChecksum } from './go-checksum.js';
import { poolServers } from './servers.js';
import { cmp, nsName, type SnapshotIndex } from './snapshot.js';
import { readTlsSecret, type TlsMaterial } from './tls.js';

/** Suffix of SNI pool names with noPGForSNI (AKO's PoolNameSuffixForHttpPolToPool). */
export const POLICY_TO_POOL_SUFFIX = 'policy-to-pool';

/** How a host is served, decided from all Ingress entries for it. */
export interface HostPlan {
  readonly host: string;
  readonly entries: readonly HostPath[];
  /** Set when the host is secure and its Secret is usable. */
  readonly tls?: { readonly secret: string; readonly material: TlsMaterial };
}

/**
 * Entries with a TLS Secret make the host secure (the first Secret in namespace/Ingress order wins). An unusable
 * Secret rejects the Ingresses that named it and drops their entries; other Ingresses' entries for the host stay.
 */
export function planHost(idx: SnapshotIndex, host: string, entries: readonly HostPath[], verdicts: Verdict[]): HostPlan | undefined {
  const secured = entries.filter((e) => e.secret !== undefined);
  if (secured.length === 0) return { host, entries };
  const secret = secured[0]!.secret!;
  const material = readTlsSecret(idx, secret);
  if ('problem' in material) {
    for (const e of uniqueIngresses(secured)) verdicts.push(rejected('Ingress', e.namespace, e.ingress, `host ${host}: ${material.problem}`));
    const rest = entries.filter((e) => e.secret === undefined);
    return rest.length > 0 ? { host, entries: rest } : undefined;
  }
  return { host, entries, tls: { secret, material } };
}

export const uniqueIngresses = (entries: readonly HostPath[]): HostPath[] => {
  const seen = new Map<string, HostPath>();
  for (const e of entries) if (!seen.has(`${e.namespace}/${e.ingress}`)) seen.set(`${e.namespace}/${e.ingress}`, e);
  return [...seen.values()];
};

/** Pool for one host/path entry (servers from the backend Service; none if it or its port is missing). */
export function entryPool(idx: SnapshotIndex, c: AkoConfig, tenant: string, poolName: string, e: HostPath, markers: unknown): DesiredObject {
  const svc = idx.services.get(nsName(e.namespace, e.service));
  const sp = (svc?.spec?.ports ?? []).find((p) => (e.port.number !== undefined ? p.port === e.port.number : p.name === e.port.name));
  const servers = svc && sp ? poolServers(idx, c, svc, sp) : [];
  return desiredObject(tenant, 'pool', poolName, {
    name: poolName,
    tenant_ref: tenantRef(tenant),
    cloud_ref: cloudRef(c),
    ...placement(c, 'vrf_ref', 'pool'),
    created_by: akoUser(c),
    ...(servers.length > 0 ? { servers } : {}),
    health_monitor_refs: ['/api/healthmonitor/?name=System-TCP'],
    graceful_disable_timeout: 1,
    sni_enabled: false,
    markers,
    service_metadata: serviceMetadata({ ingress_name: e.ingress, namespace: e.namespace, hostnames: [e.host], pool_ratio: 100 }),
  });
}

/** Pool-group members as the Go AKO writes them (`/api/pool?name=` refs). */
export const poolMemberRef = (poolName: string): string => `/api/pool?name=${poolName}`;

/** SSLKeyAndCertificate objects of a secure host (the alternate cert too when the Secret has one). */
export function certObjects(c: AkoConfig, tenant: string, plan: HostPlan): DesiredObject[] {
  if (!plan.tls) return [];
  const isDefault = plan.tls.secret === nsName(c.akoNamespace, DEFAULT_SECRET);
  const mk = (name: string, cert: string, key: string): DesiredObject =>
    desiredObject(tenant, 'sslkeyandcertificate', name, {
      name,
      tenant_ref: tenantRef(tenant),
      created_by: akoUser(c),
      type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE',
      certificate: { certificate: cert },
      key,
      // The default certificate is shared by every host that uses it, so it carries no Host marker.
      markers: isDefault ? sharedMarkers(c.clusterName) : tlsCertMarkers(c.clusterName, plan.host),
    });
  const m = plan.tls.material;
  const out = [mk(isDefault ? defaultCertName(c, DEFAULT_SECRET) : tlsCertName(c, plan.host), m.cert, m.key)];
  if (m.alt) out.push(mk(isDefault ? defaultCertName(c, `${DEFAULT_SECRET}-alt`) : tlsCertName(c, plan.host, undefined, true), m.alt.cert, m.alt.key));
  return out;
}

/** Rules of one namespace's HTTP policy set: longer paths first so the most specific prefix wins, Exact before Prefix. */
export function sortedForRules(entries: readonly HostPath[]): HostPath[] {
  return [...entries].sort((a, b) => b.path.length - a.path.length || cmp(a.match, b.match) || cmp(a.path, b.path) || cmp(a.ingress, b.ingress));
}

/**
 * Pools, pool groups and one HTTP policy set per namespace for a host's paths (SNI child or dedicated VS).
 * Returns the objects and the `http_policies` entries, indexed from `firstIndex`.
 */
export function hostPathObjects(
  idx: SnapshotIndex,
  c: AkoConfig,
  tenant: string,
  p: HostPlan,
  dedicated: boolean,
  firstIndex: number,
): { objects: DesiredObject[]; httpPolicies: { http_policy_set_ref: string; index: number }[] } {
  const objects: DesiredObject[] = [];
  const poolNames = new Set<string>();
  const httpPolicies: { http_policy_set_ref: string; index: number }[] = [];
  for (const ns of [...new Set(p.entries.map((e) => e.namespace))].sort()) {
    const mine = p.entries.filter((e) => e.namespace === ns);
    const rules: Record<string, unknown>[] = [];
    for (const e of sortedForRules(mine)) {
      // noPGForSNI: the rule selects the pool directly; the pool name then ends in `--policy-to-pool`.
      const direct = c.noPGForSNI;
      const baseName = sniPoolName(c, e.ingress, ns, p.host, e.path, undefined, dedicated);
      const poolName = direct ? `${baseName}--${POLICY_TO_POOL_SUFFIX}` : baseName;
      if (poolNames.has(poolName)) continue;
      poolNames.add(poolName);
      objects.push(entryPool(idx, c, tenant, poolName, e, sniPoolMarkers(c.clusterName, ns, p.host, e.path, e.ingress, e.service)));
      let switching: Record<string, string>;
      if (direct) {
        switching = { action: 'HTTP_SWITCHING_SELECT_POOL', pool_ref: nameRef('pool', poolName) };
      } else {
        const pgName = sniPoolGroupName(c, e.ingress, ns, p.host, e.path, undefined, dedicated);
        const members = [{ pool_ref: poolMemberRef(poolName), ratio: 100 }];
        const pgMarkers = { Namespace: ns, Host: [p.host], Path: [e.path], IngressName: [e.ingress] };
        objects.push(
          desiredObject(
            tenant,
            'poolgroup',
            pgName,
            {
              name: pgName,
              tenant_ref: tenantRef(tenant),
              cloud_ref: cloudRef(c),
              created_by: akoUser(c),
              implicit_priority_labels: false,
              members,
              markers: sniPoolGroupMarkers(c.clusterName, ns, p.host, e.path, e.ingress),
            },
            poolGroupChecksum(c.clusterName, members, pgMarkers),
          ),
        );
        switching = { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: nameRef('poolgroup', pgName) };
      }
      rules.push({
        // Rules are named after their policy set and index (as the Go AKO names them).
        name: `${sniHttpPolicySetName(c, ns, p.host)}-${rules.length}`,
        index: rules.length,
        enable: true,
        match: { path: { match_criteria: e.match, match_case: 'SENSITIVE', match_str: [e.path || '/'] } },
        switching_action: switching,
      });
    }
    const hpsName = sniHttpPolicySetName(c, ns, p.host);
    objects.push(
      desiredObject(tenant, 'httppolicyset', hpsName, {
        name: hpsName,
        tenant_ref: tenantRef(tenant),
        created_by: akoUser(c),
        http_request_policy: { rules },
        http_security_policy: {},
        // The Go AKO leaves the Host marker off an insecure dedicated host's policy set.
        markers: httpPolicySetMarkers(
          c.clusterName,
          ns,
          dedicated && !p.tls ? '' : p.host,
          [...new Set(mine.map((e) => e.path))].sort(),
          [...new Set(mine.map((e) => e.ingress))].sort(),
        ),
      }),
    );
    httpPolicies.push({ http_policy_set_ref: nameRef('httppolicyset', hpsName), index: firstIndex + httpPolicies.length });
  }
  return { objects, httpPolicies };
}

/** `service_metadata` of a host's VS: the Ingresses that define it (for status) and the host. */
export const hostServiceMetadata = (p: HostPlan): string =>
  serviceMetadata({ namespace_ingress_name: uniqueIngresses(p.entries).map((e) => `${e.namespace}/${e.ingress}`), namespace: p.entries[0]!.namespace, hostnames: [p.host] });

