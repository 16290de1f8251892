// `GET /api/analytics/healthscore/<virtualservice|pool>[/<uuid>]`: a health score 0-100 per interval, in the
// HealthScoreQueryResponse shape (`{entity_uuid, metric_entity, series: [{header, data: [{timestamp, value, ...}]}]}`;
// without a uuid `{count, results}`). Emulated, not Avi's formula: 0 when the object is not OPER_UP now (the
// runtime view's state), else 100 x the share of good answers in the interval: error responses (4xx, 5xx) and
// connections that could not be served count against it (client side for a VS, server side for a pool); an
// interval without traffic scores 100. Anomaly, resources and security penalties are always 0.

import type { Ctl, ReqCtx } from '../context.js';
import type { Entry } from '../store/store.js';
import { ApiError } from '../http.js';
import { json, type Reply } from '../reply.js';
import { poolRuntime, vsRuntime } from '../runtime.js';
import { METRIC_ENTITY, type EntityKind } from './catalog.js';
import { analyticsOf, entityKind, findEntity, visibleEntities } from './analytics.js';
import type { Point } from './series-store.js';
import { seriesOf } from './series.js';
import { parseWindow, type Window } from './window.js';

export const HEALTH_DEFAULTS = { step: 300, limit: 1 };

/** Health of one interval for an object whose current oper state is `state`. */
export function healthOf(state: string, p: Point, kind: EntityKind): { value: number; performance: number } {
  const side = kind === 'pool' ? 'server' : 'client';
  const bad = p.get(side, 'r4xx') + p.get(side, 'r5xx') + p.get(side, 'err');
  const total = p.get(side, 'resp') + p.get(side, 'err');
  const performance = total > 0 ? Math.round(100 * (1 - bad / total)) : 100;
  return { value: state === 'OPER_UP' ? performance : 0, performance };
}

function response(ctl: Ctl, kind: EntityKind, e: Entry, w: Window): Record<string, unknown> {
  const a = analyticsOf(ctl);
  a.recorder.flush();
  const uuid = e.obj.uuid as string;
  const state = String(((kind === 'pool' ? poolRuntime(ctl, e) : vsRuntime(ctl, e)).oper_status as { state?: unknown } | undefined)?.state ?? 'OPER_UNKNOWN');
  const points = a.store.query(uuid, w.stepSec * 1000, w.startMs, w.limit);
  const scores = points.map((p) => healthOf(state, p, kind));
  const series = seriesOf(
    { name: 'healthscore', entity_uuid: uuid, hs_type: 'health_score', tenant_uuid: e.tenant, units: 'HEALTH', ...(kind === 'pool' ? { pool_ref: uuid } : {}) },
    points,
    scores.map((s) => s.value),
    (i) => ({ performance_score: scores[i]!.performance, anomaly_penalty: 0, resources_penalty: 0, security_penalty: 0, oper_state: state }),
  );
  return { entity_uuid: uuid, metric_entity: METRIC_ENTITY[kind], series: [series] };
}

/** `parts`: path segments after `/api/analytics/healthscore`. */
export function handleHealthScore(ctl: Ctl, method: string, parts: readonly string[], q: URLSearchParams, rc: ReqCtx): Reply {
  if (method !== 'GET') throw new ApiError(405, `Method "${method}" not allowed.`);
  const kind = entityKind(parts[0]);
  if (parts.length > 2) throw new ApiError(404, `Not found: /api/analytics/healthscore/${parts.join('/')}`);
  const w = parseWindow(q, Date.now(), HEALTH_DEFAULTS);
  if (parts[1] !== undefined && parts[1] !== '') return json(200, response(ctl, kind, findEntity(ctl, kind, decodeURIComponent(parts[1]), rc.tenant), w));
  const all = visibleEntities(ctl, kind, rc.tenant);
  return json(200, { count: all.length, results: all.map((e) => response(ctl, kind, e, w)) });
}
