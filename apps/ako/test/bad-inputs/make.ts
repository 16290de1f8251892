/** Manifest builders the corpus files share. Pure. */
import type { BadCase, CorpusContext, Manifest } from './types.js';

export type PathSpec = { path: string; pathType?: string; service?: string; port?: { number?: number; name?: string } };

export function ingress(
  ctx: CorpusContext,
  namespace: string,
  name: string,
  host: string | undefined,
  paths: PathSpec[] = [{ path: '/' }],
  opts: { tls?: { hosts: string[]; secretName?: string }[]; annotations?: Record<string, string> } = {},
): Manifest {
  return {
    kind: 'Ingress',
    metadata: { name, namespace, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      ingressClassName: ctx.ingressClass,
      ...(opts.tls ? { tls: opts.tls } : {}),
      rules: [
        {
          ...(host !== undefined ? { host } : {}),
          http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service ?? 'web', port: p.port ?? { number: 80 } } } })) },
        },
      ],
    },
  };
}

export function tlsSecret(namespace: string, name: string, crt: string, key: string, type = 'kubernetes.io/tls'): Manifest {
  return { kind: 'Secret', metadata: { name, namespace }, type, stringData: { 'tls.crt': crt, 'tls.key': key } };
}

export function lbService(
  namespace: string,
  name: string,
  ports: { port: number; protocol?: string; name?: string; nodePort?: number }[],
  extra: { spec?: Record<string, unknown>; annotations?: Record<string, string> } = {},
): Manifest {
  return {
    kind: 'Service',
    metadata: { name, namespace, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { type: 'LoadBalancer', ports: ports.map((p, i) => ({ name: p.name ?? `p${i}`, port: p.port, protocol: p.protocol ?? 'TCP', ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })), ...extra.spec },
  };
}

/** A case whose subject is its last object. */
export function kase(id: string, category: BadCase['category'], expect: BadCase['expect'], note: string, objects: Manifest[]): BadCase {
  const s = objects[objects.length - 1]!;
  if (s.kind === 'Secret') throw new Error(`${id}: a Secret cannot be the subject`);
  return { id, category, expect, note, objects, subject: { kind: s.kind, namespace: s.metadata.namespace, name: s.metadata.name } };
}

/** The names the context's certificate must cover (the test's CA issues it). */
export function sans(base: { teams: readonly string[]; domain: string }): string[] {
  return [...base.teams.map((_t, i) => `*.t${i}.${base.domain}`), `*.x.${base.domain}`, ...base.teams.map((t) => `${t}-lb-5`)];
}

/** A DNS label of exactly `n` characters from `seed` text. */
export const labelOf = (seed: string, n: number): string => (seed + 'a'.repeat(n)).slice(0, n);
