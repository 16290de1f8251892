// What the informers keep of each object (applied before the cache holds it): the fields translate reads, plus what
// the status stage compares (Service/Ingress status.loadBalancer and annotations). No managedFields, no Secret data
// but TLS material, no Node images or conditions, Pods only with their NodePortLocal annotation.
import type * as k8s from '@kubernetes/client-node';

type Meta = k8s.V1ObjectMeta;

/** Annotations too large to keep that nothing of AKO reads. */
const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];
/** The Secret data keys translate reads (translate/tls.ts). */
export const TLS_DATA_KEYS = ['tls.crt', 'tls.key', 'alt.crt', 'alt.key'];
/** The Secret data keys SSORules read (translate/sso.ts). */
export const SSO_DATA_KEYS = ['clientSecret', 'serverSecret'];
const NPL_POD_ANNOTATION = 'nodeportlocal.antrea.io';

function meta(m: Meta | undefined, keep: { labels?: boolean; annotations?: boolean | ((k: string) => boolean); created?: boolean } = {}): Meta {
  const out: Meta = {};
  if (m?.name !== undefined) out.name = m.name;
  if (m?.namespace !== undefined) out.namespace = m.namespace;
  // Which of two Ingresses or Services claimed a host or an Avi name first (translate/age.ts).
  if (keep.created && m?.creationTimestamp !== undefined) out.creationTimestamp = m.creationTimestamp;
  if (m?.uid !== undefined) out.uid = m.uid;
  if (m?.resourceVersion !== undefined) out.resourceVersion = m.resourceVersion;
  if (keep.labels && m?.labels) out.labels = m.labels;
  if (keep.annotations && m?.annotations) {
    const pick = typeof keep.annotations === 'function' ? keep.annotations : (k: string) => !DROPPED_ANNOTATIONS.includes(k);
    const a = Object.fromEntries(Object.entries(m.annotations).filter(([k]) => pick(k)));
    if (Object.keys(a).length > 0) out.annotations = a;
  }
  return out;
}

/**
 * The Service spec fields AKO reads (translate: type, ports, the VIP and class it asks for, ExternalName, traffic
 * policy, IP families): not clusterIP(s), ipFamilyPolicy, sessionAffinity, internalTrafficPolicy, ... (each Service
 * held half a dozen such strings nothing reads).
 */
const SERVICE_SPEC_KEYS = ['type', 'ports', 'loadBalancerIP', 'loadBalancerClass', 'externalName', 'externalTrafficPolicy', 'ipFamilies'] as const;

function serviceSpec(spec: k8s.V1ServiceSpec): k8s.V1ServiceSpec {
  const out: Record<string, unknown> = {};
  for (const k of SERVICE_SPEC_KEYS) if (spec[k] !== undefined) out[k] = spec[k];
  return out as k8s.V1ServiceSpec;
}

const lbStatus = (s: { loadBalancer?: k8s.V1LoadBalancerStatus } | undefined) => (s?.loadBalancer ? { loadBalancer: s.loadBalancer } : undefined);

export const transforms: Record<string, (obj: k8s.KubernetesObject) => k8s.KubernetesObject> = {
  Service: (o) => {
    const s = o as k8s.V1Service;
    const status = lbStatus(s.status);
    return { metadata: meta(s.metadata, { annotations: true, created: true }), ...(s.spec ? { spec: serviceSpec(s.spec) } : {}), ...(status ? { status } : {}) } as k8s.V1Service;
  },
  Ingress: (o) => {
    const i = o as k8s.V1Ingress;
    const status = lbStatus(i.status as { loadBalancer?: k8s.V1LoadBalancerStatus } | undefined);
    return { metadata: meta(i.metadata, { annotations: true, created: true }), ...(i.spec ? { spec: i.spec } : {}), ...(status ? { status } : {}) } as k8s.V1Ingress;
  },
  EndpointSlice: (o) => {
    const e = o as k8s.V1EndpointSlice;
    return {
      metadata: meta(e.metadata, { labels: true }),
      addressType: e.addressType,
      ...(e.ports ? { ports: e.ports } : {}),
      endpoints: (e.endpoints ?? []).map((ep) => ({
        addresses: ep.addresses,
        ...(ep.conditions ? { conditions: ep.conditions } : {}),
        ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
        ...(ep.targetRef ? { targetRef: { kind: ep.targetRef.kind, name: ep.targetRef.name, namespace: ep.targetRef.namespace } } : {}),
      })),
    } as k8s.V1EndpointSlice;
  },
  Secret: (o) => {
    const s = o as k8s.V1Secret;
    const data = Object.fromEntries(Object.entries(s.data ?? {}).filter(([k]) => TLS_DATA_KEYS.includes(k) || SSO_DATA_KEYS.includes(k)));
    return { metadata: meta(s.metadata), ...(s.type ? { type: s.type } : {}), ...(Object.keys(data).length > 0 ? { data } : {}) } as k8s.V1Secret;
  },
  Node: (o) => {
    const n = o as k8s.V1Node;
    const spec = n.spec ? { ...(n.spec.podCIDR ? { podCIDR: n.spec.podCIDR } : {}), ...(n.spec.podCIDRs ? { podCIDRs: n.spec.podCIDRs } : {}) } : undefined;
    return {
      metadata: meta(n.metadata, { labels: true, annotations: true }),
      ...(spec ? { spec } : {}),
      ...(n.status?.addresses ? { status: { addresses: n.status.addresses } } : {}),
    } as k8s.V1Node;
  },
  Namespace: (o) => ({ metadata: meta(o.metadata, { labels: true, annotations: true }) }),
  IngressClass: (o) => {
    const c = o as k8s.V1IngressClass;
    return { metadata: meta(c.metadata, { annotations: true }), ...(c.spec ? { spec: c.spec } : {}) } as k8s.V1IngressClass;
  },
  Pod: (o) => ({ metadata: meta(o.metadata, { annotations: (k) => k === NPL_POD_ANNOTATION }) }),
  HostRule: (o) => cr(o),
  L4Rule: (o) => cr(o),
  HTTPRule: (o) => cr(o),
  SSORule: (o) => cr(o),
  AviInfraSetting: (o) => cr(o),
  L7Rule: (o) => cr(o),
};

/** An AKO CR: the spec translate reads, the status the status stage compares, the age (the oldest rule wins). */
function cr(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const r = o as k8s.KubernetesObject & { spec?: unknown; status?: unknown };
  const m = meta(r.metadata);
  if (r.metadata?.creationTimestamp) m.creationTimestamp = r.metadata.creationTimestamp;
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: m, ...(r.spec ? { spec: r.spec } : {}), ...(r.status ? { status: r.status } : {}) } as k8s.KubernetesObject;
}
