// One federated kind (GSLBConfig or GlobalDeploymentPolicy) on one member cluster, as the Go federator does it
// (federator/controllers/utils.go): the member ends with exactly the leader's object in the namespace (same name,
// spec and amko-uuid annotation), other-named objects deleted, all of them deleted when the leader has none.
// Writes carry field manager AMKO-Federator. A member object that already matches is not written.
import { KubeRequestError, type RawKube } from '@avi-k8s/kube';
import type { RawObject } from '../translate/index.js';
import { UUID_ANNOTATION } from './leader-config.js';

export const FIELD_MANAGER = 'AMKO-Federator';

export const FEDERATED = {
  GSLBConfig: { version: 'v1alpha1', plural: 'gslbconfigs' },
  GlobalDeploymentPolicy: { version: 'v1alpha2', plural: 'globaldeploymentpolicies' },
} as const;
export type FederatedKind = keyof typeof FEDERATED;

/** JSON with sorted keys: the apiserver may give the spec's keys in another order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

interface Listed {
  items?: RawObject[];
}

export interface KindResult {
  created: number;
  updated: number;
  deleted: number;
}

/** Makes NS of the member (RAW) hold LOCAL (or nothing of KIND when LOCAL is undefined). Throws on the first failed call. */
export async function federateKind(raw: RawKube, kind: FederatedKind, ns: string, local: RawObject | undefined, cluster: string): Promise<KindResult> {
  const { version, plural } = FEDERATED[kind];
  const base = `/apis/amko.vmware.com/${version}/namespaces/${encodeURIComponent(ns)}/${plural}`;
  const q = `?fieldManager=${FIELD_MANAGER}`;
  const out: KindResult = { created: 0, updated: 0, deleted: 0 };
  const at = (what: string, err: unknown) => new Error(`${what} ${kind} in namespace ${ns} of cluster ${cluster}: ${(err as Error).message}`);
  let remote: RawObject[];
  try {
    remote = ((await raw.request('GET', base)) as Listed).items ?? [];
  } catch (err) {
    throw at("can't list", err);
  }
  const name = local?.metadata?.name;
  const uuid = local?.metadata?.annotations?.[UUID_ANNOTATION];
  let found = false;
  for (const r of remote) {
    const rname = r.metadata?.name ?? '';
    if (rname !== name) {
      try {
        await raw.request('DELETE', `${base}/${encodeURIComponent(rname)}`);
        out.deleted++;
      } catch (err) {
        if (!(err instanceof KubeRequestError && err.statusCode === 404)) throw at(`can't delete ${rname}:`, err);
      }
      continue;
    }
    found = true;
    const annotations = { ...(r.metadata?.annotations ?? {}), ...(uuid ? { [UUID_ANNOTATION]: uuid } : {}) };
    const sameSpec = stableJson(r.spec ?? {}) === stableJson(local?.spec ?? {});
    if (sameSpec && (!uuid || r.metadata?.annotations?.[UUID_ANNOTATION] === uuid)) continue;
    try {
      await raw.request('PUT', `${base}/${encodeURIComponent(rname)}${q}`, { ...r, metadata: { ...r.metadata, annotations }, spec: local?.spec ?? {} });
      out.updated++;
    } catch (err) {
      throw at(`can't update ${rname}:`, err);
    }
  }
  if (local && !found) {
    const body = {
      apiVersion: `amko.vmware.com/${version}`,
      kind,
      metadata: { name, namespace: ns, ...(uuid ? { annotations: { [UUID_ANNOTATION]: uuid } } : {}) },
      spec: local.spec ?? {},
    };
    try {
      await raw.request('POST', `${base}${q}`, body);
      out.created++;
    } catch (err) {
      throw at(`error in creating ${name}:`, err);
    }
  }
  return out;
}
