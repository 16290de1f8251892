// One metric series in the API's shape: `{header: {name, entity_uuid, units, statistics, ...}, data: [{timestamp,
// value}]}`, and the statistics over its points (samples without data count as zeros but not as samples).

import type { Point } from './series-store.js';
import { aviTime } from './window.js';

export interface SeriesOut {
  header: Record<string, unknown>;
  data: Array<Record<string, unknown>>;
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

export function statistics(points: readonly Point[], values: readonly number[]): Record<string, unknown> {
  let min = Infinity;
  let max = -Infinity;
  let minTs = 0;
  let maxTs = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) [min, minTs] = [v, points[i]!.end];
    if (v > max) [max, maxTs] = [v, points[i]!.end];
  }
  const n = values.length;
  return {
    min: n ? round(min) : 0,
    max: n ? round(max) : 0,
    min_ts: n ? aviTime(minTs) : undefined,
    max_ts: n ? aviTime(maxTs) : undefined,
    mean: n ? round(sum / n) : 0,
    sum: round(sum),
    num_samples: points.filter((p) => p.samples > 0).length,
    last_sample: n ? round(values[n - 1]!) : 0,
    trend: n > 1 ? round(values[n - 1]! - values[0]!) : 0,
  };
}

export function seriesOf(header: Record<string, unknown>, points: readonly Point[], values: readonly number[], extra?: (i: number) => Record<string, unknown>): SeriesOut {
  return {
    header: { ...header, metrics_min_scale: 0, statistics: statistics(points, values) },
    data: points.map((p, i) => ({ timestamp: aviTime(p.end), value: round(values[i]!), ...(extra ? extra(i) : {}) })),
  };
}
