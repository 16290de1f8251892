import * as k8s from '@kubernetes/client-node';
import { createInformer, type Informer, type InformerOptions } from './informer.js';

type Common = Pick<InformerOptions<k8s.KubernetesObject>, 'kubeConfig' | 'logger' | 'labelSelector'> & {
  onEvent?: (event: 'add' | 'update' | 'delete', obj: k8s.KubernetesObject) => void;
  /** See InformerOptions.transform. */
  transform?: (obj: k8s.KubernetesObject) => k8s.KubernetesObject;
};

/** Informers for the built-in resources the operators read, cluster-wide or in one namespace. */
export function resourceInformers(common: Common) {
  const kc = common.kubeConfig;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
  const networking = kc.makeApiClient(k8s.NetworkingV1Api);
  type Page = { limit: number; _continue?: string } | undefined;
  const make = <T extends k8s.KubernetesObject>(path: string, list: (page: Page) => Promise<k8s.KubernetesListObject<T>>, fieldSelector?: string): Informer<T> =>
    createInformer<T>({
      ...(fieldSelector ? { fieldSelector } : {}),
      kubeConfig: common.kubeConfig,
      ...(common.logger ? { logger: common.logger } : {}),
      ...(common.labelSelector ? { labelSelector: common.labelSelector } : {}),
      path,
      list,
      onEvent: common.onEvent as InformerOptions<T>['onEvent'],
      ...(common.transform ? { transform: common.transform as unknown as (obj: T) => T } : {}),
    });
  const sel = common.labelSelector ? { labelSelector: common.labelSelector } : {};
  return {
    services: () => make<k8s.V1Service>('/api/v1/services', (p) => core.listServiceForAllNamespaces({ ...sel, ...p })),
    endpointSlices: () =>
      make<k8s.V1EndpointSlice>('/apis/discovery.k8s.io/v1/endpointslices', (p) => discovery.listEndpointSliceForAllNamespaces({ ...sel, ...p })),
    ingresses: () => make<k8s.V1Ingress>('/apis/networking.k8s.io/v1/ingresses', (p) => networking.listIngressForAllNamespaces({ ...sel, ...p })),
    ingressClasses: () => make<k8s.V1IngressClass>('/apis/networking.k8s.io/v1/ingressclasses', (p) => networking.listIngressClass({ ...sel, ...p })),
    secrets: () => make<k8s.V1Secret>('/api/v1/secrets', (p) => core.listSecretForAllNamespaces({ ...sel, ...p })),
    nodes: () => make<k8s.V1Node>('/api/v1/nodes', (p) => core.listNode({ ...sel, ...p })),
    namespaces: () => make<k8s.V1Namespace>('/api/v1/namespaces', (p) => core.listNamespace({ ...sel, ...p })),
    pods: () => make<k8s.V1Pod>('/api/v1/pods', (p) => core.listPodForAllNamespaces({ ...sel, ...p })),
    /** ConfigMaps in `namespace`; with `name`, only that one (field selector: RBAC may then name it). */
    configMapsIn: (namespace: string, name?: string) => {
      const field = name === undefined ? {} : { fieldSelector: `metadata.name=${name}` };
      return make<k8s.V1ConfigMap>(`/api/v1/namespaces/${namespace}/configmaps`, (p) => core.listNamespacedConfigMap({ namespace, ...sel, ...field, ...p }), field.fieldSelector);
    },
    secretsIn: (namespace: string) =>
      make<k8s.V1Secret>(`/api/v1/namespaces/${namespace}/secrets`, (p) => core.listNamespacedSecret({ namespace, ...sel, ...p })),
    /** A custom resource, cluster-wide (namespace undefined) or in one namespace. */
    custom: <T extends k8s.KubernetesObject>(group: string, version: string, plural: string, namespace?: string) => {
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const path = namespace ? `/apis/${group}/${version}/namespaces/${namespace}/${plural}` : `/apis/${group}/${version}/${plural}`;
      const list = () =>
        (namespace
          ? custom.listNamespacedCustomObject({ group, version, namespace, plural, ...sel })
          : custom.listClusterCustomObject({ group, version, plural, ...sel })) as Promise<k8s.KubernetesListObject<T>>;
      return make<T>(path, list);
    },
  };
}
