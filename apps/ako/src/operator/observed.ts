// What AKO owns on the controller, kept small: per object its key, uuid, checksum and the refs of its body (all
// plan() needs to order deletes), which unit owns it, which units desire it, and the VsVips' allocated VIPs. The
// full bodies read at boot are kept as JSON text only until their unit has adopted them (adopt.ts).
import { keyOf, parseRef, type AviBody, type ObservedObject } from '@avi-k8s/avi-sync';
import { ByUnit } from './by-unit.js';
import { vipInfo, type VipInfo } from './lb-status.js';
import { ownedQueries } from './owned.js';

/**
 * The types AKO may own (owned.ts): a ref to any other type (cloud, tenant, VRF, SE group, network, ...) never names
 * an object plan() orders or attribute() follows, so it is not kept (thousands of copies of the same few refs).
 */
const OWNABLE = new Set(ownedQueries({ clusterName: '', cloudName: '', akoUser: '' }).map((q) => q.type));

/** A body reduced to its refs to ownable types: plan() finds the same refs in it (avi-sync's findRefs walks every string). */
export function refsOnly(body: AviBody | undefined): AviBody | undefined {
  if (!body) return undefined;
  const refs: string[] = [];
  // Indexed and for-in loops, and one parseRef per string: this runs on every body written (Object.values and a
  // one-member body per ref for findRefs allocated per object and per ref).
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('/api/')) refs.push(v);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) if (Object.hasOwn(v, k)) walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(body);
  const kept = refs.filter((r) => OWNABLE.has(parseRef(r)?.type ?? ''));
  return { refs: [...new Set(kept.map(shortRef))] };
}

/**
 * A ref as plan() reads it, in fewer bytes: without the controller's scheme and host, and a ref by uuid without its
 * `#name` (plan() and attribute() resolve it by type and uuid). 7000 owned objects at 1000 + 1000 held ~14k refs of
 * ~120 bytes as the controller writes them (`https://<host>/api/pool/pool-<uuid>#<name>`). The result is copied
 * (Buffer round trip): a substring or template of the ref would keep the whole ref alive as its parent.
 */
function shortRef(ref: string): string {
  const path = ref.replace(ORIGIN, '');
  const short = parseRef(path)?.by === 'uuid' ? path.replace(FRAGMENT, '') : path;
  if (short === ref) return ref;
  const copy = Buffer.from(short, 'utf8').toString('utf8');
  // Equal unless the text held a lone surrogate (not valid UTF-8): then keep it as it was.
  return copy === short ? copy : short;
}
const ORIGIN = /^https?:\/\/[^/]+/i;
const FRAGMENT = /#[^]*$/;

const slim = (o: ObservedObject): ObservedObject => {
  const body = refsOnly(o.body);
  return { tenant: o.tenant, type: o.type, name: o.name, uuid: o.uuid, ...(o.checksum !== undefined ? { checksum: o.checksum } : {}), ...(body ? { body } : {}) };
};

export function createObservedState() {
  const objects = new Map<string, ObservedObject>();
  const owner = new Map<string, string>();
  const byOwner = new Map<string, Set<string>>();
  const setOwner = (k: string, unit: string | undefined): void => {
    const was = owner.get(k);
    if (was === unit) return;
    if (was !== undefined) {
      const s = byOwner.get(was);
      s?.delete(k);
      if (s && s.size === 0) byOwner.delete(was);
    }
    if (unit === undefined) owner.delete(k);
    else {
      owner.set(k, unit);
      (byOwner.get(unit) ?? byOwner.set(unit, new Set()).get(unit)!).add(k);
    }
  };
  /**
   * Object key -> unit -> the checksum that unit desires. Nearly every object is desired by one unit: ByUnit holds
   * that claim inline (thousands of one-entry Maps were ~2 MiB of the heap at 1000 + 1000).
   */
  const claims = new Map<string, ByUnit<string>>();
  const claimsOn = (k: string): [string, string][] => [...(claims.get(k)?.entries() ?? [])];
  const NONE: readonly [string, string][] = [];
  /** Bodies as read from the controller, until a unit adopts them (JSON text: a fraction of the parsed size). */
  const fresh = new Map<string, string>();
  const vips = new Map<string, VipInfo>();
  /** While load() runs: what it has read so far (settleFresh() may settle a body before the read ends). */
  let loading: { objects: Map<string, ObservedObject>; fresh: Map<string, string> } | undefined;

  return {
    objects,
    /** Object keys some unit desires. */
    claimedKeys: (): IterableIterator<string> => claims.keys(),
    /** The units that desire `k`, with the checksum each desires. */
    claimsOn,
    setOwner,
    ownerOf: (k: string): string | undefined => owner.get(k),
    /** Units owning at least one object. */
    units: (): string[] => [...byOwner.keys()],
    /** The keys `unit` owns. */
    ownedBy: (unit: string): string[] => [...(byOwner.get(unit) ?? [])],
    vips,
    /**
     * Replaces everything with what `read` reports, one object at a time, as read from the controller; the full
     * body is kept (as JSON text, for adoption) only where `keepBody` says so.
     */
    async load(read: (keep: (o: ObservedObject) => void) => Promise<unknown>, keepBody: (k: string, checksum: string | undefined) => boolean = () => true): Promise<void> {
      const next = new Map<string, ObservedObject>();
      const nextFresh = new Map<string, string>();
      loading = { objects: next, fresh: nextFresh };
      try {
        await read((o) => {
          const k = keyOf(o);
          if (o.type === 'vsvip' && o.body) vips.set(k, vipInfo(o.body));
          if (o.body && keepBody(k, o.checksum)) nextFresh.set(k, JSON.stringify(o.body));
          next.set(k, slim(o));
        });
      } finally {
        loading = undefined;
      }
      objects.clear();
      fresh.clear();
      for (const [k, o] of next) objects.set(k, o);
      for (const [k, b] of nextFresh) fresh.set(k, b);
      for (const k of [...owner.keys()]) if (!objects.has(k)) setOwner(k, undefined);
    },
    /** The full body read at boot, once (afterwards the object is compared by checksum only). */
    takeFresh(k: string): AviBody | undefined {
      const raw = fresh.get(k);
      if (raw === undefined) return undefined;
      fresh.delete(k);
      return JSON.parse(raw) as AviBody;
    },
    /**
     * The body read for `k`, if still kept, given to `settle` now (e.g. compared with what is desired: adopt.ts);
     * the object takes the checksum `settle` returns and the body is dropped. Also while load() runs.
     */
    settleFresh(k: string, settle: (o: ObservedObject) => ObservedObject): void {
      const into = loading ?? { objects, fresh };
      const raw = into.fresh.get(k);
      const o = into.objects.get(k);
      if (raw === undefined || !o) return;
      into.fresh.delete(k);
      const settled = settle({ ...o, body: JSON.parse(raw) as AviBody });
      const { checksum: _old, ...rest } = o;
      into.objects.set(k, settled.checksum !== undefined ? { ...rest, checksum: settled.checksum } : rest);
    },
    /** Whether a body read for `k` is still kept (not yet compared with what is desired). */
    hasFresh: (k: string): boolean => (loading?.fresh ?? fresh).has(k),
    /** How many bodies read are kept, waiting to be compared with what is desired (also while load() runs). */
    freshCount: (): number => (loading?.fresh ?? fresh).size,
    put(o: ObservedObject): void {
      const k = keyOf(o);
      // A unit's objects left as they are come back as the very objects kept here (a shard's thousands per sync).
      if (objects.get(k) === o) return;
      objects.set(k, slim(o));
    },
    remove(k: string): void {
      objects.delete(k);
      setOwner(k, undefined);
      fresh.delete(k);
      if (k.includes('/vsvip/')) vips.delete(k);
    },
    /** Records what `unit` desires now; returns the keys it desired before. */
    claim(unit: string, desired: ReadonlyMap<string, string>, before: Iterable<string>): void {
      for (const k of before) {
        if (desired.has(k)) continue;
        const c = claims.get(k);
        if (c?.delete(unit) && c.size === 0) claims.delete(k);
      }
      for (const [k, sum] of desired) (claims.get(k) ?? claims.set(k, new ByUnit()).get(k)!).set(unit, sum);
    },
    /** Other units that desire `k`, with their checksums. */
    othersClaiming(k: string, unit: string): readonly [string, string][] {
      // Nearly always no other unit: asked for each object of a unit on each of its syncs (a shard's thousands).
      const c = claims.get(k);
      if (!c || c.size === 0 || (c.size === 1 && c.get(unit) !== undefined)) return NONE;
      return claimsOn(k).filter(([u]) => u !== unit);
    },
  };
}

export type ObservedState = ReturnType<typeof createObservedState>;
