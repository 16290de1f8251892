// /metrics can be switched off (the Go AKO serves it only with featureGates.EnablePrometheus); the other
// endpoints stay.
import { Counter, Registry } from 'prom-client';
import { startOpsServer } from '../src/index.js';

test.each([
  [undefined, 200],
  [true, 200],
  [false, 404],
])('metrics: %s -> /metrics answers %i, /healthz 200', async (metrics, status) => {
  const registry = new Registry();
  new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(2);
  const ops = await startOpsServer({ host: '127.0.0.1', port: 0, registry, ready: () => true, ...(metrics === undefined ? {} : { metrics }) });
  try {
    const res = await fetch(`${ops.url}/metrics`);
    expect(res.status).toBe(status);
    const text = await res.text();
    if (status === 200) expect(text).toContain('test_things_total 2');
    else expect(text).not.toContain('test_things_total');
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
  } finally {
    await ops.close();
  }
});
