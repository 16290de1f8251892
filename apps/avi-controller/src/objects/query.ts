// Collection queries: filters of §2.2 (name, name.contains/icontains/in, uuid(.in), dotted fields with
// ref dereferencing such as cloud_ref.name, label_key/label_value, refers_to/referred_by, search),
// sort, and paging with `count` = total and `next` = absolute URL of the next page.

import { ApiError } from '../http.js';
import type { Ctl } from '../context.js';
import type { Entry, Obj } from '../store/store.js';
import { refUuid } from '../store/store.js';
import { isRefKey } from './refs.js';
import type { TypeMeta } from './registry.js';

/** Parameters that are not field filters. */
const NOT_FILTERS = new Set([
  'include_name', 'skip_default', 'fields', 'page', 'page_size', 'sort', 'join_subresources', 'include_service_accounts',
  'depth', 'limit_by', 'exclude', 'tenant', 'tenant_uuid', 'refers_to', 'referred_by', 'label_key', 'label_value',
  'search', 'isearch', 'cloud_uuid', 'include_refs', 'export_key', 'dump', 'format', 'fields_only',
]);

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;

function isTrueString(s: string): boolean {
  return s === 'true' || s === 'True';
}

function matchScalar(v: unknown, want: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v === isTrueString(want) && (isTrueString(want) || want === 'false' || want === 'False');
  if (typeof v === 'object') return false;
  return String(v) === want;
}

/** Values at a dotted path; refs are dereferenced for `.name` and `.uuid` (`cloud_ref.name`). */
function valuesAt(ctl: Ctl, obj: unknown, path: string[], meta: TypeMeta | undefined, top: boolean): unknown[] {
  if (path.length === 0) return [obj];
  if (Array.isArray(obj)) return obj.flatMap((x) => valuesAt(ctl, x, path, meta, false));
  if (typeof obj !== 'object' || obj === null) return [];
  const [head, ...rest] = path as [string, ...string[]];
  let v = (obj as Obj)[head];
  if (v === undefined && top && meta?.fields) v = meta.fields.properties[head]?.default;
  if (isRefKey(head) && rest.length > 0 && (rest[0] === 'name' || rest[0] === 'uuid')) {
    const refs = Array.isArray(v) ? v : [v];
    return refs.map((r) => {
      const u = refUuid(r);
      if (u === undefined) return undefined;
      return rest[0] === 'uuid' ? u : ctl.store.get(u)?.obj.name;
    });
  }
  return valuesAt(ctl, v, rest, meta, false);
}

function relationFilter(ctl: Ctl, spec: string, dir: 'refers_to' | 'referred_by'): (e: Entry) => boolean {
  // `type:uuid[,type:uuid]`, with `any`/`none` uuids.
  const terms = spec.split(',').map((t) => {
    const [type, uuid] = t.split(':');
    return { type: type ?? 'any', uuid: uuid ?? 'any' };
  });
  return (e) =>
    terms.some(({ type, uuid }) => {
      const related = dir === 'refers_to' ? e.refs : [...ctl.store.referrersOf(e.obj.uuid as string)];
      const ofType = related.filter((u) => type === 'any' || ctl.store.get(u)?.type === type);
      if (uuid === 'none') return ofType.length === 0;
      if (uuid === 'any') return ofType.length > 0;
      return ofType.includes(uuid);
    });
}

function searchFilter(spec: string, insensitive: boolean): (e: Entry) => boolean {
  const norm = (s: string) => (insensitive ? s.toLowerCase() : s);
  const m = /^\((.*)\)$/.exec(spec);
  if (!m) {
    const needle = norm(spec);
    return (e) => norm(JSON.stringify(e.obj)).includes(needle);
  }
  const pairs = spec.split('|').map((p) => p.replace(/^\(|\)$/g, '').split(','));
  return (e) =>
    pairs.some(([field, value]) => {
      const v = e.obj[field ?? ''];
      if (value === undefined || value === '') return v !== undefined;
      return v !== undefined && norm(String(v)).startsWith(norm(value));
    });
}

export function buildFilters(ctl: Ctl, meta: TypeMeta, q: URLSearchParams): Array<(e: Entry) => boolean> {
  const out: Array<(e: Entry) => boolean> = [];
  const seen = new Set<string>();
  for (const [key, value] of q) {
    // First occurrence wins (controllers before 31.2.2).
    if (seen.has(key)) continue;
    seen.add(key);
    if (key === 'refers_to' || key === 'referred_by') out.push(relationFilter(ctl, value, key));
    else if (key === 'search' || key === 'isearch') out.push(searchFilter(value, key === 'isearch'));
    else if (key === 'cloud_uuid') out.push((e) => e.cloud === value);
    else if (key === 'label_key') {
      const lv = q.get('label_value');
      out.push((e) => {
        const markers = Array.isArray(e.obj.markers) ? (e.obj.markers as Obj[]) : [];
        const labels = Array.isArray(e.obj.labels) ? (e.obj.labels as Obj[]) : [];
        if (markers.some((m) => m.key === value && (lv === null || (Array.isArray(m.values) && m.values.includes(lv))))) return true;
        if (labels.some((l) => l.key === value && (lv === null || l.value === lv))) return true;
        // AKO filters with label_key=created_by&label_value=<user>.
        return value === 'created_by' && lv !== null && e.obj.created_by === lv;
      });
    } else if (NOT_FILTERS.has(key)) continue;
    else if (key.endsWith('.contains') || key.endsWith('.icontains')) {
      const insensitive = key.endsWith('.icontains');
      const path = key.slice(0, key.lastIndexOf('.')).split('.');
      const needle = insensitive ? value.toLowerCase() : value;
      out.push((e) => valuesAt(ctl, e.obj, path, meta, true).some((v) => typeof v === 'string' && (insensitive ? v.toLowerCase() : v).includes(needle)));
    } else if (key.endsWith('.in')) {
      const path = key.slice(0, -3).split('.');
      const set = new Set(value.split(','));
      out.push((e) => valuesAt(ctl, e.obj, path, meta, true).some((v) => v !== undefined && v !== null && set.has(String(v))));
    } else {
      const path = key.split('.');
      out.push((e) => valuesAt(ctl, e.obj, path, meta, true).some((v) => matchScalar(v, value)));
    }
  }
  return out;
}

function compareBy(field: string): (a: Entry, b: Entry) => number {
  const desc = field.startsWith('-');
  const f = desc ? field.slice(1) : field;
  return (a, b) => {
    const x = a.obj[f];
    const y = b.obj[f];
    let c: number;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else c = String(x ?? '').localeCompare(String(y ?? ''));
    return desc ? -c : c;
  };
}

export interface Page {
  count: number;
  results: Entry[];
  /** 1-based page number of the next page, when there is one. */
  nextPage?: number;
}

export function visible(meta: TypeMeta, tenant: string, e: Entry): boolean {
  return tenant === '*' || e.tenant === tenant || (e.tenant === 'admin' && meta.sharedFromAdmin);
}

export function runQuery(ctl: Ctl, meta: TypeMeta, tenant: string, q: URLSearchParams, allowed: (e: Entry) => boolean = () => true): Page {
  const filters = buildFilters(ctl, meta, q);
  let matched: Entry[] = [];
  // `?name=` (first occurrence) narrows the scan to the objects of that name.
  const name = q.get('name');
  const candidates: Iterable<Entry> = name !== null ? ctl.store.named(meta.type, name) : ctl.store.ofType(meta.type);
  for (const e of candidates) {
    if (!visible(meta, tenant, e) || !allowed(e)) continue;
    if (filters.every((f) => f(e))) matched.push(e);
  }
  const sort = q.get('sort');
  if (sort) matched = matched.sort(compareBy(sort));
  const limit = q.get('limit_by');
  if (limit !== null && /^\d+$/.test(limit)) matched = matched.slice(0, Number(limit));
  const ps = q.get('page_size');
  const pg = q.get('page');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (ps !== null) {
    if (!/^\d+$/.test(ps) || Number(ps) < 1) throw new ApiError(400, `Invalid page_size ${ps}`);
    pageSize = Math.min(Number(ps), MAX_PAGE_SIZE);
  }
  let page = 1;
  if (pg !== null) {
    if (!/^\d+$/.test(pg) || Number(pg) < 1) throw new ApiError(400, `Invalid page ${pg}`);
    page = Number(pg);
  }
  const start = (page - 1) * pageSize;
  const results = matched.slice(start, start + pageSize);
  const out: Page = { count: matched.length, results };
  if (start + pageSize < matched.length) out.nextPage = page + 1;
  return out;
}

/** The absolute URL of the next page: same path and parameters, `page` replaced. */
export function nextUrl(base: string, path: string, q: URLSearchParams, page: number): string {
  const params: string[] = [];
  let placed = false;
  for (const [k, v] of q) {
    if (k === 'page') {
      if (!placed) params.push(`page=${page}`);
      placed = true;
      continue;
    }
    params.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  if (!placed) params.push(`page=${page}`);
  return `${base}${path}?${params.join('&')}`;
}
