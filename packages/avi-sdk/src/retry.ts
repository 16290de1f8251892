// Retry policy: exponential backoff with full jitter, Retry-After honoured, bounded by the call's deadline.
import type { AviError } from './errors.js';

export interface RetryPolicy {
  /** retries after the first attempt */
  maxRetries: number;
  /** first backoff step, ms */
  baseDelayMs: number;
  /** largest backoff step, ms */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Retry-After header (delta-seconds or HTTP date) -> ms, or undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/**
 * Decide whether to try again after `err` on attempt number `attempt` (0 = first try), given the time left before
 * the call's deadline. Only transient and retry-later errors are retried; `random` is injectable for tests.
 */
export function retryDecision(
  err: AviError,
  attempt: number,
  remainingMs: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (err.kind !== 'transient' && err.kind !== 'retry-later') return { retry: false };
  if (attempt >= policy.maxRetries) return { retry: false };
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * step);
  const delayMs = err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, jittered) : jittered;
  if (delayMs >= remainingMs) return { retry: false };
  return { retry: true, delayMs };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
