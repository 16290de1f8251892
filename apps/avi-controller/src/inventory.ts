// `GET /api/virtualservice-inventory` and `/api/pool-inventory`: the collection of `{uuid, config, runtime}`
// the UI and SDK scripts read (same filters and paging as the object collection).

import type { Ctl, ReqCtx } from './context.js';
import type { Obj } from './store/store.js';
import { ApiError } from './http.js';
import { nextUrl, runQuery } from './objects/query.js';
import { render } from './objects/render.js';
import { poolRuntime, vsRuntime } from './runtime.js';
import { json, type Reply } from './reply.js';

const INVENTORIES: Record<string, 'virtualservice' | 'pool'> = { 'virtualservice-inventory': 'virtualservice', 'pool-inventory': 'pool' };

/** The inventory's VsRuntimeSummary: one vip_summary (the first VIP's), not the runtime view's list. */
function vsSummary(rt: Obj): Obj {
  const vips = Array.isArray(rt.vip_summary) ? (rt.vip_summary as Obj[]) : [];
  return { oper_status: rt.oper_status, percent_ses_up: rt.percent_ses_up, ...(vips[0] ? { vip_summary: vips[0] } : {}) };
}

export function isInventory(part: string | undefined): boolean {
  return part !== undefined && part in INVENTORIES;
}

export function handleInventory(ctl: Ctl, method: string, parts: readonly string[], q: URLSearchParams, rc: ReqCtx): Reply {
  if (method !== 'GET') throw new ApiError(405, `Method "${method}" not allowed.`);
  const type = INVENTORIES[parts[0]!]!;
  const meta = ctl.registry.get(type)!;
  const row = (e: Parameters<typeof render>[1]): Obj => ({
    uuid: e.obj.uuid,
    config: render(ctl, e, { base: rc.base, includeName: q.get('include_name') !== null, version: rc.version }),
    runtime: type === 'virtualservice' ? vsSummary(vsRuntime(ctl, e)) : poolRuntime(ctl, e),
  });
  if (parts[1] !== undefined) {
    const one = runQuery(ctl, meta, rc.tenant, new URLSearchParams({ uuid: parts[1] })).results[0];
    if (!one) throw new ApiError(404, `${meta.model} object not found!`);
    return json(200, row(one));
  }
  const page = runQuery(ctl, meta, rc.tenant, q);
  const body: Obj = { count: page.count, results: page.results.map(row) };
  if (page.nextPage !== undefined) body.next = nextUrl(rc.base, `/api/${parts[0]!}`, q, page.nextPage);
  return json(200, body);
}
