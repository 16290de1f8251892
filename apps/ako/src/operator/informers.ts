// The informers AKO reads (spec ako.md §3.1 step 4) and the Snapshot built from them: nothing else reads Kubernetes.
import type * as k8s from '@kubernetes/client-node';
import { resourceInformers, type Informer, type Logger } from '@avi-k8s/kube';
import type { Snapshot } from '../translate/index.js';

export interface AkoInformers {
  services: Informer<k8s.V1Service>;
  endpointSlices: Informer<k8s.V1EndpointSlice>;
  ingresses: Informer<k8s.V1Ingress>;
  ingressClasses: Informer<k8s.V1IngressClass>;
  secrets: Informer<k8s.V1Secret>;
  nodes: Informer<k8s.V1Node>;
  namespaces: Informer<k8s.V1Namespace>;
}

export function createInformers(kubeConfig: k8s.KubeConfig, logger: Logger, onChange: (kind: string, obj: k8s.KubernetesObject) => void): AkoInformers {
  const on = (kind: string) => (_event: string, obj: k8s.KubernetesObject) => onChange(kind, obj);
  const make = (kind: string) => resourceInformers({ kubeConfig, logger, onEvent: on(kind) });
  return {
    services: make('Service').services(),
    endpointSlices: make('EndpointSlice').endpointSlices(),
    ingresses: make('Ingress').ingresses(),
    ingressClasses: make('IngressClass').ingressClasses(),
    secrets: make('Secret').secrets(),
    nodes: make('Node').nodes(),
    namespaces: make('Namespace').namespaces(),
  };
}

export async function startInformers(informers: AkoInformers): Promise<void> {
  await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.start()));
}

export async function stopInformers(informers: AkoInformers): Promise<void> {
  await Promise.all(Object.values(informers).map((i: Informer<k8s.KubernetesObject>) => i.stop()));
}

/** A consistent read-only view of the caches (copies of the arrays, the objects are shared and never mutated). */
export function snapshotOf(i: AkoInformers): Snapshot {
  return {
    services: [...i.services.list()],
    endpointSlices: [...i.endpointSlices.list()],
    ingresses: [...i.ingresses.list()],
    ingressClasses: [...i.ingressClasses.list()],
    secrets: [...i.secrets.list()],
    nodes: [...i.nodes.list()],
    namespaces: [...i.namespaces.list()],
  };
}
