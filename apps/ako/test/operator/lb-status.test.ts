import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AviBody, DesiredObject } from '@avi-k8s/avi-sync';
import { loadBalancerStatuses, objectsByVirtualService, vipInfo, type VipInfo } from '../../src/operator/lb-status.js';

interface Case {
  name: string;
  desired: { type: string; name: string; body: AviBody }[];
  uuids: Record<string, string>;
  vips: Record<string, VipInfo>;
  statuses: Record<string, unknown>;
  servedBy: Record<string, string[]>;
}

const { cases } = parse(readFileSync(new URL('./fixtures/lb-status.yaml', import.meta.url), 'utf8')) as { cases: Case[] };
const desiredOf = (c: Case): DesiredObject[] => c.desired.map((d) => ({ tenant: 'admin', type: d.type, name: d.name, body: d.body, checksum: '0' }));

describe('load balancer status from synced objects', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const statuses = loadBalancerStatuses(desiredOf(c), new Map(Object.entries(c.uuids)), new Map(Object.entries(c.vips)));
    expect(Object.fromEntries(statuses)).toEqual(c.statuses);
    const served = objectsByVirtualService(desiredOf(c));
    expect(Object.fromEntries([...served].map(([k, v]) => [k, [...v].sort()]))).toEqual(c.servedBy);
  });

  it.each([
    [{ vip: [{ ip_address: { addr: '127.100.0.5', type: 'V4' } }], dns_info: [{ fqdn: 'a.x' }, { fqdn: 'b.x' }] }, { ip: '127.100.0.5', fqdns: ['a.x', 'b.x'] }],
    [{ vip: [{ auto_allocate_ip: true }] }, { fqdns: [] }],
    [{}, { fqdns: [] }],
  ])('vipInfo(%j)', (body, expected) => {
    expect(vipInfo(body)).toEqual(expected);
  });
});
