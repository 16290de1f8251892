/**
 * Hosts: wildcards, upper case, trailing dots, labels and names at and past their limits (63 / 253), unicode and
 * punycode, IP addresses, empty (host-less rules). One Ingress per host in the misc namespace. The apiserver refuses
 * many of them (the test records which). Pure.
 */
import { ingress, kase, labelOf } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

export function hostCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const d = `x.${ctx.domain}`;
  const out: BadCase[] = [];
  const add = (expect: BadCase['expect'], host: string | undefined, note: string) => {
    const name = `host-${out.length}`;
    out.push(kase(name, 'host', expect, note, [ingress(ctx, ctx.misc, name, host)]));
  };
  for (let i = 0; i < 6; i++) add('visible', `*.w${i}${r.label(3)}.${d}`, 'wildcard host');
  add('visible', `*.${d}`, 'wildcard host on the namespace domain');
  add('visible', '*', 'bare *');
  add('visible', `a.*.${d}`, 'wildcard not first');
  add('visible', `*.*.${d}`, 'two wildcards');
  add('visible', `*w.${d}`, 'partial wildcard label');
  for (let i = 0; i < 3; i++) add('visible', `Up${r.label(4)}.${d}`, 'upper case');
  add('visible', `UPPER.${d.toUpperCase()}`, 'all upper case');
  for (let i = 0; i < 3; i++) add('visible', `dot${r.label(4)}.${d}.`, 'trailing dot');
  add('visible', `..${d}`, 'empty label');
  for (let i = 0; i < 3; i++) add('visible', `${labelOf(`l${i}${r.label(5)}`, 63)}.${d}`, 'label of 63 characters');
  for (let i = 0; i < 2; i++) add('visible', `${labelOf(`m${i}${r.label(5)}`, 64)}.${d}`, 'label of 64 characters');
  const longName = (n: number, seed: string) => {
    const labels: string[] = [];
    let rest = n - d.length - 1;
    while (rest > 0) {
      const len = Math.min(rest > 64 ? 62 : rest - 1 || 1, 62);
      labels.push(labelOf(seed + labels.length, len));
      rest -= len + 1;
    }
    return `${labels.join('.')}.${d}`;
  };
  for (let i = 0; i < 2; i++) add('visible', longName(253, `n${i}${r.label(3)}`), 'host of ~253 characters');
  add('visible', longName(254, `o${r.label(3)}`), 'host of ~254 characters');
  add('visible', longName(300, `q${r.label(3)}`), 'host of ~300 characters');
  for (const u of ['bücher', '日本', 'ñandú', 'straße', 'ελλάδα']) add('visible', `${u}.${d}`, 'unicode host');
  for (const p of ['xn--bcher-kva', 'xn--wgv71a', 'xn--and-6ma2c']) add('visible', `${p}.${d}`, 'punycode (IDN) host');
  add('visible', `xn--${r.label(4)}.${d}`, 'invalid punycode');
  for (const ip of ['10.1.2.3', '127.0.0.1', '::1', '[::1]']) add('visible', ip, 'IP address as host');
  for (const bad of ['-lead', 'trail-', 'under_score', 'sp ace', 'a:80', 'semi;colon', 'quote"', 'slash/x', 'at@x'])
    add('visible', bad.endsWith('-') ? `${bad.slice(0, -1)}${r.label(2)}-.${d}` : `${bad}${r.label(2)}.${d}`, 'invalid character in a label');
  add('visible', `123.${d}`, 'all-digit label');
  add('visible', `a--b${r.label(2)}.${d}`, 'double hyphen');
  add('visible', `single${r.label(4)}`, 'single-label host');
  add('visible', '', 'empty host string');
  add('visible', undefined, 'host-less rule (first in the cluster: served on shard 0)');
  out.push(kase('host-hostless-other', 'host', 'warning', 'host-less rule from a second namespace', [ingress(ctx, ctx.collA, 'host-hostless-other', undefined)]));
  return out;
}
