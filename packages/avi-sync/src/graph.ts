/** Small graph helpers over string node ids: strongly connected components and a priority topological sort. */

/** Tarjan's algorithm (iterative). Returns the components, each a list of node ids. */
export function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const succ = edges.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        out.push(comp);
      }
    }
  }
  return out;
}

/** One cycle inside a strongly connected component, as a path that starts and ends at the same node. */
export function cycleIn(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const path: string[] = [start];
  const seen = new Map<string, number>([[start, 0]]);
  let cur = start;
  for (;;) {
    const nextNode = (edges.get(cur) ?? []).filter((n) => members.has(n)).sort()[0]!;
    const at = seen.get(nextNode);
    if (at !== undefined) return [...path.slice(at), nextNode];
    seen.set(nextNode, path.length);
    path.push(nextNode);
    cur = nextNode;
  }
}

/**
 * Kahn's topological sort: `deps.get(n)` must come before n. Among ready nodes the one with the smallest
 * `priority` (then id) goes first, so the order is deterministic. All nodes must be acyclic.
 */
export function topoSort(
  nodes: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
  priority: (n: string) => readonly (number | string)[],
): string[] {
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const n of nodes) {
    const ds = deps.get(n) ?? [];
    pending.set(n, ds.length);
    for (const d of ds) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(n);
  }
  const keyOfNode = new Map(nodes.map((n) => [n, [...priority(n), n]] as const));
  const less = (a: string, b: string): boolean => compareTuples(keyOfNode.get(a)!, keyOfNode.get(b)!) < 0;
  const heap = new MinHeap<string>(less);
  for (const n of nodes) if (pending.get(n) === 0) heap.push(n);
  const out: string[] = [];
  while (heap.size > 0) {
    const n = heap.pop()!;
    out.push(n);
    for (const m of dependants.get(n) ?? []) {
      const left = pending.get(m)! - 1;
      pending.set(m, left);
      if (left === 0) heap.push(m);
    }
  }
  if (out.length !== nodes.length) throw new Error('topoSort: graph has a cycle (callers must remove cycles first)');
  return out;
}

function compareTuples(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
