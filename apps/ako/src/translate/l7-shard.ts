/**
 * The `L7/<shard VS name>` unit (SNI mode): a shared parent VS with its VsVip, pool group, datascript and redirect
 * policy, the pools of its insecure host/paths, and an SNI child VS (+certificate, pools, pool groups, HTTP policy
 * sets) per secure host. The VS exists while at least one accepted host hashes to it.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import {
  appProfileRef,
  cloudRef,
  networkProfileRef,
  placement,
  rejected,
  seGroupRef,
  serviceMetadata,
  tenantFor,
  tenantRef,
  type UnitResult,
  type Verdict,
} from './common.js';
import type { AkoConfig } from './config.js';
import { hostTable } from './ingress.js';
import { planWarnings } from './l7-warnings.js';
import { certObjects, certRefsOf, entryPool, withHostRule, hostPathObjects, hostServiceMetadata, planHost, poolMemberRef, wildcardCheck, type HostPlan } from './l7-host.js';
import { poolGroupChecksum } from './go-checksum.js';
import { shardPoolMarkers, sharedMarkers, sniVsMarkers } from './markers.js';
import { shardScript, type ShardRoute } from './shard-script.js';
import { akoUser, DEFAULT_BACKEND_LABEL, defaultBackendPoolName, l7PoolName, nameRef, redirectPolicyName, sharedDataScriptName, sharedPoolGroupName, sharedVsVipName, sniVsName } from './names.js';
import { sharedVsVip } from './shared-vsvip.js';
import { hostUnit, isShardVsName, unitSubject } from './shard.js';
import { cmp, EMPTY_SNAPSHOT, indexSnapshot, type SnapshotIndex } from './snapshot.js';
import { entriesConfig } from './infra-setting.js';
import { evhShardObjects } from './evh.js';
import { childParentOnlyWarnings, sharedVsRule, withSharedVsRule } from './hostrule-shared.js';
import type { AppliedHostRule } from './hostrule.js';
import type { HostPath } from './ingress.js';
import type { ShardMemo } from './shard-memo.js';
import type { ObjectWarning } from './warnings.js';

/**
 * `memo` (shard-memo.ts, kept by the operator per unit): each host whose inputs are the objects of the last
 * translation gives its part of it again, its objects as stubs.
 */
export function translateShardUnit(idx: SnapshotIndex, c: AkoConfig, unit: string, memo?: ShardMemo): UnitResult {
  const vsName = unitSubject(unit, 'L7/');
  const verdicts: Verdict[] = [];
  const plans: HostPlan[] = [];
  let touched = false;
  // The config of the shard: an AviInfraSetting's when its hosts are placed by one (the unit name has its name).
  let sc = c;
  memo?.begin(idx, c);
  for (const [host, all] of [...hostTable(idx, c).byHost.entries()].sort(([a], [b]) => cmp(a, b))) {
    const hc = entriesConfig(idx, c, all);
    if (hostUnit(hc, host) !== unit) continue;
    touched = true;
    sc = hc;
    const planned = () => {
      const vs: Verdict[] = [];
      // A host is placed by the AviInfraSetting of its first Ingress: Ingresses placing it otherwise are not served.
      const entries = all.filter((e) => e.infra === all[0]!.infra);
      for (const e of all.filter((x) => x.infra !== all[0]!.infra)) {
        vs.push(rejected('Ingress', e.namespace, e.ingress, `host ${host} is placed by ${all[0]!.infra ? `AviInfraSetting ${all[0]!.infra}` : 'no AviInfraSetting'} in Ingress ${all[0]!.namespace}/${all[0]!.ingress}`));
      }
      return { plan: planHost(idx, host, entries, vs, c.akoNamespace), verdicts: vs };
    };
    const { plan: p, verdicts: vs } = memo ? memo.plan(idx, hc, host, all, planned) : planned();
    verdicts.push(...vs);
    if (p) plans.push(p);
  }
  // A shard some Ingress host maps to exists even when none of its hosts can be built (a TLS host without its
  // Secret): the Go AKO creates the shard VS first and keeps it.
  if (!touched) {
    memo?.end();
    return { unit, objects: [], verdicts };
  }
  // Each host's warnings and objects (made with the shard's config).
  const built = new Map<HostPlan, { warnings: readonly ObjectWarning[]; objects: readonly DesiredObject[] }>();
  for (const p of plans) {
    const make = () => ({ warnings: planWarnings(idx, sc, p), objects: hostObjects(idx, sc, vsName, p) });
    built.set(p, memo ? memo.built(p, sc, idx.snapshot.now, make) : make());
  }
  const recheckAt = memo?.end();
  // A HostRule for the shard VS itself (its FQDN): tcpSettings and VS fields on the parent (hostrule-shared.ts).
  const shared = sharedVsRule(idx, sc, vsName, tenantFor(idx, c, c.akoNamespace));
  const warnings = [...plans.flatMap((p) => built.get(p)!.warnings), ...shared.warnings, ...childParentOnlyWarnings(plans)];
  const parents = () => parentObjects(sc, vsName, plans, shared.rule);
  const objects = [
    ...plans.filter((p) => !p.tls).flatMap((p) => built.get(p)!.objects),
    ...plans.filter((p) => p.tls).flatMap((p) => built.get(p)!.objects),
    ...(memo ? memo.parents(parentInputs(sc, vsName, plans, shared.rule), parents) : parents()),
  ];
  return { unit, objects, verdicts, ...(warnings.length > 0 ? { warnings } : {}), ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/** One host's own objects: an insecure host's pools (one per pool name), a secure host's SNI child and what it uses. */
function hostObjects(idx: SnapshotIndex, c: AkoConfig, vsName: string, p: HostPlan): DesiredObject[] {
  if (p.tls) return sniChild(idx, c, c.tenant, vsName, p);
  const out: DesiredObject[] = [];
  const made = new Set<string>();
  for (const e of p.entries) {
    const poolName = entryPoolName(c, e);
    if (made.has(poolName)) continue;
    made.add(poolName);
    out.push(...entryPool(idx, c, c.tenant, poolName, e, shardPoolMarkers(c.clusterName, e.namespace, e.host, e.path, e.ingress, c.infraSetting)));
  }
  return out;
}

const entryPoolName = (c: AkoConfig, e: HostPath): string =>
  e.defaultBackend ? defaultBackendPoolName(c, e.namespace, e.ingress) : l7PoolName(c, e.host, e.path, e.namespace, e.ingress, c.infraSetting);

/**
 * A shard VS that no host maps to any more, as the Go AKO keeps it: VS, VsVip (its own FQDN only), empty pool group
 * and datascript, so its VIP never changes when hosts come back.
 */
export function emptyShard(c: AkoConfig, vsName: string, view?: SnapshotIndex): DesiredObject[] {
  const idx = view ?? indexSnapshot(EMPTY_SNAPSHOT);
  // A HostRule for the shard itself (its listeners, its VIP) still applies to it (`view`: the unit's Store view).
  const rule = view ? sharedVsRule(view, c, vsName).rule : undefined;
  if (c.enableEVH) return evhShardObjects(idx, c, vsName, [], rule);
  return parentObjects(c, vsName, [], rule);
}

/** Adds an empty shard for each of `shardVsNames` (e.g. the shard VSes on the controller) that `objects` lacks. */
export function withRetainedShards(objects: readonly DesiredObject[], c: AkoConfig, shardVsNames: Iterable<string>): DesiredObject[] {
  const have = new Set(objects.filter((o) => o.type === 'virtualservice').map((o) => o.name));
  const extra = [...new Set(shardVsNames)].filter((n) => !have.has(n) && isShardVsName(c, n)).sort().flatMap((n) => emptyShard(c, n));
  return extra.length === 0 ? [...objects] : [...objects, ...extra];
}

/**
 * What the shard's parent objects read of its hosts: each host's name, security, HostRule names and entries (kept
 * per Ingress object, ingress.ts hostPaths), with the shard's config and its own HostRule. A change inside a host (an
 * endpoint, a certificate) leaves these as they were.
 */
function parentInputs(c: AkoConfig, vsName: string, plans: readonly HostPlan[], rule: AppliedHostRule | undefined): unknown[] {
  const out: unknown[] = [c, vsName, rule === undefined ? undefined : JSON.stringify(rule)];
  for (const p of plans) {
    out.push(p.host, p.tls !== undefined, p.rule === undefined ? undefined : JSON.stringify([p.rule.domains, p.rule.dnsNames]), p.entries.length, ...p.entries);
  }
  return out;
}

/**
 * The shared parent and its companions: VsVip, pool group and datascript (the insecure hosts' pools and routes),
 * the redirect policy of the secure hosts, and the VS.
 */
function parentObjects(c: AkoConfig, vsName: string, plans: readonly HostPlan[], rule: AppliedHostRule | undefined): DesiredObject[] {
  const tenant = c.tenant;
  const objects: DesiredObject[] = [];
  const common = { tenant_ref: tenantRef(tenant) };
  const pgName = sharedPoolGroupName(vsName);
  const dsName = sharedDataScriptName(vsName);
  const vipName = sharedVsVipName(vsName);

  // Insecure host/paths: pools on the shared pool group, selected by the datascript on host + first path segment.
  const members: { pool_ref: string; priority_label: string; ratio: number }[] = [];
  const routes: ShardRoute[] = [];
  const labelOfPool = new Map<string, string>();
  const taken = new Set<string>();
  for (const p of plans.filter((x) => !x.tls)) {
    for (const e of p.entries) {
      const poolName = entryPoolName(c, e);
      let label = labelOfPool.get(poolName);
      if (label === undefined) {
        const base = e.defaultBackend ? `${DEFAULT_BACKEND_LABEL}/${e.namespace}/${e.ingress}` : (e.host + e.path).toLowerCase();
        // The Go AKO's label (host + path, lower case) is shared by pools of paths differing in case or pathType, or
        // of other Ingresses: a taken label gets `#<n>`, so the datascript selects exactly one pool.
        label = base;
        for (let n = 2; taken.has(label); n++) label = `${base}#${n}`;
        labelOfPool.set(poolName, label);
        taken.add(label);
        members.push({ pool_ref: poolMemberRef(poolName), priority_label: label, ratio: 100 });
      }
      routes.push({ entry: e, label });
    }
  }
  // One defaultBackend per shard: the first Ingress's (namespace, name order) wins, as the API leaves it open.
  const firstDefault = routes.find((r) => r.entry.defaultBackend);
  const shardRoutes = routes.filter((r) => !r.entry.defaultBackend || r === firstDefault);
  members.sort((a, b) => cmp(a.pool_ref, b.pool_ref));

  const secure = plans.filter((x) => x.tls);
  objects.push(sharedVsVip(c, tenant, vsName, vipName, plans, rule?.tcp?.loadBalancerIP));
  objects.push(
    desiredObject(
      tenant,
      'poolgroup',
      pgName,
      {
        name: pgName,
        ...common,
        cloud_ref: cloudRef(c),
        created_by: akoUser(c),
        implicit_priority_labels: true,
        ...(members.length > 0 ? { members } : {}),
        markers: sharedMarkers(c.clusterName),
      },
      poolGroupChecksum(c.clusterName, members, {}),
    ),
  );
  objects.push(
    desiredObject(tenant, 'vsdatascriptset', dsName, {
      name: dsName,
      ...common,
      created_by: akoUser(c),
      datascript: [{ evt: 'VS_DATASCRIPT_EVT_HTTP_REQ', script: shardScript(pgName, shardRoutes) }],
      pool_group_refs: [nameRef('poolgroup', pgName)],
      markers: sharedMarkers(c.clusterName),
    }),
  );
  const httpPolicies: { http_policy_set_ref: string; index: number }[] = [];
  if (secure.length > 0) {
    const redirName = redirectPolicyName(vsName);
    objects.push(
      desiredObject(tenant, 'httppolicyset', redirName, {
        name: redirName,
        ...common,
        created_by: akoUser(c),
        http_request_policy: {
          // One rule for every secure host of the shard (and their HostRule aliases), as the Go AKO.
          rules: [
            {
              name: `${redirName}-0`,
              index: 0,
              enable: true,
              match: {
                host_hdr: { match_criteria: 'HDR_EQUALS', value: [...new Set(secure.flatMap((p) => p.rule?.domains ?? [p.host]))].sort() },
                vs_port: { match_criteria: 'IS_IN', ports: [80] },
              },
              redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
            },
          ],
        },
        http_security_policy: {},
        markers: sharedMarkers(c.clusterName),
      }),
    );
    httpPolicies.push({ http_policy_set_ref: nameRef('httppolicyset', redirName), index: 11 });
  }
  objects.push(
    desiredObject(tenant, 'virtualservice', vsName, withSharedVsRule(rule, {
      name: vsName,
      ...common,
      created_by: akoUser(c),
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vs'),
      se_group_ref: seGroupRef(c),
      type: 'VS_TYPE_VH_PARENT',
      application_profile_ref: appProfileRef('System-HTTP'),
      network_profile_ref: networkProfileRef('System-TCP-Proxy'),
      vsvip_ref: nameRef('vsvip', vipName),
      services: [
        { port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false },
        { port: 443, port_range_end: 443, enable_ssl: true, enable_http2: false },
      ],
      // No pool_group_ref: the datascript selects the pool-group member (as the Go AKO's shard VS).
      vs_datascripts: [{ vs_datascript_set_ref: nameRef('vsdatascriptset', dsName), index: 0 }],
      ...(httpPolicies.length > 0 ? { http_policies: httpPolicies } : {}),
      markers: sharedMarkers(c.clusterName),
      service_metadata: serviceMetadata({}),
      ...(c.enableRHI ? { enable_rhi: true } : {}),
    })),
  );
  return objects;
}

/** The SNI child VS of a secure host and its certificate, pools, pool groups and HTTP policy sets. */
function sniChild(idx: SnapshotIndex, c: AkoConfig, tenant: string, parent: string, p: HostPlan): DesiredObject[] {
  const certs = certObjects(c, tenant, p);
  const paths = hostPathObjects(idx, c, tenant, p, false, 11);
  const childName = sniVsName(c, p.host, c.infraSetting);
  const wildcard = wildcardCheck(c, tenant, childName, p.host);
  // The Go AKO sends no tenant_ref on an SNI child (it follows its parent; the request's tenant header places it).
  const child = desiredObject(tenant, 'virtualservice', childName, withHostRule(p, {
    name: childName,
    created_by: akoUser(c),
    cloud_ref: cloudRef(c),
    ...placement(c, 'vrf_context_ref', 'vs'),
    // The Go AKO names AKO's own SE group on an SNI child, also under an AviInfraSetting (the child follows its parent).
    se_group_ref: seGroupRef(c.infraBase ?? c),
    type: 'VS_TYPE_VH_CHILD',
    vh_parent_vs_ref: nameRef('virtualservice', parent),
    vh_domain_name: [p.host],
    application_profile_ref: appProfileRef('System-Secure-HTTP'),
    network_profile_ref: networkProfileRef('System-TCP-Proxy'),
    ssl_key_and_certificate_refs: certRefsOf(p, certs),
    http_policies: paths.httpPolicies,
    ...wildcard.field,
    ign_pool_net_reach: false,
    east_west_placement: false,
    markers: sniVsMarkers(c.clusterName, p.entries[0]!.namespace, p.rule?.domains ?? p.host, c.infraSetting),
    service_metadata: hostServiceMetadata(p),
  }));
  return [...certs, ...paths.objects, ...wildcard.objects, child];
}
