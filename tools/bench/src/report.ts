import { createServer } from 'node:net';

// Every benchmark prints its figures twice: one JSON line (for machines) and a table (for people).

export type Figures = Record<string, string | number>;

export function printReport(name: string, figures: Figures): void {
  process.stdout.write(`${JSON.stringify({ benchmark: name, ...figures })}\n\n`);
  const rows = Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v]);
  const width = Math.max(...rows.map(([k]) => k!.length), 'figure'.length);
  process.stdout.write(`${'figure'.padEnd(width)}  value\n${'-'.repeat(width)}  -----\n`);
  for (const [k, v] of rows) process.stdout.write(`${k!.padEnd(width)}  ${v}\n`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Sums a Prometheus counter's samples, grouped by one label (or all together when `by` is undefined). */
export function sumMetric(text: string, metric: string, by?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const labels = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const key = by ? (new RegExp(`${by}="([^"]*)"`).exec(labels)?.[1] ?? '') : 'total';
    out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/** A port the kernel reports free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
