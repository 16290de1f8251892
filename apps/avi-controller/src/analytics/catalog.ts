// The metric ids served, as the Avi metrics API names them: `l4_client.*` / `l7_client.*` (client side of a
// virtual service), `l4_server.*` / `l7_server.*` (server side of a virtual service, or a pool). Each is computed
// from one aggregated interval of the series store. Units are the API's MetricsUnit names.

import type { Field, Point, Side } from './series-store.js';

export type EntityKind = 'virtualservice' | 'pool';

export interface MetricDef {
  readonly id: string;
  readonly units: 'BITS_PER_SECOND' | 'BYTES_PER_SECOND' | 'PER_SECOND' | 'METRIC_COUNT' | 'MILLISECONDS' | 'PERCENT';
  readonly description: string;
  readonly entities: readonly EntityKind[];
  value(p: Point, stepSec: number): number;
}

const rate = (side: Side, fields: readonly Field[]) => (p: Point, stepSec: number) => fields.reduce((a, f) => a + p.get(side, f), 0) / stepSec;
const avgTime = (side: Side) => (p: Point) => (p.get(side, 'resp') > 0 ? p.get(side, 'timeMs') / p.get(side, 'resp') : 0);
const pctErrors = (side: Side) => (p: Point) => (p.get(side, 'resp') > 0 ? (100 * (p.get(side, 'r4xx') + p.get(side, 'r5xx'))) / p.get(side, 'resp') : 0);

function family(layer4: string, layer7: string, side: Side, entities: readonly EntityKind[], who: string): MetricDef[] {
  const d = (id: string, units: MetricDef['units'], description: string, value: MetricDef['value']): MetricDef => ({ id, units, description, entities, value });
  const list: MetricDef[] = [
    d(`${layer4}.avg_bandwidth`, 'BITS_PER_SECOND', `Average ${who} bandwidth (bytes in and out)`, (p, s) => (8 * (p.get(side, 'rx') + p.get(side, 'tx'))) / s),
    d(`${layer4}.avg_rx_bytes`, 'BYTES_PER_SECOND', `Average ${who} bytes received`, rate(side, ['rx'])),
    d(`${layer4}.avg_tx_bytes`, 'BYTES_PER_SECOND', `Average ${who} bytes sent`, rate(side, ['tx'])),
    d(`${layer4}.avg_new_established_conns`, 'PER_SECOND', `Average ${who} connections established`, rate(side, ['new'])),
    d(`${layer4}.avg_complete_conns`, 'PER_SECOND', `Average ${who} connections completed`, rate(side, ['closed'])),
    d(`${layer4}.avg_errored_connections`, 'PER_SECOND', `Average ${who} connections that could not be served`, rate(side, ['err'])),
    d(`${layer4}.max_open_conns`, 'METRIC_COUNT', `Maximum ${who} open connections`, (p) => p.get(side, 'openMax')),
    d(`${layer7}.avg_total_requests`, 'PER_SECOND', `Average ${who} HTTP requests`, rate(side, ['req'])),
    d(`${layer7}.avg_complete_responses`, 'PER_SECOND', `Average ${who} complete HTTP responses`, rate(side, ['resp'])),
    d(`${layer7}.avg_error_responses`, 'PER_SECOND', `Average ${who} 4xx and 5xx responses`, rate(side, ['r4xx', 'r5xx'])),
    d(`${layer7}.pct_response_errors`, 'PERCENT', `Percent of ${who} responses that are 4xx or 5xx`, pctErrors(side)),
  ];
  for (const c of ['1xx', '2xx', '3xx', '4xx', '5xx'] as const) {
    list.push(d(`${layer7}.avg_resp_${c}`, 'PER_SECOND', `Average ${who} ${c} responses`, rate(side, [`r${c}`])));
  }
  return list;
}

export const METRICS: ReadonlyMap<string, MetricDef> = new Map(
  [
    ...family('l4_client', 'l7_client', 'client', ['virtualservice'], 'client'),
    {
      id: 'l7_client.avg_total_time',
      units: 'MILLISECONDS',
      description: 'Average time from the request to the last byte of the response',
      entities: ['virtualservice'],
      value: avgTime('client'),
    } as MetricDef,
    ...family('l4_server', 'l7_server', 'server', ['virtualservice', 'pool'], 'server'),
    {
      id: 'l7_server.avg_application_response_time',
      units: 'MILLISECONDS',
      description: 'Average time from the request sent to the server to its response headers',
      entities: ['virtualservice', 'pool'],
      value: avgTime('server'),
    } as MetricDef,
  ].map((m) => [m.id, m]),
);

export const METRIC_ENTITY: Record<EntityKind, string> = { virtualservice: 'VSERVER_METRICS_ENTITY', pool: 'POOL_METRICS_ENTITY' };
