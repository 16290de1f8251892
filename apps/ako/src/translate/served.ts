/**
 * Which Kubernetes objects each Avi object of a unit serves (`Service/<ns>/<name>`, `Ingress/<ns>/<name>`): the
 * objects its `service_metadata` names; for an object without one (VsVip, pool group, datascript, policy sets,
 * certificates, a shard VS), the objects served by whatever uses it and by whatever it uses. A failure writing an
 * Avi object is then reported on exactly these objects, and nowhere else. Pure.
 */
import { findRefs, keyOf, type DesiredObject } from '@avi-k8s/avi-sync';

function named(d: DesiredObject): string[] {
  if (typeof d.body.service_metadata !== 'string') return [];
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(d.body.service_metadata) as Record<string, unknown>;
  } catch {
    return [];
  }
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const out = [...list(m.namespace_svc_name).map((s) => `Service/${s}`), ...list(m.namespace_ingress_name).map((i) => `Ingress/${i}`)];
  if (typeof m.ingress_name === 'string' && m.ingress_name && typeof m.namespace === 'string' && m.namespace) out.push(`Ingress/${m.namespace}/${m.ingress_name}`);
  return out;
}

export function servedObjects(objects: readonly DesiredObject[]): Map<string, readonly string[]> {
  const keys = new Set(objects.map(keyOf));
  const uses = new Map<string, string[]>();
  const users = new Map<string, string[]>();
  for (const d of objects) {
    const k = keyOf(d);
    const deps = [...new Set(findRefs(d.body).flatMap((r) => (r.by === 'name' ? [keyOf({ tenant: r.tenant ?? d.tenant, type: r.type, name: r.name })] : [])))].filter((x) => keys.has(x) && x !== k);
    uses.set(k, deps);
    for (const x of deps) (users.get(x) ?? users.set(x, []).get(x)!).push(k);
  }
  const direct = new Map(objects.map((d) => [keyOf(d), named(d)]));
  const walk = (start: string, next: Map<string, string[]>): Set<string> => {
    const out = new Set<string>();
    const seen = new Set([start]);
    const todo = [...(next.get(start) ?? [])];
    while (todo.length > 0) {
      const k = todo.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      const d = direct.get(k) ?? [];
      d.forEach((x) => out.add(x));
      // Upwards, the first object naming Kubernetes objects answers for everything above it.
      if (d.length === 0 || next === uses) todo.push(...(next.get(k) ?? []));
    }
    return out;
  };
  const served = new Map<string, readonly string[]>();
  for (const d of objects) {
    const k = keyOf(d);
    const own = direct.get(k) ?? [];
    served.set(k, own.length > 0 ? [...own].sort() : [...new Set([...walk(k, users), ...walk(k, uses)])].sort());
  }
  return served;
}
