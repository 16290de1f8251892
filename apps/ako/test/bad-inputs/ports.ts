/**
 * Ports: Ingress backends naming a port the Service lacks (by number and by name), port 0 / 65536 / negative, a
 * missing Service, an ExternalName Service, a ClusterIP Service (no node port in NodePort mode); LoadBalancer
 * Services with ports 0 and 65536, duplicate ports, no ports, TCP+UDP on one port, SCTP, a nodePort out of range,
 * externalTrafficPolicy Local. Pure.
 */
import { ingress, kase, lbService } from './make.js';
import type { Rng } from './rng.js';
import type { BadCase, CorpusContext, Manifest } from './types.js';

export function portCases(ctx: CorpusContext, r: Rng): BadCase[] {
  const out: BadCase[] = [];
  ctx.teams.forEach((ns, i) => {
    const host = (k: string) => `port-${k}.t${i}.${ctx.domain}`;
    const ing = (k: string, expect: BadCase['expect'], note: string, port: { number?: number; name?: string }, service = 'web', before: Manifest[] = []) =>
      out.push(kase(`port-${k}-${i}`, 'port', expect, note, [...before, ingress(ctx, ns, `port-${k}`, host(k), [{ path: '/', service, port }])]));
    ing('absent', 'warning', 'backend port number the Service does not have', { number: 81 + r.int(100) });
    ing('named', 'warning', 'backend port name the Service does not have', { name: `nope${r.label(2)}` });
    ing('http', 'visible', 'backend port by its existing name', { name: 'http' });
    ing('zero', 'visible', 'backend port 0', { number: 0 });
    ing('big', 'visible', 'backend port 65536', { number: 65536 });
    ing('neg', 'visible', 'backend port -1', { number: -1 });
    ing('none', 'visible', 'backend with no port', {});
    ing('nosvc', 'warning', 'backend Service that does not exist', { number: 80 }, `ghost-${r.label(4)}`);
    ing('extname', 'warning', 'backend Service of type ExternalName', { number: 80 }, 'ext', [
      { kind: 'Service', metadata: { name: 'ext', namespace: ns }, spec: { type: 'ExternalName', externalName: 'db.example.org', ports: [{ name: 'http', port: 80 }] } },
    ]);
    ing('clusterip', 'warning', 'backend ClusterIP Service (no node port in NodePort mode)', { number: 80 }, 'cip', [
      { kind: 'Service', metadata: { name: 'cip', namespace: ns }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] } },
    ]);
  });
  const ns = ctx.misc;
  const lb = (k: string, expect: BadCase['expect'], note: string, m: Manifest) => out.push(kase(`lbport-${k}`, 'port', expect, note, [m]));
  lb('zero', 'visible', 'LoadBalancer port 0', lbService(ns, 'lbport-zero', [{ port: 0 }]));
  lb('big', 'visible', 'LoadBalancer port 65536', lbService(ns, 'lbport-big', [{ port: 65536 }]));
  lb('dup', 'visible', 'LoadBalancer port twice', lbService(ns, 'lbport-dup', [{ port: 9100 }, { port: 9100 }]));
  lb('none', 'visible', 'LoadBalancer without ports', { kind: 'Service', metadata: { name: 'lbport-none', namespace: ns }, spec: { type: 'LoadBalancer', ports: [] } });
  lb('tcpudp', 'visible', 'TCP and UDP on one port', lbService(ns, 'lbport-tcpudp', [{ port: 9101 }, { port: 9101, protocol: 'UDP' }]));
  lb('sctp', 'visible', 'SCTP port', lbService(ns, 'lbport-sctp', [{ port: 9102, protocol: 'SCTP' }]));
  lb('nodeport', 'visible', 'nodePort out of range', lbService(ns, 'lbport-nodeport', [{ port: 9103, nodePort: 80 }]));
  lb('local', 'warning', 'externalTrafficPolicy Local and no endpoints', lbService(ns, 'lbport-local', [{ port: 9104 }], { spec: { externalTrafficPolicy: 'Local' } }));
  lb('many', 'visible', '20 ports on one Service', lbService(ns, 'lbport-many', Array.from({ length: 20 }, (_x, k) => ({ port: 9200 + k }))));
  lb('noname', 'visible', 'two ports, one without a name', {
    kind: 'Service',
    metadata: { name: 'lbport-noname', namespace: ns },
    spec: { type: 'LoadBalancer', ports: [{ port: 9105 }, { port: 9106 }] },
  });
  return out;
}
