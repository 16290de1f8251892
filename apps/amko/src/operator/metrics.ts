import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEvent } from '@avi-k8s/avi-sdk';

/** AMKO's Prometheus metrics (served on /metrics). */
export function createMetrics() {
  const registry = new Registry();
  // prom-client's default process_* and nodejs_* metrics under their standard names (what dashboards expect).
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    syncSeconds: new Histogram({
      name: 'amko_sync_duration_seconds',
      help: 'Duration of one sync pass (translate, plan, write, status)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    restCalls: new Counter({ name: 'amko_avi_rest_calls_total', help: 'Avi REST calls', labelNames: ['method', 'type', 'status'], registers: [registry] }),
    writes: new Counter({ name: 'amko_avi_writes_total', help: 'Avi object writes', labelNames: ['op', 'type'], registers: [registry] }),
    ownedObjects: new Gauge({ name: 'amko_owned_objects', help: 'Avi objects AMKO owns', labelNames: ['type'], registers: [registry] }),
    memberClusters: new Gauge({ name: 'amko_member_clusters', help: 'Member clusters by state', labelNames: ['state'], registers: [registry] }),
    rejected: new Gauge({ name: 'amko_rejected_objects', help: 'Objects rejected by translation', labelNames: ['kind'], registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function onAviCall(m: Metrics) {
  return (e: CallEvent) => m.restCalls.inc({ method: e.method, type: e.objectType, status: String(e.status) });
}
