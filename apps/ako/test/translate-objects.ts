/** Small builders of Kubernetes inputs for hand-written translate tests (names-safety, host-ownership). */
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { DEFAULT_AKO_CONFIG, translate, type AkoConfig } from '../src/index.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

export const CONFIG: AkoConfig = { ...DEFAULT_AKO_CONFIG, clusterName: 'c', shardVSSize: 'SMALL', autoFQDN: 'disabled', vipNetworkList: [{ networkName: 'vip-net' }] };

export const ingressClass: K8sObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } as K8sObject['metadata'],
  spec: { controller: 'ako.vmware.com/avi-lb' },
};

const day = (d: number): string => new Date(Date.UTC(2026, 0, d)).toISOString();

/** A ClusterIP Service `name` (port 80 -> 8080) with one ready endpoint at `ip`. */
export function backend(namespace: string, name: string, ip: string): K8sObject[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace, name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } } as K8sObject['metadata'],
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    },
  ];
}

/** A LoadBalancer Service created on day `created` of January 2026. */
export function lbService(namespace: string, name: string, created: number, annotations: Record<string, string> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, creationTimestamp: day(created), annotations } as K8sObject['metadata'],
    spec: { type: 'LoadBalancer', ports: [{ name: 'tcp', port: 80, protocol: 'TCP', targetPort: 8080 }] },
  };
}

export interface Rule {
  host: string;
  paths: { path: string; service: string; pathType?: string }[];
}

/** An Ingress created on day `created` of January 2026, TLS for `tls` hosts with Secret `secret`. */
export function ingress(namespace: string, name: string, created: number, rules: Rule[], tls?: { hosts: string[]; secret: string }): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace, name, creationTimestamp: day(created) } as K8sObject['metadata'],
    spec: {
      ...(tls ? { tls: [{ hosts: tls.hosts, secretName: tls.secret }] } : {}),
      rules: rules.map((r) => ({
        host: r.host,
        http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service, port: { number: 80 } } } })) },
      })),
    },
  };
}

/** A kubernetes.io/tls Secret with a certificate for `hosts` from a CA of its own. */
export async function tlsSecret(namespace: string, name: string, hosts: string[]): Promise<K8sObject & { pem: string }> {
  const ca = await createCA(`${name}-ca`);
  const cert = await issueCertificate(ca, { commonName: hosts[0]!, dnsNames: hosts, usage: 'server' });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert.certPem), 'tls.key': b64(cert.keyPem) }, pem: cert.certPem };
}

export const run = (objects: readonly K8sObject[], config: AkoConfig = CONFIG) => translate(snapshotOf(objects), config);
export type Result = ReturnType<typeof run>;

export const names = (r: Result, type: string): string[] => r.objects.filter((o) => o.type === type).map((o) => o.name);
export const body = (r: Result, type: string, name: string): Record<string, unknown> | undefined => r.objects.find((o) => o.type === type && o.name === name)?.body;
export const verdictOf = (r: Result, kind: string, namespace: string, name: string) => r.verdicts.find((v) => v.kind === kind && v.namespace === namespace && v.name === name);
