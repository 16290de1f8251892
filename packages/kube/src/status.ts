import * as k8s from '@kubernetes/client-node';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

/** Sets Service status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchServiceLoadBalancer(kc: k8s.KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .patchNamespacedServiceStatus({ name, namespace, body: { status: { loadBalancer: { ingress } } } }, mergePatch);
}

/** Sets Ingress status.loadBalancer.ingress (merge patch on the status subresource). */
export async function patchIngressLoadBalancer(kc: k8s.KubeConfig, namespace: string, name: string, ingress: LoadBalancerIngress[]) {
  await kc
    .makeApiClient(k8s.NetworkingV1Api)
    .patchNamespacedIngressStatus({ name, namespace, body: { status: { loadBalancer: { ingress } } } }, mergePatch);
}

/** Merges metadata.annotations (null removes a key). */
export async function patchAnnotations(
  kc: k8s.KubeConfig,
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
  annotations: Record<string, string | null>,
) {
  await k8s.KubernetesObjectApi.makeApiClient(kc).patch(
    { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace, annotations } } as k8s.KubernetesObject,
    undefined,
    undefined,
    undefined,
    undefined,
    k8s.PatchStrategy.MergePatch,
  );
}

/** Replaces the status of a custom resource (merge patch on its status subresource). */
export async function patchCustomStatus(
  kc: k8s.KubeConfig,
  ref: { group: string; version: string; plural: string; namespace: string; name: string },
  status: Record<string, unknown>,
) {
  await kc
    .makeApiClient(k8s.CustomObjectsApi)
    .patchNamespacedCustomObjectStatus({ ...ref, body: { status } }, mergePatch);
}
