/**
 * Paths: `#`, `+`, `%xx`, spaces, unicode, very long, regex-looking, relative, dot segments, with each path type;
 * Exact and Prefix duplicates of one path; one path twice to two backends. Each Ingress has a host of its own, in the
 * misc namespace or (mixed in) a team's namespace. Pure.
 */
import { ingress, kase } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext } from './types.js';

const SPECIALS = [
  '#', '+', '%41', '%2F', '%2f', '%zz', '%', '%00', ' ', '\t', 'ü', '日本', '?q=1', ';x', '~', '..', '.', '//', '*', '(v1|v2)/.*',
  '^api$', '[a-z]+', '\\', '"', '<x>', '|', '{x}', '$', '&', "'", '@', '!', ',', '=',
];
const TYPES = ['Prefix', 'Exact', 'ImplementationSpecific'] as const;

export function pathCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  let n = 0;
  const where = () => (n % 4 === 3 ? ctx.teams[n % ctx.teams.length]! : ctx.misc);
  const hostFor = (ns: string) => (ns === ctx.misc ? `p${n}.x.${ctx.domain}` : `p${n}.${ctx.teams.indexOf(ns) >= 0 ? `t${ctx.teams.indexOf(ns)}` : 'x'}.${ctx.domain}`);
  const add = (expect: BadCase['expect'], note: string, paths: { path: string; pathType?: string; service?: string }[]) => {
    const ns = where();
    const name = `path-${n}`;
    out.push(kase(name, 'path', expect, note, [ingress(ctx, ns, name, hostFor(ns), paths)]));
    n++;
  };
  for (const s of SPECIALS) {
    for (const t of TYPES) {
      const p = r.next() < 0.5 ? `/${s}` : `/a${s}b`;
      add('visible', `path ${JSON.stringify(p)} (${t})`, [{ path: p, pathType: t }]);
    }
  }
  for (const len of [200, 260, 1000, 4000]) for (const t of TYPES) add('visible', `path of ${len} characters (${t})`, [{ path: `/${r.label(len - 1)}`, pathType: t }]);
  for (const t of TYPES) add('visible', `relative path (${t})`, [{ path: `rel${r.label(3)}`, pathType: t }]);
  add('visible', 'empty path (Prefix)', [{ path: '' }]);
  for (let i = 0; i < 3; i++) {
    const p = `/dup${r.label(3)}`;
    add('visible', 'the same path as Exact and Prefix', [{ path: p, pathType: 'Exact', service: 'web' }, { path: p, pathType: 'Prefix', service: 'web' }]);
    add('visible', 'the same path twice, two backends', [{ path: p, service: 'web' }, { path: p, service: 'api' }]);
    add('visible', 'Prefix /x and /x/ together', [{ path: p }, { path: `${p}/` }]);
  }
  return out;
}
