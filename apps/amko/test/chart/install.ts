// Installs parts of the rendered chart on the real apiserver (as the cluster admin) and makes a ServiceAccount's identity.
import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from '@avi-k8s/kube-local/testing';
import type { Manifest } from './chart.js';

/** Creates the manifests in order; returns a function that deletes the cluster-scoped ones (namespaces stay). */
export async function apply(kc: k8s.KubeConfig, docs: Manifest[]): Promise<() => Promise<void>> {
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const created: Manifest[] = [];
  for (const doc of docs) {
    await api.create(doc);
    created.push(doc);
  }
  return async () => {
    for (const doc of created.reverse()) if (!doc.metadata?.namespace) await api.delete(doc).catch(() => undefined);
  };
}

/** A KubeConfig that acts as NAMESPACE/NAME, with a token from the TokenRequest API. */
export async function serviceAccountKubeConfig(cluster: TestCluster, namespace: string, name: string): Promise<k8s.KubeConfig> {
  const core = cluster.kubeConfig().makeApiClient(k8s.CoreV1Api);
  const res = await core.createNamespacedServiceAccountToken({ name, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  if (!res.status?.token) throw new Error(`no token issued for ${namespace}/${name}`);
  return cluster.kubeConfigForToken(res.status.token, name);
}
