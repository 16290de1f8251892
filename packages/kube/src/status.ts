import type { KubeConfig } from './kubeconfig.js';
import { MERGE_PATCH, rawKube } from './raw.js';

const enc = encodeURIComponent;

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

// Status and annotation writes of Services and Ingresses go through the raw client (raw.ts): operators make them
// by the thousand, and the typed client's decoding of each answer costs more than the write.

/** Sets Service status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchServiceLoadBalancer(kc: KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await rawKube(kc).request('PATCH', `/api/v1/namespaces/${enc(namespace)}/services/${enc(name)}/status`, { status: { loadBalancer: { ingress } } }, MERGE_PATCH);
}

/** Sets Ingress status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchIngressLoadBalancer(kc: KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await rawKube(kc).request('PATCH', `/apis/networking.k8s.io/v1/namespaces/${enc(namespace)}/ingresses/${enc(name)}/status`, { status: { loadBalancer: { ingress } } }, MERGE_PATCH);
}

/**
 * Brings a Service's or Ingress's status.loadBalancer.ingress and annotations (null removes one) to the given values
 * in one merge patch of the status subresource: the apiserver keeps metadata.annotations sent there for Services
 * and Ingresses, so both change in one write, atomically. Should an apiserver not keep them (its answer says so),
 * they are patched on the object as well.
 */
export async function patchLoadBalancerStatus(
  kc: KubeConfig,
  kind: 'Service' | 'Ingress',
  namespace: string,
  name: string,
  change: { ingress?: LoadBalancerIngress[]; annotations?: Record<string, string | null> },
): Promise<void> {
  const path =
    kind === 'Service'
      ? `/api/v1/namespaces/${enc(namespace)}/services/${enc(name)}`
      : `/apis/networking.k8s.io/v1/namespaces/${enc(namespace)}/ingresses/${enc(name)}`;
  const body: Record<string, unknown> = {};
  if (change.annotations) body.metadata = { annotations: change.annotations };
  if (change.ingress) body.status = { loadBalancer: { ingress: change.ingress } };
  // Whether this apiserver keeps them is known after one answer that shows it: later answers are not parsed.
  const known = keepsAnnotations.get(kc) ?? keepsAnnotations.set(kc, new Set()).get(kc)!;
  const check = change.annotations !== undefined && !known.has(kind);
  const answer = (await rawKube(kc).request('PATCH', `${path}/status`, body, MERGE_PATCH, { answer: check })) as { metadata?: { annotations?: Record<string, string> } } | undefined;
  if (!check) return;
  const kept = answer?.metadata?.annotations ?? {};
  const lost = Object.entries(change.annotations ?? {}).some(([k, v]) => (v === null ? k in kept : kept[k] !== v));
  if (lost) await rawKube(kc).request('PATCH', path, { metadata: { annotations: change.annotations } }, MERGE_PATCH, { answer: false });
  else known.add(kind);
}

/** Per KubeConfig, the kinds whose status subresource was seen keeping the annotations sent with it. */
const keepsAnnotations = new WeakMap<KubeConfig, Set<string>>();

/** Plural resource names by `apiVersion/kind`, found by discovery (GET /apis/GROUP/VERSION) once per KubeConfig. */
const plurals = new WeakMap<KubeConfig, Map<string, Promise<{ plural: string; namespaced: boolean }>>>();

function resourceOf(kc: KubeConfig, apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean }> {
  const known = plurals.get(kc) ?? plurals.set(kc, new Map()).get(kc)!;
  const key = `${apiVersion}/${kind}`;
  let found = known.get(key);
  if (!found) {
    found = (async () => {
      const list = (await rawKube(kc).request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`)) as {
        resources?: { name: string; kind: string; namespaced: boolean }[];
      };
      const r = list.resources?.find((x) => x.kind === kind && !x.name.includes('/'));
      if (!r) throw new Error(`the apiserver serves no ${kind} in ${apiVersion}`);
      return { plural: r.name, namespaced: r.namespaced };
    })();
    found.catch(() => known.delete(key));
    known.set(key, found);
  }
  return found;
}

/** The path of one object of a resource (namespace '' or absent: cluster-scoped). */
function objectPath(apiVersion: string, plural: string, namespace: string | undefined, name: string): string {
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${prefix}${namespace ? `/namespaces/${enc(namespace)}` : ''}/${plural}/${enc(name)}`;
}

/** Merges metadata.annotations (null removes a key) of any object (the plural found by discovery, once). */
export async function patchAnnotations(
  kc: KubeConfig,
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
  annotations: Record<string, string | null>,
) {
  const body = { metadata: { annotations } };
  const { namespace = '', name } = ref;
  if (ref.kind === 'Service' && ref.apiVersion === 'v1') {
    await rawKube(kc).request('PATCH', `/api/v1/namespaces/${enc(namespace)}/services/${enc(name)}`, body, MERGE_PATCH);
  } else if (ref.kind === 'Ingress' && ref.apiVersion === 'networking.k8s.io/v1') {
    await rawKube(kc).request('PATCH', `/apis/networking.k8s.io/v1/namespaces/${enc(namespace)}/ingresses/${enc(name)}`, body, MERGE_PATCH);
  } else {
    const r = await resourceOf(kc, ref.apiVersion, ref.kind);
    await rawKube(kc).request('PATCH', objectPath(ref.apiVersion, r.plural, r.namespaced ? namespace : undefined, name), body, MERGE_PATCH);
  }
}

/** Replaces the status of a custom resource (merge patch on its status subresource); namespace '': cluster-scoped. */
export async function patchCustomStatus(
  kc: KubeConfig,
  ref: { group: string; version: string; plural: string; namespace: string; name: string },
  status: Record<string, unknown>,
) {
  const path = `${objectPath(`${ref.group}/${ref.version}`, ref.plural, ref.namespace || undefined, ref.name)}/status`;
  await rawKube(kc).request('PATCH', path, { status }, MERGE_PATCH);
}
