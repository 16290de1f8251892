/** Exponential backoff with full jitter: a random delay in [base, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 30000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(baseMs + random() * (ceiling - baseMs));
}
