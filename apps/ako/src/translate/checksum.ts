/**
 * Checksums of desired objects and where they are stored (spec ako.md §4.4): VS, Pool, PoolGroup and HTTPPolicySet keep
 * theirs in `cloud_config_cksum`, VsVip in `vsvip_cloud_config_cksum` (same fields as the Go AKO, decimal uint32).
 * L4PolicySet, SSLKeyAndCertificate and VSDataScriptSet have no such field: their checksum is computed over a
 * projection of the body that the controller echoes back (names instead of refs, no private key), so the app can
 * recompute it from a fetched object at boot with observedChecksum() and a restart writes nothing.
 *
 * The values are our own FNV-1a over canonical JSON, not the Go AKO's node checksums: after a switch from the Go AKO
 * each object is updated (PUT) once, never recreated, because names are identical.
 */
import { bodyChecksum, canonicalChecksum, makeDesired, parseRef, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';

export const CHECKSUM_FIELD: Readonly<Record<string, string>> = {
  virtualservice: 'cloud_config_cksum',
  pool: 'cloud_config_cksum',
  poolgroup: 'cloud_config_cksum',
  httppolicyset: 'cloud_config_cksum',
  vsvip: 'vsvip_cloud_config_cksum',
};

const refName = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const r = parseRef(v);
  return r ? (r.by === 'name' ? r.name : (r.name ?? r.uuid)) : v;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const markers = (b: AviBody): unknown => arr(b.markers).map((m) => ({ key: obj(m).key, values: obj(m).values }));

/** The part of a body that survives a write + read on the controller, for types without a stored checksum. */
const PROJECTIONS: Readonly<Record<string, (b: AviBody) => unknown>> = {
  l4policyset: (b) => ({
    markers: markers(b),
    rules: arr(obj(b.l4_connection_policy).rules).map((r) => {
      const rule = obj(r);
      const match = obj(rule.match);
      return {
        name: rule.name,
        index: rule.index,
        ports: obj(match.port).ports,
        protocol: obj(match.protocol).protocol,
        pool: refName(obj(obj(rule.action).select_pool).pool_ref),
      };
    }),
  }),
  stringgroup: (b) => ({ markers: markers(b), type: b.type, longest_match: b.longest_match, kv: arr(b.kv).map((k) => obj(k).key) }),
  sslkeyandcertificate: (b) => ({ markers: markers(b), type: b.type, certificate: obj(b.certificate).certificate }),
  vsdatascriptset: (b) => ({
    markers: markers(b),
    datascript: arr(b.datascript).map((d) => ({ evt: obj(d).evt, script: obj(d).script })),
    pool_groups: arr(b.pool_group_refs).map(refName),
  }),
};

/** Checksum of a desired body of `type` (excluding its own checksum field). */
export function checksumOf(type: string, body: AviBody): string {
  const project = PROJECTIONS[type];
  if (project) return String(canonicalChecksum(project(body)));
  const field = CHECKSUM_FIELD[type];
  return bodyChecksum(body, field ? [field] : []);
}

/**
 * The checksum of an object fetched from the controller, comparable with DesiredObject.checksum:
 * the stored field where the type has one, else the projection; undefined if unknown.
 */
export function observedChecksum(type: string, fetched: AviBody): string | undefined {
  const field = CHECKSUM_FIELD[type];
  if (field) return typeof fetched[field] === 'string' ? (fetched[field] as string) : undefined;
  return PROJECTIONS[type] ? checksumOf(type, fetched) : undefined;
}

/** A DesiredObject in `tenant` with its checksum (given: the Go AKO's rule, go-checksum.ts; else ours) stored where AKO stores it. */
export function desiredObject(tenant: string, type: string, name: string, body: AviBody, checksum?: string): DesiredObject {
  const field = CHECKSUM_FIELD[type];
  return makeDesired({ tenant, type, name, body, checksum: checksum ?? checksumOf(type, body), ...(field ? { checksumField: field } : {}) });
}
