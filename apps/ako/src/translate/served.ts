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

/**
 * By index into `objects` (a shard unit has thousands, translated on every change of one of its hosts): each key
 * built once, the edges as index lists, and one visit mark per walk instead of a Set. An object listed twice counts
 * as its last listing (the Maps by key did the same).
 */
export function servedObjects(objects: readonly DesiredObject[]): Map<string, readonly string[]> {
  const n = objects.length;
  const keys = objects.map(keyOf);
  const at = new Map<string, number>();
  for (let i = 0; i < n; i++) at.set(keys[i]!, i);
  const uses: number[][] = Array.from({ length: n }, () => []);
  const users: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const d = objects[i]!;
    const self = at.get(keys[i]!)!;
    const deps: number[] = [];
    for (const r of findRefs(d.body)) {
      if (r.by !== 'name') continue;
      const j = at.get(keyOf({ tenant: r.tenant ?? d.tenant, type: r.type, name: r.name }));
      if (j !== undefined && j !== self && !deps.includes(j)) deps.push(j);
    }
    uses[self] = deps;
    for (const j of deps) users[j]!.push(self);
  }
  const direct = objects.map(named);
  // visit marks: mark[k] === stamp means k was seen in the current walk
  const mark = new Uint32Array(n);
  let stamp = 0;
  const walk = (start: number, next: number[][], out: Set<string>): void => {
    stamp++;
    mark[start] = stamp;
    const todo = [...next[start]!];
    while (todo.length > 0) {
      const k = todo.pop()!;
      if (mark[k] === stamp) continue;
      mark[k] = stamp;
      const d = direct[k]!;
      for (const x of d) out.add(x);
      // Upwards, the first object naming Kubernetes objects answers for everything above it.
      if (d.length === 0 || next === uses) for (const x of next[k]!) todo.push(x);
    }
  };
  const served = new Map<string, readonly string[]>();
  for (let i = 0; i < n; i++) {
    const k = at.get(keys[i]!)!;
    const own = direct[k]!;
    if (own.length > 0) {
      served.set(keys[i]!, [...own].sort());
      continue;
    }
    const out = new Set<string>();
    walk(k, users, out);
    walk(k, uses, out);
    served.set(keys[i]!, [...out].sort());
  }
  return served;
}
