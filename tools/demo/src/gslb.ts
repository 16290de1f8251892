// The GSLB part: AMKO's inputs on the leader cluster (CRDs, Secrets, GSLBConfig, GlobalDeploymentPolicy), the way
// a platform team sets them up, and AMKO itself as its CLI.
import type { ChildProcess } from 'node:child_process';
import { configureGslb, startCli, type ControllerProcess } from '@avi-k8s/testbed';
import type { DemoCluster } from './clusters.js';
import { GLOBAL_LABEL } from './manifests.js';

export const AMKO_NAMESPACE = 'avi-system';

/** AMKO's CRDs and inputs in AMKO_NAMESPACE of LEADER; WEIGHTS (cluster -> weight) become the GDP's trafficSplit. */
export async function configureDemoGslb(leader: DemoCluster, members: DemoCluster[], ctl: ControllerProcess, weights: Record<string, number>): Promise<void> {
  await configureGslb({
    leader: leader.kc,
    namespace: AMKO_NAMESPACE,
    ctl,
    members,
    gdp: {
      matchRules: { appSelector: { label: GLOBAL_LABEL } },
      matchClusters: members.map((m) => ({ cluster: m.name })),
      trafficSplit: members.map((m) => ({ cluster: m.name, weight: weights[m.name] ?? 1 })),
    },
  });
}

/** The AMKO CLI against the leader cluster. */
export function startAmko(leader: DemoCluster): ChildProcess {
  return startCli('amko', ['--kubeconfig', leader.kubeconfig, '--namespace', AMKO_NAMESPACE, '--api-port', '0']);
}
