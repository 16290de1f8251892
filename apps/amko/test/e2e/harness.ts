// AMKO end to end: c1 is the leader cluster (AMKOCluster, GSLBConfig, GDP, Secrets in a fresh namespace), c2 and c3 are members
// (objects in fresh namespaces, labelled so that only this suite's objects are selected), the avi-controller runs
// as a separate process over HTTPS, and AMKO runs in-process exactly as its CLI starts it.
import * as k8s from '@kubernetes/client-node';
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createLogger, patchIngressLoadBalancer, patchServiceLoadBalancer } from '@avi-k8s/kube';
import { testCluster, type TestCluster } from '@avi-k8s/kube-local/testing';
import { controllerWrites as testbedControllerWrites, eventually, membersKubeconfig, startControllerProcess, type ControllerProcess } from '@avi-k8s/testbed';
import { startAmko, type AmkoHandle, type AmkoOptions } from '../../src/operator/run.js';

export const GROUP = 'amko.vmware.com';

export interface Member {
  name: 'c2' | 'c3';
  cluster: TestCluster;
  kc: k8s.KubeConfig;
  ns: string;
}

export interface Harness {
  leader: TestCluster;
  kc: k8s.KubeConfig;
  ns: string;
  /** Label every selected member namespace carries (unique per suite). */
  nsLabel: Record<string, string>;
  members: Member[];
  ctl: ControllerProcess;
  avi: AviClient;
  custom: k8s.CustomObjectsApi;
  core: k8s.CoreV1Api;
  start(extra?: Partial<AmkoOptions>): Promise<AmkoHandle>;
  close(): Promise<void>;
}

export { membersKubeconfig };

export async function setMembersSecret(h: Pick<Harness, 'core' | 'ns'>, text: string) {
  const body = { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': text } };
  await h.core.createNamespacedSecret({ namespace: h.ns, body }).catch(async (err: { code?: number }) => {
    if (err.code !== 409) throw err;
    await h.core.replaceNamespacedSecret({ name: 'gslb-config-secret', namespace: h.ns, body });
  });
}

/** The AMKOCluster every AMKO needs in its namespace (the chart's amkocluster-federation): created or replaced. */
export async function applyAmkoCluster(kc: k8s.KubeConfig, ns: string, spec: Record<string, unknown>, name = 'amkocluster-federation') {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const ref = { group: GROUP, version: 'v1alpha1', namespace: ns, plural: 'amkoclusters' };
  const body = { apiVersion: `${GROUP}/v1alpha1`, kind: 'AMKOCluster', metadata: { name }, spec };
  try {
    const cur = (await custom.getNamespacedCustomObject({ ...ref, name })) as { metadata: { resourceVersion: string } };
    await custom.replaceNamespacedCustomObject({ ...ref, name, body: { ...body, metadata: { name, resourceVersion: cur.metadata.resourceVersion } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    await custom.createNamespacedCustomObject({ ...ref, body });
  }
}

/** This AMKO leads and federates to no other cluster (clusters: just its own context). */
export const LEADER_ALONE = { isLeader: true, clusterContext: 'c1', version: '0.1.0', clusters: ['c1'] };

export async function harness(prefix: string, opts: { credentials?: boolean; amkoCluster?: Record<string, unknown> | false } = {}): Promise<Harness> {
  const leader = await testCluster('c1');
  const kc = leader.kubeConfig();
  await installCrds(kc, 'amko');
  const ns = await leader.newNamespace(prefix);
  const nsLabel = { 'amko-suite': ns };
  const members: Member[] = [];
  for (const name of ['c2', 'c3'] as const) {
    const cluster = await testCluster(name);
    const mkc = cluster.kubeConfig();
    const mns = await cluster.newNamespace(prefix);
    await mkc.makeApiClient(k8s.CoreV1Api).patchNamespace({ name: mns, body: { metadata: { labels: nsLabel } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    members.push({ name, cluster, kc: mkc, ns: mns });
  }
  if (opts.amkoCluster !== false) await applyAmkoCluster(kc, ns, opts.amkoCluster ?? LEADER_ALONE);
  const ctl = await startControllerProcess();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  if (opts.credentials !== false) await createCredentials(core, ns, ctl);
  await setMembersSecret({ core, ns }, membersKubeconfig(members));
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  const running: AmkoHandle[] = [];
  return {
    leader,
    kc,
    ns,
    nsLabel,
    members,
    ctl,
    avi,
    core,
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    async start(extra = {}) {
      const amko = await startAmko({
        kubeConfig: kc,
        namespace: ns,
        apiPort: 0,
        apiHost: '127.0.0.1',
        memberRetryBaseMs: 200,
        memberRetryMaxMs: 1000,
        memberProbeMs: 500,
        logger: createLogger({ component: 'amko', level: 'debug', silent: !process.env.AMKO_TEST_LOGS }),
        ...extra,
      });
      running.push(amko);
      return amko;
    },
    async close() {
      for (const a of running) await a.stop();
      await avi.close();
      await ctl.stop();
    },
  };
}

export async function createCredentials(core: k8s.CoreV1Api, ns: string, ctl: ControllerProcess) {
  await core.createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'gslb-avi-secret' }, stringData: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem } },
  });
}

export async function createGslbConfig(h: Harness, extra: Record<string, unknown> = {}) {
  await h.custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: h.ns,
    plural: 'gslbconfigs',
    body: {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'GSLBConfig',
      metadata: { name: 'gc-1' },
      spec: {
        gslbLeader: { credentials: 'gslb-avi-secret', controllerVersion: '30.2.1', controllerIP: h.ctl.url, tenant: 'admin' },
        memberClusters: [{ clusterContext: 'c2' }, { clusterContext: 'c3' }],
        refreshInterval: 1800,
        logLevel: 'DEBUG',
        ...extra,
      },
    },
  });
}

export async function applyGdp(h: Harness, spec: Record<string, unknown>, name = 'global-gdp') {
  const body = { apiVersion: `${GROUP}/v1alpha2`, kind: 'GlobalDeploymentPolicy', metadata: { name }, spec };
  try {
    const cur = (await h.custom.getNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', name })) as { metadata: { resourceVersion: string } };
    await h.custom.replaceNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', name, body: { ...body, metadata: { name, resourceVersion: cur.metadata.resourceVersion } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    await h.custom.createNamespacedCustomObject({ group: GROUP, version: 'v1alpha2', namespace: h.ns, plural: 'globaldeploymentpolicies', body });
  }
}

export async function getStatus(h: Harness, plural: string, version: string, name: string, ns = h.ns): Promise<Record<string, string>> {
  const obj = (await h.custom.getNamespacedCustomObject({ group: GROUP, version, namespace: ns, plural, name })) as { status?: Record<string, string> };
  return obj.status ?? {};
}

/** An Ingress in a member as AKO would leave it: VIP + hostname in status, the VS identity in annotations. */
export async function createMemberIngress(m: Member, name: string, host: string, ip: string, labels: Record<string, string> = { app: 'gslb' }, vsUuid = `virtualservice-${m.name}-${name}`) {
  await m.kc.makeApiClient(k8s.NetworkingV1Api).createNamespacedIngress({
    namespace: m.ns,
    body: {
      metadata: {
        name,
        labels,
        annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host]: vsUuid }), 'ako.vmware.com/controller-cluster-uuid': `cluster-${m.name}` },
      },
      spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  });
  await patchIngressLoadBalancer(m.kc, m.ns, name, [{ ip, hostname: host }]);
}

export async function setMemberIngressVip(m: Member, name: string, host: string, ip: string) {
  await patchIngressLoadBalancer(m.kc, m.ns, name, [{ ip, hostname: host }]);
}

export async function createMemberService(m: Member, name: string, host: string, ip: string, port = 5432) {
  await m.kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({
    namespace: m.ns,
    body: {
      metadata: { name, labels: { app: 'gslb' }, annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host]: `virtualservice-${m.name}-${name}` }), 'ako.vmware.com/controller-cluster-uuid': `cluster-${m.name}` } },
      spec: { type: 'LoadBalancer', ports: [{ port, targetPort: port, protocol: 'TCP' }] },
    },
  });
  await patchServiceLoadBalancer(m.kc, m.ns, name, [{ ip, hostname: host }]);
}

export async function gslbService(h: Harness, name: string): Promise<AviBody | undefined> {
  return (await h.avi.getByName('gslbservice', name, { includeName: true })) as AviBody | undefined;
}

/** Member IPs of a GslbService by group priority: {"10": ["1.2.3.4:ratio"]}. */
export function membersOf(gs: AviBody | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of (gs?.groups ?? []) as AviBody[]) {
    out[String(g.priority)] = ((g.members ?? []) as AviBody[]).map((m) => `${(m.ip as { addr: string }).addr}:${String(m.ratio)}`).sort();
  }
  return out;
}

export { eventually };

/** How many object writes the controller has answered (from its /metrics). */
export const controllerWrites = (h: Pick<Harness, 'ctl'>) => testbedControllerWrites(h.ctl);
