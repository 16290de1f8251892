/**
 * The VsVip of a shared parent VS (an SNI shard or an EVH parent): its VIP, and DNS names for the parent's auto FQDN
 * and every host it serves (a HostRule's aliases too), with the Go AKO's VsVip checksum.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { cloudRef, placement, tenantRef, vipEntry } from './common.js';
import type { AkoConfig } from './config.js';
import { autoFqdnFormat, autoFqdnSubdomain } from './fqdn.js';
import { vsVipChecksum } from './go-checksum.js';
import type { HostPlan } from './l7-host.js';
import { sharedMarkers } from './markers.js';

/** `lbIP`: a HostRule's tcpSettings.loadBalancerIP for the shared VS (hostrule-shared.ts). */
export function sharedVsVip(c: AkoConfig, tenant: string, vsName: string, vipName: string, plans: readonly HostPlan[], lbIP?: string): DesiredObject {
  const sub = autoFqdnSubdomain(c);
  const fmt = autoFqdnFormat(c.autoFQDN);
  const dnsTenant = tenant.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const vsFqdn = sub === undefined || fmt === 'disabled' ? [] : [fmt === 'flat' ? `${vsName}-${dnsTenant}.${sub}` : `${vsName}.${dnsTenant}.${sub}`];
  // Host-less rules and defaultBackends (host '') have no FQDN.
  const fqdns = [...new Set([...vsFqdn, ...plans.flatMap((p) => p.rule?.dnsNames ?? [p.host]).filter((h) => h !== '')])].sort();
  const bgp = c.enableRHI ? c.bgpPeerLabels : [];
  return desiredObject(
    tenant,
    'vsvip',
    vipName,
    {
      name: vipName,
      tenant_ref: tenantRef(tenant),
      cloud_ref: cloudRef(c),
      ...placement(c, 'vrf_context_ref', 'vsvip'),
      vip: [vipEntry(c, lbIP)],
      ...(fqdns.length > 0 ? { dns_info: fqdns.map((fqdn) => ({ fqdn })) } : {}),
      east_west_placement: false,
      markers: sharedMarkers(c.clusterName),
      ...(bgp.length > 0 ? { bgp_peer_labels: [...bgp] } : {}),
    },
    vsVipChecksum({ cluster: c.clusterName, fqdns, ...(lbIP ? { ip: lbIP } : {}), vipNetworks: c.vipNetworkList, bgpPeerLabels: bgp, t1lr: c.nsxtT1LR }),
  );
}
