// The relevance filter: the part of an object translate reads. An event that leaves it unchanged (AKO's own status
// and annotation writes, a label or annotation translate never reads, a resourceVersion bump) costs no translation.
import { sortKeysInPlace } from '@avi-k8s/avi-sync';
import type * as k8s from '@kubernetes/client-node';

/** Annotations translate reads: AKO's own keys and the few foreign ones it honours (external-dns, IngressClass). */
const READ_PREFIXES = ['ako.vmware.com/', 'skipnodeport.ako.vmware.com/', 'external-dns.alpha.kubernetes.io/', 'ingressclass.kubernetes.io/', 'nodeportlocal.antrea.io', 'aviinfrasetting.ako.vmware.com/'];
/** What the status stage writes on Services and Ingresses: outputs there, never inputs. */
export const STATUS_ANNOTATIONS = ['ako.vmware.com/host-fqdn-vs-uuid-map', 'ako.vmware.com/controller-cluster-uuid', 'ako.vmware.com/tenant-name'];

function readAnnotations(kind: string, a: Record<string, string> | undefined): Record<string, string> {
  const own = kind === 'Service' || kind === 'Ingress';
  return Object.fromEntries(
    Object.entries(a ?? {})
      .filter(([k]) => READ_PREFIXES.some((p) => k.startsWith(p)) && !(own && STATUS_ANNOTATIONS.includes(k)))
      .sort(([x], [y]) => (x < y ? -1 : 1)),
  );
}

/**
 * JSON with object keys sorted: the initial list arrives through client-node's typed deserialiser (its own key
 * order, Date objects), watch events as the apiserver's JSON; both must give the same view of the same object.
 */
function canonical(v: unknown): string {
  return canonicalText(v) ?? 'null';
}

/**
 * JSON.stringify(v) with each object's keys sorted by code unit, written directly: it runs on every informer event
 * (thousands at start), and a replacer building a sorted copy of each object (entries, filter, sort, fromEntries) was
 * most of the filter's garbage. undefined where JSON.stringify gives no text (undefined, functions, symbols).
 */
function canonicalText(v: unknown): string | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + (canonicalText(v[i]) ?? 'null');
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = sortKeysInPlace(Object.keys(o));
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const text = canonicalText(o[keys[i]!]);
    if (text === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(keys[i]) + ':' + text;
  }
  return out + '}';
}

/** A string that changes exactly when something translate reads of this (transformed) object changes. */
export function translateView(kind: string, obj: k8s.KubernetesObject): string {
  const o = obj as k8s.KubernetesObject & Record<string, unknown>;
  const m = o.metadata ?? {};
  const head = { n: m.name, ns: m.namespace, a: readAnnotations(kind, m.annotations) };
  switch (kind) {
    case 'Service':
    case 'Ingress':
    case 'IngressClass':
      return canonical([head, o.spec]);
    case 'EndpointSlice':
      return canonical([head, m.labels, o.addressType, o.ports, o.endpoints]);
    case 'Secret':
      return canonical([head, o.type, o.data]);
    case 'Node':
      return canonical([head, m.labels, o.spec, o.status]);
    case 'Namespace':
      return canonical([head, m.labels]);
    default:
      return canonical([head, m.labels, o.spec]);
  }
}
