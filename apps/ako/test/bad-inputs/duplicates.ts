/**
 * Duplicates across namespaces: another namespace (misc, and the next team) claims each team's hosts: the same plain
 * host and path, another path on it, its TLS host with a valid certificate of its own, with a garbage Secret, with a
 * missing Secret, and its TLS host over plain HTTP. Every one is newer than the owner's Ingress. Pure.
 */
import { ingress, kase, tlsSecret } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

export function duplicateCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  ctx.teams.forEach((_owner, i) => {
    const t = `t${i}`;
    const site = `site.${t}.${ctx.domain}`;
    const shop = `shop.${t}.${ctx.domain}`;
    const other = ctx.teams[(i + 1) % ctx.teams.length]!;
    for (const [ns, who] of [[ctx.misc, 'x'], [other, 'n']] as const) {
      const id = (k: string) => `dup-${k}-${t}-${who}`;
      out.push(kase(id('http'), 'duplicate', 'warning', `plain host ${site} and path / of another namespace`, [ingress(ctx, ns, id('http'), site)]));
      out.push(kase(id('path'), 'duplicate', 'warning', `another path on host ${site} of another namespace`, [ingress(ctx, ns, id('path'), site, [{ path: `/evil${r.label(3)}` }])]));
      out.push(
        kase(id('tls'), 'duplicate', 'warning', `TLS host ${shop} with a valid certificate of its own`, [
          tlsSecret(ns, `${id('tls')}-s`, ctx.cert.crt, ctx.cert.key),
          ingress(ctx, ns, id('tls'), shop, [{ path: '/' }], { tls: [{ hosts: [shop], secretName: `${id('tls')}-s` }] }),
        ]),
      );
      if (who === 'x') {
        out.push(
          kase(id('garbage'), 'duplicate', 'warning', `TLS host ${shop} with a garbage Secret`, [
            tlsSecret(ns, `${id('garbage')}-s`, 'garbage', 'garbage'),
            ingress(ctx, ns, id('garbage'), shop, [{ path: '/x' }], { tls: [{ hosts: [shop], secretName: `${id('garbage')}-s` }] }),
          ]),
        );
        out.push(
          kase(id('nosecret'), 'duplicate', 'warning', `TLS host ${shop} with a missing Secret`, [
            ingress(ctx, ns, id('nosecret'), shop, [{ path: '/' }], { tls: [{ hosts: [shop], secretName: 'absent' }] }),
          ]),
        );
        out.push(kase(id('plain'), 'duplicate', 'warning', `TLS host ${shop} over plain HTTP`, [ingress(ctx, ns, id('plain'), shop, [{ path: '/' }])]));
      }
    }
  });
  return out;
}
