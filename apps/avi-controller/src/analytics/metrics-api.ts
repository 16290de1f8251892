// `GET /api/analytics/metrics/<virtualservice|pool>/<uuid>?metric_id=a,b&step=&limit=&start=&stop=` (one
// MetricsQueryResponse), the same without a uuid (`{count, results}` over the visible entities, paged), and
// `POST /api/analytics/metrics/collection` (`{metric_requests: [...]}` -> `{series: {<id>: {<entity>: [...]}}}`).

import type { Ctl, ReqCtx } from '../context.js';
import type { Entry } from '../store/store.js';
import { ApiError, parseJsonBody } from '../http.js';
import { json, type Reply } from '../reply.js';
import { METRIC_ENTITY, METRICS, type EntityKind, type MetricDef } from './catalog.js';
import { analyticsOf, entityKind, findEntity, visibleEntities } from './analytics.js';
import { seriesOf, type SeriesOut } from './series.js';
import { aviTime, parseWindow, type Window } from './window.js';

export const METRICS_DEFAULTS = { step: 300, limit: 72 };

function metricDefs(raw: string | undefined, kind: EntityKind): MetricDef[] {
  // No metric_id: no series (avisdk's ApiUtils.get_healthscore asks the metrics API without one).
  const ids = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return ids.map((id) => {
    const def = METRICS.get(id);
    if (!def) throw new ApiError(400, `Invalid metric_id '${id}': not a known metric (e.g. l4_client.avg_bandwidth, l7_client.avg_complete_responses)`);
    if (!def.entities.includes(kind)) throw new ApiError(400, `Invalid metric_id '${id}' for ${METRIC_ENTITY[kind]}: use ${kind === 'pool' ? 'l4_server.* or l7_server.*' : 'l4_client.*, l7_client.*, l4_server.* or l7_server.*'}`);
    return def;
  });
}

/** `pad_missing_data=false`: intervals without data are left out (default: zeros). */
function entitySeries(ctl: Ctl, kind: EntityKind, e: Entry, defs: readonly MetricDef[], w: Window, pad = true): SeriesOut[] {
  const a = analyticsOf(ctl);
  a.recorder.flush();
  const uuid = e.obj.uuid as string;
  const points = a.store.query(uuid, w.stepSec * 1000, w.startMs, w.limit).filter((p) => pad || p.samples > 0);
  return defs.map((d) =>
    seriesOf(
      {
        name: d.id,
        entity_uuid: uuid,
        obj_id_type: METRIC_ENTITY[kind],
        tenant_uuid: e.tenant,
        units: d.units,
        metric_description: d.description,
        ...(kind === 'pool' ? { pool_uuid: uuid } : {}),
      },
      points,
      points.map((p) => d.value(p, w.stepSec)),
    ),
  );
}

function queryResponse(ctl: Ctl, kind: EntityKind, e: Entry, metricId: string, w: Window, pad: boolean): Record<string, unknown> {
  const defs = metricDefs(metricId, kind);
  return {
    entity_uuid: e.obj.uuid,
    metric_entity: METRIC_ENTITY[kind],
    metric_id: defs.map((d) => d.id).join(','),
    step: w.stepSec,
    limit: w.limit,
    start: aviTime(w.startMs),
    stop: aviTime(w.startMs + w.limit * w.stepSec * 1000),
    tenant_uuid: e.tenant,
    series: entitySeries(ctl, kind, e, defs, w, pad),
  };
}

function pageOf<T>(items: T[], q: URLSearchParams): T[] {
  const size = Number(q.get('page_size') ?? 25);
  const page = Number(q.get('page') ?? 1);
  if (!Number.isInteger(size) || !Number.isInteger(page) || page < 1 || size === 0 || size < -1) throw new ApiError(400, 'Invalid page or page_size');
  return size === -1 ? items : items.slice((page - 1) * size, page * size);
}

interface MetricRequest {
  metric_id: string;
  entity_uuid: string;
  id?: string;
  metric_entity?: string;
  [k: string]: unknown;
}

/** The collection body, checked field by field (clear 400s naming the field). */
function metricRequests(body: unknown): MetricRequest[] {
  const reqs = (body as { metric_requests?: unknown } | null)?.metric_requests;
  if (!Array.isArray(reqs) || reqs.length === 0) throw new ApiError(400, 'Invalid metrics collection request: metric_requests must be a non-empty list');
  return reqs.map((r: unknown, i) => {
    const o = r as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ApiError(400, `Invalid metrics collection request: metric_requests.${i} must be an object`);
    for (const k of ['metric_id', 'entity_uuid'] as const) {
      if (typeof o[k] !== 'string' || o[k] === '') throw new ApiError(400, `Invalid metrics collection request: metric_requests.${i}.${k} is required (a string)`);
    }
    for (const k of ['id', 'metric_entity', 'start', 'stop'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'string') throw new ApiError(400, `Invalid metrics collection request: metric_requests.${i}.${k} must be a string`);
    }
    if (o.metric_entity !== undefined && o.metric_entity !== 'VSERVER_METRICS_ENTITY' && o.metric_entity !== 'POOL_METRICS_ENTITY') {
      throw new ApiError(400, `Invalid metrics collection request: metric_requests.${i}.metric_entity must be VSERVER_METRICS_ENTITY or POOL_METRICS_ENTITY`);
    }
    return o as MetricRequest;
  });
}

function collection(ctl: Ctl, rc: ReqCtx, body: Buffer): Reply {
  const out: Record<string, Record<string, SeriesOut[]>> = {};
  for (const r of metricRequests(parseJsonBody(body))) {
    const w = parseWindow(r, Date.now(), METRICS_DEFAULTS);
    const id = r.id ?? r.metric_id;
    const byEntity = (out[id] ??= {});
    let targets: Array<{ kind: EntityKind; e: Entry }>;
    if (r.entity_uuid === '*') {
      const kind: EntityKind = r.metric_entity === 'POOL_METRICS_ENTITY' ? 'pool' : 'virtualservice';
      targets = visibleEntities(ctl, kind, rc.tenant).map((e) => ({ kind, e }));
    } else {
      const type = ctl.store.get(r.entity_uuid)?.type;
      const kind = entityKind(type === 'pool' || type === 'virtualservice' ? type : 'virtualservice');
      targets = [{ kind, e: findEntity(ctl, kind, r.entity_uuid, rc.tenant) }];
    }
    for (const t of targets) byEntity[t.e.obj.uuid as string] = entitySeries(ctl, t.kind, t.e, metricDefs(r.metric_id, t.kind), w, String(r.pad_missing_data) !== 'false');
  }
  return json(200, { series: out });
}

/** `parts`: path segments after `/api/analytics/metrics`. */
export function handleMetrics(ctl: Ctl, method: string, parts: readonly string[], q: URLSearchParams, body: Buffer, rc: ReqCtx): Reply {
  if (parts[0] === 'collection' && parts.length === 1) {
    if (method !== 'POST') throw new ApiError(405, `Method "${method}" not allowed.`);
    return collection(ctl, rc, body);
  }
  if (method !== 'GET') throw new ApiError(405, `Method "${method}" not allowed.`);
  const kind = entityKind(parts[0]);
  if (parts.length > 2) throw new ApiError(404, `Not found: /api/analytics/metrics/${parts.join('/')}`);
  const w = parseWindow(q, Date.now(), METRICS_DEFAULTS);
  const metricId = q.get('metric_id') ?? '';
  const pad = q.get('pad_missing_data') !== 'false';
  if (parts[1] !== undefined && parts[1] !== '') {
    return json(200, queryResponse(ctl, kind, findEntity(ctl, kind, decodeURIComponent(parts[1]), rc.tenant), metricId, w, pad));
  }
  metricDefs(metricId, kind);
  const all = visibleEntities(ctl, kind, rc.tenant);
  return json(200, { count: all.length, results: pageOf(all, q).map((e) => queryResponse(ctl, kind, e, metricId, w, pad)) });
}
