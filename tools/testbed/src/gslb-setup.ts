// AMKO's inputs on a leader cluster as a platform team sets them up: CRDs, Secrets gslb-avi-secret and
// gslb-config-secret, AMKOCluster amkocluster-federation, GSLBConfig gc-1 and GlobalDeploymentPolicy global-gdp.
import * as k8s from '@kubernetes/client-node';
import { installCrds } from '@avi-k8s/crds';
import type { ControllerProcess } from './controller-process.js';

const GROUP = 'amko.vmware.com';

export interface GslbMember {
  name: string;
  kc: k8s.KubeConfig;
}

/** One kubeconfig with a context per member, named after it (key gslb-members); `servers` overrides addresses. */
export function membersKubeconfig(members: GslbMember[], servers: Record<string, string> = {}): string {
  const out = new k8s.KubeConfig();
  out.loadFromOptions({
    clusters: members.map((m) => ({ ...m.kc.getCurrentCluster()!, name: `${m.name}-cluster`, server: servers[m.name] ?? m.kc.getCurrentCluster()!.server })),
    users: members.map((m) => ({ ...m.kc.getCurrentUser()!, name: `${m.name}-user` })),
    contexts: members.map((m) => ({ name: m.name, cluster: `${m.name}-cluster`, user: `${m.name}-user` })),
    currentContext: members[0]!.name,
  });
  return out.exportConfig();
}

/** Installs the AMKO CRDs and creates its inputs in NAMESPACE of the leader; `gdp` is the policy's spec. */
export async function configureGslb(o: {
  leader: k8s.KubeConfig;
  namespace: string;
  ctl: Pick<ControllerProcess, 'url' | 'username' | 'password' | 'caPem'>;
  members: GslbMember[];
  gdp: Record<string, unknown>;
  /** API server addresses AMKO uses per member, instead of the members' own (e.g. a relay that can be cut). */
  servers?: Record<string, string>;
}): Promise<void> {
  await installCrds(o.leader, 'amko');
  const core = o.leader.makeApiClient(k8s.CoreV1Api);
  const custom = o.leader.makeApiClient(k8s.CustomObjectsApi);
  const namespace = o.namespace;
  await core.createNamespace({ body: { metadata: { name: namespace } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'gslb-avi-secret' }, stringData: { username: o.ctl.username, password: o.ctl.password, certificateAuthorityData: o.ctl.caPem } },
  });
  await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'gslb-config-secret' }, stringData: { 'gslb-members': membersKubeconfig(o.members, o.servers) } } });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace,
    plural: 'gslbconfigs',
    body: {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'GSLBConfig',
      metadata: { name: 'gc-1' },
      spec: {
        gslbLeader: { credentials: 'gslb-avi-secret', controllerVersion: '30.2.1', controllerIP: o.ctl.url, tenant: 'admin' },
        memberClusters: o.members.map((m) => ({ clusterContext: m.name })),
        refreshInterval: 1800,
        logLevel: 'INFO',
      },
    },
  });
  // AMKO needs exactly one AMKOCluster in its namespace: here a leader that federates to no other cluster.
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace,
    plural: 'amkoclusters',
    body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'AMKOCluster', metadata: { name: 'amkocluster-federation' }, spec: { isLeader: true, clusterContext: 'leader', version: '0.1.0', clusters: ['leader'] } },
  });
  await custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha2',
    namespace,
    plural: 'globaldeploymentpolicies',
    body: { apiVersion: `${GROUP}/v1alpha2`, kind: 'GlobalDeploymentPolicy', metadata: { name: 'global-gdp' }, spec: o.gdp },
  });
}
