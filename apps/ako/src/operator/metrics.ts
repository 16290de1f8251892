import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEvent } from '@avi-k8s/avi-sdk';
import { LeanCounter, LeanHistogram } from './call-metrics.js';

/** AKO's Prometheus metrics (served on /metrics). */
export function createMetrics() {
  const registry = new Registry();
  // prom-client's default process_* and nodejs_* metrics under their standard names (what dashboards expect).
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    queueDepth: new Gauge({ name: 'ako_queue_depth', help: 'Sync requests waiting', registers: [registry] }),
    syncSeconds: new Histogram({
      name: 'ako_sync_duration_seconds',
      help: 'Duration of one unit sync (translate, plan, write)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    // labels method, type, status (call-metrics.ts)
    restCalls: new LeanCounter('ako_avi_rest_calls_total', 'Avi REST calls', registry),
    // labels method, type
    restSeconds: new LeanHistogram('ako_avi_rest_call_duration_seconds', 'Avi REST call latency', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registry),
    writes: new Counter({ name: 'ako_avi_writes_total', help: 'Avi object writes', labelNames: ['op', 'type'], registers: [registry] }),
    ownedObjects: new Gauge({ name: 'ako_owned_objects', help: 'Avi objects AKO owns', labelNames: ['type'], registers: [registry] }),
    informerEvents: new Counter({
      name: 'ako_informer_events_total',
      help: 'Informer events, by kind and whether they changed anything translate reads (relevant=false: no unit synced)',
      labelNames: ['kind', 'relevant'],
      registers: [registry],
    }),
    unitSyncs: new Counter({ name: 'ako_unit_syncs_total', help: 'Unit syncs (translate, plan, write, status), by unit kind', labelNames: ['unit'], registers: [registry] }),
    rejected: new Gauge({ name: 'ako_rejected_objects', help: 'Kubernetes objects rejected by translation', labelNames: ['kind'], registers: [registry] }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The SDK's per-call hook, feeding the REST metrics. */
export function onAviCall(m: Metrics) {
  return (e: CallEvent) => {
    const key = `${e.method}\u0000${e.objectType}`;
    m.restCalls.inc(`${key}\u0000${e.status}`, () => ({ method: e.method, type: e.objectType, status: String(e.status) }));
    m.restSeconds.observe(key, () => ({ method: e.method, type: e.objectType }), e.durationMs / 1000);
  };
}
