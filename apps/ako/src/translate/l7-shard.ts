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
  seGroupRef,
  tenantRef,
  vipEntry,
  type UnitResult,
  type Verdict,
} from './common.js';
import type { AkoConfig } from './config.js';
import { autoFqdnFormat, autoFqdnSubdomain } from './fqdn.js';
import { hostTable } from './ingress.js';
import { certObjects, entryPool, hostPathObjects, hostServiceMetadata, planHost, type HostPlan } from './l7-host.js';
import { sharedMarkers, sniVsMarkers } from './markers.js';
import { akoUser, l7PoolName, nameRef, redirectPolicyName, sharedDataScriptName, sharedPoolGroupName, sharedVsVipName, sniVsName } from './names.js';
import { hostUnit } from './shard.js';
import { cmp, type SnapshotIndex } from './snapshot.js';

export function translateShardUnit(idx: SnapshotIndex, c: AkoConfig, unit: string): UnitResult {
  const vsName = unit.slice('L7/'.length);
  const tenant = c.tenant;
  const verdicts: Verdict[] = [];
  const plans: HostPlan[] = [];
  for (const [host, entries] of [...hostTable(idx, c).byHost.entries()].sort(([a], [b]) => cmp(a, b))) {
    if (hostUnit(c, host) !== unit) continue;
    const p = planHost(idx, host, entries, verdicts);
    if (p) plans.push(p);
  }
  if (plans.length === 0) return { unit, objects: [], verdicts };

  const objects: DesiredObject[] = [];
  const common = { tenant_ref: tenantRef(tenant) };
  const pgName = sharedPoolGroupName(vsName);
  const dsName = sharedDataScriptName(vsName);
  const vipName = sharedVsVipName(vsName);

  // Insecure host/paths: pools on the shared pool group, selected by the datascript on host + first path segment.
  const members: { pool_ref: string; priority_label: string; ratio: number }[] = [];
  const poolNames = new Set<string>();
  for (const p of plans.filter((x) => !x.tls)) {
    for (const e of p.entries) {
      const poolName = l7PoolName(c, e.host, e.path, e.namespace, e.ingress);
      if (poolNames.has(poolName)) continue;
      poolNames.add(poolName);
      objects.push(entryPool(idx, c, tenant, poolName, e, sharedMarkers(c.clusterName)));
      members.push({ pool_ref: nameRef('pool', poolName), priority_label: (e.host + e.path).toLowerCase(), ratio: 1 });
    }
  }
  members.sort((a, b) => cmp(a.pool_ref, b.pool_ref));

  const secure = plans.filter((x) => x.tls);
  for (const p of secure) objects.push(...sniChild(idx, c, tenant, vsName, p));

  // The shared parent and its companions.
  const sub = autoFqdnSubdomain(c);
  const fmt = autoFqdnFormat(c.autoFQDN);
  const dnsTenant = tenant.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const vsFqdn = sub === undefined || fmt === 'disabled' ? [] : [fmt === 'flat' ? `${vsName}-${dnsTenant}.${sub}` : `${vsName}.${dnsTenant}.${sub}`];
  objects.push(
    desiredObject(tenant, 'vsvip', vipName, {
      name: vipName,
      ...common,
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vsvip'),
      vip: [vipEntry(c, undefined)],
      dns_info: [...vsFqdn, ...plans.map((p) => p.host)].map((fqdn) => ({ fqdn })),
      east_west_placement: false,
      markers: sharedMarkers(c.clusterName),
      ...(c.enableRHI && c.bgpPeerLabels.length > 0 ? { bgp_peer_labels: [...c.bgpPeerLabels] } : {}),
    }),
  );
  objects.push(
    desiredObject(tenant, 'poolgroup', pgName, {
      name: pgName,
      ...common,
      cloud_ref: cloudRef(c),
      created_by: akoUser(c),
      implicit_priority_labels: true,
      members,
      markers: sharedMarkers(c.clusterName),
    }),
  );
  objects.push(
    desiredObject(tenant, 'vsdatascriptset', dsName, {
      name: dsName,
      ...common,
      created_by: akoUser(c),
      datascript: [{ evt: 'VS_DATASCRIPT_EVT_HTTP_REQ', script: hostPathSelectScript(pgName) }],
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
          rules: secure.map((p, i) => ({
            name: `${redirName}-${i}`,
            index: i,
            enable: true,
            match: { host_hdr: { match_criteria: 'HDR_EQUALS', value: [p.host] }, vs_port: { match_criteria: 'IS_IN', ports: [80] } },
            redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
          })),
        },
        markers: sharedMarkers(c.clusterName),
      }),
    );
    httpPolicies.push({ http_policy_set_ref: nameRef('httppolicyset', redirName), index: 11 });
  }
  objects.push(
    desiredObject(tenant, 'virtualservice', vsName, {
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
      pool_group_ref: nameRef('poolgroup', pgName),
      vs_datascripts: [{ vs_datascript_set_ref: nameRef('vsdatascriptset', dsName), index: 0 }],
      http_policies: httpPolicies,
      markers: sharedMarkers(c.clusterName),
      ...(c.enableRHI ? { enable_rhi: true } : {}),
    }),
  );
  return { unit, objects, verdicts };
}

/** The SNI child VS of a secure host and its certificate, pools, pool groups and HTTP policy sets. */
function sniChild(idx: SnapshotIndex, c: AkoConfig, tenant: string, parent: string, p: HostPlan): DesiredObject[] {
  const certs = certObjects(c, tenant, p);
  const paths = hostPathObjects(idx, c, tenant, p, false, 11);
  const childName = sniVsName(c, p.host);
  const child = desiredObject(tenant, 'virtualservice', childName, {
    name: childName,
    tenant_ref: tenantRef(tenant),
    created_by: akoUser(c),
    cloud_ref: cloudRef(c),
    ...placement(c, 'vrf_context_ref', 'vs'),
    se_group_ref: seGroupRef(c),
    type: 'VS_TYPE_VH_CHILD',
    vh_parent_vs_ref: nameRef('virtualservice', parent),
    vh_domain_name: [p.host],
    application_profile_ref: appProfileRef('System-Secure-HTTP'),
    network_profile_ref: networkProfileRef('System-TCP-Proxy'),
    ssl_key_and_certificate_refs: certs.map((o) => nameRef('sslkeyandcertificate', o.name)),
    http_policies: paths.httpPolicies,
    ign_pool_net_reach: false,
    east_west_placement: false,
    markers: sniVsMarkers(c.clusterName, p.entries[0]!.namespace, p.host),
    service_metadata: hostServiceMetadata(p),
  });
  return [...certs, ...paths.objects, child];
}

/**
 * The shared VS datascript: select the shared pool group member labelled `<host>/<first path segment>` (lower case,
 * port stripped from the Host header), the labels the pools carry. Our own script with the behaviour of AKO's.
 */
export function hostPathSelectScript(poolGroup: string): string {
  return [
    'local host = avi.http.hostname()',
    'if host == nil then return end',
    'host = string.lower(string.gsub(host, ":%d+$", ""))',
    'local first = avi.http.get_path_tokens(1, 1)',
    'local label = host .. "/"',
    'if first ~= nil and first ~= "" then label = label .. string.lower(first) end',
    `avi.poolgroup.select("${poolGroup}", label)`,
  ].join('\n');
}
