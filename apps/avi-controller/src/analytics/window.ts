// The time window of a metrics or health score query, from `step`, `limit`, `start` and `stop` as the Avi metrics
// API documents them: without start/stop, stop is now and start = stop - limit * step; with only start, limit
// = (now - start) / step; with both, limit = (stop - start) / step. Intervals are aligned to the step; the last one
// may still be filling (it ends after now).

import { ApiError } from '../http.js';

export interface Window {
  readonly stepSec: number;
  readonly startMs: number;
  readonly limit: number;
}

export const MAX_POINTS = 2000;

function int(q: URLSearchParams | Record<string, unknown>, name: string): number | undefined {
  const raw = q instanceof URLSearchParams ? q.get(name) : q[name];
  if (raw === null || raw === undefined || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(String(raw));
  if (!Number.isInteger(n) || n <= 0) throw new ApiError(400, `Invalid ${name} '${String(raw)}': a positive integer is required`);
  return n;
}

function time(q: URLSearchParams | Record<string, unknown>, name: string): number | undefined {
  const raw = q instanceof URLSearchParams ? q.get(name) : q[name];
  if (raw === null || raw === undefined || raw === '') return undefined;
  const ms = Date.parse(String(raw));
  if (Number.isNaN(ms)) throw new ApiError(400, `Invalid ${name} '${String(raw)}': an ISO 8601 time is required (e.g. 2026-12-01T10:00:00Z)`);
  return ms;
}

/** Parses and checks the window parameters (query string or a collection request object). */
export function parseWindow(q: URLSearchParams | Record<string, unknown>, now: number, defaults: { step: number; limit: number }): Window {
  const stepSec = int(q, 'step') ?? defaults.step;
  if (stepSec < 300 ? stepSec % 5 !== 0 : stepSec % 300 !== 0) {
    throw new ApiError(400, `Invalid step ${stepSec}: use 5 (or a multiple of 5 below 300) or a multiple of 300 (300, 3600, 86400)`);
  }
  const stepMs = stepSec * 1000;
  const alignDown = (t: number) => Math.floor(t / stepMs) * stepMs;
  const alignUp = (t: number) => Math.ceil(t / stepMs) * stepMs;
  const start = time(q, 'start');
  const stop = time(q, 'stop');
  let limit = int(q, 'limit');
  if (start !== undefined && stop !== undefined && stop <= start) throw new ApiError(400, 'Invalid window: stop must be after start');
  let startMs: number;
  if (start !== undefined) {
    startMs = alignDown(start);
    const end = stop !== undefined ? alignUp(stop) : alignDown(now) + stepMs;
    limit ??= Math.max(1, Math.round((end - startMs) / stepMs));
    if (stop !== undefined) limit = Math.min(limit, Math.max(1, Math.round((end - startMs) / stepMs)));
  } else {
    limit ??= defaults.limit;
    const end = stop !== undefined ? alignUp(stop) : alignDown(now) + stepMs;
    startMs = end - limit * stepMs;
  }
  if (limit > MAX_POINTS) throw new ApiError(400, `Invalid limit ${limit}: at most ${MAX_POINTS} points per series`);
  return { stepSec, startMs, limit };
}

/** Avi's timestamp form: `2026-12-01T10:00:05+00:00`. */
export function aviTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
