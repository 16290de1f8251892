// Rendering stored objects for a response: absolute ref URLs (with `#name` when asked, and always on
// write responses), computed fields, secrets removed, `fields` projection, `skip_default`.

import type { Ctl } from '../context.js';
import type { Entry, Obj } from '../store/store.js';
import { isRefKey, splitStoredRef } from './refs.js';
import { withoutDefaults } from './schema.js';
import { shapeForVersion, versionOf } from './versioned.js';

export interface RenderOptions {
  base: string;
  includeName: boolean;
  fields?: ReadonlySet<string>;
  skipDefault?: boolean;
  /** The request's X-Avi-Version: fields introduced later are left out. */
  version?: string;
}

/** Fields never returned (write-only secrets). */
export const SECRETS: Record<string, readonly string[]> = {
  sslkeyandcertificate: ['key', 'key_passphrase', 'key_base64'],
  user: ['password', 'old_password'],
  gslb: [],
};

const ALWAYS = ['uuid', 'url', 'name'];

export function refUrl(ctl: Ctl, ref: string, base: string, includeName: boolean): string {
  if (!includeName) return base + ref;
  const s = splitStoredRef(ref);
  const name = s ? ctl.store.get(s.uuid)?.obj.name : undefined;
  return name === undefined ? base + ref : `${base}${ref}#${String(name)}`;
}

function renderValue(ctl: Ctl, v: unknown, opts: RenderOptions): unknown {
  if (Array.isArray(v)) return v.map((x) => renderValue(ctl, x, opts));
  if (typeof v !== 'object' || v === null) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (isRefKey(k)) {
      if (typeof x === 'string' && x.startsWith('/api/')) out[k] = refUrl(ctl, x, opts.base, opts.includeName);
      else if (Array.isArray(x)) out[k] = x.map((y) => (typeof y === 'string' && y.startsWith('/api/') ? refUrl(ctl, y, opts.base, opts.includeName) : y));
      else out[k] = renderValue(ctl, x, opts);
    } else out[k] = renderValue(ctl, x, opts);
  }
  return out;
}

/** Fields the controller computes on read. */
function computed(ctl: Ctl, e: Entry): Obj {
  const o = e.obj;
  if (e.type === 'virtualservice' && o.type === 'VS_TYPE_VH_PARENT') {
    const children: string[] = [];
    for (const u of ctl.store.referrersOf(o.uuid as string)) {
      const c = ctl.store.get(u);
      if (c && c.type === 'virtualservice' && c.obj.vh_parent_vs_ref === `/api/virtualservice/${String(o.uuid)}`) children.push(u);
    }
    return { vh_child_vs_uuid: children };
  }
  if (e.type === 'pool') return { server_count: Array.isArray(o.servers) ? o.servers.length : 0 };
  if (e.type === 'tenant') return { macro_in_progress: 0, tenant_force_delete_in_progress: false };
  return {};
}

export function render(ctl: Ctl, e: Entry, opts: RenderOptions): Obj {
  const meta = ctl.registry.get(e.type);
  const url = meta?.singleton ? `/api/${e.type}` : `/api/${e.type}/${String(e.obj.uuid)}`;
  let body = renderValue(ctl, { ...e.obj, ...computed(ctl, e) }, opts) as Obj;
  for (const s of SECRETS[e.type] ?? []) delete body[s];
  if (opts.version !== undefined && meta?.fields) body = shapeForVersion(body, meta.fields, versionOf(opts.version));
  if (opts.skipDefault && meta?.fields) body = withoutDefaults(body, meta.fields);
  const head: Obj = {
    url: opts.includeName ? `${opts.base}${url}#${String(e.obj.name)}` : opts.base + url,
  };
  if (opts.fields) {
    for (const k of ALWAYS) if (k !== 'url' && body[k] !== undefined) head[k] = body[k];
    for (const f of opts.fields) if (body[f] !== undefined) head[f] = body[f];
    return head;
  }
  return Object.assign(head, body);
}
