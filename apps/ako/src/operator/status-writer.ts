// Writes Service and Ingress status + AKO's annotations, only where they differ from what is already there.
import type * as k8s from '@kubernetes/client-node';
import { patchLoadBalancerStatus, type Logger, type KubeConfig } from '@avi-k8s/kube';
import type { LoadBalancerStatus } from './lb-status.js';
import { cmp } from '../translate/snapshot.js';

export const HOST_VS_UUID_ANNOTATION = 'ako.vmware.com/host-fqdn-vs-uuid-map';
export const CONTROLLER_CLUSTER_UUID_ANNOTATION = 'ako.vmware.com/controller-cluster-uuid';
export const TENANT_NAME_ANNOTATION = 'ako.vmware.com/tenant-name';

type Target = k8s.V1Service | k8s.V1Ingress;

function sameIngress(current: { ip?: string; hostname?: string }[] | undefined, next: { ip?: string; hostname?: string }[]): boolean {
  const norm = (l: { ip?: string; hostname?: string }[]) => JSON.stringify(l.map((i) => [i.ip ?? '', i.hostname ?? '']).sort());
  return norm(current ?? []) === norm(next);
}

/** The annotations AKO owns on an object with this status (null removes). */
export function desiredAnnotations(status: LoadBalancerStatus | undefined, clusterUuid: string): Record<string, string | null> {
  if (!status) return { [HOST_VS_UUID_ANNOTATION]: null, [CONTROLLER_CLUSTER_UUID_ANNOTATION]: null, [TENANT_NAME_ANNOTATION]: null };
  const sorted = Object.fromEntries(Object.entries(status.hostVsUuid).sort(([a], [b]) => cmp(a, b)));
  return {
    [HOST_VS_UUID_ANNOTATION]: JSON.stringify(sorted),
    [CONTROLLER_CLUSTER_UUID_ANNOTATION]: clusterUuid,
    [TENANT_NAME_ANNOTATION]: status.tenant,
  };
}

/** Brings one object's status and annotations to `status` (undefined = clear what AKO wrote). Returns whether it wrote. */
export async function writeStatus(
  kc: KubeConfig,
  kind: 'Service' | 'Ingress',
  obj: Target,
  status: LoadBalancerStatus | undefined,
  clusterUuid: string,
  logger: Logger,
): Promise<boolean> {
  const ns = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  const ingress = status?.ingress ?? [];
  // Annotations and status in one write (whoever sees the status, AMKO or a user, also sees the VS uuids).
  const want = desiredAnnotations(status, clusterUuid);
  const have = obj.metadata?.annotations ?? {};
  const changes = Object.fromEntries(Object.entries(want).filter(([k, v]) => (v === null ? k in have : have[k] !== v)));
  const current = obj.status?.loadBalancer?.ingress;
  const statusChanged = !sameIngress(current, ingress) && !(status === undefined && !current?.length);
  const wrote = Object.keys(changes).length > 0 || statusChanged;
  if (wrote) {
    await patchLoadBalancerStatus(kc, kind, ns, name, {
      ...(Object.keys(changes).length > 0 ? { annotations: changes } : {}),
      ...(statusChanged ? { ingress } : {}),
    });
  }
  if (wrote) logger.info('status updated', { key: `${ns}/${name}`, kind, ingress });
  return wrote;
}
