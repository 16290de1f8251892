// Analytics with real traffic: a controller with the data plane, loopback backends (200 / 404 / 500 by path), HTTP
// requests through the VIPs, then the metrics and health score APIs. The expected counts are the requests this
// test sent and the status codes its backend answers; shapes are those of the Avi metrics API docs
// (MetricsQueryResponse, HealthScoreQueryResponse).

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningController } from '../src/index.js';
import { login, removeDir, start, type Client } from './helpers.js';

const octet = 200 + Math.floor(Math.random() * 50);
const third = Math.floor(Math.random() * 250);
const net = `127.${octet}.${third}`;
const PORT = 8081;

let ctl: RunningController;
let c: Client;
let backend: Server;
let backendPort: number;
let deadPort: number;

const STATUS_BY_PATH: Record<string, number> = { '/ok': 200, '/missing': 404, '/boom': 500 };

beforeAll(async () => {
  ctl = await start({ dataplane: true, vipNetwork: { name: 'vip-network', subnet: `${net}.0/24`, begin: `${net}.10`, end: `${net}.200` } });
  c = await login(ctl);
  backend = createServer((req, res) => {
    res.statusCode = STATUS_BY_PATH[req.url ?? ''] ?? 200;
    res.end(`answer for ${req.url ?? ''}: ${'x'.repeat(100)}`);
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendPort = (backend.address() as AddressInfo).port;
  // A port nothing listens on (taken, then released).
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  deadPort = (tmp.address() as AddressInfo).port;
  await new Promise((r) => tmp.close(r));
});
afterAll(async () => {
  await ctl.close();
  removeDir(ctl.dataDir);
  await new Promise((r) => backend.close(r));
});

async function post(path: string, body: unknown): Promise<Record<string, unknown> & { uuid: string }> {
  const r = await c.post(path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** A pool with one server, a VsVip and an HTTP VS on PORT: uuids and the VIP. */
async function httpVs(name: string, serverPort: number): Promise<{ vs: string; pool: string; ip: string }> {
  const pool = await post('/api/pool', { name: `${name}-pool`, servers: [{ ip: { addr: '127.0.0.1', type: 'V4' }, port: serverPort }] });
  const vip = await post('/api/vsvip', { name: `${name}-vip`, vip: [{ vip_id: '0', auto_allocate_ip: true }] });
  const vs = await post('/api/virtualservice', {
    name,
    application_profile_ref: '/api/applicationprofile?name=System-HTTP',
    vsvip_ref: `/api/vsvip/${vip.uuid}`,
    pool_ref: `/api/pool/${pool.uuid}`,
    services: [{ port: PORT }],
  });
  await ctl.dataplane!.settled();
  return { vs: vs.uuid, pool: pool.uuid, ip: (vip.vip as Array<{ ip_address: { addr: string } }>)[0]!.ip_address.addr };
}

function get(ip: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port: PORT, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Series {
  header: { name: string; entity_uuid: string; units: string; statistics: Record<string, number>; metrics_min_scale: number };
  data: Array<{ timestamp: string; value: number }>;
}

/** Total count over a window = sum of the per-second averages x the step. */
const total = (s: Series, step: number) => Math.round(s.data.reduce((a, d) => a + d.value, 0) * step);
const byName = (series: Series[]) => new Map(series.map((s) => [s.header.name, s]));

const CLIENT_IDS = [
  'l7_client.avg_complete_responses',
  'l7_client.avg_total_requests',
  'l7_client.avg_resp_2xx',
  'l7_client.avg_resp_4xx',
  'l7_client.avg_resp_5xx',
  'l4_client.avg_bandwidth',
  'l4_client.avg_new_established_conns',
  'l7_client.avg_total_time',
];

let busy: { vs: string; pool: string; ip: string };
let idle: { vs: string; pool: string; ip: string };

test('metrics of a VS and its pool move with real requests: responses by class, connections, bytes, latency', async () => {
  busy = await httpVs('an-busy', backendPort);
  idle = await httpVs('an-idle', backendPort);
  const sent: Record<string, number> = { '/ok': 5, '/missing': 2, '/boom': 3 };
  const statuses: number[] = [];
  for (const [path, n] of Object.entries(sent)) for (let i = 0; i < n; i++) statuses.push(await get(busy.ip, path));
  expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  expect(statuses.filter((s) => s === 404)).toHaveLength(2);
  expect(statuses.filter((s) => s === 500)).toHaveLength(3);

  const r = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=${CLIENT_IDS.join(',')}&step=5&limit=24`);
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ entity_uuid: busy.vs, metric_entity: 'VSERVER_METRICS_ENTITY', step: 5, limit: 24 });
  const series: Series[] = r.json.series;
  expect(series.map((s) => s.header.name).sort()).toEqual([...CLIENT_IDS].sort());
  const m = byName(series);
  expect(total(m.get('l7_client.avg_complete_responses')!, 5)).toBe(10);
  expect(total(m.get('l7_client.avg_total_requests')!, 5)).toBe(10);
  expect(total(m.get('l7_client.avg_resp_2xx')!, 5)).toBe(5);
  expect(total(m.get('l7_client.avg_resp_4xx')!, 5)).toBe(2);
  expect(total(m.get('l7_client.avg_resp_5xx')!, 5)).toBe(3);
  // agent: false = one connection per request.
  expect(total(m.get('l4_client.avg_new_established_conns')!, 5)).toBe(10);
  const bw = m.get('l4_client.avg_bandwidth')!;
  expect(bw.header.units).toBe('BITS_PER_SECOND');
  // Each response carries more than 100 body bytes: at least 10 x 100 x 8 bits went out.
  expect(bw.data.reduce((a, d) => a + d.value, 0) * 5).toBeGreaterThan(10 * 100 * 8);
  const latency = m.get('l7_client.avg_total_time')!;
  expect(latency.header.units).toBe('MILLISECONDS');
  expect(latency.header.statistics.max).toBeGreaterThan(0);

  // Shape: `limit` points, 5 s apart, ascending, the last ending at or after now.
  for (const s of series) {
    expect(s.header.entity_uuid).toBe(busy.vs);
    expect(s.header).toHaveProperty('metrics_min_scale');
    expect(Object.keys(s.header.statistics)).toEqual(expect.arrayContaining(['min', 'max', 'mean', 'num_samples']));
    expect(s.data).toHaveLength(24);
    const ts = s.data.map((d) => Date.parse(d.timestamp));
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(5000);
    expect(ts[ts.length - 1]!).toBeGreaterThanOrEqual(Date.now() - 5000);
  }

  // The pool sees the same traffic from the server side (the backend's answers).
  const p = await c.get(`/api/analytics/metrics/pool/${busy.pool}?metric_id=l7_server.avg_complete_responses,l7_server.avg_resp_5xx,l7_server.avg_resp_4xx,l4_server.avg_bandwidth,l4_server.avg_new_established_conns,l7_server.avg_application_response_time&step=5&limit=24`);
  expect(p.status).toBe(200);
  expect(p.json.metric_entity).toBe('POOL_METRICS_ENTITY');
  const pm = byName(p.json.series);
  expect(total(pm.get('l7_server.avg_complete_responses')!, 5)).toBe(10);
  expect(total(pm.get('l7_server.avg_resp_5xx')!, 5)).toBe(3);
  expect(total(pm.get('l7_server.avg_resp_4xx')!, 5)).toBe(2);
  expect(total(pm.get('l4_server.avg_new_established_conns')!, 5)).toBe(10);
  expect(pm.get('l4_server.avg_bandwidth')!.header.statistics.max).toBeGreaterThan(0);

  // The idle VS (same backend, no requests) reports zeros.
  const i = await c.get(`/api/analytics/metrics/virtualservice/${idle.vs}?metric_id=${CLIENT_IDS.join(',')}&step=5&limit=24`);
  expect(i.status).toBe(200);
  for (const s of i.json.series as Series[]) {
    expect(s.data).toHaveLength(24);
    expect(s.data.every((d) => d.value === 0)).toBe(true);
    expect(s.header.statistics.num_samples).toBe(0);
  }
});

test('step 300 sums the same traffic; start/stop select the window', async () => {
  const r = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_5xx&step=300&limit=2`);
  expect(r.status).toBe(200);
  expect(r.json.series[0].data).toHaveLength(2);
  expect(total(r.json.series[0], 300)).toBe(3);
  const stop = new Date(Date.now() + 5000).toISOString();
  const startIso = new Date(Date.now() - 60_000).toISOString();
  const w = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_4xx&step=5&start=${startIso}&stop=${stop}`);
  expect(w.status).toBe(200);
  expect(w.json.series[0].data.length).toBeGreaterThanOrEqual(13);
  expect(total(w.json.series[0], 5)).toBe(2);
  // A window before the traffic: zeros.
  const before = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_4xx&step=5&stop=${new Date(Date.now() - 3600_000).toISOString()}&limit=6`);
  expect(before.json.series[0].data.every((d: { value: number }) => d.value === 0)).toBe(true);
});

test('pad_missing_data=false leaves out intervals without data; a trailing slash (avisdk paths) is accepted', async () => {
  const busyOnly = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}/?metric_id=l7_client.avg_complete_responses&step=5&limit=24&pad_missing_data=false`);
  expect(busyOnly.status).toBe(200);
  const data = busyOnly.json.series[0].data as Array<{ value: number }>;
  expect(data.length).toBeGreaterThanOrEqual(1);
  expect(data.length).toBeLessThan(24);
  expect(total(busyOnly.json.series[0], 5)).toBe(10);
  const idleOnly = await c.get(`/api/analytics/metrics/virtualservice/${idle.vs}/?metric_id=l7_client.avg_complete_responses&step=5&limit=24&pad_missing_data=false`);
  expect(idleOnly.json.series[0].data).toEqual([]);
});

test('collection forms: GET without a uuid pages over the visible VSes; POST metrics/collection answers per id and entity', async () => {
  const all = await c.get('/api/analytics/metrics/virtualservice?metric_id=l7_client.avg_complete_responses&step=5&limit=12&page_size=-1');
  expect(all.status).toBe(200);
  expect(all.json.count).toBeGreaterThanOrEqual(2);
  const mine = (all.json.results as Array<{ entity_uuid: string; series: Series[] }>).find((x) => x.entity_uuid === busy.vs)!;
  expect(total(mine.series[0]!, 5)).toBe(10);

  const col = await c.post('/api/analytics/metrics/collection', {
    metric_requests: [
      { id: 'resp', metric_id: 'l7_client.avg_complete_responses', entity_uuid: busy.vs, step: 5, limit: 24 },
      { id: 'errs', metric_id: 'l7_client.avg_resp_5xx', entity_uuid: idle.vs, step: 5, limit: 24 },
    ],
  });
  expect(col.status).toBe(200);
  expect(total(col.json.series.resp[busy.vs][0], 5)).toBe(10);
  expect(total(col.json.series.errs[idle.vs][0], 5)).toBe(0);
  const bad = await c.post('/api/analytics/metrics/collection', { metric_requests: [{ metric_id: 'l7_client.avg_resp_5xx' }] });
  expect(bad.status).toBe(400);
  expect(bad.json.error).toMatch(/entity_uuid/);
});

test('bad queries get a clear 400; unknown objects and other tenants get 404', async () => {
  const unknown = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.no_such_metric&step=5`);
  expect(unknown.status).toBe(400);
  expect(unknown.json.error).toMatch(/l7_client\.no_such_metric/);
  const wrongEntity = await c.get(`/api/analytics/metrics/pool/${busy.pool}?metric_id=l7_client.avg_resp_5xx`);
  expect(wrongEntity.status).toBe(400);
  const badStep = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_5xx&step=7`);
  expect(badStep.status).toBe(400);
  expect(badStep.json.error).toMatch(/step/);
  const badStart = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_5xx&start=yesterday`);
  expect(badStart.status).toBe(400);
  // Without metric_id (avisdk's ApiUtils.get_healthscore calls the metrics API so): no series, not an error.
  const noId = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?step=300&limit=1`);
  expect(noId.status).toBe(200);
  expect(noId.json).toMatchObject({ entity_uuid: busy.vs, series: [] });
  expect((await c.get(`/api/analytics/metrics/virtualservice/virtualservice-00000000-0000-0000-0000-000000000000?metric_id=l7_client.avg_resp_5xx`)).status).toBe(404);
  // A pool uuid asked for as a VS is not found.
  expect((await c.get(`/api/analytics/metrics/virtualservice/${busy.pool}?metric_id=l7_client.avg_resp_5xx`)).status).toBe(404);

  expect((await c.post('/api/tenant', { name: 'an-other' })).status).toBe(201);
  const other = await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_resp_5xx`, { 'X-Avi-Tenant': 'an-other' });
  expect(other.status).toBe(404);
  expect((await c.get(`/api/analytics/healthscore/virtualservice/${busy.vs}`, { 'X-Avi-Tenant': 'an-other' })).status).toBe(404);
  const list = await c.get('/api/analytics/metrics/virtualservice?metric_id=l7_client.avg_resp_5xx', { 'X-Avi-Tenant': 'an-other' });
  expect(list.json).toEqual({ count: 0, results: [] });
});

test('health score: 100 x good answers for a VS that is up, 100 without traffic, 0 once its pool is down', async () => {
  const q = 'step=300&limit=2';
  const h = await c.get(`/api/analytics/healthscore/virtualservice/${busy.vs}?${q}`);
  expect(h.status).toBe(200);
  expect(h.json).toMatchObject({ entity_uuid: busy.vs, metric_entity: 'VSERVER_METRICS_ENTITY' });
  const hs = h.json.series[0];
  expect(hs.header.entity_uuid).toBe(busy.vs);
  expect(hs.data).toHaveLength(2);
  // Per interval: 4xx and 5xx count against the score (the counts of the same window from the metrics API).
  const m = byName((await c.get(`/api/analytics/metrics/virtualservice/${busy.vs}?metric_id=l7_client.avg_complete_responses,l7_client.avg_error_responses&${q}`)).json.series);
  const expected = [0, 1].map((i) => {
    const resp = Math.round(m.get('l7_client.avg_complete_responses')!.data[i]!.value * 300);
    const errs = Math.round(m.get('l7_client.avg_error_responses')!.data[i]!.value * 300);
    return resp === 0 ? 100 : Math.round(100 * (1 - errs / resp));
  });
  expect(hs.data.map((d: { value: number }) => d.value)).toEqual(expected);
  // 10 answers, 5 of them errors: when they fell in one interval, its score is 50.
  expect(Math.min(...expected)).toBeLessThanOrEqual(75);

  const idleHealth = await c.get(`/api/analytics/healthscore/virtualservice/${idle.vs}`);
  expect(idleHealth.json.series[0].data.map((d: { value: number }) => d.value)).toEqual([100]);

  // A VS whose only server does not answer: the request gets 502, the pool goes OPER_DOWN, the score is 0.
  const down = await httpVs('an-down', deadPort);
  expect(await get(down.ip, '/ok')).toBe(502);
  const dh = await c.get(`/api/analytics/healthscore/virtualservice/${down.vs}`);
  expect(dh.json.series[0].data.map((d: { value: number }) => d.value)).toEqual([0]);
  const dm = await c.get(`/api/analytics/metrics/virtualservice/${down.vs}?metric_id=l7_client.avg_resp_5xx&step=5&limit=24`);
  expect(total(dm.json.series[0], 5)).toBe(1);
  const ph = await c.get(`/api/analytics/healthscore/pool/${down.pool}`);
  expect(ph.status).toBe(200);
  expect(ph.json.metric_entity).toBe('POOL_METRICS_ENTITY');
  expect(ph.json.series[0].data[0].value).toBe(0);

  const col = await c.get('/api/analytics/healthscore/virtualservice');
  expect(col.status).toBe(200);
  expect(col.json.count).toBe(col.json.results.length);
  expect((col.json.results as Array<{ entity_uuid: string }>).map((x) => x.entity_uuid)).toEqual(expect.arrayContaining([busy.vs, idle.vs, down.vs]));
});

test('a deleted VS has no analytics any more', async () => {
  const gone = await httpVs('an-gone', backendPort);
  expect(await get(gone.ip, '/ok')).toBe(200);
  expect((await c.del(`/api/virtualservice/${gone.vs}`)).status).toBe(204);
  expect((await c.get(`/api/analytics/metrics/virtualservice/${gone.vs}?metric_id=l7_client.avg_resp_2xx`)).status).toBe(404);
});
