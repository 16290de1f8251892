// AMKO fed by the real AKO: the built AKO CLI runs against member c2 (as tools/demo runs it), turns a LoadBalancer
// Service into a virtual service and writes its VIP, hostname and annotations; AMKO turns that into a GslbService
// whose member points at AKO's virtual service.
import type { ChildProcess } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { akoValuesYaml, createAviSecret, startCli, stopProcess, writeValuesFile } from '@avi-k8s/testbed';
import { applyGdp, createGslbConfig, eventually, gslbService, harness, type Harness } from './harness.js';

let h: Harness;
let ako: ChildProcess | undefined;

beforeAll(async () => {
  h = await harness('amko-ako');
}, 180000);

afterAll(async () => {
  await stopProcess(ako);
  await h?.close();
});

test('a LoadBalancer Service handled by AKO in a member becomes a GslbService member with its VS uuid', async () => {
  const c2 = h.members[0]!;
  const akoNs = await c2.cluster.newNamespace('amko-ako-avi');
  await createAviSecret(c2.kc, akoNs, h.ctl);
  const clusterName = akoNs.replace(/[^a-z0-9-]/g, '');
  // Only this suite's member namespace is AKO's business.
  const values = writeValuesFile(akoValuesYaml(h.ctl.url, clusterName, { AKOSettings: { namespaceSelector: { labelKey: 'amko-suite', labelValue: h.ns } } }));
  ako = startCli('ako', ['--kubeconfig', c2.cluster.kubeconfig, '--values', values, '--namespace', akoNs, '--api-port', '0']);

  await c2.kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({
    namespace: c2.ns,
    body: { metadata: { name: 'db', labels: { app: 'gslb' } }, spec: { type: 'LoadBalancer', ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] } },
  });
  const svc = await eventually(
    'AKO status and annotations',
    () => c2.kc.makeApiClient(k8s.CoreV1Api).readNamespacedService({ name: 'db', namespace: c2.ns }),
    (s) => !!s.status?.loadBalancer?.ingress?.[0]?.hostname && !!s.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map'],
    60000,
  );
  const fqdn = svc.status!.loadBalancer!.ingress![0]!.hostname!;
  const vip = svc.status!.loadBalancer!.ingress![0]!.ip!;
  const vsUuid = (JSON.parse(svc.metadata!.annotations!['ako.vmware.com/host-fqdn-vs-uuid-map']!) as Record<string, string>)[fqdn];

  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }] });
  const amko = await h.start();
  await amko.ready;
  const gs = await eventually('GslbService', () => gslbService(h, fqdn), (g) => g !== undefined);
  const member = ((gs!.groups as AviBody[])[0]!.members as AviBody[])[0]!;
  expect((member.ip as { addr: string }).addr).toBe(vip);
  expect(member.vs_uuid).toBe(vsUuid);
  const vs = (await h.avi.get('virtualservice', String(vsUuid))) as AviBody;
  expect(vs.uuid).toBe(vsUuid);
  expect(member.cluster_uuid).toBe(((await h.avi.getSingleton('cluster')) as AviBody).uuid);
});
