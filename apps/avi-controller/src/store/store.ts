// The object store: every object by uuid, per type, by (type, tenant[, cloud], name), and the reverse
// reference index used for referential integrity and `referred_by`/`refers_to` queries.
// Writes happen inside a transaction that can be rolled back and yields the journal records to persist.

import { forEachRef, splitStoredRef } from '../objects/refs.js';

export type Obj = Record<string, unknown>;

export interface Entry {
  readonly type: string;
  readonly obj: Obj;
  /** Tenant uuid. */
  readonly tenant: string;
  /** Cloud uuid, for objects that have a cloud_ref. */
  readonly cloud: string | undefined;
  /** Uuids this object refers to. */
  readonly refs: readonly string[];
}

export type JournalRecord = { op: 'put'; type: string; obj: Obj } | { op: 'del'; uuid: string; type?: string };

export interface Tx {
  readonly records: JournalRecord[];
  readonly undo: Array<() => void>;
}

export function newTx(): Tx {
  return { records: [], undo: [] };
}

export function refUuid(ref: unknown): string | undefined {
  return typeof ref === 'string' ? splitStoredRef(ref)?.uuid : undefined;
}

export interface StoreListener {
  onIndex(e: Entry): void;
  onUnindex(e: Entry): void;
}

export class Store {
  private readonly listeners: StoreListener[] = [];
  private readonly byUuid = new Map<string, Entry>();
  private readonly byType = new Map<string, Map<string, Entry>>();
  private readonly names = new Map<string, string>();
  private readonly referrers = new Map<string, Set<string>>();
  /** (type, name) -> uuids in every tenant and cloud, for `?name=` queries. */
  private readonly byTypeName = new Map<string, Set<string>>();
  /** Types whose names are unique per (tenant, cloud). */
  constructor(private readonly cloudScoped: (type: string) => boolean) {}

  /** Derived indexes (IPAM, DNS) follow every change, rollback and replay through listeners. */
  listen(l: StoreListener): void {
    this.listeners.push(l);
  }

  get size(): number {
    return this.byUuid.size;
  }

  get(uuid: string): Entry | undefined {
    return this.byUuid.get(uuid);
  }

  /** Entries of one type in insertion order. */
  ofType(type: string): Iterable<Entry> {
    return this.byType.get(type)?.values() ?? [];
  }

  countOfType(type: string): number {
    return this.byType.get(type)?.size ?? 0;
  }

  all(): Iterable<Entry> {
    return this.byUuid.values();
  }

  nameKey(type: string, tenant: string, cloud: string | undefined, name: string): string {
    return this.cloudScoped(type) ? `${type}\u0000${tenant}\u0000${cloud ?? ''}\u0000${name}` : `${type}\u0000${tenant}\u0000${name}`;
  }

  findByName(type: string, tenant: string, name: string, cloud?: string): Entry | undefined {
    if (this.cloudScoped(type) && cloud === undefined) {
      // Without a cloud, the first object of that name in the tenant.
      for (const e of this.ofType(type)) if (e.tenant === tenant && e.obj.name === name) return e;
      return undefined;
    }
    const uuid = this.names.get(this.nameKey(type, tenant, cloud, name));
    return uuid === undefined ? undefined : this.byUuid.get(uuid);
  }

  /** Entries of a type with this name, in any tenant or cloud. */
  named(type: string, name: string): Entry[] {
    const s = this.byTypeName.get(`${type}\u0000${name}`);
    if (!s) return [];
    const out: Entry[] = [];
    for (const u of s) {
      const e = this.byUuid.get(u);
      if (e) out.push(e);
    }
    return out;
  }

  /** Uuids of the objects referring to `uuid`. */
  referrersOf(uuid: string): ReadonlySet<string> {
    return this.referrers.get(uuid) ?? new Set();
  }

  /** Inserts or replaces an object (in a transaction). */
  put(tx: Tx | undefined, type: string, obj: Obj): Entry {
    const uuid = obj.uuid as string;
    const prev = this.byUuid.get(uuid);
    const entry = this.index(type, obj, prev);
    if (tx) {
      tx.records.push({ op: 'put', type, obj });
      tx.undo.push(() => {
        if (prev) this.index(prev.type, prev.obj, entry);
        else this.unindex(entry);
      });
    }
    return entry;
  }

  remove(tx: Tx | undefined, uuid: string): Entry | undefined {
    const prev = this.byUuid.get(uuid);
    if (!prev) return undefined;
    this.unindex(prev);
    if (tx) {
      tx.records.push({ op: 'del', uuid, type: prev.type });
      tx.undo.push(() => this.index(prev.type, prev.obj, undefined));
    }
    return prev;
  }

  rollback(tx: Tx): void {
    for (let i = tx.undo.length - 1; i >= 0; i--) tx.undo[i]!();
    tx.undo.length = 0;
    tx.records.length = 0;
  }

  /** Applies a journal record (replay at start). */
  apply(rec: JournalRecord): void {
    if (rec.op === 'put') this.put(undefined, rec.type, rec.obj);
    else this.remove(undefined, rec.uuid);
  }

  private index(type: string, obj: Obj, prev: Entry | undefined): Entry {
    // An update keeps the object's place in listings (stable paging order).
    if (prev) this.unindex(prev, prev.type === type ? obj.name : undefined);
    const uuid = obj.uuid as string;
    const tenant = refUuid(obj.tenant_ref) ?? 'admin';
    const cloud = refUuid(obj.cloud_ref);
    const refs: string[] = [];
    forEachRef(obj, (r) => {
      const u = refUuid(r);
      if (u !== undefined && u !== uuid && !refs.includes(u)) refs.push(u);
    });
    const entry: Entry = { type, obj, tenant, cloud, refs };
    this.byUuid.set(uuid, entry);
    let m = this.byType.get(type);
    if (!m) this.byType.set(type, (m = new Map()));
    m.set(uuid, entry);
    if (typeof obj.name === 'string') {
      this.names.set(this.nameKey(type, tenant, cloud, obj.name), uuid);
      const k = `${type}\u0000${obj.name}`;
      let set = this.byTypeName.get(k);
      if (!set) this.byTypeName.set(k, (set = new Set()));
      set.add(uuid);
    }
    for (const r of refs) {
      let s = this.referrers.get(r);
      if (!s) this.referrers.set(r, (s = new Set()));
      s.add(uuid);
    }
    for (const l of this.listeners) l.onIndex(entry);
    return entry;
  }

  /** `keepName`: the replacing object's name (same type), whose ordering slots are kept. */
  private unindex(e: Entry, keepName?: unknown): void {
    const uuid = e.obj.uuid as string;
    this.byUuid.delete(uuid);
    if (keepName === undefined) this.byType.get(e.type)?.delete(uuid);
    if (typeof e.obj.name === 'string') {
      const k = this.nameKey(e.type, e.tenant, e.cloud, e.obj.name);
      if (this.names.get(k) === uuid) this.names.delete(k);
      if (keepName !== e.obj.name) {
        const tk = `${e.type}\u0000${e.obj.name}`;
        const set = this.byTypeName.get(tk);
        set?.delete(uuid);
        if (set && set.size === 0) this.byTypeName.delete(tk);
      }
    }
    for (const r of e.refs) {
      const set = this.referrers.get(r);
      set?.delete(uuid);
      if (set && set.size === 0) this.referrers.delete(r);
    }
    for (const l of this.listeners) l.onUnindex(e);
  }
}
