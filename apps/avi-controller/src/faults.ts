// Faults on demand, for tests of clients: added latency, a share of 5xx / 429 answers, dropped
// connections, the upgrade lock. Set with PUT /debug/faults, read with GET /debug/faults.

import { ApiError } from './http.js';

export interface FaultConfig {
  /** Added to every API answer, in milliseconds. */
  latencyMs: number;
  /** Share (0..1) of API requests answered with `errorStatus`. */
  errorRate: number;
  errorStatus: number;
  /** Share (0..1) of API requests answered 429. */
  throttleRate: number;
  /** Share (0..1) of API requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Writes answered 403 "Configuration is disallowed during upgrade". */
  upgradeInProgress: boolean;
  /** Only requests whose path contains this string are affected (all when empty). */
  pathContains: string;
  /** The next N API requests get the error (deterministic alternative to errorRate). */
  failNext: number;
}

export const NO_FAULTS: FaultConfig = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
  throttleRate: 0,
  dropRate: 0,
  upgradeInProgress: false,
  pathContains: '',
  failNext: 0,
};

const ERROR_STATUSES = new Set([401, 403, 408, 419]);

/** The body of an injected error, as the controller words that status. */
export function injectedError(status: number): ApiError {
  switch (status) {
    case 401:
      return new ApiError(401, 'Invalid credentials');
    case 403:
      return new ApiError(403, 'Configuration is disallowed during upgrade');
    case 419:
      return new ApiError(419, 'Session expired: please log in again');
    case 503:
      return new ApiError(503, 'INITIALIZING');
    default:
      return new ApiError(status, 'Injected fault: internal server error');
  }
}

export type FaultAction = { kind: 'none' } | { kind: 'drop' } | { kind: 'error'; error: ApiError };

export interface Faults {
  readonly config: Readonly<FaultConfig>;
  set(patch: unknown): FaultConfig;
  reset(): void;
  /** What to do with an API request (after the latency, which the caller awaits). */
  decide(path: string, write: boolean): FaultAction;
  active(): boolean;
}

const KEYS = Object.keys(NO_FAULTS) as (keyof FaultConfig)[];

export function createFaults(random: () => number = Math.random): Faults {
  let config: FaultConfig = { ...NO_FAULTS };
  return {
    get config() {
      return config;
    },
    set(patch) {
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ApiError(400, 'faults must be a JSON object');
      const next: FaultConfig = { ...config };
      for (const [k, v] of Object.entries(patch)) {
        if (k === 'expireSessions') continue;
        if (!KEYS.includes(k as keyof FaultConfig)) throw new ApiError(400, `unknown fault ${k}; known: ${KEYS.join(', ')}, expireSessions`);
        const want = typeof NO_FAULTS[k as keyof FaultConfig];
        if (typeof v !== want) throw new ApiError(400, `fault ${k} must be a ${want}`);
        if (k.endsWith('Rate') && ((v as number) < 0 || (v as number) > 1)) throw new ApiError(400, `fault ${k} must be between 0 and 1`);
        if ((k === 'latencyMs' || k === 'failNext') && (v as number) < 0) throw new ApiError(400, `fault ${k} must be >= 0`);
        if (k === 'errorStatus' && !ERROR_STATUSES.has(v as number) && ((v as number) < 500 || (v as number) > 599)) {
          throw new ApiError(400, 'fault errorStatus must be 401, 403, 408, 419 or a 5xx status');
        }
        (next as unknown as Record<string, unknown>)[k] = v;
      }
      config = next;
      return config;
    },
    reset() {
      config = { ...NO_FAULTS };
    },
    active() {
      return config !== NO_FAULTS && KEYS.some((k) => config[k] !== NO_FAULTS[k]);
    },
    decide(path, write) {
      if (config.pathContains && !path.includes(config.pathContains)) return { kind: 'none' };
      if (config.upgradeInProgress && write) return { kind: 'error', error: new ApiError(403, 'Configuration is disallowed during upgrade') };
      if (config.failNext > 0) {
        config = { ...config, failNext: config.failNext - 1 };
        return { kind: 'error', error: injectedError(config.errorStatus) };
      }
      if (config.dropRate > 0 && random() < config.dropRate) return { kind: 'drop' };
      if (config.errorRate > 0 && random() < config.errorRate) return { kind: 'error', error: injectedError(config.errorStatus) };
      if (config.throttleRate > 0 && random() < config.throttleRate) return { kind: 'error', error: new ApiError(429, 'Too many requests') };
      return { kind: 'none' };
    },
  };
}
