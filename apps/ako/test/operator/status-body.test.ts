// The status stage gets each unit's desired objects with their bodies reduced to refs and service_metadata
// (apps/ako/src/operator/boot-results.ts statusBody): the hand-written status cases of lb-status.test.ts
// (fixtures/lb-status.yaml) must give the same statuses and the same VS -> objects map from the reduced bodies.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AviBody, DesiredObject } from '@avi-k8s/avi-sync';
import { loadBalancerStatuses, objectsByVirtualService, type VipInfo } from '../../src/operator/lb-status.js';
import { statusBody } from '../../src/operator/boot-results.js';

interface Case {
  name: string;
  desired: { type: string; name: string; body: AviBody }[];
  uuids: Record<string, string>;
  vips: Record<string, VipInfo>;
  statuses: Record<string, unknown>;
  servedBy: Record<string, string[]>;
}

const { cases } = parse(readFileSync(new URL('./fixtures/lb-status.yaml', import.meta.url), 'utf8')) as { cases: Case[] };
const reduced = (c: Case): DesiredObject[] => c.desired.map((d) => ({ tenant: 'admin', type: d.type, name: d.name, body: statusBody(d.body), checksum: '0' }));

it.each(cases.map((c) => [c.name, c] as const))('%s, from bodies reduced to refs and service_metadata', (_n, c) => {
  const statuses = loadBalancerStatuses(reduced(c), new Map(Object.entries(c.uuids)), new Map(Object.entries(c.vips)));
  expect(Object.fromEntries(statuses)).toEqual(c.statuses);
  const served = objectsByVirtualService(reduced(c));
  expect(Object.fromEntries([...served].map(([k, v]) => [k, [...v].sort()]))).toEqual(c.servedBy);
});

it('drops what holds no ref: servers, scripts, certificates', () => {
  const body: AviBody = {
    name: 'p',
    servers: [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 80 }],
    health_monitor_refs: ['/api/healthmonitor?name=System-TCP'],
    service_metadata: '{"namespace_svc_name":["ns/web"]}',
    members: [{ ratio: 1 }, { pool_ref: '/api/pool?name=a', ratio: 2 }],
  };
  expect(statusBody(body)).toEqual({
    health_monitor_refs: ['/api/healthmonitor?name=System-TCP'],
    service_metadata: '{"namespace_svc_name":["ns/web"]}',
    members: [{ pool_ref: '/api/pool?name=a' }],
  });
});
