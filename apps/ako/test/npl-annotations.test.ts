/**
 * Which Services AKO annotates `nodeportlocal.antrea.io/enabled: "true"` in NodePortLocal mode, and which patches
 * bring them there (src/operator/npl-annotations.ts). Hand-written cases from the Go AKO 2.2.1's rules: LoadBalancer
 * Services it serves and backends of the Ingresses it serves (IngressClass check), not NodePort Services, only
 * synced namespaces; env AUTO_ANNOTATE_SERVICE "false" in any case turns it off. End to end:
 * test/e2e/npl-annotations.test.ts.
 */
import type * as k8s from '@kubernetes/client-node';
import { DEFAULT_AKO_CONFIG } from '../src/index.js';
import { nplAutoAnnotate, nplChanges, nplNeeds, type NplInput } from '../src/operator/npl-annotations.js';

const KEY = 'nodeportlocal.antrea.io/enabled';
const config = { ...DEFAULT_AKO_CONFIG, clusterName: 'npl', serviceType: 'NodePortLocal' as const };

const svc = (ns: string, name: string, type: string, extra: Partial<k8s.V1ServiceSpec> = {}, annotations?: Record<string, string>): k8s.V1Service => ({
  metadata: { namespace: ns, name, ...(annotations ? { annotations } : {}) },
  spec: { type, ports: [{ port: 80 }], ...extra },
});
const ing = (ns: string, name: string, cls: string | undefined, backends: string[], defaultBackend?: string): k8s.V1Ingress => ({
  metadata: { namespace: ns, name },
  spec: {
    ...(cls ? { ingressClassName: cls } : {}),
    ...(defaultBackend ? { defaultBackend: { service: { name: defaultBackend, port: { number: 80 } } } } : {}),
    rules: [{ host: `${name}.example.com`, http: { paths: backends.map((b) => ({ path: `/${b}`, pathType: 'Prefix', backend: { service: { name: b, port: { number: 80 } } } })) } }],
  },
});
const aviClass: k8s.V1IngressClass = { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } };
const otherClass: k8s.V1IngressClass = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };

const input: NplInput = {
  services: [
    svc('a', 'lb', 'LoadBalancer'),
    svc('a', 'lb-class', 'LoadBalancer', { loadBalancerClass: 'other.io/lb' }),
    svc('a', 'lb-avi-class', 'LoadBalancer', { loadBalancerClass: 'ako.vmware.com/avi-lb' }),
    svc('a', 'web', 'ClusterIP'),
    svc('a', 'dflt', 'ClusterIP'),
    svc('a', 'np', 'NodePort'),
    svc('a', 'nginx-backend', 'ClusterIP'),
    svc('a', 'idle', 'ClusterIP'),
    svc('blocked', 'lb', 'LoadBalancer'),
  ],
  ingresses: [ing('a', 'shop', 'avi-lb', ['web', 'np', 'missing'], 'dflt'), ing('a', 'other', 'nginx', ['nginx-backend'])],
  ingressClasses: [aviClass, otherClass],
  namespaces: [{ metadata: { name: 'a' } }, { metadata: { name: 'blocked' } }],
};

test('the switch: NodePortLocal mode unless AUTO_ANNOTATE_SERVICE is "false" in any case', () => {
  expect(nplAutoAnnotate('NodePortLocal', {})).toBe(true);
  expect(nplAutoAnnotate('NodePortLocal', { AUTO_ANNOTATE_SERVICE: 'true' })).toBe(true);
  expect(nplAutoAnnotate('NodePortLocal', { AUTO_ANNOTATE_SERVICE: 'no' })).toBe(true);
  expect(nplAutoAnnotate('NodePortLocal', { AUTO_ANNOTATE_SERVICE: 'False' })).toBe(false);
  expect(nplAutoAnnotate('NodePortLocal', { AUTO_ANNOTATE_SERVICE: 'false' })).toBe(false);
  expect(nplAutoAnnotate('ClusterIP', {})).toBe(false);
  expect(nplAutoAnnotate('NodePort', {})).toBe(false);
});

test('needed: served LoadBalancer Services and served Ingress backends (rules and defaultBackend), never NodePort; blocked namespaces out', () => {
  const { needed, nodePort, synced } = nplNeeds(input, { ...config, blockedNamespaces: ['blocked'] });
  expect([...needed].sort()).toEqual(['a/dflt', 'a/lb', 'a/lb-avi-class', 'a/web']);
  expect([...nodePort]).toEqual(['a/np']);
  expect(synced('a')).toBe(true);
  expect(synced('blocked')).toBe(false);
});

test('layer7Only: LoadBalancer Services are not served, Ingress backends still are', () => {
  expect([...nplNeeds(input, { ...config, layer7Only: true }).needed].sort()).toEqual(['a/dflt', 'a/web']);
});

test('an Ingress without a class is served only when the avi-lb class is the default', () => {
  const noClass = { ...input, ingresses: [ing('a', 'plain', undefined, ['web'])] };
  expect(nplNeeds(noClass, config).needed.has('a/web')).toBe(false);
  const dflt = { ...noClass, ingressClasses: [{ ...aviClass, metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } }] };
  expect(nplNeeds(dflt, config).needed.has('a/web')).toBe(true);
});

test('namespaceSelector: only labelled namespaces', () => {
  const sel = { ...config, namespaceSelector: { labelKey: 'team', labelValue: 'x' } };
  expect(nplNeeds(input, sel).needed.size).toBe(0);
  const labelled = { ...input, namespaces: [{ metadata: { name: 'a', labels: { team: 'x' } } }] };
  expect([...nplNeeds(labelled, sel).needed].sort()).toEqual(['a/dflt', 'a/lb', 'a/lb-avi-class', 'a/web']);
});

test('changes: add where not "true", remove only from removable Services that carry it, nothing when already right', () => {
  const services = [
    svc('a', 'new', 'ClusterIP'),
    svc('a', 'done', 'ClusterIP', {}, { [KEY]: 'true' }),
    svc('a', 'wrong', 'ClusterIP', {}, { [KEY]: 'false' }),
    svc('a', 'gone', 'ClusterIP', {}, { [KEY]: 'true' }),
    svc('a', 'hand', 'ClusterIP', {}, { [KEY]: 'true' }),
    svc('a', 'clean', 'ClusterIP'),
  ];
  const changes = nplChanges(services, new Set(['a/new', 'a/done', 'a/wrong']), new Set(['a/gone', 'a/clean']));
  expect(changes).toEqual([
    { key: 'a/gone', namespace: 'a', name: 'gone', value: null },
    { key: 'a/new', namespace: 'a', name: 'new', value: 'true' },
    { key: 'a/wrong', namespace: 'a', name: 'wrong', value: 'true' },
  ]);
  expect(nplChanges([svc('a', 'done', 'ClusterIP', {}, { [KEY]: 'true' })], new Set(['a/done']), new Set())).toEqual([]);
});
