// AMKO's calls to the GSLB leader controller besides the object writes (avi-sync's sdkSyncApi does those): leader
// check, owned objects, and the facts translate validates references against.
import { nameFromRef, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody, ObservedObject } from '@avi-k8s/avi-sync';
import { checksumOf, createdBy, isAmkoHmName, type AviFacts, type HealthMonitorFact } from '../translate/index.js';

type Obj = Record<string, unknown>;

/** Whether the controller is the GSLB leader: /api/cluster uuid equals /api/gslb leader_cluster_uuid. */
export async function isGslbLeader(client: AviClient): Promise<{ leader: boolean; clusterUuid: string; leaderUuid?: string }> {
  const cluster = (await client.getSingleton('cluster')) as Obj;
  const gslb = (await client.list('gslb', { pageSize: 1 })).results[0] as Obj | undefined;
  const clusterUuid = String(cluster.uuid ?? '');
  const leaderUuid = typeof gslb?.leader_cluster_uuid === 'string' ? gslb.leader_cluster_uuid : undefined;
  return { leader: !!leaderUuid && leaderUuid === clusterUuid, clusterUuid, ...(leaderUuid ? { leaderUuid } : {}) };
}

function toObserved(type: string, body: AviBody): ObservedObject | undefined {
  const name = typeof body.name === 'string' ? body.name : undefined;
  const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
  if (!name || !uuid) return undefined;
  const tenant = (typeof body.tenant_ref === 'string' && nameFromRef(body.tenant_ref)) || 'admin';
  // Only the refs are kept of the body (they order deletes); the checksum stands for the rest.
  const refs = Object.fromEntries(Object.entries(body).filter(([k]) => k.endsWith('_ref') || k.endsWith('_refs')));
  return { tenant, type, name, uuid, body: refs, checksum: checksumOf(type, body) };
}

const ownedHm = (body: Obj, mark: string) =>
  typeof body.name === 'string' &&
  isAmkoHmName(body.name) &&
  Array.isArray(body.markers) &&
  (body.markers as Obj[]).some((m) => m.key === 'created-by' && Array.isArray(m.values) && m.values.includes(mark));

/** created_by of GslbServices written by Go AMKOs before the per-instance UUID (spec amko.md §4.6, §5.3). */
export const LEGACY_CREATED_BY = 'amko-gslb';

/**
 * GslbServices with created_by amko-<uuid> or the legacy amko-gslb (adopted: rewritten with our created_by, or
 * deleted when stale, as the Go AMKO's boot cache takes them), and federated monitors named amko--* marked as ours,
 * in every tenant.
 */
export async function loadOwned(client: AviClient, amkoUuid: string): Promise<ObservedObject[]> {
  const mark = createdBy(amkoUuid);
  // Page by page: each body becomes its refs and checksum as its page arrives, so a restart holds one page of
  // bodies at a time, not every GslbService and monitor at once (issue 15).
  const collect = async (type: 'gslbservice' | 'healthmonitor', params: Record<string, string>, keep: (b: Obj) => boolean) => {
    const out: ObservedObject[] = [];
    for await (const b of client.iterate(type, { tenant: '*', includeName: true, pageSize: 100, params })) {
      const o = keep(b as Obj) ? toObserved(type, b as AviBody) : undefined;
      if (o) out.push(o);
    }
    return out;
  };
  const ours = (b: Obj) => b.created_by === mark || b.created_by === LEGACY_CREATED_BY;
  const [gss, legacy, hms] = await Promise.all([
    collect('gslbservice', { created_by: mark }, ours),
    collect('gslbservice', { created_by: LEGACY_CREATED_BY }, ours),
    collect('healthmonitor', { is_federated: 'true' }, (b) => ownedHm(b, mark)),
  ]);
  const seen = new Set<string>();
  const owned = [...gss, ...legacy].filter((o) => !seen.has(o.uuid) && !!seen.add(o.uuid));
  return [...owned, ...hms];
}

/** The monitor names GDPs and GSLBHostRules refer to (healthMonitorRefs, healthMonitorTemplate). */
export function referencedMonitors(objs: readonly { spec?: unknown }[]): string[] {
  const names = new Set<string>();
  for (const o of objs) {
    const spec = (o.spec ?? {}) as { healthMonitorRefs?: unknown; healthMonitorTemplate?: unknown };
    if (Array.isArray(spec.healthMonitorRefs)) for (const r of spec.healthMonitorRefs) if (typeof r === 'string' && r !== '') names.add(r);
    if (typeof spec.healthMonitorTemplate === 'string' && spec.healthMonitorTemplate !== '') names.add(spec.healthMonitorTemplate);
  }
  return [...names].sort();
}

/**
 * The monitors named in MONITORS (read by name, as the Go AMKO validates them), federated persistence and PKI
 * profiles and third-party sites: what GDP and GSLBHostRule refs are validated against.
 */
export async function loadFacts(client: AviClient, monitors: readonly string[]): Promise<AviFacts> {
  const [hmLists, aps, pkis, gslb] = await Promise.all([
    Promise.all(monitors.map((name) => client.list('healthmonitor', { tenant: '*', pageSize: 10, params: { name } }))),
    client.list('applicationpersistenceprofile', { tenant: '*', pageSize: 100, params: { is_federated: 'true' } }),
    client.list('pkiprofile', { tenant: '*', pageSize: 100, params: { is_federated: 'true' } }),
    client.list('gslb', { pageSize: 1 }),
  ]);
  const healthMonitors: Record<string, HealthMonitorFact> = {};
  for (const h of hmLists.flatMap((l) => l.results) as Obj[]) {
    if (typeof h.name !== 'string') continue;
    const http = (h.https_monitor ?? h.http_monitor) as Obj | undefined;
    healthMonitors[h.name] = {
      type: String(h.type),
      federated: h.is_federated === true,
      ...(typeof http?.http_request === 'string' ? { httpRequest: http.http_request } : {}),
      ...(Array.isArray(http?.http_response_code) ? { httpResponseCodes: (http.http_response_code as unknown[]).map(String) } : {}),
    };
  }
  const names = (l: { results: unknown[] }) => (l.results as Obj[]).filter((o) => o.is_federated === true).map((o) => String(o.name));
  const sites = ((gslb.results[0] as Obj | undefined)?.third_party_sites ?? []) as Obj[];
  return { healthMonitors, persistenceProfiles: names(aps), pkiProfiles: names(pkis), thirdPartySites: sites.map((s) => String(s.name)) };
}
