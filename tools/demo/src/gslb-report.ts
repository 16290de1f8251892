// What the demo prints for GSLB: per global FQDN, AMKO's GslbService, its members (cluster, VIP, ratio), its oper
// status on the controller, and what the controller's DNS server answers.
import { Resolver } from 'node:dns/promises';
import { createAviClient } from '@avi-k8s/avi-sdk';
import type { ControllerProcess } from '@avi-k8s/testbed';
import { formatTable } from './table.js';

export interface GslbRow {
  fqdn: string;
  service: string;
  members: string;
  status: string;
  dns: string;
  ok: boolean;
}

interface Member {
  ip?: { addr?: string };
  ratio?: number;
}

async function resolve4(dnsServer: string, fqdn: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsServer]);
  return resolver.resolve4(fqdn).then(
    (ips) => ips.sort(),
    () => [],
  );
}

/** CLUSTER_OF maps a VIP to the cluster whose AKO holds it (from the first table). */
export async function collectGslbRows(ctl: ControllerProcess, dnsServer: string, fqdns: string[], clusterOf: Map<string, string>): Promise<GslbRow[]> {
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  try {
    const rows: GslbRow[] = [];
    for (const fqdn of fqdns) {
      const gs = await avi.getByName('gslbservice', fqdn).catch(() => undefined);
      const members = ((gs?.groups ?? []) as { members?: Member[] }[]).flatMap((g) => g.members ?? []);
      const described = members
        .map((m) => ({ cluster: clusterOf.get(m.ip?.addr ?? '') ?? '?', ip: m.ip?.addr ?? '-', ratio: m.ratio ?? 1 }))
        .sort((a, b) => a.cluster.localeCompare(b.cluster))
        .map((m) => `${m.cluster}: ${m.ip} (ratio ${m.ratio})`);
      const runtime = gs?.uuid ? ((await avi.runtime('gslbservice', gs.uuid).catch(() => undefined)) as { oper_status?: { state?: string } } | undefined) : undefined;
      const answer = await resolve4(dnsServer, fqdn);
      rows.push({
        fqdn,
        service: gs?.name ?? '-',
        members: described.join(', ') || '-',
        status: runtime?.oper_status?.state ?? '-',
        dns: answer.join(', ') || '-',
        ok: gs !== undefined && members.length === 2 && answer.length > 0,
      });
    }
    return rows;
  } finally {
    await avi.close();
  }
}

export function renderGslbTable(rows: GslbRow[]): string {
  const header = ['GLOBAL FQDN', 'GSLB SERVICE', 'MEMBERS (CLUSTER: VIP)', 'STATUS', 'DNS A', 'OK'];
  return formatTable(header, rows.map((r) => [r.fqdn, r.service, r.members, r.status, r.dns, r.ok ? 'yes' : 'NO']));
}
