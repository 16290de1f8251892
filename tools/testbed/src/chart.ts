// Helm charts in tests: render with the workspace helm, pick manifests, and install parts of them as the admin.
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { helmTemplate, type TemplateOptions } from '@avi-k8s/helm';

export interface Manifest extends k8s.KubernetesObject {
  [key: string]: unknown;
}

/** The RBAC objects of a chart, in the order they can be created. */
export const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

export async function renderChart(chartDir: string, options: TemplateOptions = {}): Promise<Manifest[]> {
  return parseAllDocuments(await helmTemplate(chartDir, options))
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

export function findManifest<T = Manifest>(docs: Manifest[], kind: string, name: string): T {
  const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in the rendered chart (have: ${docs.map((d) => `${d.kind}/${d.metadata?.name}`).join(', ')})`);
  return doc as T;
}

/** The manifests of these kinds, ordered so that each can be created after the ones before it. */
export const inOrder = (docs: Manifest[], kinds: string[]) => kinds.flatMap((k) => docs.filter((d) => d.kind === k));

/** Creates the manifests in order; returns a function that deletes the cluster-scoped ones (namespaces stay). */
export async function applyManifests(kc: k8s.KubeConfig, docs: Manifest[]): Promise<() => Promise<void>> {
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
