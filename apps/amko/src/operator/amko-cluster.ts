// AMKOCluster (amko.vmware.com/v1alpha1): which role this AMKO has. Exactly one must exist in AMKO's namespace:
// `isLeader: true` syncs to the GSLB leader controller and federates GSLBConfig/GDP to the other clusters of
// `spec.clusters`; `isLeader: false` is a follower that makes no Avi call at all (spec amko.md §2.4, §6.2, §7).
import { amkoClusterSpecSchema, parseWith, type AMKOClusterSpec } from '@avi-k8s/crds';
import type { RawObject } from '../translate/index.js';

export const AMKOCLUSTER_GROUP = 'amko.vmware.com';
export const AMKOCLUSTER_VERSION = 'v1alpha1';
export const AMKOCLUSTER_PLURAL = 'amkoclusters';

/** Boot fails with this error (the CLI exits with EXIT_AMKOCLUSTER) when the AMKOCluster count is not one. */
export class AmkoClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmkoClusterError';
  }
}

/** Exit code of the CLI when the AMKOCluster is missing, duplicated or cannot be listed at boot. */
export const EXIT_AMKOCLUSTER = 3;

export type ClusterRole =
  | { ok: true; leader: boolean; obj: RawObject; spec: AMKOClusterSpec }
  | { ok: false; error: string };

/** The role the AMKOClusters of NAMESPACE give: exactly one object, with a valid spec. */
export function clusterRole(objs: readonly RawObject[], namespace: string): ClusterRole {
  if (objs.length === 0) return { ok: false, error: `no AMKOCluster object in namespace ${namespace}: exactly one is required (isLeader: true on the leader cluster, false on followers)` };
  if (objs.length > 1) {
    const names = objs.map((o) => o.metadata?.name ?? '').sort().join(', ');
    return { ok: false, error: `only one AMKOCluster object allowed per cluster, namespace ${namespace} has ${objs.length}: ${names}` };
  }
  const obj = objs[0]!;
  const parsed = parseWith(amkoClusterSpecSchema, obj.spec ?? {});
  if (!parsed.ok) return { ok: false, error: `invalid AMKOCluster ${namespace}/${obj.metadata?.name}: ${parsed.error}` };
  return { ok: true, leader: parsed.value.isLeader === true, obj, spec: parsed.value };
}

/** Whether an AMKOCluster event changes what AMKO does: added, deleted, or a new generation (spec edit). */
export function generationFilter() {
  const seen = new Map<string, string>();
  return (event: 'add' | 'update' | 'delete', obj: { metadata?: { uid?: string; generation?: number; annotations?: Record<string, string> } }, extra: (o: typeof obj) => string = () => ''): boolean => {
    const uid = obj.metadata?.uid ?? '';
    const mark = `${obj.metadata?.generation ?? ''}/${extra(obj)}`;
    if (event === 'delete') {
      seen.delete(uid);
      return true;
    }
    const before = seen.get(uid);
    seen.set(uid, mark);
    return event === 'add' || before !== mark;
  };
}
