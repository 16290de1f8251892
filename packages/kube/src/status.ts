import * as k8s from '@kubernetes/client-node';
import { checkWriteFence, MERGE_PATCH, rawKube } from './raw.js';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

// One typed client per KubeConfig and API: a new client per call pays for a new connection (and, for the generic
// object API, a discovery request) on every write.
const clients = new WeakMap<k8s.KubeConfig, Map<unknown, unknown>>();
function client<T extends k8s.ApiType>(kc: k8s.KubeConfig, api: new (config: k8s.Configuration) => T): T {
  const perConfig = clients.get(kc) ?? clients.set(kc, new Map()).get(kc)!;
  return (perConfig.get(api) ?? perConfig.set(api, kc.makeApiClient(api)).get(api)) as T;
}

const enc = encodeURIComponent;

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

// Status and annotation writes of Services and Ingresses go through the raw client (raw.ts): operators make them
// by the thousand, and the typed client's decoding of each answer costs more than the write.

/** Sets Service status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchServiceLoadBalancer(kc: k8s.KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await rawKube(kc).request('PATCH', `/api/v1/namespaces/${enc(namespace)}/services/${enc(name)}/status`, { status: { loadBalancer: { ingress } } }, MERGE_PATCH);
}

/** Sets Ingress status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchIngressLoadBalancer(kc: k8s.KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await rawKube(kc).request('PATCH', `/apis/networking.k8s.io/v1/namespaces/${enc(namespace)}/ingresses/${enc(name)}/status`, { status: { loadBalancer: { ingress } } }, MERGE_PATCH);
}

/**
 * Brings a Service's or Ingress's status.loadBalancer.ingress and annotations (null removes one) to the given values
 * in one merge patch of the status subresource: the apiserver keeps metadata.annotations sent there for Services
 * and Ingresses, so both change in one write, atomically. Should an apiserver not keep them (its answer says so),
 * they are patched on the object as well.
 */
export async function patchLoadBalancerStatus(
  kc: k8s.KubeConfig,
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
  const answer = (await rawKube(kc).request('PATCH', `${path}/status`, body, MERGE_PATCH)) as { metadata?: { annotations?: Record<string, string> } } | undefined;
  const kept = answer?.metadata?.annotations ?? {};
  const lost = Object.entries(change.annotations ?? {}).some(([k, v]) => (v === null ? k in kept : kept[k] !== v));
  if (lost) await rawKube(kc).request('PATCH', path, { metadata: { annotations: change.annotations } }, MERGE_PATCH);
}

const objectApis = new WeakMap<k8s.KubeConfig, k8s.KubernetesObjectApi>();

/** Merges metadata.annotations (null removes a key); Services and Ingresses take the typed path. */
export async function patchAnnotations(
  kc: k8s.KubeConfig,
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
    const api = objectApis.get(kc) ?? objectApis.set(kc, k8s.KubernetesObjectApi.makeApiClient(kc)).get(kc)!;
    checkWriteFence(kc);
    await api.patch(
      { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name, namespace: ref.namespace, annotations } } as k8s.KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
  }
}

/** Replaces the status of a custom resource (merge patch on its status subresource); namespace '': cluster-scoped. */
export async function patchCustomStatus(
  kc: k8s.KubeConfig,
  ref: { group: string; version: string; plural: string; namespace: string; name: string },
  status: Record<string, unknown>,
) {
  checkWriteFence(kc);
  const api = client(kc, k8s.CustomObjectsApi);
  if (ref.namespace === '') {
    const { namespace: _, ...cluster } = ref;
    await api.patchClusterCustomObjectStatus({ ...cluster, body: { status } }, mergePatch);
    return;
  }
  await api.patchNamespacedCustomObjectStatus({ ...ref, body: { status } }, mergePatch);
}
