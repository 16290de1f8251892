/**
 * Avi-name collisions (the Go AKO's names join parts with `-`): namespace `<t0>-a` Ingress `x` on secure host
 * `b.t0.<d>` vs namespace `<t0>` Ingress `x` on `a-b.t0.<d>` (same pool and policy-set names); a secure host
 * `<team>-lb-5` vs Service `<team>/lb-5` (same VS name); Service `<base>/t<i>-lb-5` vs `<base>-t<i>/lb-5`; a shared-VIP
 * key equal to a Service name; a Service joining a team's shared-VIP group with a port it already has, or asking for
 * another VIP. All newer than
 * the valid side. Pure.
 */
import { ingress, kase, lbService, tlsSecret } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

export function collisionCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  const t0 = ctx.teams[0]!;
  const host = `b.t0.${ctx.domain}`;
  out.push(
    kase('coll-sni', 'collision', 'warning', `${ctx.collA}/x on ${host} vs ${t0}/x on a-b.t0 (same Avi names)`, [
      tlsSecret(ctx.collA, 'x-tls', ctx.cert.crt, ctx.cert.key),
      ingress(ctx, ctx.collA, 'x', host, [{ path: '/' }], { tls: [{ hosts: [host], secretName: 'x-tls' }] }),
    ]),
  );
  ctx.teams.forEach((team, i) => {
    const h = `${team}-lb-5`;
    const ns = i === 0 ? ctx.misc : ctx.teams[(i + 2) % ctx.teams.length]!;
    out.push(
      kase(`coll-vs-${i}`, 'collision', 'warning', `secure host ${h} vs Service ${team}/lb-5 (same VS name)`, [
        tlsSecret(ns, `coll-vs-${i}-s`, ctx.cert.crt, ctx.cert.key),
        ingress(ctx, ns, `coll-vs-${i}`, h, [{ path: '/' }], { tls: [{ hosts: [h], secretName: `coll-vs-${i}-s` }] }),
      ]),
    );
    if (team.startsWith(`${ctx.bare}-`)) {
      const name = `${team.slice(ctx.bare.length + 1)}-lb-5`;
      out.push(kase(`coll-l4-${i}`, 'collision', 'warning', `Service ${ctx.bare}/${name} vs ${team}/lb-5 (same VS name)`, [lbService(ctx.bare, name, [{ port: 9600 + i }])]));
    }
    out.push(
      kase(`coll-svkey-${i}`, 'collision', 'warning', `shared-VIP key lb-5 in ${team} (the VS name of ${team}/lb-5)`, [
        lbService(team, `coll-svkey`, [{ port: 9700 + r.int(50) }], { annotations: { 'ako.vmware.com/enable-shared-vip': 'lb-5' } }),
      ]),
    );
  });
  out.push(
    kase('coll-svport', 'collision', 'warning', `a Service joining shared VIP grp of ${ctx.teams[1]} with a port the group has`, [
      lbService(ctx.teams[1]!, 'sv-clash', [{ port: 8081 }], { annotations: { 'ako.vmware.com/enable-shared-vip': 'grp' } }),
    ]),
  );
  out.push(
    kase('coll-svip', 'collision', 'warning', `a Service joining shared VIP grp of ${ctx.teams[1]} asking for another VIP`, [
      lbService(ctx.teams[1]!, 'sv-ip', [{ port: 8090 }], { annotations: { 'ako.vmware.com/enable-shared-vip': 'grp' }, spec: { loadBalancerIP: `${ctx.net}.240` } }),
    ]),
  );
  return out;
}
