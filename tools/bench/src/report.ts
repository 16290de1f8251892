import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

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

export interface BenchFlags {
  /** A flag's text, or undefined when it was not given. */
  text(name: string): string | undefined;
  /** A flag that must be a positive integer (its default when not given). */
  count(name: string, fallback: number): number;
}

/**
 * A benchmark's flags (`--name value`, all strings): `--help` prints the usage; an unknown flag, a missing value or a
 * count that is not a positive integer prints what is wrong and the usage, and exits with 2 before anything starts.
 */
export function benchFlags(usage: string, names: readonly string[]): BenchFlags {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\nusage: ${usage}\n`);
    process.exit(2);
  };
  let values: Record<string, unknown> = {};
  try {
    ({ values } = parseArgs({ options: Object.fromEntries([...names.map((n) => [n, { type: 'string' as const }]), ['help', { type: 'boolean' as const }]]), strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  const text = (name: string) => values[name] as string | undefined;
  return {
    text,
    count(name, fallback) {
      const v = text(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      return Number.isInteger(n) && n > 0 ? n : fail(`--${name} must be a positive integer, not '${v}'`);
    },
  };
}
