// Shared set-up for AKO's end-to-end tests: a real kube-apiserver (kube-local), the avi-controller process over
// HTTPS, and AKO itself started in-process exactly as its CLI starts it.
import * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import { createLogger } from '@avi-k8s/kube';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import {
  akoValuesYaml,
  controllerWrites as testbedControllerWrites,
  createAviSecret,
  dnsDomainsSeed,
  eventually,
  startControllerProcess,
  writeSeedFile,
  writeValuesFile,
  type ControllerProcess,
} from '@avi-k8s/testbed';
import { startAko, type AkoHandle } from '../../src/operator/run.js';
import { configMapDataFromValues, valuesSchema } from '../../src/config/values.js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { parse as parseYaml } from 'yaml';

export interface Harness {
  cluster: TestCluster;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  discovery: k8s.DiscoveryV1Api;
  networking: k8s.NetworkingV1Api;
  ctl: ControllerProcess;
  avi: AviClient;
  akoNamespace: string;
  clusterName: string;
  valuesFile: string;
  /** A namespace this AKO syncs: other tests' AKOs on the same cluster ignore it (AKOSettings.namespaceSelector). */
  appNamespace(prefix: string): Promise<string>;
  start(overrides?: Record<string, Record<string, unknown>>, source?: 'values' | 'configmap'): Promise<AkoHandle>;
  close(): Promise<void>;
}

/** `kubeCluster`: the kube-local test cluster (tests that create Nodes use their own, so others' AKOs never see them). */
export async function harness(prefix: string, kubeCluster = 'c1', controllerArgs: string[] = []): Promise<Harness> {
  const cluster = await testCluster(kubeCluster);
  const kc = cluster.kubeConfig();
  // The tests' Ingress hosts are under example.com: a DNS sub-domain of the cloud, or AKO would not serve them.
  const ctl = await startControllerProcess({ args: ['--seed', writeSeedFile([dnsDomainsSeed(['example.com'])]), ...controllerArgs] });
  const akoNamespace = await cluster.newNamespace(`${prefix}-avi`);
  await createAviSecret(kc, akoNamespace, ctl);
  const akoCluster = akoNamespace.replace(/[^a-z0-9-]/g, '');
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  const running: AkoHandle[] = [];
  // Several tests run AKO on the same cluster at once: each syncs only the namespaces labelled for it.
  const selector = { AKOSettings: { clusterName: akoCluster, logLevel: 'INFO', fullSyncFrequency: '0', namespaceSelector: { labelKey: 'ako-test', labelValue: akoCluster } } };
  const values = (overrides: Record<string, Record<string, unknown>> = {}) =>
    akoValuesYaml(ctl.url, akoCluster, { ...overrides, AKOSettings: { ...selector.AKOSettings, ...(overrides.AKOSettings ?? {}) } });
  let valuesFile = writeValuesFile(values());
  return {
    cluster,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
    networking: kc.makeApiClient(k8s.NetworkingV1Api),
    ctl,
    avi,
    akoNamespace,
    clusterName: akoCluster,
    async appNamespace(prefix: string) {
      const ns = await cluster.newNamespace(prefix);
      await kc.makeApiClient(k8s.CoreV1Api).patchNamespace(
        { name: ns, body: { metadata: { labels: { 'ako-test': akoCluster } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      return ns;
    },
    get valuesFile() {
      return valuesFile;
    },
    async start(overrides, source = 'values') {
      if (overrides) valuesFile = writeValuesFile(values(overrides));
      if (source === 'configmap') {
        // As the Helm chart installs it: ConfigMap avi-k8s-config rendered from the values.
        const data = configMapDataFromValues(valuesSchema.parse(parseYaml(readFileSync(valuesFile, 'utf8'))));
        const core = kc.makeApiClient(k8s.CoreV1Api);
        await core.deleteNamespacedConfigMap({ name: 'avi-k8s-config', namespace: akoNamespace }).catch(() => undefined);
        await core.createNamespacedConfigMap({ namespace: akoNamespace, body: { metadata: { name: 'avi-k8s-config' }, data } });
      }
      const ako = await startAko({
        kubeConfig: kc,
        namespace: akoNamespace,
        ...(source === 'values' ? { valuesFile } : {}),
        apiPort: 0,
        apiHost: '127.0.0.1',
        verifyIncremental: true,
        logger: createLogger({ component: 'ako', level: 'debug', silent: !process.env.AKO_TEST_LOGS }),
      });
      running.push(ako);
      return ako;
    },
    async close() {
      for (const a of running) await a.stop();
      await avi.close();
      await ctl.stop();
    },
  };
}

/** A LoadBalancer Service and the EndpointSlice a kubelet would make for it (there is no kubelet here). */
export async function createLbService(h: Harness, ns: string, name: string, ports: { port: number; targetPort: number; protocol?: string }[], endpoints: string[], extra: Partial<k8s.V1ServiceSpec> = {}, annotations: Record<string, string> = {}) {
  const svc = await h.core.createNamespacedService({
    namespace: ns,
    body: {
      metadata: { name, annotations },
      spec: { type: 'LoadBalancer', ports: ports.map((p) => ({ name: `p${p.port}`, port: p.port, targetPort: p.targetPort, protocol: p.protocol ?? 'TCP' })), ...extra },
    },
  });
  await h.discovery.createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: `${name}-abc`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: ports.map((p) => ({ name: `p${p.port}`, port: p.targetPort, protocol: p.protocol ?? 'TCP' })),
      endpoints: endpoints.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    },
  });
  return svc;
}

/** How many object writes the controller has answered (from its /metrics). */
/** A TLS Ingress (class avi-lb) for one host, `/` to Service `web` port 80, with a Secret from a CA of its own. */
export async function createSecureIngress(h: Harness, ns: string, name: string, host: string): Promise<void> {
  const ca = await createCA(`${name}-ca`);
  const cert = await issueCertificate(ca, { commonName: host, dnsNames: [host], usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: `${name}-tls` }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        ingressClassName: 'avi-lb',
        tls: [{ hosts: [host], secretName: `${name}-tls` }],
        rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    },
  });
}

export const controllerWrites = (h: Pick<Harness, 'ctl'>) => testbedControllerWrites(h.ctl);
export { eventually };

/**
 * An HTTP server on a free node port of 127.0.0.1 answering `answer`, and its Service (NodePort unless said) on that
 * port: the apiserver refuses loopback endpoints, so traffic tests run AKO in NodePort mode with a Node on 127.0.0.1.
 * The server goes into `servers` (closed by the test).
 */
export async function nodePortBackend(
  h: Pick<Harness, 'core'>,
  servers: Server[],
  svc: { namespace: string; name: string; type?: 'NodePort' | 'LoadBalancer'; port?: number; annotations?: Record<string, string> },
  answer: string = svc.name,
): Promise<void> {
  for (let port = 30000 + Math.floor(Math.random() * 2500); port < 32767; port++) {
    const s = createServer((_req, res) => res.end(answer));
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.listen({ port, host: '127.0.0.1', exclusive: true }, () => r(true));
    });
    if (!ok) continue;
    try {
      await h.core.createNamespacedService({
        namespace: svc.namespace,
        body: {
          metadata: { name: svc.name, ...(svc.annotations ? { annotations: svc.annotations } : {}) },
          spec: { type: svc.type ?? 'NodePort', ports: [{ name: 'http', port: svc.port ?? 80, nodePort: port }] },
        },
      });
      servers.push(s);
      return;
    } catch {
      s.close(); // nodePort taken in the cluster: try the next one
    }
  }
  throw new Error('no free node port');
}
