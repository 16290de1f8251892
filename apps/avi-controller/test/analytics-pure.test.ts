// The analytics building blocks with a hand-driven clock: bucketing, the open-connections gauge, bounded retention,
// and the query window rules of the Avi metrics API docs (stop = now, start = stop - limit x step, ...).

import { SeriesStore } from '../src/analytics/series-store.js';
import { parseWindow, aviTime } from '../src/analytics/window.js';
import { ApiError } from '../src/http.js';

function store() {
  let now = 0;
  const s = new SeriesStore(() => now);
  return { s, at: (t: number) => (now = t) };
}

test('events fall in 5 s buckets; a 300 s step sums them; idle intervals are zeros without samples', () => {
  const { s, at } = store();
  at(0);
  s.add('vs', 'client', 'req');
  at(4_999);
  s.add('vs', 'client', 'req');
  at(5_000);
  s.add('vs', 'client', 'req', 3);
  s.add('vs', 'server', 'req');
  const fine = s.query('vs', 5_000, 0, 3);
  expect(fine.map((p) => p.get('client', 'req'))).toEqual([2, 3, 0]);
  expect(fine.map((p) => p.get('server', 'req'))).toEqual([0, 1, 0]);
  expect(fine.map((p) => p.samples)).toEqual([1, 1, 0]);
  expect(fine.map((p) => p.end)).toEqual([5_000, 10_000, 15_000]);
  expect(s.query('vs', 300_000, 0, 1)[0]!.get('client', 'req')).toBe(5);
  expect(s.query('other', 5_000, 0, 2).map((p) => p.get('client', 'req'))).toEqual([0, 0]);
});

test('open connections: the maximum of each interval, carried into intervals without events', () => {
  const { s, at } = store();
  at(1_000);
  s.open('vs', 'client', 1);
  s.open('vs', 'client', 1);
  at(2_000);
  s.open('vs', 'client', -1);
  at(21_000);
  s.open('vs', 'client', -1);
  expect(s.query('vs', 5_000, 0, 6).map((p) => p.get('client', 'openMax'))).toEqual([2, 1, 1, 1, 1, 0]);
  // A window that starts after the first events still carries the open count in.
  expect(s.query('vs', 5_000, 10_000, 2).map((p) => p.get('client', 'openMax'))).toEqual([1, 1]);
});

test('memory is bounded: 5 s buckets are kept for one hour, 300 s buckets for one day', () => {
  const { s, at } = store();
  at(0);
  s.add('vs', 'client', 'resp');
  at(3_600_000 + 10_000);
  s.add('vs', 'client', 'resp');
  expect(s.query('vs', 5_000, 0, 1)[0]!.get('client', 'resp')).toBe(0);
  expect(s.query('vs', 300_000, 0, 1)[0]!.get('client', 'resp')).toBe(1);
  at(86_400_000 + 600_000);
  s.add('vs', 'client', 'resp');
  expect(s.query('vs', 300_000, 0, 1)[0]!.get('client', 'resp')).toBe(0);
  s.forget('vs');
  expect(s.size).toBe(0);
});

test('query window: defaults, limit from start, start/stop, and clear errors', () => {
  const now = Date.parse('2026-12-01T10:07:30Z');
  const d = { step: 300, limit: 72 };
  // No start/stop: the last interval is the one now falls in (10:05-10:10).
  const w = parseWindow(new URLSearchParams('step=300&limit=2'), now, d);
  expect([aviTime(w.startMs), w.limit, w.stepSec]).toEqual(['2026-12-01T10:00:00+00:00', 2, 300]);
  expect(parseWindow(new URLSearchParams(''), now, d)).toEqual({ stepSec: 300, limit: 72, startMs: Date.parse('2026-12-01T10:10:00Z') - 72 * 300_000 });
  // Only start: limit = (now - start) / step, through the current interval.
  const s = parseWindow(new URLSearchParams('step=5&start=2026-12-01T10:07:00Z'), now, d);
  expect([aviTime(s.startMs), s.limit]).toEqual(['2026-12-01T10:07:00+00:00', 7]);
  const both = parseWindow(new URLSearchParams('step=300&start=2026-12-01T09:00:00Z&stop=2026-12-01T10:00:00Z'), now, d);
  expect([aviTime(both.startMs), both.limit]).toEqual(['2026-12-01T09:00:00+00:00', 12]);
  for (const bad of ['step=7', 'step=450', 'limit=0', 'limit=x', 'start=nope', 'start=2026-12-01T10:00:00Z&stop=2026-12-01T09:00:00Z', 'step=5&limit=5000']) {
    expect(() => parseWindow(new URLSearchParams(bad), now, d)).toThrow(ApiError);
  }
});
