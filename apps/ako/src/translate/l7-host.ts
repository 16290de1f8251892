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
import { akoUser, defaultCertName, nameRef, nameRefNoSlash, sniHttpPolicySetName, sniPoolGroupName, sniPoolName, tlsCertName } from './names.js';
import { poolGroupChecksum } from './go-checksum.js';
import { poolServers } from './servers.js';
import { nsName, type SnapshotIndex } from './snapshot.js';
import { readTlsSecret, type TlsMaterial } from './tls.js';
import { httpRulePathFor, httpRulePki, httpRulePoolFields } from './httprule.js';
import { HOST_RULE_POLICY_INDEX, hostRuleFor, hostRulesMatching, ruleRef, type AppliedHostRule } from './hostrule.js';
import { foreignHostRuleReason } from './host-owner.js';
import { prefixPath, wildcardHostScript } from './shard-script.js';
import { DEFAULT_VS_PORTS, effectivePath, regexMatch, regexPoolName, rootRedirectRules, usesRegex, type VsPorts } from './hostrule-paths.js';

/**
 * For a wildcard host's VS: a datascript set (named after the VS) that answers 404 to a Host with more or fewer
 * labels than the wildcard allows, and the VS's `vs_datascripts` entry. Nothing for other hosts.
 */
export function wildcardCheck(c: AkoConfig, tenant: string, vsName: string, host: string): { objects: DesiredObject[]; field: Record<string, unknown> } {
  if (!host.startsWith('*.')) return { objects: [], field: {} };
  const ds = desiredObject(tenant, 'vsdatascriptset', vsName, {
    name: vsName,
    tenant_ref: tenantRef(tenant),
    created_by: akoUser(c),
    datascript: [{ evt: 'VS_DATASCRIPT_EVT_HTTP_REQ', script: wildcardHostScript(host) }],
    markers: sharedMarkers(c.clusterName),
  });
  return { objects: [ds], field: { vs_datascripts: [{ vs_datascript_set_ref: nameRef('vsdatascriptset', vsName), index: 0 }] } };
}

/** Suffix of SNI pool names with noPGForSNI (AKO's PoolNameSuffixForHttpPolToPool). */
export const POLICY_TO_POOL_SUFFIX = 'policy-to-pool';

/** How a host is served, decided from all Ingress entries for it. */
export interface HostPlan {
  readonly host: string;
  readonly entries: readonly HostPath[];
  /** Set when the host is secure and its Secret is usable. */
  readonly tls?: { readonly secret: string; readonly material: TlsMaterial };
  /** The accepted HostRule for a secure host (hostrule.ts). */
  readonly rule?: AppliedHostRule;
}

/**
 * Entries with a TLS Secret make the host secure (the first Secret in namespace/Ingress order wins). An unusable
 * Secret rejects the Ingresses that named it and drops their entries; other Ingresses' entries for the host stay.
 */
export function planHost(idx: SnapshotIndex, host: string, entries: readonly HostPath[], verdicts: Verdict[], akoNamespace?: string, evh = false): HostPlan | undefined {
  const secured = entries.filter((e) => e.secret !== undefined);
  if (secured.length === 0) return { host, entries };
  const secret = secured[0]!.secret!;
  const material = readTlsSecret(idx, secret, host);
  if ('problem' in material) {
    for (const e of uniqueIngresses(secured)) verdicts.push(rejected('Ingress', e.namespace, e.ingress, `host ${host}: ${material.problem}`));
    const rest = entries.filter((e) => e.secret === undefined);
    return rest.length > 0 ? { host, entries: rest } : undefined;
  }
  const rule = ownersHostRule(idx, host, entries, verdicts, akoNamespace, evh);
  return { host, entries, tls: { secret, material }, ...(rule ? { rule } : {}) };
}

/**
 * A HostRule changes the host's VS (certificate, policies, enabled): only one of the host's namespace (its entries
 * are the owner's, host-owner.ts) or of AKO's namespace applies; another namespace's is rejected for the host.
 */
export function ownersHostRule(
  idx: SnapshotIndex,
  host: string,
  entries: readonly HostPath[],
  verdicts: Verdict[],
  akoNamespace?: string,
  evh = false,
): AppliedHostRule | undefined {
  const owner = entries[0]!.namespace;
  const mayApply = (n: string): boolean => n === owner || n === akoNamespace;
  for (const r of hostRulesMatching(idx, host)) {
    const rns = r.metadata?.namespace ?? '';
    if (!mayApply(rns)) verdicts.push(rejected('HostRule', rns, r.metadata?.name ?? '', foreignHostRuleReason(host, owner, rns, akoNamespace)));
  }
  return hostRuleFor(idx, host, mayApply, akoNamespace, evh);
}

export const uniqueIngresses = (entries: readonly HostPath[]): HostPath[] => {
  const seen = new Map<string, HostPath>();
  for (const e of entries) if (!seen.has(`${e.namespace}/${e.ingress}`)) seen.set(`${e.namespace}/${e.ingress}`, e);
  return [...seen.values()];
};

/**
 * Pool for one host/path entry (servers from the backend Service; none if it or its port is missing), with what an
 * accepted HTTPRule for the host and path sets, and the PKI profile of its destinationCA.
 */
export function entryPool(idx: SnapshotIndex, c: AkoConfig, tenant: string, poolName: string, e: HostPath, markers: unknown): DesiredObject[] {
  const rule = e.host ? httpRulePathFor(idx, e.host, e.path) : undefined;
  const svc = idx.services.get(nsName(e.namespace, e.service));
  const sp = (svc?.spec?.ports ?? []).find((p) => (e.port.number !== undefined ? p.port === e.port.number : p.name === e.port.name));
  const servers = svc && sp ? poolServers(idx, c, svc, sp) : [];
  const pool = desiredObject(tenant, 'pool', poolName, {
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
    service_metadata: serviceMetadata({
      ingress_name: e.ingress,
      namespace: e.namespace,
      hostnames: [e.host],
      pool_ratio: 100,
      // The HTTPRule applied: `<ns>/<rule>/<target>` (as the Go AKO writes it).
      ...(rule ? { crd_status: { type: 'HTTPRule', value: `${rule.ruleKey}/${rule.target ?? ''}`, status: 'ACTIVE' } } : {}),
    }),
    ...(rule ? httpRulePoolFields(rule, poolName) : {}),
  });
  return rule ? [pool, ...httpRulePki(c, tenant, rule, poolName, markers)] : [pool];
}

/** The pool group of one host path (an SNI child's, a dedicated VS's, an EVH child's): its one pool at ratio 100. */
export function pathPoolGroup(c: AkoConfig, tenant: string, pgName: string, poolName: string, ns: string, host: string, e: HostPath): DesiredObject {
  const members = [{ pool_ref: poolMemberRef(poolName), ratio: 100 }];
  const markers = { Namespace: ns, Host: [host], Path: [e.path], IngressName: [e.ingress], ...(c.infraSetting ? { InfrasettingName: c.infraSetting } : {}) };
  return desiredObject(
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
      markers: sniPoolGroupMarkers(c.clusterName, ns, host, e.path, e.ingress, c.infraSetting),
    },
    poolGroupChecksum(c.clusterName, members, markers),
  );
}

/** Pool-group members as the Go AKO writes them (`/api/pool?name=` refs, name URL-encoded). */
export const poolMemberRef = (poolName: string): string => nameRefNoSlash('pool', poolName);

/** How a mode names a host's certificates: SNI and dedicated (names.ts), EVH (encoded, evh-names.ts). */
export interface CertNames {
  host(c: AkoConfig, host: string, alt: boolean): string;
  /** The default certificate (`router-certs-default`), named after the Secret. */
  shared(c: AkoConfig, secretName: string): string;
}
const SNI_CERT_NAMES: CertNames = { host: (c, host, alt) => tlsCertName(c, host, c.infraSetting, alt), shared: defaultCertName };

/** The certificates of a secure host (the alternate one too when the Secret has it); none for an insecure host. */
export function certObjects(c: AkoConfig, tenant: string, plan: HostPlan, names: CertNames = SNI_CERT_NAMES): DesiredObject[] {
  // A HostRule certificate replaces the Ingress's: an Avi certificate (no object of ours) or a Secret's, named -alt.
  if (!plan.tls || plan.rule?.certRefs) return [];
  const isDefault = !plan.rule?.certSecret && plan.tls.secret === nsName(c.akoNamespace, DEFAULT_SECRET);
  const mk = (name: string, cert: string, key: string): DesiredObject =>
    desiredObject(tenant, 'sslkeyandcertificate', name, {
      name,
      tenant_ref: tenantRef(tenant),
      created_by: akoUser(c),
      type: 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE',
      certificate: { certificate: cert },
      key,
      // The default certificate is shared by every host that uses it, so it carries no Host marker.
      markers: isDefault ? sharedMarkers(c.clusterName) : tlsCertMarkers(c.clusterName, plan.host, c.infraSetting),
    });
  if (plan.rule?.certSecret) return [mk(names.host(c, plan.host, true), plan.rule.certSecret.cert, plan.rule.certSecret.key)];
  const m = plan.tls.material;
  const out = [mk(isDefault ? names.shared(c, DEFAULT_SECRET) : names.host(c, plan.host, false), m.cert, m.key)];
  if (m.alt) out.push(mk(isDefault ? names.shared(c, `${DEFAULT_SECRET}-alt`) : names.host(c, plan.host, true), m.alt.cert, m.alt.key));
  return out;
}

const rulePath = (e: HostPath): string => (e.pathType === 'Prefix' ? prefixPath(e.path) : e.path);

/** Rules of one namespace's HTTP policy set: longer paths first so the most specific prefix wins, Exact before the others. */
export function sortedForRules(entries: readonly HostPath[]): HostPath[] {
  const exact = (e: HostPath): number => (e.pathType === 'Exact' ? 0 : 1);
  // Equal lengths keep the Ingress order (as the Go AKO).
  return [...entries].sort((a, b) => rulePath(b).length - rulePath(a).length || exact(a) - exact(b));
}

/**
 * The path matches of one entry, each a rule of its own (an Avi rule has one path match): Exact is EQUALS; Prefix
 * matches by path element, EQUALS `/foo` and BEGINS_WITH `/foo/` (`/` alone: BEGINS_WITH `/`); ImplementationSpecific
 * keeps the Go AKO's BEGINS_WITH the path as written. Case-sensitive.
 */
export function pathMatches(e: HostPath): { match_criteria: 'EQUALS' | 'BEGINS_WITH'; match_case: 'SENSITIVE'; match_str: string[] }[] {
  const m = (criteria: 'EQUALS' | 'BEGINS_WITH', str: string) => ({ match_criteria: criteria, match_case: 'SENSITIVE' as const, match_str: [str] });
  if (e.pathType === 'Exact') return [m('EQUALS', e.path || '/')];
  if (e.pathType === 'ImplementationSpecific') return [m('BEGINS_WITH', e.path || '/')];
  const p = prefixPath(e.path);
  return p === '' ? [m('BEGINS_WITH', '/')] : [m('EQUALS', p), m('BEGINS_WITH', `${p}/`)];
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
  ports: VsPorts = DEFAULT_VS_PORTS,
): { objects: DesiredObject[]; httpPolicies: { http_policy_set_ref: string; index: number }[] } {
  const objects: DesiredObject[] = [];
  const poolNames = new Set<string>();
  const httpPolicies: { http_policy_set_ref: string; index: number }[] = [];
  // HostRule useRegex / applicationRootPath (hostrule-paths.ts): regex names of pools, the root path's rules.
  const regex = usesRegex(p.rule);
  const named = (n: string): string => (regex ? regexPoolName(c, n) : n);
  for (const ns of [...new Set(p.entries.map((e) => e.namespace))].sort()) {
    const mine = p.entries.filter((e) => e.namespace === ns);
    const hpsName = sniHttpPolicySetName(c, ns, p.host, c.infraSetting);
    const rules: Record<string, unknown>[] = [];
    const byPath = new Map(mine.map((e) => [effectivePath(p.rule, e), e] as const));
    for (const m of sortedForRules([...byPath.keys()])) {
      const e = byPath.get(m)!;
      // noPGForSNI: the rule selects the pool directly; the pool name then ends in `--policy-to-pool`.
      const direct = c.noPGForSNI;
      const baseName = sniPoolName(c, e.ingress, ns, p.host, e.path, c.infraSetting, dedicated);
      const poolName = named(direct ? `${baseName}--${POLICY_TO_POOL_SUFFIX}` : baseName);
      if (poolNames.has(poolName)) continue;
      poolNames.add(poolName);
      objects.push(...entryPool(idx, c, tenant, poolName, e, sniPoolMarkers(c.clusterName, ns, p.host, e.path, e.ingress, e.service, c.infraSetting)));
      let switching: Record<string, string>;
      if (direct) {
        switching = { action: 'HTTP_SWITCHING_SELECT_POOL', pool_ref: nameRef('pool', poolName) };
      } else {
        const pgName = named(sniPoolGroupName(c, e.ingress, ns, p.host, e.path, c.infraSetting, dedicated));
        objects.push(pathPoolGroup(c, tenant, pgName, poolName, ns, p.host, e));
        switching = { action: 'HTTP_SWITCHING_SELECT_POOLGROUP', pool_group_ref: nameRef('poolgroup', pgName) };
      }
      const rx = regexMatch(c, tenant, p.host, p.rule, m);
      if (rx && !objects.some((o) => o.type === 'stringgroup' && o.name === rx.stringGroup.name)) objects.push(rx.stringGroup);
      for (const path of rx ? [rx.match] : pathMatches(m)) {
        rules.push({
          // Rules are named after their policy set and index (as the Go AKO names them).
          name: `${hpsName}-${rules.length}`,
          index: rules.length,
          enable: true,
          match: { path },
          switching_action: switching,
        });
      }
    }
    rules.push(...rootRedirectRules(p.rule, mine, ports, hpsName, rules.length));
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
          dedicated && !p.tls ? '' : (p.rule?.domains ?? p.host),
          [...new Set(mine.map((e) => e.path))].sort(),
          [...new Set(mine.map((e) => e.ingress))].sort(),
          c.infraSetting,
        ),
      }),
    );
    httpPolicies.push({ http_policy_set_ref: nameRef('httppolicyset', hpsName), index: firstIndex + httpPolicies.length });
  }
  return { objects, httpPolicies };
}

/** `service_metadata` of a host's VS: the Ingresses that define it (for status) and the host. */
export const hostServiceMetadata = (p: HostPlan): string =>
  serviceMetadata({
    namespace_ingress_name: uniqueIngresses(p.entries).map((e) => `${e.namespace}/${e.ingress}`),
    namespace: p.entries[0]!.namespace,
    hostnames: [p.host],
    ...(p.rule ? { crd_status: { type: 'HostRule', value: p.rule.key, status: 'ACTIVE' } } : {}),
  });

/** The certificate refs of a secure host's VS: the HostRule's Avi certificates, else ours. */
export const certRefsOf = (p: HostPlan, certs: readonly DesiredObject[]): string[] =>
  p.rule?.certRefs ? p.rule.certRefs.map((n) => ruleRef('sslkeyandcertificate', n)) : certs.map((o) => nameRef('sslkeyandcertificate', o.name));

/**
 * The VS fields a HostRule sets (profiles, policies, `enabled`), merged over the host's own: its HTTP policy sets
 * after AKO's (or in their place with overwrite), its datascripts after the wildcard check.
 */
export function withHostRule(p: HostPlan, vs: Record<string, unknown>): Record<string, unknown> {
  const r = p.rule;
  if (!r) return vs;
  const own = (vs.http_policies as { http_policy_set_ref: string; index: number }[] | undefined) ?? [];
  const theirs = r.policySets.map((n, i) => ({ http_policy_set_ref: ruleRef('httppolicyset', n), index: HOST_RULE_POLICY_INDEX + i }));
  const ds = (vs.vs_datascripts as { vs_datascript_set_ref: string; index: number }[] | undefined) ?? [];
  const moreDs = r.datascripts.map((n, i) => ({ index: ds.length + i, vs_datascript_set_ref: ruleRef('vsdatascriptset', n) }));
  const out: Record<string, unknown> = { ...vs, ...r.vsFields, vh_domain_name: [...r.domains] };
  if (vs.type !== 'VS_TYPE_VH_CHILD') delete out.vh_domain_name;
  // As the Go AKO: a network security policy is set on a shared parent or dedicated VS only (hostrule-shared.ts warns).
  if (vs.type === 'VS_TYPE_VH_CHILD') delete out.network_security_policy_ref;
  // An L7Rule's hostNameXlate, performanceLimits, securityPolicyRef: not on a child (Go AKO, l7rule.ts).
  if (vs.type !== 'VS_TYPE_VH_CHILD') Object.assign(out, r.parentOnlyFields ?? {});
  const policies = r.overwritePolicies && theirs.length > 0 ? theirs : [...own, ...theirs];
  if (policies.length > 0) out.http_policies = policies;
  if (ds.length + moreDs.length > 0) out.vs_datascripts = [...ds, ...moreDs];
  return out;
}

