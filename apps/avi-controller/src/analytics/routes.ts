// `/api/analytics/...`: metrics and health scores (see metrics-api.ts and healthscore-api.ts).

import type { Ctl, ReqCtx } from '../context.js';
import { ApiError } from '../http.js';
import type { Reply } from '../reply.js';
import { handleHealthScore } from './healthscore-api.js';
import { handleMetrics } from './metrics-api.js';

/** `parts`: the path segments after `/api` (`analytics`, `metrics` | `healthscore`, ...). */
export function handleAnalytics(ctl: Ctl, method: string, parts: readonly string[], q: URLSearchParams, body: Buffer, rc: ReqCtx): Reply {
  if (parts[1] === 'metrics') return handleMetrics(ctl, method, parts.slice(2), q, body, rc);
  if (parts[1] === 'healthscore') return handleHealthScore(ctl, method, parts.slice(2), q, rc);
  throw new ApiError(404, `Unknown analytics resource '${parts[1] ?? ''}' (served: metrics, healthscore)`);
}
