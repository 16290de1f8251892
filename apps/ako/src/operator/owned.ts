// The objects AKO owns on the controller, found at boot as the Go AKO finds them (spec ako.md §2.4).
import { nameFromRef, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody, ObservedObject } from '@avi-k8s/avi-sync';
import { forEachLimit } from '@avi-k8s/kube';
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

/**
 * Lists every owned object (all tenants unless `tenant` is given) as avi-sync's observed state. `keep` sees each
 * object as its page arrives (e.g. to slim it), and the types are read a few at a time, so that at most a few pages
 * of full bodies are in memory at once (not whole collections: 10k pools are ~100 MiB parsed). `pace`, asked after
 * each object kept, may hold the read back: the next object (and page) is read once the promise it gives resolves.
 */
export async function loadOwned(
  client: AviClient,
  queries: OwnedQuery[],
  tenant = '*',
  keep: (o: ObservedObject) => void = () => {},
  pace: () => Promise<void> | undefined = () => undefined,
): Promise<number> {
  let count = 0;
  await forEachLimit(queries, 3, async (q) => {
    // Unchecked against the models (checkAnswer): tens of thousands of bodies at boot, each copied by the check.
    const objects = client.iterate(q.type as Parameters<AviClient['iterate']>[0], { tenant, includeName: true, params: q.params, pageSize: 100, checkAnswer: false });
    const prefix = q.params['name.contains'];
    for await (const raw of objects) {
      const o = toObserved(q.type, raw as AviBody);
      // name.contains also matches another cluster's names that merely contain our prefix: keep true prefixes.
      if (o === undefined || (prefix && !o.name.startsWith(prefix))) continue;
      keep(o);
      count++;
      const wait = pace();
      if (wait) await wait;
    }
  });
  return count;
}

export function toObserved(type: string, body: AviBody): ObservedObject | undefined {
  const name = typeof body.name === 'string' ? body.name : undefined;
  const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
  if (!name || !uuid) return undefined;
  const tenant = interned((typeof body.tenant_ref === 'string' && nameFromRef(body.tenant_ref)) || 'admin');
  const checksum = observedChecksum(type, body);
  return { tenant, type, name, uuid, body, ...(checksum !== undefined ? { checksum } : {}) };
}

/** One string per tenant name: each owned object held its own copy of the same few names (7000 `admin` at 1000 + 1000). */
const tenantNames = new Map<string, string>();
function interned(name: string): string {
  const known = tenantNames.get(name);
  if (known !== undefined) return known;
  if (tenantNames.size < 1000) tenantNames.set(name, name);
  return name;
}
