/**
 * Switching from the Go AKO: objects it wrote carry its own checksum values, which we reproduce for VsVip and
 * PoolGroup (translate/go-checksum.ts) but not for every type. Right after the owned objects are read from the
 * controller, an object whose stored body already holds every field we would send (same values; refs compared by
 * type and name) counts as up to date: it takes the desired checksum and is not rewritten. Only then, not on later
 * passes. A field we send only sometimes (SOMETIMES) and do not send now must not be set on the stored object
 * either: otherwise the object still says something we no longer want (a pool-group member, a listener's policy,
 * disabled traffic) and is rewritten.
 *
 * The same comparison, made on every object read when this instance takes over (boot, new leader), finds drift that
 * checksums cannot see: an object whose stored checksum field is ours but whose content is not (a stale leader's
 * write, a hand edit) is rewritten in that first pass.
 */
import { fnv1a32, keyOf, parseRef, type AviBody, type DesiredObject, type ObservedObject } from '@avi-k8s/avi-sync';
import { CHECKSUM_FIELD } from '../translate/index.js';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function sameRef(a: string, b: string): boolean {
  const ra = parseRef(a);
  const rb = parseRef(b);
  const nameOf = (r: ReturnType<typeof parseRef>): string | undefined => (r ? (r.by === 'name' ? r.name : r.name) : undefined);
  return ra !== undefined && rb !== undefined && ra.type === rb.type && nameOf(ra) !== undefined && nameOf(ra) === nameOf(rb);
}

const set = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v !== '' : v !== undefined && v !== null);

/** Per type, the fields we send only in some cases, with when a stored value counts as set. */
const SOMETIMES: Readonly<Record<string, Readonly<Record<string, (v: unknown) => boolean>>>> = {
  pool: { servers: set },
  poolgroup: { members: set },
  vsvip: { dns_info: set, bgp_peer_labels: set },
  virtualservice: {
    http_policies: set,
    vs_datascripts: set,
    l4_policies: set,
    pool_group_ref: set,
    pool_ref: set,
    ssl_key_and_certificate_refs: set,
    enable_rhi: (v) => v === true,
    // The controller defaults traffic_enabled to true: only a stored false is a setting of ours.
    traffic_enabled: (v) => v === false,
  },
};

/** Whether `stored` sets none of the fields we send only sometimes and do not send in `want`. */
function noneDropped(type: string, want: AviBody, stored: AviBody): boolean {
  return Object.entries(SOMETIMES[type] ?? {}).every(([k, isSet]) => k in want || !isSet(stored[k]));
}

/** Whether `stored` has every field of `want` with the same value (objects: subset; arrays: same length, elementwise). */
export function holds(want: unknown, stored: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(stored) && stored.length === want.length && want.every((w, i) => holds(w, stored[i]));
  if (isObj(want)) return isObj(stored) && Object.entries(want).every(([k, v]) => holds(v, stored[k]));
  if (typeof want === 'string' && typeof stored === 'string') return want === stored || sameRef(want, stored);
  return want === stored;
}

/**
 * The observed objects, with those already saying what we desire marked up to date, and those whose stored checksum
 * field says "up to date" while their content differs (drift: a stale leader's write, a hand edit that kept the
 * checksum) marked for rewrite. Types without a stored checksum field need no such check: their checksum is
 * computed from the fetched body (translate/checksum.ts).
 */
export function adoptUpToDate(desired: readonly DesiredObject[], observed: readonly ObservedObject[]): ObservedObject[] {
  const want = new Map(desired.map((d) => [keyOf(d), d]));
  return observed.map((o) => {
    const d = want.get(keyOf(o));
    const field = CHECKSUM_FIELD[o.type];
    if (!d || !o.body || (o.checksum === d.checksum && !field)) return o;
    const body: AviBody = { ...d.body };
    if (field) delete body[field];
    const same = holds(body, o.body) && noneDropped(o.type, body, o.body);
    if (same) return { ...o, checksum: d.checksum };
    if (o.checksum !== d.checksum) return o;
    const { checksum: _stale, ...rest } = o;
    return rest;
  });
}

/** The structure of a desired body (object keys, array lengths) that holds() walks; leaves are 0. */
type Shape = 0 | { readonly a: readonly Shape[] } | { readonly o: readonly (readonly [string, Shape])[] };

/**
 * What is kept of a desired object until its body is read (a restart reads the owned objects while the units are
 * translated): instead of the body, its shape and a hash of what holds() compares, so that the body read is
 * compared on arrival, by hash, and need not be kept.
 */
export interface Expectation {
  readonly type: string;
  readonly checksum: string;
  readonly shape: Shape;
  readonly hash: number;
  readonly length: number;
}

/**
 * Shapes shared between expectations: bodies of one type mostly have one structure (every host's pool alike), so a
 * restart at 10k hosts held ~34k copies of a few shapes (~58 MiB, the biggest part of its peak). Each distinct shape
 * node is kept once, found by its kind, keys and the ids of its (already shared) children.
 */
export interface ShapeTable {
  readonly bySignature: Map<string, Exclude<Shape, 0>>;
  readonly ids: WeakMap<object, number>;
  next: number;
}

export const createShapeTable = (): ShapeTable => ({ bySignature: new Map(), ids: new WeakMap(), next: 1 });

function shapeOf(v: unknown, t?: ShapeTable): Shape {
  let s: Exclude<Shape, 0>;
  if (Array.isArray(v)) s = { a: v.map((x) => shapeOf(x, t)) };
  else if (isObj(v)) s = { o: Object.keys(v).sort().map((k) => [k, shapeOf(v[k], t)] as const) };
  else return 0;
  if (!t) return s;
  const id = (c: Shape): number => (c === 0 ? 0 : t.ids.get(c)!);
  const signature = 'a' in s ? `a${s.a.map(id).join(',')}` : `o${s.o.map(([k, c]) => `${JSON.stringify(k)}:${id(c)}`).join(',')}`;
  const known = t.bySignature.get(signature);
  if (known) return known;
  t.bySignature.set(signature, s);
  t.ids.set(s, t.next++);
  return s;
}

/** A leaf as holds() compares it: refs by type and name, other values as they are. */
function leafText(v: unknown): string {
  if (typeof v === 'string') {
    const r = parseRef(v);
    const name = r?.name;
    return r && name !== undefined ? `R${JSON.stringify([r.type, name])}` : `S${JSON.stringify(v)}`;
  }
  return v === undefined ? 'u' : (JSON.stringify(v) ?? 'u');
}

/** `v` read along `shape`: equal texts for the desired body and a stored one exactly when holds() says so. */
function projected(v: unknown, shape: Shape): string {
  if (shape === 0) return leafText(v);
  if ('a' in shape) {
    if (!Array.isArray(v) || v.length !== shape.a.length) return '\u0001';
    let out = '[';
    for (let i = 0; i < shape.a.length; i++) out += (i > 0 ? ',' : '') + projected(v[i], shape.a[i]!);
    return out + ']';
  }
  if (!isObj(v)) return '\u0001';
  let out = '{';
  for (const [k, s] of shape.o) out += `${JSON.stringify(k)}:${projected(v[k], s)},`;
  return out + '}';
}

/**
 * The expectation of a desired object of a type with a stored checksum field (CHECKSUM_FIELD); with `shapes`, its
 * shape is shared with the equal shapes of the other expectations made with that table.
 */
export function expectation(d: DesiredObject, shapes?: ShapeTable): Expectation {
  const body: AviBody = { ...d.body };
  const field = CHECKSUM_FIELD[d.type];
  if (field) delete body[field];
  const shape = shapeOf(body, shapes);
  const text = projected(body, shape);
  return { type: d.type, checksum: d.checksum, shape, hash: fnv1a32(text), length: text.length };
}

/** adoptUpToDate() of one observed object (its body just read) against an expectation instead of the desired body. */
export function adoptExpected(e: Expectation, o: ObservedObject): ObservedObject {
  if (!o.body) return o;
  const text = projected(o.body, e.shape);
  const keys = e.shape === 0 || !('o' in e.shape) ? [] : e.shape.o.map(([k]) => k);
  const want = Object.fromEntries(keys.map((k) => [k, true]));
  const same = text.length === e.length && fnv1a32(text) === e.hash && noneDropped(o.type, want, o.body);
  if (same) return { ...o, checksum: e.checksum };
  if (o.checksum !== e.checksum) return o;
  const { checksum: _stale, ...rest } = o;
  return rest;
}
