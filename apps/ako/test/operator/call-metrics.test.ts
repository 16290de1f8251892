// The per-call REST metrics in the Prometheus text format (https://prometheus.io/docs/instrumenting/exposition_formats/):
// a counter by method, type and status, and a histogram by method and type with cumulative buckets, +Inf, _sum and
// _count. The expected lines are written out by hand for these calls.
import { createMetrics, onAviCall } from '../../src/operator/metrics.js';

const call = (method: string, objectType: string, status: number, durationMs: number) => ({ method, path: `/api/${objectType}`, objectType, status, durationMs, attempt: 0 });

test('counts and latency buckets of Avi calls, as /metrics shows them', async () => {
  const m = createMetrics();
  const hook = onAviCall(m);
  hook(call('POST', 'pool', 201, 3));
  hook(call('POST', 'pool', 201, 30));
  hook(call('POST', 'pool', 409, 7000));
  hook(call('GET', 'vsvip', 200, 10));
  const text = await m.registry.metrics();
  const lines = (prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));
  expect(lines('ako_avi_rest_calls_total')).toEqual([
    'ako_avi_rest_calls_total{method="POST",type="pool",status="201"} 2',
    'ako_avi_rest_calls_total{method="POST",type="pool",status="409"} 1',
    'ako_avi_rest_calls_total{method="GET",type="vsvip",status="200"} 1',
  ]);
  expect(text).toContain('# TYPE ako_avi_rest_calls_total counter');
  expect(text).toContain('# TYPE ako_avi_rest_call_duration_seconds histogram');
  expect(lines('ako_avi_rest_call_duration_seconds')).toEqual([
    'ako_avi_rest_call_duration_seconds_bucket{le="0.005",method="POST",type="pool"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.01",method="POST",type="pool"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.025",method="POST",type="pool"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.05",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.1",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.25",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.5",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="1",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="2.5",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="5",method="POST",type="pool"} 2',
    'ako_avi_rest_call_duration_seconds_bucket{le="+Inf",method="POST",type="pool"} 3',
    'ako_avi_rest_call_duration_seconds_sum{method="POST",type="pool"} 7.033',
    'ako_avi_rest_call_duration_seconds_count{method="POST",type="pool"} 3',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.005",method="GET",type="vsvip"} 0',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.01",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.025",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.05",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.1",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.25",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="0.5",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="1",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="2.5",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="5",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_bucket{le="+Inf",method="GET",type="vsvip"} 1',
    'ako_avi_rest_call_duration_seconds_sum{method="GET",type="vsvip"} 0.01',
    'ako_avi_rest_call_duration_seconds_count{method="GET",type="vsvip"} 1',
  ]);
});
