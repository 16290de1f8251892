// Prometheus metrics (prom-client), one registry per controller instance.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  observe(method: string, objectType: string, status: number, seconds: number): void;
}

export function createMetrics(opts: { objects: () => number; sessions: () => number; defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'avi_controller_requests_total',
    help: 'API requests by method, object type and status',
    labelNames: ['method', 'object_type', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'avi_controller_request_duration_seconds',
    help: 'API request duration by method',
    labelNames: ['method'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'avi_controller_objects',
    help: 'Objects in the store',
    registers: [registry],
    collect() {
      this.set(opts.objects());
    },
  });
  new Gauge({
    name: 'avi_controller_sessions',
    help: 'Live sessions',
    registers: [registry],
    collect() {
      this.set(opts.sessions());
    },
  });
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    observe(method, objectType, status, seconds) {
      requests.inc({ method, object_type: objectType, status: String(status) });
      duration.observe({ method }, seconds);
    },
  };
}
