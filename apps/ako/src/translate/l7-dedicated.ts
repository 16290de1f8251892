/**
 * shardVSSize DEDICATED (spec ako.md §1 "Dedicated VS mode"): one VS_TYPE_NORMAL VS per host named
 * `<cluster>--<host>-L7-dedicated`, port 80 (and 443 with the certificate for a secure host), HTTP policy sets for path
 * switching and, for a secure host, the 80 -> 443 redirect. Pools, pool groups and rules carry the `-L7-dedicated`
 * suffix. No autoFQDN for the VS. Unit key `L7Dedicated/<host>`.
 */
import { desiredObject } from './checksum.js';
import { appProfileRef, cloudRef, networkProfileRef, placement, seGroupRef, tenantRef, vipEntry, type UnitResult, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { hostTable } from './ingress.js';
import { planWarnings } from './l7-warnings.js';
import { certObjects, certRefsOf, withHostRule, hostPathObjects, hostServiceMetadata, planHost, wildcardCheck } from './l7-host.js';
import { buildMarkers, sharedMarkers, sniVsMarkers } from './markers.js';
import { vsVipChecksum } from './go-checksum.js';
import { tcpServices } from './hostrule.js';
import { akoUser, dedicatedVsName, nameRef, redirectPolicyName } from './names.js';
import type { SnapshotIndex } from './snapshot.js';
import { entriesConfig } from './infra-setting.js';
import { unitSubject } from './shard.js';

export function translateDedicatedUnit(idx: SnapshotIndex, base: AkoConfig, unit: string): UnitResult {
  const host = unitSubject(unit, 'L7Dedicated/');
  const verdicts: Verdict[] = [];
  const entries = hostTable(idx, base).byHost.get(host);
  // The host's AviInfraSetting (shardSize DEDICATED, or none in a DEDICATED AKO) and its namespace's tenant.
  const c = entries ? entriesConfig(idx, base, entries) : base;
  const plan = entries ? planHost(idx, host, entries, verdicts, c.akoNamespace) : undefined;
  if (!plan) return { unit, objects: [], verdicts };

  const tenant = c.tenant;
  const vsName = dedicatedVsName(c, host, c.infraSetting);
  const secure = plan.tls !== undefined;
  const certs = certObjects(c, tenant, plan);
  const redirect = secure ? redirectPolicyName(vsName) : undefined;
  const own = [{ port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false }];
  if (secure) own.push({ port: 443, port_range_end: 443, enable_ssl: true, enable_http2: false });
  // A HostRule's tcpSettings: its listeners replace the ports, its loadBalancerIP is the VIP (hostrule.ts).
  const services = tcpServices(plan.rule, own);
  const lbIP = plan.rule?.tcp?.loadBalancerIP;
  const paths = hostPathObjects(idx, c, tenant, plan, true, 11, services.map((s) => ({ port: s.port, ssl: s.enable_ssl })));
  const wildcard = wildcardCheck(c, tenant, vsName, host);
  const objects = [...certs, ...paths.objects, ...wildcard.objects];

  const bgp = c.enableRHI ? c.bgpPeerLabels : [];
  const dnsNames = [...(plan.rule?.dnsNames ?? [host])];
  objects.push(
    desiredObject(
      tenant,
      'vsvip',
      vsName,
      {
        name: vsName,
        tenant_ref: tenantRef(tenant),
        cloud_ref: cloudRef(c),
        ...placement(c, 'vrf_context_ref', 'vsvip'),
        vip: [vipEntry(c, lbIP)],
        dns_info: dnsNames.map((fqdn) => ({ fqdn })),
        east_west_placement: false,
        markers: sharedMarkers(c.clusterName),
        ...(bgp.length > 0 ? { bgp_peer_labels: [...bgp] } : {}),
      },
      vsVipChecksum({ cluster: c.clusterName, fqdns: dnsNames, ...(lbIP ? { ip: lbIP } : {}), vipNetworks: c.vipNetworkList, bgpPeerLabels: bgp, t1lr: c.nsxtT1LR }),
    ),
  );
  if (redirect) {
    objects.push(
      desiredObject(tenant, 'httppolicyset', redirect, {
        name: redirect,
        tenant_ref: tenantRef(tenant),
        created_by: akoUser(c),
        http_request_policy: {
          rules: [
            {
              name: `${redirect}-0`,
              index: 0,
              enable: true,
              match: { host_hdr: { match_criteria: 'HDR_EQUALS', value: [...(plan.rule?.domains ?? [host])] }, vs_port: { match_criteria: 'IS_IN', ports: [80] } },
              redirect_action: { protocol: 'HTTPS', port: 443, status_code: 'HTTP_REDIRECT_STATUS_CODE_302' },
            },
          ],
        },
        http_security_policy: {},
        markers: buildMarkers(c.clusterName, { Namespace: plan.entries[0]!.namespace, Host: [host], InfrasettingName: c.infraSetting }),
      }),
    );
  }
  objects.push(
    desiredObject(tenant, 'virtualservice', vsName, withHostRule(plan, {
      name: vsName,
      tenant_ref: tenantRef(tenant),
      created_by: akoUser(c),
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vs'),
      se_group_ref: seGroupRef(c),
      type: 'VS_TYPE_NORMAL',
      application_profile_ref: appProfileRef(secure ? 'System-Secure-HTTP' : 'System-HTTP'),
      network_profile_ref: networkProfileRef('System-TCP-Proxy'),
      vsvip_ref: nameRef('vsvip', vsName),
      services,
      ...(secure ? { ssl_key_and_certificate_refs: certRefsOf(plan, certs) } : {}),
      // Path switching first (11...), then the redirect (as the Go AKO orders them).
      http_policies: [...paths.httpPolicies, ...(redirect ? [{ http_policy_set_ref: nameRef('httppolicyset', redirect), index: 11 + paths.httpPolicies.length }] : [])],
      ...wildcard.field,
      east_west_placement: false,
      // The Go AKO marks an insecure dedicated VS with its namespace only.
      markers: secure ? sniVsMarkers(c.clusterName, plan.entries[0]!.namespace, host, c.infraSetting) : buildMarkers(c.clusterName, { Namespace: plan.entries[0]!.namespace, InfrasettingName: c.infraSetting }),
      service_metadata: hostServiceMetadata(plan),
      ...(c.enableRHI ? { enable_rhi: true } : {}),
    })),
  );
  const warnings = planWarnings(idx, c, plan);
  return { unit, objects, verdicts, ...(warnings.length > 0 ? { warnings } : {}) };
}
