// Renders the AMKO chart (apps/amko/chart) with the workspace helm and parses the manifests.
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { helmTemplate, type TemplateOptions } from '@avi-k8s/helm';

export const CHART_DIR = join(import.meta.dirname, '../../chart');
export const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface Manifest extends k8s.KubernetesObject {
  [key: string]: unknown;
}

export async function render(options: TemplateOptions = {}): Promise<Manifest[]> {
  const out = await helmTemplate(CHART_DIR, { releaseName: 'amko', ...options });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

export function find<T = Manifest>(docs: Manifest[], kind: string, name: string): T {
  const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in the rendered chart (have: ${docs.map((d) => `${d.kind}/${d.metadata?.name}`).join(', ')})`);
  return doc as T;
}

/** The RBAC objects of the chart, in the order they can be created. */
export const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
/** Orders manifests so that each can be created after the ones before it. */
export const inOrder = (docs: Manifest[], kinds: string[]) => kinds.flatMap((k) => docs.filter((d) => d.kind === k));
