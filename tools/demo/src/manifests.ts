// The sample workload the demo applies: LoadBalancer Services and Ingresses whose endpoints are local backends.
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { echoDeployment } from '@avi-k8s/testbed';
import type { Backend } from './backends.js';

export const APP_NAMESPACE = 'demo';

/** The label AMKO's GlobalDeploymentPolicy selects: the Ingresses that go global. */
export const GLOBAL_LABEL = { app: 'gslb' };

export interface Sample {
  kind: 'Service' | 'Ingress';
  name: string;
  /** For Ingresses: the hosts. */
  hosts: string[];
}

/** A Node whose InternalIP is on loopback: in NodePort mode AKO sends traffic to nodeIP:nodePort, where a local
 * backend listens (EndpointSlices cannot hold loopback addresses, so pods cannot stand in that way). */
export const NODE_IP = '127.0.0.1';

async function node(core: k8s.CoreV1Api, name: string) {
  await core.createNode({ body: { metadata: { name, labels: { 'kubernetes.io/hostname': name } } } });
  await core.patchNodeStatus(
    { name, body: { status: { addresses: [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

/** Creates the Service on NODE_PORT (explicit: several clusters' backends share 127.0.0.1). */
async function service(core: k8s.CoreV1Api, name: string, type: 'LoadBalancer' | 'NodePort', nodePort: number, targetPort?: number): Promise<void> {
  await core.createNamespacedService({
    namespace: APP_NAMESPACE,
    body: { metadata: { name }, spec: { type, selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort, ...(targetPort ? { targetPort } : {}) }] } },
  });
}

/** The echo image's Deployment NAME (2 replicas): with `--node`, the backends are real Pods. */
async function deployment(kc: k8s.KubeConfig, name: string): Promise<void> {
  await kc.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({ namespace: APP_NAMESPACE, body: echoDeployment(name) });
}

/** Applies the samples, starting one backend per Service on its node port (web, shop, pay: NODE_PORTS in that
 * order), or with a real node (BACKENDS = 'pods') a Deployment of the echo image per Service; returns what AKO should
 * pick up. The Ingresses carry GLOBAL_LABEL. */
export async function applySamples(
  kc: k8s.KubeConfig,
  nodePorts: number[],
  startBackend: (name: string, port: number) => Promise<Backend>,
  backends: 'local' | 'pods' = 'local',
): Promise<Sample[]> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const networking = kc.makeApiClient(k8s.NetworkingV1Api);
  await core.createNamespace({ body: { metadata: { name: APP_NAMESPACE } } });
  if (backends === 'local') await node(core, 'demo-node-1');
  for (const [i, [name, type]] of ([['web', 'LoadBalancer'], ['shop', 'NodePort'], ['pay', 'NodePort']] as const).entries()) {
    await service(core, name, type, nodePorts[i]!, backends === 'pods' ? 8080 : undefined);
    if (backends === 'local') await startBackend(name, nodePorts[i]!);
    else await deployment(kc, name);
  }

  const ca = await createCA('demo-ca');
  const cert = await issueCertificate(ca, { commonName: 'pay.demo.example.com', dnsNames: ['pay.demo.example.com'], usage: 'server' });
  await core.createNamespacedSecret({
    namespace: APP_NAMESPACE,
    body: { metadata: { name: 'pay-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } },
  });
  const rule = (host: string, svc: string): k8s.V1IngressRule => ({
    host,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] },
  });
  await networking.createNamespacedIngress({
    namespace: APP_NAMESPACE,
    body: { metadata: { name: 'shop', labels: GLOBAL_LABEL }, spec: { ingressClassName: 'avi-lb', rules: [rule('shop.demo.example.com', 'shop')] } },
  });
  await networking.createNamespacedIngress({
    namespace: APP_NAMESPACE,
    body: {
      metadata: { name: 'pay', labels: GLOBAL_LABEL },
      spec: { ingressClassName: 'avi-lb', tls: [{ hosts: ['pay.demo.example.com'], secretName: 'pay-tls' }], rules: [rule('pay.demo.example.com', 'pay')] },
    },
  });
  return [
    { kind: 'Service', name: 'web', hosts: [] },
    { kind: 'Ingress', name: 'shop', hosts: ['shop.demo.example.com'] },
    { kind: 'Ingress', name: 'pay', hosts: ['pay.demo.example.com'] },
  ];
}

/** IngressClass avi-lb (the chart installs it; AKO's primary instance creates it in the Go AKO). */
export async function applyIngressClass(kc: k8s.KubeConfig): Promise<void> {
  await kc.makeApiClient(k8s.NetworkingV1Api).createIngressClass({
    body: { metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ako.vmware.com/avi-lb' } },
  });
}
