/**
 * LoadBalancer Services with bad preferred VIPs (spec.loadBalancerIP): not an IP, outside the VIP network, in the
 * network but outside its static range, the VIP a valid team already has (a VIP hijack), IPv6 on an IPv4 Service,
 * 0.0.0.0 and broadcast; plus the same through shared-VIP groups of two Services. Pure.
 */
import { kase, lbService } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

export function lbServiceCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  const ips: [string, BadCase['expect'], string][] = [
    ['not-an-ip', 'visible', 'not an IP'],
    ['10.99.0.1', 'warning', 'outside the VIP network'],
    [`${ctx.net}.3`, 'visible', 'in the network, outside its static range'],
    ['0.0.0.0', 'warning', 'unspecified address'],
    [`${ctx.net}.255`, 'warning', 'broadcast address'],
    ['fd00::1', 'warning', 'IPv6 on an IPv4 Service'],
    ...ctx.validVips.map((v): [string, BadCase['expect'], string] => [v, 'warning', `the VIP a valid Service already has (${v})`]),
  ];
  ips.forEach(([ip, expect, note], i) => {
    const ns = i % 2 === 0 ? ctx.misc : ctx.teams[i % ctx.teams.length]!;
    out.push(kase(`lbip-${i}`, 'lb-service', expect, `loadBalancerIP ${ip}: ${note}`, [lbService(ns, `lbip-${i}`, [{ port: 9800 + r.int(100) }], { spec: { loadBalancerIP: ip } })]));
  });
  // Two Services of one shared-VIP group asking for different VIPs.
  for (let i = 0; i < 3; i++) {
    const key = `pair-${i}`;
    const a = lbService(ctx.misc, `svip-${i}-a`, [{ port: 9900 + i }], { annotations: { 'ako.vmware.com/enable-shared-vip': key }, spec: { loadBalancerIP: `${ctx.net}.${200 + i}` } });
    const b = lbService(ctx.misc, `svip-${i}-b`, [{ port: 9950 + i }], { annotations: { 'ako.vmware.com/enable-shared-vip': key }, spec: { loadBalancerIP: `${ctx.net}.${210 + i}` } });
    out.push(kase(`svip-${i}`, 'lb-service', 'warning', 'shared-VIP group whose Services ask for different VIPs', [a, b]));
  }
  return out;
}
