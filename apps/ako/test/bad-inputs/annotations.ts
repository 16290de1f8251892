/**
 * Annotations with bad values: enable-tls and disable-traffic values other than true/false, an application profile
 * or an AviInfraSetting or L4Rule that does not exist, a load-balancer-ip that is no IP, shared-VIP keys that are
 * empty, upper case or have spaces. In the teams' namespaces (mixed in) and the misc namespace. Pure.
 */
import { ingress, kase, lbService } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

const BOOLS = ['yes', '1', 'TRUE', 'True', ' true', '', 'on', 'false ', 'nein'];

export function annotationCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  BOOLS.forEach((v, i) => {
    const ns = ctx.teams[i % ctx.teams.length]!;
    const t = `t${i % ctx.teams.length}`;
    out.push(
      kase(`ann-tls-${i}`, 'annotation', 'warning', `enable-tls: ${JSON.stringify(v)}`, [
        ingress(ctx, ns, `ann-tls-${i}`, `ann-tls-${i}.${t}.${ctx.domain}`, [{ path: '/' }], { annotations: { 'ako.vmware.com/enable-tls': v } }),
      ]),
    );
    out.push(
      kase(`ann-dt-${i}`, 'annotation', 'warning', `disable-traffic: ${JSON.stringify(v)}`, [
        lbService(ctx.misc, `ann-dt-${i}`, [{ port: 9400 + i }], { annotations: { 'ako.vmware.com/disable-traffic': v } }),
      ]),
    );
  });
  const svc = (k: string, note: string, annotations: Record<string, string>, expect: BadCase['expect'] = 'warning', ns = ctx.misc) =>
    out.push(kase(`ann-${k}`, 'annotation', expect, note, [lbService(ns, `ann-${k}`, [{ port: 9500 + out.length }], { annotations })]));
  svc('appprof', 'application-profile that does not exist', { 'ako.vmware.com/application-profile': `no-such-${r.label(4)}` });
  svc('appprof-empty', 'empty application-profile', { 'ako.vmware.com/application-profile': '' }, 'visible');
  svc('infra', 'AviInfraSetting that does not exist', { 'aviinfrasetting.ako.vmware.com/name': `no-such-${r.label(4)}` });
  svc('l4rule', 'L4Rule that does not exist', { 'ako.vmware.com/l4rule': `no-such-${r.label(4)}` });
  for (const [k, v] of [['ip-word', 'not-an-ip'], ['ip-v6', '::1'], ['ip-range', '10.0.0.0/24'], ['ip-octet', '300.1.1.1'], ['ip-empty', '']] as const)
    svc(k, `load-balancer-ip ${JSON.stringify(v)}`, { 'ako.vmware.com/load-balancer-ip': v }, v === '' ? 'visible' : 'warning');
  for (const [k, v] of [['sv-empty', ''], ['sv-upper', 'GRP'], ['sv-space', 'a b'], ['sv-slash', 'a/b'], ['sv-long', 'g'.repeat(300)]] as const)
    svc(k, `enable-shared-vip ${JSON.stringify(v.length > 20 ? `${v.slice(0, 5)}...(${v.length})` : v)}`, { 'ako.vmware.com/enable-shared-vip': v }, 'visible');
  return out;
}
