// The informers AKO reads (spec ako.md §3.1 step 4), each with the transform that keeps only what AKO reads
// (transform.ts); every event goes to the Store (store.ts), the only reader of Kubernetes.
import type * as k8s from '@kubernetes/client-node';
import { resourceInformers, type Informer, type Logger, type KubeConfig } from '@avi-k8s/kube';
import type { Kind } from './store.js';
import { transforms } from './transform.js';

export interface AkoInformers {
  services: Informer<k8s.V1Service>;
  endpointSlices: Informer<k8s.V1EndpointSlice>;
  ingresses: Informer<k8s.V1Ingress>;
  ingressClasses: Informer<k8s.V1IngressClass>;
  secrets: Informer<k8s.V1Secret>;
  nodes: Informer<k8s.V1Node>;
  namespaces: Informer<k8s.V1Namespace>;
  /** Only in NodePortLocal mode (Antrea's pod annotation). */
  pods?: Informer<k8s.V1Pod>;
  /** Only when the ako.vmware.com CRDs are installed. */
  hostRules?: Informer<k8s.KubernetesObject>;
  l4Rules?: Informer<k8s.KubernetesObject>;
  httpRules?: Informer<k8s.KubernetesObject>;
  /** Read to say they are not implemented (translate/unsupported.ts). */
  ssoRules?: Informer<k8s.KubernetesObject>;
  l7Rules?: Informer<k8s.KubernetesObject>;
  aviInfraSettings?: Informer<k8s.KubernetesObject>;
}

export function createInformers(
  kubeConfig: KubeConfig,
  logger: Logger,
  onChange: (kind: Kind, event: 'add' | 'update' | 'delete', obj: k8s.KubernetesObject) => void,
  opts: { pods?: boolean; crds?: ReadonlySet<string> } = {},
): AkoInformers {
  const cr = (field: string, kind: Kind, version: string, plural: string) =>
    opts.crds?.has(`${plural}/${version}`) ? { [field]: make(kind).custom('ako.vmware.com', version, plural) } : {};
  const make = (kind: Kind) => resourceInformers({ kubeConfig, logger, transform: transforms[kind]!, onEvent: (event, obj) => onChange(kind, event, obj) });
  return {
    services: make('Service').services(),
    endpointSlices: make('EndpointSlice').endpointSlices(),
    ingresses: make('Ingress').ingresses(),
    ingressClasses: make('IngressClass').ingressClasses(),
    secrets: make('Secret').secrets(),
    nodes: make('Node').nodes(),
    namespaces: make('Namespace').namespaces(),
    ...(opts.pods ? { pods: make('Pod').pods() } : {}),
    // Each rule kind only where its CRD (at that version) is served.
    ...cr('hostRules', 'HostRule', 'v1beta1', 'hostrules'),
    ...cr('httpRules', 'HTTPRule', 'v1beta1', 'httprules'),
    ...cr('l4Rules', 'L4Rule', 'v1alpha2', 'l4rules'),
    ...cr('ssoRules', 'SSORule', 'v1alpha2', 'ssorules'),
    // Cluster-scoped: listed cluster-wide like the rules.
    ...cr('aviInfraSettings', 'AviInfraSetting', 'v1beta1', 'aviinfrasettings'),
    ...cr('l7Rules', 'L7Rule', 'v1alpha2', 'l7rules'),
  };
}

const all = (i: AkoInformers): Informer<k8s.KubernetesObject>[] => Object.values(i).filter((x): x is Informer<k8s.KubernetesObject> => x !== undefined);

export async function startInformers(informers: AkoInformers): Promise<void> {
  await Promise.all(all(informers).map((i) => i.start()));
}

export async function stopInformers(informers: AkoInformers): Promise<void> {
  await Promise.all(all(informers).map((i) => i.stop()));
}
