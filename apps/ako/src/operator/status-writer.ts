// Writes Service and Ingress status + AKO's annotations, only where they differ from what is already there.
import type * as k8s from '@kubernetes/client-node';
import { patchAnnotations, patchIngressLoadBalancer, patchServiceLoadBalancer, type Logger } from '@avi-k8s/kube';
import type { LoadBalancerStatus } from './lb-status.js';

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
  const sorted = Object.fromEntries(Object.entries(status.hostVsUuid).sort(([a], [b]) => a.localeCompare(b)));
  return {
    [HOST_VS_UUID_ANNOTATION]: JSON.stringify(sorted),
    [CONTROLLER_CLUSTER_UUID_ANNOTATION]: clusterUuid,
    [TENANT_NAME_ANNOTATION]: status.tenant,
  };
}

/** Brings one object's status and annotations to `status` (undefined = clear what AKO wrote). Returns whether it wrote. */
export async function writeStatus(
  kc: k8s.KubeConfig,
  kind: 'Service' | 'Ingress',
  obj: Target,
  status: LoadBalancerStatus | undefined,
  clusterUuid: string,
  logger: Logger,
): Promise<boolean> {
  const ns = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  const ingress = status?.ingress ?? [];
  let wrote = false;
  // Annotations first: whoever sees the status (AMKO, a user) then also sees the VS uuids.
  const want = desiredAnnotations(status, clusterUuid);
  const have = obj.metadata?.annotations ?? {};
  const changes = Object.fromEntries(Object.entries(want).filter(([k, v]) => (v === null ? k in have : have[k] !== v)));
  if (Object.keys(changes).length > 0) {
    await patchAnnotations(kc, { apiVersion: kind === 'Service' ? 'v1' : 'networking.k8s.io/v1', kind, namespace: ns, name }, changes);
    wrote = true;
  }
  const current = obj.status?.loadBalancer?.ingress;
  if (!sameIngress(current, ingress) && !(status === undefined && !current?.length)) {
    if (kind === 'Service') await patchServiceLoadBalancer(kc, ns, name, ingress);
    else await patchIngressLoadBalancer(kc, ns, name, ingress);
    wrote = true;
  }
  if (wrote) logger.info('status updated', { key: `${ns}/${name}`, kind, ingress });
  return wrote;
}
