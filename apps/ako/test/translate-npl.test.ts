/**
 * NodePortLocal (serviceType NodePortLocal): pool servers come from the backend Pods' `nodeportlocal.antrea.io`
 * annotation, a JSON list of {podPort, nodeIP, nodePort, protocol} (format from the Antrea NodePortLocal docs), for
 * the Pods behind the Service's ready endpoints at the target port. Hand-written Pods and EndpointSlices.
 */
import { DEFAULT_AKO_CONFIG, translate, type Snapshot } from '../src/index.js';

const npl = (entries: unknown[]) => ({ 'nodeportlocal.antrea.io': JSON.stringify(entries) });
const pod = (name: string, annotations: Record<string, string>) => ({ metadata: { name, namespace: 'web', annotations } });

const snapshot: Snapshot = {
  services: [{ metadata: { name: 'app', namespace: 'web' }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } }],
  endpointSlices: [
    {
      metadata: { name: 'app-1', namespace: 'web', labels: { 'kubernetes.io/service-name': 'app' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'app-a', namespace: 'web' } },
        { addresses: ['10.244.2.6'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'app-b', namespace: 'web' } },
        { addresses: ['10.244.2.7'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'app-c', namespace: 'web' } },
        { addresses: ['10.244.2.8'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'app-bad', namespace: 'web' } },
      ],
    },
  ],
  ingresses: [
    {
      metadata: { name: 'app', namespace: 'web' },
      spec: { ingressClassName: 'avi', rules: [{ host: 'npl.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] },
    },
  ],
  ingressClasses: [{ metadata: { name: 'avi' }, spec: { controller: 'ako.vmware.com/avi-lb' } }],
  secrets: [],
  nodes: [],
  namespaces: [{ metadata: { name: 'web' } }],
  pods: [
    pod('app-a', npl([{ podPort: 8080, nodeIP: '192.168.1.10', nodePort: 61001, protocol: 'tcp', protocols: ['tcp'] }, { podPort: 9090, nodeIP: '192.168.1.10', nodePort: 61002, protocol: 'tcp' }])),
    pod('app-b', npl([{ podPort: 8080, nodeIP: '192.168.1.11', nodePort: 61000, protocol: 'tcp', protocols: ['tcp'] }])),
    pod('app-c', npl([{ podPort: 8080, nodeIP: '192.168.1.11', nodePort: 61003, protocol: 'tcp' }])),
    pod('app-bad', { 'nodeportlocal.antrea.io': 'not json' }),
  ],
};

test('NPL pool servers: nodeIP:nodePort of the ready Pods for the target port; not-ready and malformed Pods give none', () => {
  const config = { ...DEFAULT_AKO_CONFIG, clusterName: 'npl', serviceType: 'NodePortLocal' as const };
  const pools = translate(snapshot, config).objects.filter((o) => o.type === 'pool');
  expect(pools.map((p) => p.name)).toEqual(['npl--npl.example.com_-web-app']);
  expect(pools[0]!.body.servers).toEqual([
    { external_uuid: '192.168.1.10:61001', ip: { addr: '192.168.1.10', type: 'V4' }, port: 61001 },
    { external_uuid: '192.168.1.11:61000', ip: { addr: '192.168.1.11', type: 'V4' }, port: 61000 },
  ]);
});

test('without the annotation (Antrea not yet done), the pool has no servers', () => {
  const config = { ...DEFAULT_AKO_CONFIG, clusterName: 'npl', serviceType: 'NodePortLocal' as const };
  const pools = translate({ ...snapshot, pods: [] }, config).objects.filter((o) => o.type === 'pool');
  expect(pools[0]!.body.servers).toBeUndefined();
});

test('an NPL entry serves only its protocol: Antrea >= 1.7 gives the TCP and UDP of one pod port separate node ports (and < 2.0 a protocols list)', () => {
  const config = { ...DEFAULT_AKO_CONFIG, clusterName: 'npl', serviceType: 'NodePortLocal' as const };
  const dns: Snapshot = {
    ...snapshot,
    ingresses: [],
    services: [{ metadata: { name: 'dns', namespace: 'web' }, spec: { type: 'LoadBalancer', ports: [{ name: 'dns', port: 53, targetPort: 8053 as never, protocol: 'TCP' }] } }],
    endpointSlices: [
      {
        metadata: { name: 'dns-1', namespace: 'web', labels: { 'kubernetes.io/service-name': 'dns' } },
        addressType: 'IPv4',
        ports: [{ name: 'dns', port: 8053, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'dns-a', namespace: 'web' } },
          { addresses: ['10.244.1.6'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'dns-b', namespace: 'web' } },
        ],
      },
    ],
    pods: [
      pod('dns-a', npl([{ podPort: 8053, nodeIP: '192.168.1.10', nodePort: 61004, protocol: 'udp' }, { podPort: 8053, nodeIP: '192.168.1.10', nodePort: 61005, protocol: 'tcp' }])),
      pod('dns-b', npl([{ podPort: 8053, nodeIP: '192.168.1.11', nodePort: 61006, protocols: ['udp'] }, { podPort: 8053, nodeIP: '192.168.1.11', nodePort: 61007, protocols: ['tcp'] }])),
    ],
  };
  const pools = translate(dns, config).objects.filter((o) => o.type === 'pool');
  expect(pools.map((p) => p.name)).toEqual(['npl--web-dns-TCP-53']);
  expect(pools[0]!.body.servers).toEqual([
    { external_uuid: '192.168.1.10:61005', ip: { addr: '192.168.1.10', type: 'V4' }, port: 61005 },
    { external_uuid: '192.168.1.11:61007', ip: { addr: '192.168.1.11', type: 'V4' }, port: 61007 },
  ]);
});
