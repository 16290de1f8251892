// Prometheus metrics (prom-client), one registry per controller instance.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  observe(method: string, objectType: string, status: number, seconds: number): void;
}

export interface TrafficFigures {
  /** Listener count by state (listening, failed, starting). */
  listeners: Record<string, number>;
  blockedDials: number;
  failedDials: number;
  requests: number;
  connections: number;
}

export function createMetrics(opts: {
  objects: () => number;
  sessions: () => number;
  defaultMetrics: boolean;
  /** Data plane figures, when it runs. */
  dataplane?: () => TrafficFigures | undefined;
  /** DNS queries answered, when the DNS server runs. */
  dnsQueries?: () => number | undefined;
}): Metrics {
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
  const dp = opts.dataplane;
  if (dp) {
    new Gauge({
      name: 'avi_controller_dataplane_listeners',
      help: 'Data plane listeners by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [state, n] of Object.entries(dp()?.listeners ?? {})) this.set({ state }, n);
      },
    });
    const figure = (name: string, help: string, pick: (f: TrafficFigures) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const f = dp();
          if (f) this.set(pick(f));
        },
      });
    figure('avi_controller_dataplane_blocked_dials', 'Pool server dials refused since start because the address is not loopback', (f) => f.blockedDials);
    figure('avi_controller_dataplane_failed_dials', 'Pool server dials that failed since start', (f) => f.failedDials);
    figure('avi_controller_dataplane_http_requests', 'HTTP requests received by the data plane since start', (f) => f.requests);
    figure('avi_controller_dataplane_l4_connections', 'L4 connections and UDP sessions since start', (f) => f.connections);
  }
  const dns = opts.dnsQueries;
  if (dns) {
    new Gauge({
      name: 'avi_controller_dns_queries',
      help: 'DNS queries answered since start',
      registers: [registry],
      collect() {
        this.set(dns() ?? 0);
      },
    });
  }
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    observe(method, objectType, status, seconds) {
      requests.inc({ method, object_type: objectType, status: String(status) });
      duration.observe({ method }, seconds);
    },
  };
}
