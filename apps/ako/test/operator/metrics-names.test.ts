// AKO's process metrics carry prom-client's standard default names (process_*, nodejs_*; see the prom-client
// README, "Default metrics"), which dashboards expect, and not a doubled prefix such as ako_process_process_*.
import { createMetrics } from '../../src/operator/metrics.js';

const STANDARD = ['process_cpu_user_seconds_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_total_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_version_info'];

test('standard process_* and nodejs_* names', async () => {
  const { registry } = createMetrics();
  const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
  for (const n of STANDARD) expect(names).toContain(n);
  expect(names.filter((n) => /_process_process_|^(ako|amko)_process_/.test(n))).toEqual([]);
});
