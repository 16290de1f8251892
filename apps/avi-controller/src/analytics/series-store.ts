// Traffic counters per object (virtual service or pool) in time buckets, in bounded memory: a 5 s resolution
// for the last hour and a 300 s resolution for the last 24 h. Only buckets that saw an event exist (sparse,
// chronological maps pruned from the front), so an idle object costs nothing. The clock is injectable.

/** Counters kept per side (client = VS listeners, server = connections to pool servers). */
export const FIELDS = ['new', 'closed', 'rx', 'tx', 'req', 'resp', 'r1xx', 'r2xx', 'r3xx', 'r4xx', 'r5xx', 'timeMs', 'err', 'openMax', 'openEnd'] as const;
export type Field = (typeof FIELDS)[number];
export type Side = 'client' | 'server';

const NF = FIELDS.length;
const IDX = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;
const OFFSET: Record<Side, number> = { client: 0, server: NF };
/** Gauges: aggregated by max (openMax) or last value (openEnd), not summed. */
const MAX_FIELDS = new Set([IDX.openMax, IDX.openMax + NF]);
const LAST_FIELDS = new Set([IDX.openEnd, IDX.openEnd + NF]);

export interface Resolution {
  readonly stepMs: number;
  readonly keep: number;
}
export const FINE: Resolution = { stepMs: 5_000, keep: 720 };
export const COARSE: Resolution = { stepMs: 300_000, keep: 288 };

/** One aggregated interval: `get(side, field)`. */
export interface Point {
  readonly start: number;
  readonly end: number;
  /** Buckets with events in the interval (0: no data, padded with zeros). */
  readonly samples: number;
  get(side: Side, field: Field): number;
}

interface ObjectSeries {
  fine: Map<number, Float64Array>;
  coarse: Map<number, Float64Array>;
  open: Record<Side, number>;
}

export class SeriesStore {
  private readonly objects = new Map<string, ObjectSeries>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Objects with any recorded bucket (for tests and bounds). */
  get size(): number {
    return this.objects.size;
  }

  private series(uuid: string): ObjectSeries {
    let s = this.objects.get(uuid);
    if (!s) this.objects.set(uuid, (s = { fine: new Map(), coarse: new Map(), open: { client: 0, server: 0 } }));
    return s;
  }

  private bucket(s: ObjectSeries, res: Resolution, which: 'fine' | 'coarse', t: number): Float64Array {
    const m = s[which];
    const n = Math.floor(t / res.stepMs);
    let b = m.get(n);
    if (!b) {
      b = new Float64Array(2 * NF);
      // A new bucket starts with the open connections carried over.
      for (const side of ['client', 'server'] as const) {
        b[OFFSET[side] + IDX.openMax] = s.open[side];
        b[OFFSET[side] + IDX.openEnd] = s.open[side];
      }
      m.set(n, b);
      for (const k of m.keys()) {
        if (k > n - res.keep) break;
        m.delete(k);
      }
    }
    return b;
  }

  private apply(uuid: string, fn: (b: Float64Array, s: ObjectSeries) => void): void {
    const s = this.series(uuid);
    const t = this.now();
    fn(this.bucket(s, FINE, 'fine', t), s);
    fn(this.bucket(s, COARSE, 'coarse', t), s);
  }

  add(uuid: string, side: Side, field: Exclude<Field, 'openMax' | 'openEnd'>, n = 1): void {
    if (n === 0) return;
    const i = OFFSET[side] + IDX[field];
    this.apply(uuid, (b) => {
      b[i] = b[i]! + n;
    });
  }

  /** Open connections change by `delta` (a connection opened: +1, closed: -1). */
  open(uuid: string, side: Side, delta: number): void {
    const s = this.series(uuid);
    s.open[side] = Math.max(0, s.open[side] + delta);
    const v = s.open[side];
    this.apply(uuid, (b) => {
      const o = OFFSET[side];
      b[o + IDX.openMax] = Math.max(b[o + IDX.openMax]!, v);
      b[o + IDX.openEnd] = v;
    });
  }

  /** Drops everything recorded for an object (it was deleted). */
  forget(uuid: string): void {
    this.objects.delete(uuid);
  }

  /**
   * `count` consecutive intervals of `stepMs` starting at `startMs` (aligned by the caller), from the fine
   * buckets when the step is below 300 s, else from the coarse ones. Intervals without events are zeros, with
   * the open-connection gauge carried over from the interval before.
   */
  query(uuid: string, stepMs: number, startMs: number, count: number): Point[] {
    const s = this.objects.get(uuid);
    const res = stepMs < COARSE.stepMs ? FINE : COARSE;
    const m = s ? (res === FINE ? s.fine : s.coarse) : new Map<number, Float64Array>();
    const firstBucket = Math.floor(startMs / res.stepMs);
    // Gauge carried into the window: the last bucket before it.
    let carry: Float64Array = new Float64Array(2 * NF);
    for (const [k, b] of m) {
      if (k >= firstBucket) break;
      carry = b;
    }
    const open: Record<Side, number> = { client: carry[IDX.openEnd]!, server: carry[NF + IDX.openEnd]! };
    const out: Point[] = [];
    for (let p = 0; p < count; p++) {
      const start = startMs + p * stepMs;
      const agg = new Float64Array(2 * NF);
      for (const side of ['client', 'server'] as const) agg[OFFSET[side] + IDX.openMax] = open[side];
      let samples = 0;
      for (let k = Math.floor(start / res.stepMs); k < Math.floor((start + stepMs) / res.stepMs); k++) {
        const b = m.get(k);
        if (!b) continue;
        samples++;
        for (let i = 0; i < 2 * NF; i++) {
          if (MAX_FIELDS.has(i)) agg[i] = Math.max(agg[i]!, b[i]!);
          else if (!LAST_FIELDS.has(i)) agg[i] = agg[i]! + b[i]!;
        }
        open.client = b[IDX.openEnd]!;
        open.server = b[NF + IDX.openEnd]!;
      }
      out.push({ start, end: start + stepMs, samples, get: (side, field) => agg[OFFSET[side] + IDX[field]]! });
    }
    return out;
  }
}
