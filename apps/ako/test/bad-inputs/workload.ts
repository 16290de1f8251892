/**
 * The valid multi-namespace workload the corpus is mixed into: 5 teams, each with two plain Ingresses, one TLS
 * Ingress and two LoadBalancer Services; team 0 also has the TLS Ingress `x` on `a-b.t0.<domain>` (the older side of
 * an Avi-name collision), team 1 a shared-VIP pair. Backends are NodePort Services (the test runs an HTTP server on
 * each node port that answers with the backend's name). Pure.
 */
import type { Manifest } from './types.js';

export interface Backend {
  namespace: string;
  /** Service name; the HTTP server answers `<team tag>-<name>` */
  name: string;
  type: 'NodePort' | 'LoadBalancer';
  port: number;
  annotations?: Record<string, string>;
}

export interface ValidHost {
  namespace: string;
  ingress: string;
  host: string;
  tls: boolean;
  /** request path -> backend answer (`<tag>-<svc>`) */
  answers: Record<string, string>;
}

export interface Workload {
  backends: Backend[];
  /** Ingresses and TLS Secrets (the Secrets' PEMs come from the test's CA: `cert`) */
  objects: Manifest[];
  hosts: ValidHost[];
  /** LoadBalancer Services: namespace/name -> port -> answer */
  lbServices: { namespace: string; name: string; port: number; answer: string }[];
}

export const tag = (i: number): string => `t${i}`;

const path = (p: string, pathType: string, svc: string) => ({ path: p, pathType, backend: { service: { name: svc, port: { number: 80 } } } });

export function workload(teams: readonly string[], domain: string, ingressClass: string, cert: { crt: string; key: string }): Workload {
  const backends: Backend[] = [];
  const objects: Manifest[] = [];
  const hosts: ValidHost[] = [];
  const lbServices: Workload['lbServices'] = [];
  teams.forEach((ns, i) => {
    const t = tag(i);
    backends.push({ namespace: ns, name: 'web', type: 'NodePort', port: 80 }, { namespace: ns, name: 'api', type: 'NodePort', port: 80 });
    const ing = (name: string, host: string, paths: ReturnType<typeof path>[], secret?: string): Manifest => ({
      kind: 'Ingress',
      metadata: { name, namespace: ns },
      spec: { ingressClassName: ingressClass, ...(secret ? { tls: [{ hosts: [host], secretName: secret }] } : {}), rules: [{ host, http: { paths } }] },
    });
    const site = `site.${t}.${domain}`;
    const www = `www.${t}.${domain}`;
    const shop = `shop.${t}.${domain}`;
    objects.push(ing('site', site, [path('/', 'Prefix', 'web'), path('/api', 'Prefix', 'api'), path('/a/b', 'Prefix', 'api')]));
    hosts.push({ namespace: ns, ingress: 'site', host: site, tls: false, answers: { '/': `${t}-web`, '/api/v1': `${t}-api`, '/a/b': `${t}-api`, '/a_b': `${t}-web` } });
    objects.push(ing('www', www, [path('/', 'Prefix', 'api'), path('/x', 'Exact', 'web')]));
    hosts.push({ namespace: ns, ingress: 'www', host: www, tls: false, answers: { '/': `${t}-api`, '/x': `${t}-web`, '/x/y': `${t}-api` } });
    objects.push({ kind: 'Secret', metadata: { name: 'shop-tls', namespace: ns }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.crt, 'tls.key': cert.key } });
    objects.push(ing('shop', shop, [path('/', 'Prefix', 'web'), path('/cart', 'Prefix', 'api')], 'shop-tls'));
    hosts.push({ namespace: ns, ingress: 'shop', host: shop, tls: true, answers: { '/': `${t}-web`, '/cart': `${t}-api` } });
    if (i === 0) {
      const ab = `a-b.${t}.${domain}`;
      objects.push(ing('x', ab, [path('/', 'Prefix', 'api')], 'shop-tls'));
      hosts.push({ namespace: ns, ingress: 'x', host: ab, tls: true, answers: { '/': `${t}-api` } });
    }
    for (const [name, port] of [['lb-5', 80], ['lb-6', 8080]] as const) {
      backends.push({ namespace: ns, name, type: 'LoadBalancer', port });
      lbServices.push({ namespace: ns, name, port, answer: `${t}-${name}` });
    }
    if (i === 1) {
      for (const [name, port] of [['sv-a', 8081], ['sv-b', 8082]] as const) {
        backends.push({ namespace: ns, name, type: 'LoadBalancer', port, annotations: { 'ako.vmware.com/enable-shared-vip': 'grp' } });
        lbServices.push({ namespace: ns, name, port, answer: `${t}-${name}` });
      }
    }
  });
  return { backends, objects, hosts, lbServices };
}
