/**
 * The `L7/<cluster>--Shared-L7-EVH-<n>` unit (enableEVH, spec ako.md §2.3 "EVH", parity case c27): a shared parent VS
 * (`VS_TYPE_VH_PARENT`, `vh_type: VS_TYPE_VH_ENHANCED`) with its VsVip and the certificates of its secure hosts, and
 * per host, secure or not, an EVH child VS matched by `vh_matches` (host, every path) with its pools, pool groups and
 * HTTP policy sets (paths; for a secure host first an HTTP->HTTPS redirect). Names SHA1-encoded (evh-names.ts).
 * An accepted HostRule applies to secure and insecure hosts alike (its fields on the child, its aliases as more
 * vh_matches, its certificates and SSL profile on the parent), an accepted SSORule sets its fields on the child
 * (sso.ts). Not (yet) in EVH mode: `spec.defaultBackend` and host-less rules (the Ingress is told so).
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { appProfileRef, cloudRef, networkProfileRef, placement, rejected, seGroupRef, serviceMetadata, tenantFor, tenantRef, type UnitResult, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { evhCertName, evhDefaultCertName, evhHttpPolicySetName, evhPoolGroupName, evhPoolName, evhVsName } from './evh-names.js';
import { hostTable, type HostPath } from './ingress.js';
import { entriesConfig } from './infra-setting.js';
import { planWarnings } from './l7-warnings.js';
import { certObjects, entryPool, ownersHostRule, pathPoolGroup, pathMatches, planHost, sortedForRules, uniqueIngresses, wildcardCheck, withHostRule, type CertNames, type HostPlan } from './l7-host.js';
import { ruleRef, type AppliedHostRule } from './hostrule.js';
import { childParentOnlyWarnings, sharedVsRule, withSharedVsRule } from './hostrule-shared.js';
import { DEFAULT_VS_PORTS, effectivePath, regexMatch, rootRedirectRules } from './hostrule-paths.js';
import { httpPolicySetMarkers, sharedMarkers, sniPoolMarkers, sniVsMarkers } from './markers.js';
import { akoUser, nameRef, sharedVsVipName } from './names.js';
import { sharedVsVip } from './shared-vsvip.js';
import { hostUnit, unitSubject } from './shard.js';
import { cmp, type SnapshotIndex } from './snapshot.js';
import { ssoRuleFor } from './sso.js';

/** Why `spec.defaultBackend` and host-less rules are not served in EVH mode (an EVH child matches a host). */
export const EVH_NO_HOST =
  'spec.defaultBackend and rules without a host are not served in EVH mode by this AKO yet (an EVH child VS matches a host); not served';
type Refs = { http_policy_set_ref: string; index: number }[];

export function translateEvhShardUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const vsName = unitSubject(unit, 'L7/');
  const verdicts: Verdict[] = [];
  const plans: HostPlan[] = [];
  let touched = false;
  // The config of the parent: an AviInfraSetting's when its hosts are placed by one (the unit name has its name).
  let sc = c;
  for (const [host, all] of [...hostTable(idx, c).byHost.entries()].sort(([a], [b]) => cmp(a, b))) {
    const hc = entriesConfig(idx, c, all);
    if (hostUnit(hc, host) !== unit) continue;
    if (host === '') {
      for (const e of uniqueIngresses(all)) verdicts.push(rejected('Ingress', e.namespace, e.ingress, EVH_NO_HOST));
      continue;
    }
    touched = true;
    sc = hc;
    const entries = samePlacement(host, all, verdicts);
    const p = planHost(idx, host, entries, verdicts, c.akoNamespace, true);
    // In EVH mode a HostRule applies to insecure hosts too (the host's namespace's or AKO's, as for secure ones).
    const rule = p ? (p.rule ?? (p.tls ? undefined : ownersHostRule(idx, host, p.entries, verdicts, c.akoNamespace, true))) : undefined;
    if (p) plans.push({ ...p, ...(rule ? { rule } : {}) });
  }
  if (!touched) return { unit, objects: [], verdicts };
  // A HostRule for the parent itself (its FQDN): tcpSettings and VS fields (hostrule-shared.ts).
  const shared = sharedVsRule(idx, sc, vsName, tenantFor(idx, c, c.akoNamespace));
  const warnings = [...plans.flatMap((p) => planWarnings(idx, sc, p)), ...shared.warnings, ...childParentOnlyWarnings(plans)];
  return { unit, objects: evhShardObjects(idx, sc, vsName, plans, shared.rule), verdicts, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** A host is placed by the AviInfraSetting of its first Ingress (as in SNI mode): Ingresses placing it otherwise are not served. */
function samePlacement(host: string, all: readonly HostPath[], verdicts: Verdict[]): HostPath[] {
  const first = all[0]!;
  for (const e of all.filter((x) => x.infra !== first.infra)) {
    verdicts.push(rejected('Ingress', e.namespace, e.ingress, `host ${host} is placed by ${first.infra ? `AviInfraSetting ${first.infra}` : 'no AviInfraSetting'} in Ingress ${first.namespace}/${first.ingress}`));
  }
  return all.filter((e) => e.infra === first.infra);
}

/** Why a host is not served with an AviInfraSetting whose shardSize is DEDICATED in EVH mode. */
export const EVH_DEDICATED = 'dedicated EVH virtual services (an AviInfraSetting with l7Settings.shardSize DEDICATED) are not implemented by this AKO yet; not served';

/** `L7Dedicated/<host>` in EVH mode (an AviInfraSetting's shardSize DEDICATED): the host's Ingresses are told it is not served. */
export function refuseEvhDedicatedUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const entries = hostTable(idx, c).byHost.get(unitSubject(unit, 'L7Dedicated/')) ?? [];
  return { unit, objects: [], verdicts: uniqueIngresses(entries).map((e) => rejected('Ingress', e.namespace, e.ingress, EVH_DEDICATED)) };
}

/** A parent and its objects; with no plans, what stays of a parent whose last host went (its VIP is kept). */
export function evhShardObjects(idx: SnapshotIndex, c: AkoConfig, vsName: string, plans: readonly HostPlan[], rule?: AppliedHostRule): DesiredObject[] {
  const tenant = c.tenant;
  const objects: DesiredObject[] = [];
  const certRefs: string[] = [];
  let sslProfileRef: unknown;
  for (const p of plans) {
    const certs = certObjects(c, tenant, p, EVH_CERT_NAMES);
    objects.push(...certs, ...evhChild(idx, c, tenant, vsName, p));
    // A HostRule's Avi certificates replace the host's own; the parent terminates TLS with them.
    if (p.tls && p.rule?.certRefs) certRefs.push(...p.rule.certRefs.map((n) => ruleRef('sslkeyandcertificate', n)));
    else certRefs.push(...certs.map((o) => nameRef('sslkeyandcertificate', o.name)));
    // So does a HostRule's SSL profile (the last host's wins, as the Go AKO overwrites it).
    if (p.rule?.vsFields.ssl_profile_ref !== undefined) sslProfileRef = p.rule.vsFields.ssl_profile_ref;
  }
  const vipName = sharedVsVipName(vsName);
  objects.push(sharedVsVip(c, tenant, vsName, vipName, plans, rule?.tcp?.loadBalancerIP));
  // The parent terminates TLS for its children: it holds every secure child's certificate. No pool group, no
  // datascript, no policies: the children match requests by host and path.
  objects.push(
    desiredObject(tenant, 'virtualservice', vsName, withSharedVsRule(rule, {
      name: vsName,
      tenant_ref: tenantRef(tenant),
      created_by: akoUser(c),
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vs'),
      se_group_ref: seGroupRef(c),
      type: 'VS_TYPE_VH_PARENT',
      vh_type: 'VS_TYPE_VH_ENHANCED',
      application_profile_ref: appProfileRef('System-HTTP'),
      network_profile_ref: networkProfileRef('System-TCP-Proxy'),
      vsvip_ref: nameRef('vsvip', vipName),
      services: [
        { port: 80, enable_ssl: false, enable_http2: false },
        { port: 443, enable_ssl: true, enable_http2: false },
      ],
      ...(certRefs.length > 0 ? { ssl_key_and_certificate_refs: [...new Set(certRefs)] } : {}),
      ...(sslProfileRef !== undefined ? { ssl_profile_ref: sslProfileRef } : {}),
      markers: sharedMarkers(c.clusterName),
      service_metadata: serviceMetadata({}),
      ...(c.enableRHI ? { enable_rhi: true } : {}),
    })),
  );
  return objects;
}

const EVH_CERT_NAMES: CertNames = { host: evhCertName, shared: evhDefaultCertName };

/**
 * `vh_matches` of a child: one per domain (its host, a HostRule's aliases and GSLB FQDN), every path (paths are
 * switched by the child's HTTP policy sets).
 */
export const evhVhMatches = (domains: readonly string[]): Record<string, unknown>[] =>
  domains.map((host) => ({ host, rules: [{ name: 'VHMATCHRULENAME', matches: { path: { match_criteria: 'BEGINS_WITH', match_case: 'SENSITIVE', match_str: ['/'] } } }] }));

/** The EVH child VS of a host with its redirect (secure host), pools, pool groups and HTTP policy sets. */
function evhChild(idx: SnapshotIndex, c: AkoConfig, tenant: string, parent: string, p: HostPlan): DesiredObject[] {
  const objects: DesiredObject[] = [];
  const childName = evhVsName(c, p.host);
  const ns0 = p.entries[0]!.namespace;
  const domains = p.rule?.domains ?? [p.host];
  const httpPolicies: Refs = [];
  if (p.tls) {
    // The redirect set is named after the child; Go AKO markers: Namespace, Host.
    objects.push(
      desiredObject(tenant, 'httppolicyset', childName, {
        name: childName,
        tenant_ref: tenantRef(tenant),
        created_by: akoUser(c),
        http_request_policy: {
          rules: [
            {
              name: `${childName}-0`,
              index: 0,
              enable: true,
              match: { host_hdr: { match_criteria: 'HDR_EQUALS', value: [...domains] }, vs_port: { match_criteria: 'IS_IN', ports: [80] } },
              redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
            },
          ],
        },
        http_security_policy: {},
        markers: sniVsMarkers(c.clusterName, ns0, domains, c.infraSetting),
      }),
    );
    httpPolicies.push({ http_policy_set_ref: nameRef('httppolicyset', childName), index: 11 });
  }
  objects.push(...evhPathObjects(idx, c, tenant, p, httpPolicies));
  const wildcard = wildcardCheck(c, tenant, childName, p.host);
  objects.push(...wildcard.objects);
  const sso = ssoRuleFor(idx, p.host);
  const ings = uniqueIngresses(p.entries).map((e) => `${e.namespace}/${e.ingress}`);
  // The Go AKO sends no tenant_ref on a child (it follows its parent; the request's tenant header places it).
  const vs = withHostRule(p, {
      name: childName,
      created_by: akoUser(c),
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vs'),
      // A child is on AKO's own SE group (the Go AKO's EVH child builder); its parent on its AviInfraSetting's.
      se_group_ref: seGroupRef(c.infraBase ?? c),
      type: 'VS_TYPE_VH_CHILD',
      vh_type: 'VS_TYPE_VH_ENHANCED',
      vh_parent_vs_ref: nameRef('virtualservice', parent),
      vh_matches: evhVhMatches(domains),
      application_profile_ref: appProfileRef('System-HTTP'),
      network_profile_ref: networkProfileRef('System-TCP-Proxy'),
      ...(httpPolicies.length > 0 ? { http_policies: httpPolicies } : {}),
      ...wildcard.field,
      ign_pool_net_reach: false,
      east_west_placement: false,
      min_pools_up: 1,
      ...(sso?.vsFields ?? {}),
      markers: sniVsMarkers(c.clusterName, ns0, domains, c.infraSetting),
      service_metadata: serviceMetadata({
        namespace_ingress_name: ings,
        namespace: ns0,
        hostnames: [p.host],
        ...crdStatus(p, sso?.key),
        host_namespace_ingress_name: { [p.host]: ings },
      }),
  });
  // The child matches its domains by vh_matches (no vh_domain_name); the parent holds the SSL profile.
  delete vs.vh_domain_name;
  delete vs.ssl_profile_ref;
  objects.push(desiredObject(tenant, 'virtualservice', childName, vs));
  return objects;
}

/**
 * `crd_status` of a child as the Go AKO leaves it: the SSORule's when one applies; else, with a HostRule, the
 * HostRule's marked INACTIVE (its SSORule step, run after the HostRule's, marks a status it finds without a rule so).
 */
function crdStatus(p: HostPlan, sso: string | undefined): { crd_status?: { type: string; value: string; status: string } } {
  if (sso) return { crd_status: { type: 'SSORule', value: sso, status: 'ACTIVE' } };
  return p.rule ? { crd_status: { type: 'HostRule', value: p.rule.key, status: 'INACTIVE' } } : {};
}

/** Per path a pool and pool group, switched by one HTTP policy set per namespace (indexes after `refs`). */
function evhPathObjects(idx: SnapshotIndex, c: AkoConfig, tenant: string, p: HostPlan, refs: Refs): DesiredObject[] {
  const objects: DesiredObject[] = [];
  const poolNames = new Set<string>();
  for (const ns of [...new Set(p.entries.map((e) => e.namespace))].sort()) {
    const mine = p.entries.filter((e) => e.namespace === ns);
    const hpsName = evhHttpPolicySetName(c, ns, p.host);
    const rules: Record<string, unknown>[] = [];
    // HostRule useRegex / applicationRootPath (hostrule-paths.ts); EVH names are encoded already.
    const byPath = new Map(mine.map((e) => [effectivePath(p.rule, e), e] as const));
    for (const m of sortedForRules([...byPath.keys()])) {
      const e = byPath.get(m)!;
      const poolName = evhPoolName(c, ns, p.host, e.path, e.ingress, e.service);
      if (poolNames.has(poolName)) continue;
      poolNames.add(poolName);
      objects.push(...entryPool(idx, c, tenant, poolName, e, sniPoolMarkers(c.clusterName, ns, p.host, e.path, e.ingress, e.service, c.infraSetting)));
      const pgName = evhPoolGroupName(c, ns, p.host, e.path, e.ingress);
      if (!objects.some((o) => o.type === 'poolgroup' && o.name === pgName)) objects.push(pathPoolGroup(c, tenant, pgName, poolName, ns, p.host, e));
      const rx = regexMatch(c, tenant, p.host, p.rule, m);
      if (rx && !objects.some((o) => o.type === 'stringgroup' && o.name === rx.stringGroup.name)) objects.push(rx.stringGroup);
      for (const path of rx ? [rx.match] : pathMatches(m)) {
        rules.push({
          name: `${hpsName}-${rules.length}`,
          index: rules.length,
          enable: true,
          match: { path },
          switching_action: { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: nameRef('poolgroup', pgName) },
        });
      }
    }
    rules.push(...rootRedirectRules(p.rule, mine, DEFAULT_VS_PORTS, hpsName, rules.length));
    objects.push(
      desiredObject(tenant, 'httppolicyset', hpsName, {
        name: hpsName,
        tenant_ref: tenantRef(tenant),
        created_by: akoUser(c),
        http_request_policy: { rules },
        http_security_policy: {},
        markers: httpPolicySetMarkers(c.clusterName, ns, p.host, [...new Set(mine.map((e) => e.path))].sort(), [...new Set(mine.map((e) => e.ingress))].sort(), c.infraSetting),
      }),
    );
    refs.push({ http_policy_set_ref: nameRef('httppolicyset', hpsName), index: 11 + refs.length });
  }
  return objects;
}
