// The objects AKO owns on the controller, found at boot as the Go AKO finds them (spec ako.md §2.4).
import { nameFromRef, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody, ObservedObject } from '@avi-k8s/avi-sync';
import { observedChecksum } from '../translate/index.js';

export interface OwnedQuery {
  type: string;
  params: Record<string, string>;
}

/** The collection queries for one cluster: by created_by, or by name prefix where AKO sets no created_by. */
export function ownedQueries(o: { clusterName: string; cloudName: string; akoUser: string }): OwnedQuery[] {
  const prefix = `${o.clusterName}--`;
  const cloud = { 'cloud_ref.name': o.cloudName };
  const by = { created_by: o.akoUser };
  return [
    { type: 'sslkeyandcertificate', params: by },
    { type: 'vsvip', params: { 'name.contains': prefix, ...cloud } },
    { type: 'pkiprofile', params: by },
    { type: 'applicationpersistenceprofile', params: { 'name.contains': prefix } },
    { type: 'pool', params: { ...cloud, ...by } },
    { type: 'poolgroup', params: { ...cloud, ...by } },
    { type: 'stringgroup', params: { label_key: 'created_by', label_value: o.akoUser } },
    { type: 'vsdatascriptset', params: by },
    { type: 'httppolicyset', params: by },
    { type: 'l4policyset', params: by },
    { type: 'virtualservice', params: { ...cloud, ...by } },
  ];
}

/** Lists every owned object (all tenants unless `tenant` is given) as avi-sync's observed state. */
export async function loadOwned(client: AviClient, queries: OwnedQuery[], tenant = '*'): Promise<ObservedObject[]> {
  const lists = await Promise.all(
    queries.map(async (q) => {
      const res = await client.list(q.type as Parameters<AviClient['list']>[0], { tenant, includeName: true, params: q.params, pageSize: 100 });
      const prefix = q.params['name.contains'];
      return res.results
        .map((raw) => toObserved(q.type, raw as AviBody))
        // name.contains also matches another cluster's names that merely contain our prefix: keep true prefixes.
        .filter((o): o is ObservedObject => o !== undefined && (!prefix || o.name.startsWith(prefix)));
    }),
  );
  return lists.flat();
}

export function toObserved(type: string, body: AviBody): ObservedObject | undefined {
  const name = typeof body.name === 'string' ? body.name : undefined;
  const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
  if (!name || !uuid) return undefined;
  const tenant = (typeof body.tenant_ref === 'string' && nameFromRef(body.tenant_ref)) || 'admin';
  const checksum = observedChecksum(type, body);
  return { tenant, type, name, uuid, body, ...(checksum !== undefined ? { checksum } : {}) };
}
