// The GSLB part: AMKO's inputs on the leader cluster (CRDs, Secrets, GSLBConfig, GlobalDeploymentPolicy), the way
// a platform team sets them up, and AMKO itself as its CLI.
import type { ChildProcess } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { installCrds } from '@avi-k8s/crds';
import type { ControllerProcess } from '@avi-k8s/testbed';
import type { DemoCluster } from './clusters.js';
import { GLOBAL_LABEL } from './manifests.js';
import { startCli } from './processes.js';

export const AMKO_NAMESPACE = 'avi-system';
const GROUP = 'amko.vmware.com';

/** One kubeconfig with one context per member, named after the cluster (Secret gslb-config-secret, key gslb-members). */
export function membersKubeconfig(members: DemoCluster[]): string {
  const out = new k8s.KubeConfig();
  out.loadFromOptions({
    clusters: members.map((m) => ({ ...m.kc.getCurrentCluster()!, name: `${m.name}-cluster` })),
    users: members.map((m) => ({ ...m.kc.getCurrentUser()!, name: `${m.name}-user` })),
    contexts: members.map((m) => ({ name: m.name, cluster: `${m.name}-cluster`, user: `${m.name}-user` })),
    currentContext: members[0]!.name,
  });
  return out.exportConfig();
}

/** AMKO's CRDs and inputs in AMKO_NAMESPACE of LEADER; WEIGHTS (cluster -> weight) become the GDP's trafficSplit. */
export async function configureGslb(leader: DemoCluster, members: DemoCluster[], ctl: ControllerProcess, weights: Record<string, number>): Promise<void> {
  await installCrds(leader.kc, 'amko');
  const core = leader.kc.makeApiClient(k8s.CoreV1Api);
  const custom = leader.kc.makeApiClient(k8s.CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: AMKO_NAMESPACE } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await core.createNamespacedSecret({
    namespace: AMKO_NAMESPACE,
    body: { metadata: { name: 'gslb-avi-secret' }, stringData: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem } },
  });
  await core.createNamespacedSecret({ namespace: AMKO_NAMESPACE, body: { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': membersKubeconfig(members) } } });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: AMKO_NAMESPACE,
    plural: 'gslbconfigs',
    body: {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'GSLBConfig',
      metadata: { name: 'gc-1' },
      spec: {
        gslbLeader: { credentials: 'gslb-avi-secret', controllerVersion: '30.2.1', controllerIP: ctl.url, tenant: 'admin' },
        memberClusters: members.map((m) => ({ clusterContext: m.name })),
        refreshInterval: 1800,
        logLevel: 'INFO',
      },
    },
  });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha2',
    namespace: AMKO_NAMESPACE,
    plural: 'globaldeploymentpolicies',
    body: {
      apiVersion: `${GROUP}/v1alpha2`,
      kind: 'GlobalDeploymentPolicy',
      metadata: { name: 'global-gdp' },
      spec: {
        matchRules: { appSelector: { label: GLOBAL_LABEL } },
        matchClusters: members.map((m) => ({ cluster: m.name })),
        trafficSplit: members.map((m) => ({ cluster: m.name, weight: weights[m.name] ?? 1 })),
      },
    },
  });
}

/** The AMKO CLI against the leader cluster. */
export function startAmko(leader: DemoCluster): ChildProcess {
  return startCli('amko', ['--kubeconfig', leader.kubeconfig, '--namespace', AMKO_NAMESPACE, '--api-port', '0']);
}
