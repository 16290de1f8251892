import type * as k8s from '@kubernetes/client-node';
import { createInformer, type Informer, type InformerOptions, type KubeObject } from './informer.js';

type Common = Pick<InformerOptions<KubeObject>, 'kubeConfig' | 'logger' | 'labelSelector' | 'pageSize'> & {
  onEvent?: (event: 'add' | 'update' | 'delete', obj: k8s.KubernetesObject) => void;
  /** See InformerOptions.transform. */
  transform?: (obj: k8s.KubernetesObject) => k8s.KubernetesObject;
};

/**
 * Informers for the built-in resources the operators read, cluster-wide or in one namespace. Listed and watched
 * raw (informer.ts); client-node's types only describe the objects.
 */
export function resourceInformers(common: Common) {
  const make = <T extends k8s.KubernetesObject>(path: string, fieldSelector?: string): Informer<T> =>
    createInformer<T>({
      ...(fieldSelector ? { fieldSelector } : {}),
      kubeConfig: common.kubeConfig,
      ...(common.logger ? { logger: common.logger } : {}),
      ...(common.labelSelector ? { labelSelector: common.labelSelector } : {}),
      ...(common.pageSize !== undefined ? { pageSize: common.pageSize } : {}),
      path,
      ...(common.onEvent ? { onEvent: common.onEvent as InformerOptions<T>['onEvent'] } : {}),
      ...(common.transform ? { transform: common.transform as unknown as (obj: T) => T } : {}),
    });
  const enc = encodeURIComponent;
  return {
    services: () => make<k8s.V1Service>('/api/v1/services'),
    endpointSlices: () => make<k8s.V1EndpointSlice>('/apis/discovery.k8s.io/v1/endpointslices'),
    ingresses: () => make<k8s.V1Ingress>('/apis/networking.k8s.io/v1/ingresses'),
    ingressClasses: () => make<k8s.V1IngressClass>('/apis/networking.k8s.io/v1/ingressclasses'),
    secrets: () => make<k8s.V1Secret>('/api/v1/secrets'),
    nodes: () => make<k8s.V1Node>('/api/v1/nodes'),
    namespaces: () => make<k8s.V1Namespace>('/api/v1/namespaces'),
    pods: () => make<k8s.V1Pod>('/api/v1/pods'),
    /** ConfigMaps in `namespace`; with `name`, only that one (field selector: RBAC may then name it). */
    configMapsIn: (namespace: string, name?: string) =>
      make<k8s.V1ConfigMap>(`/api/v1/namespaces/${enc(namespace)}/configmaps`, name === undefined ? undefined : `metadata.name=${name}`),
    secretsIn: (namespace: string) => make<k8s.V1Secret>(`/api/v1/namespaces/${enc(namespace)}/secrets`),
    /** A custom resource, cluster-wide (namespace undefined) or in one namespace. */
    custom: <T extends k8s.KubernetesObject>(group: string, version: string, plural: string, namespace?: string) =>
      make<T>(namespace ? `/apis/${group}/${version}/namespaces/${enc(namespace)}/${plural}` : `/apis/${group}/${version}/${plural}`),
  };
}
