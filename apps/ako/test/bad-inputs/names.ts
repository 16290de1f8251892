/**
 * Names at their length limits: Ingresses of 253 characters (and 254, refused), Services of 63 (and 64), a Secret
 * of 253, all in a team's namespace and in the 63-character namespace. Pure.
 */
import { ingress, kase, labelOf, lbService, tlsSecret } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

/** A DNS subdomain of exactly n characters (labels of at most 63). */
export function subdomainOf(seed: string, n: number): string {
  const labels: string[] = [];
  let left = n;
  while (left > 0) {
    const len = Math.min(63, left === 64 ? 62 : left);
    labels.push(labelOf(`${seed}${labels.length}`, len));
    left -= len + 1;
  }
  return labels.join('.');
}

export function nameCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  for (const [ns, k] of [[ctx.teams[2]!, 't2'], [ctx.long, 'x']] as const) {
    for (const len of [63, 200, 253, 254]) {
      const name = subdomainOf(`i${r.label(3)}`, len);
      out.push(kase(`name-ing-${k}-${len}`, 'name-length', 'visible', `Ingress name of ${len} characters`, [ingress(ctx, ns, name, `n${len}${r.label(3)}.${k}.${ctx.domain}`)]));
    }
    for (const len of [63, 64]) {
      const name = labelOf(`s${r.label(4)}`, len);
      out.push(kase(`name-svc-${k}-${len}`, 'name-length', 'visible', `LoadBalancer Service name of ${len} characters`, [lbService(ns, name, [{ port: 9300 + len }])]));
    }
    for (const len of [253, 254]) {
      const secret = subdomainOf(`k${r.label(3)}`, len);
      const host = `sec${len}${r.label(3)}.${k}.${ctx.domain}`;
      out.push(
        kase(`name-secret-${k}-${len}`, 'name-length', 'visible', `TLS Secret name of ${len} characters`, [
          tlsSecret(ns, secret, ctx.cert.crt, ctx.cert.key),
          ingress(ctx, ns, `name-secret-${len}`, host, [{ path: '/' }], { tls: [{ hosts: [host], secretName: secret }] }),
        ]),
      );
    }
  }
  return out;
}
