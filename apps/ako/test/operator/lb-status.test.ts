import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AviBody, DesiredObject } from '@avi-k8s/avi-sync';
import { loadBalancerStatuses, objectsByVirtualService, vipInfo, type VipInfo } from '../../src/operator/lb-status.js';
import { statusBody, statusMetadata } from '../../src/operator/boot-results.js';

interface Case {
  name: string;
  desired: { type: string; name: string; body: AviBody }[];
  uuids: Record<string, string>;
  vips: Record<string, VipInfo>;
  statuses: Record<string, unknown>;
  servedBy: Record<string, string[]>;
}

const { cases } = parse(readFileSync(new URL('./fixtures/lb-status.yaml', import.meta.url), 'utf8')) as { cases: Case[] };
// The status stage gets each unit's bodies reduced to refs and service_metadata (boot-results.ts statusBody): the
// same cases must give the same statuses and VS -> objects map from the full and from the reduced bodies.
const desiredOf = (c: Case, reduce: (b: AviBody) => AviBody): DesiredObject[] =>
  c.desired.map((d) => ({ tenant: 'admin', type: d.type, name: d.name, body: reduce(d.body), checksum: '0' }));
const BODIES = [['full bodies', (b: AviBody) => b] as const, ['bodies reduced to refs and service_metadata', statusBody] as const];

describe('load balancer status from synced objects', () => {
  it.each(cases.flatMap((c) => BODIES.map(([how, reduce]) => [c.name, how, c, reduce] as const)))('%s, %s', (_n, _how, c, reduce) => {
    const statuses = loadBalancerStatuses(desiredOf(c, reduce), new Map(Object.entries(c.uuids)), new Map(Object.entries(c.vips)));
    expect(Object.fromEntries(statuses)).toEqual(c.statuses);
    const served = objectsByVirtualService(desiredOf(c, reduce));
    expect(Object.fromEntries([...served].map(([k, v]) => [k, [...v].sort()]))).toEqual(c.servedBy);
  });

  it.each([
    [{ vip: [{ ip_address: { addr: '127.100.0.5', type: 'V4' } }], dns_info: [{ fqdn: 'a.x' }, { fqdn: 'b.x' }] }, { ip: '127.100.0.5', fqdns: ['a.x', 'b.x'] }],
    [{ vip: [{ auto_allocate_ip: true }] }, { fqdns: [] }],
    [{}, { fqdns: [] }],
  ])('vipInfo(%j)', (body, expected) => {
    expect(vipInfo(body)).toEqual(expected);
  });

  it('drops what holds no ref the status stage follows: servers, scripts, certificates, refs to other types', () => {
    const body: AviBody = {
      name: 'p',
      servers: [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 80 }],
      health_monitor_refs: ['/api/healthmonitor?name=System-TCP'],
      tenant_ref: '/api/tenant/?name=admin',
      cloud_ref: '/api/cloud?name=Default-Cloud',
      service_metadata: '{"namespace_svc_name":["ns/web"]}',
      members: [{ ratio: 1 }, { pool_ref: '/api/pool?name=a', ratio: 2 }],
      vsvip_ref: '/api/vsvip/?name=vip-a',
      vh_parent_vs_ref: '/api/virtualservice?name=shard-1',
    };
    expect(statusBody(body)).toEqual({
      service_metadata: '{"namespace_svc_name":["ns/web"]}',
      members: [{ pool_ref: '/api/pool?name=a' }],
      vsvip_ref: '/api/vsvip/?name=vip-a',
      vh_parent_vs_ref: '/api/virtualservice?name=shard-1',
    });
  });

  // Our service_metadata has every key of the Go AKO's (translate/common.ts): the status stage reads five of them.
  const GO_SHAPE =
    '{"namespace_ingress_name":null,"ingress_name":"ing-1","namespace":"ns-1","hostnames":["h1.example.com"],"namespace_svc_name":null,' +
    '"crd_status":{"type":"","value":"","status":""},"pool_ratio":100,"passthrough_parent_ref":"","passthrough_child_ref":"","gateway":"",' +
    '"httproute":"","httproute_rule_name":"","insecureedgetermallow":false,"is_mci_ingress":false,"fqdn_reuse_policy":"","host_namespace_ingress_name":null}';
  it.each([
    [GO_SHAPE, '{"ingress_name":"ing-1","namespace":"ns-1","hostnames":["h1.example.com"]}'],
    ['{"namespace_svc_name":["ns/web"],"pool_ratio":100,"crd_status":{"type":"L4Rule"}}', '{"namespace_svc_name":["ns/web"]}'],
    ['{"namespace_ingress_name":["ns/a","ns/b"],"hostnames":["a.x"],"gateway":""}', '{"namespace_ingress_name":["ns/a","ns/b"],"hostnames":["a.x"]}'],
    ['{}', '{}'],
    ['not json', 'not json'],
    ['["ns/web"]', '["ns/web"]'],
  ])('statusMetadata(%s) keeps what the status stage reads: %s', (text, kept) => {
    expect(statusMetadata(text)).toBe(kept);
  });
});
