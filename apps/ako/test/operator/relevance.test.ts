import type * as k8s from '@kubernetes/client-node';
import { translateView } from '../../src/operator/relevance.js';

// The view is the text whose digest the Store compares: each object with its keys sorted, undefined members dropped,
// Dates as their JSON text (the expected texts are written by hand).
const svc = (spec: Record<string, unknown>, annotations?: Record<string, string>): k8s.KubernetesObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', resourceVersion: '7', ...(annotations ? { annotations } : {}) }, spec }) as k8s.KubernetesObject;

describe('translateView', () => {
  it.each<[string, string, k8s.KubernetesObject, string]>([
    ['keys sorted at every level', 'Service', svc({ type: 'LoadBalancer', ports: [{ port: 80, name: 'http' }] }), '[{"a":{},"n":"web","ns":"ns"},{"ports":[{"name":"http","port":80}],"type":"LoadBalancer"}]'],
    ['undefined members dropped, null kept', 'Service', svc({ type: 'LoadBalancer', selector: undefined, ip: null }), '[{"a":{},"n":"web","ns":"ns"},{"ip":null,"type":"LoadBalancer"}]'],
    [
      'only the annotations translate reads, not the status ones',
      'Service',
      svc({}, { 'ako.vmware.com/enable-shared-vip': 's', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'ako.vmware.com/host-fqdn-vs-uuid-map': '{}' }),
      '[{"a":{"ako.vmware.com/enable-shared-vip":"s"},"n":"web","ns":"ns"},{}]',
    ],
    ['escapes and non-ASCII as JSON.stringify', 'Service', svc({ 'x"y': 'é\n', b: [undefined, 'z'] }), '[{"a":{},"n":"web","ns":"ns"},{"b":[null,"z"],"x\\"y":"é\\n"}]'],
    [
      'a Date as its ISO text',
      'Secret',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, type: 'kubernetes.io/tls', data: { when: new Date(0) } } as unknown as k8s.KubernetesObject,
      '[{"a":{},"n":"s","ns":"ns"},"kubernetes.io/tls",{"when":"1970-01-01T00:00:00.000Z"}]',
    ],
    [
      'an EndpointSlice: labels, address type, ports, endpoints',
      'EndpointSlice',
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e', namespace: 'ns', labels: { z: '1', 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }] } as unknown as k8s.KubernetesObject,
      '[{"a":{},"n":"e","ns":"ns"},{"kubernetes.io/service-name":"web","z":"1"},"IPv4",[{"port":8080}],[{"addresses":["10.0.0.1"],"conditions":{"ready":true}}]]',
    ],
  ])('%s', (_name, kind, obj, text) => {
    expect(translateView(kind, obj)).toBe(text);
  });

  it('is the same for the same object with its keys in another order', () => {
    const a = svc({ type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, { 'ako.vmware.com/x': '1', 'ako.vmware.com/a': '2' });
    const b = svc({ ports: [{ protocol: 'TCP', port: 80 }], type: 'LoadBalancer' }, { 'ako.vmware.com/a': '2', 'ako.vmware.com/x': '1' });
    expect(translateView('Service', a)).toBe(translateView('Service', b));
  });
});
