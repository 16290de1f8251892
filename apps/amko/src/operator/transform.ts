// What AMKO's informers keep of each object (applied before the cache holds it): exactly the fields translate
// (translate/members.ts, translate.ts) and the status stage read. No managedFields, no unread annotations, no pod
// templates or Service internals: a member cluster with many objects costs little memory.
import type * as k8s from '@kubernetes/client-node';
import { ANN_CONTROLLER_UUID, ANN_ENABLE_TLS, ANN_TENANT, ANN_VS_UUID_MAP } from '../translate/members.js';

const MEMBER_ANNOTATIONS = [ANN_VS_UUID_MAP, ANN_CONTROLLER_UUID, ANN_TENANT, ANN_ENABLE_TLS];

function meta(m: k8s.V1ObjectMeta | undefined, annotations: readonly string[] | 'all' = MEMBER_ANNOTATIONS): k8s.V1ObjectMeta {
  const out: k8s.V1ObjectMeta = {};
  if (m?.name !== undefined) out.name = m.name;
  if (m?.namespace !== undefined) out.namespace = m.namespace;
  if (m?.uid !== undefined) out.uid = m.uid;
  if (m?.resourceVersion !== undefined) out.resourceVersion = m.resourceVersion;
  if (m?.generation !== undefined) out.generation = m.generation;
  if (m?.creationTimestamp !== undefined) out.creationTimestamp = m.creationTimestamp;
  if (m?.labels && Object.keys(m.labels).length > 0) out.labels = m.labels;
  if (m?.annotations) {
    const a = annotations === 'all' ? { ...m.annotations } : Object.fromEntries(Object.entries(m.annotations).filter(([k]) => annotations.includes(k)));
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(a).length > 0) out.annotations = a;
  }
  return out;
}

const lbIngress = (s: { loadBalancer?: k8s.V1LoadBalancerStatus } | undefined) =>
  (s?.loadBalancer?.ingress ?? []).map((e) => ({ ...(e.ip !== undefined ? { ip: e.ip } : {}), ...(e.hostname !== undefined ? { hostname: e.hostname } : {}) }));

export function ingressTransform(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const i = o as k8s.V1Ingress;
  const rules = (i.spec?.rules ?? []).map((r) => ({
    ...(r.host !== undefined ? { host: r.host } : {}),
    ...(r.http ? { http: { paths: r.http.paths.map((p) => ({ ...(p.path !== undefined ? { path: p.path } : {}) })) } } : {}),
  }));
  const tls = (i.spec?.tls ?? []).map((t) => ({ ...(t.hosts ? { hosts: t.hosts } : {}) }));
  const ingress = lbIngress(i.status as { loadBalancer?: k8s.V1LoadBalancerStatus } | undefined);
  return {
    metadata: meta(i.metadata),
    spec: { ...(rules.length ? { rules } : {}), ...(tls.length ? { tls } : {}) },
    ...(ingress.length ? { status: { loadBalancer: { ingress } } } : {}),
  } as k8s.V1Ingress as k8s.KubernetesObject;
}

export function serviceTransform(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const s = o as k8s.V1Service;
  // Only LoadBalancer Services are read: others keep their identity and type.
  if (s.spec?.type !== 'LoadBalancer') return { metadata: meta(s.metadata, []), spec: { ...(s.spec?.type ? { type: s.spec.type } : {}) } } as k8s.V1Service as k8s.KubernetesObject;
  const ingress = lbIngress(s.status);
  return {
    metadata: meta(s.metadata),
    spec: { type: 'LoadBalancer', ports: (s.spec.ports ?? []).map((p) => ({ port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) })) },
    ...(ingress.length ? { status: { loadBalancer: { ingress } } } : {}),
  } as k8s.V1Service as k8s.KubernetesObject;
}

export function namespaceTransform(o: k8s.KubernetesObject): k8s.KubernetesObject {
  return { metadata: meta(o.metadata, [ANN_TENANT]) } as k8s.V1Namespace as k8s.KubernetesObject;
}

/** Member AKO HostRules: the fields translate/hostrules.ts reads (fqdn, aliases, gslb, the TLS certificate name, status). */
export function hostRuleTransform(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const h = o as k8s.KubernetesObject & { spec?: { virtualhost?: Record<string, unknown> }; status?: { status?: unknown } };
  const vh = h.spec?.virtualhost ?? {};
  const cert = ((vh.tls as { sslKeyCertificate?: { name?: unknown } } | undefined)?.sslKeyCertificate ?? {}).name;
  const keep = {
    ...(vh.fqdn !== undefined ? { fqdn: vh.fqdn } : {}),
    ...(vh.aliases !== undefined ? { aliases: vh.aliases } : {}),
    ...(vh.gslb !== undefined ? { gslb: vh.gslb } : {}),
    ...(cert !== undefined ? { tls: { sslKeyCertificate: { name: cert } } } : {}),
  };
  return { metadata: meta(h.metadata, []), spec: { virtualhost: keep }, ...(h.status?.status !== undefined ? { status: { status: h.status.status } } : {}) } as k8s.KubernetesObject;
}

/** Leader-side custom resources (GSLBConfig, GDP, GSLBHostRule): everything but managedFields. */
export function customTransform<T extends k8s.KubernetesObject>(o: T): T {
  if (!o.metadata?.managedFields && !o.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']) return o;
  return { ...o, metadata: meta(o.metadata, 'all') };
}

/** Leader-side Secrets: their data, without managedFields. */
export function secretTransform(o: k8s.KubernetesObject): k8s.KubernetesObject {
  const s = o as k8s.V1Secret;
  return { metadata: meta(s.metadata, []), ...(s.type ? { type: s.type } : {}), ...(s.data ? { data: s.data } : {}) } as k8s.V1Secret as k8s.KubernetesObject;
}
