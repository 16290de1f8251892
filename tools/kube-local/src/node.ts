// A cluster's real node (kube-local up --node): the command lines the supervisor starts, the RBAC binding that
// stands in for the Node authorizer, and the wait for the Node to be Ready.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterPaths, ClusterState, NodeState } from './layout.js';
import { NODE_NET, nodePaths } from './node-layout.js';
import { adminGet, adminRequest } from './ready.js';

/** The node's processes in start order (containerd first; the rest once the apiserver is ready). */
export function nodeCommands(state: ClusterState, paths: ClusterPaths, node: NodeState) {
  const p = nodePaths(paths.root);
  return {
    containerd: { bin: node.containerd, args: ['--config', p.containerdConfig], log: p.containerdLog },
    components: [
      {
        bin: node.kubeControllerManager,
        log: p.log('kube-controller-manager'),
        args: [
          `--kubeconfig=${p.kubeconfig('kube-controller-manager')}`,
          '--secure-port=0',
          '--leader-elect=false',
          '--use-service-account-credentials=true',
          `--service-account-private-key-file=${paths.saPrivateKey}`,
          `--root-ca-file=${paths.caCert}`,
          `--cluster-signing-cert-file=${paths.caCert}`,
          `--cluster-signing-key-file=${paths.caKey}`,
          `--cluster-name=${state.name}`,
          '--allocate-node-cidrs=false',
        ],
      },
      { bin: node.kubeScheduler, log: p.log('kube-scheduler'), args: [`--kubeconfig=${p.kubeconfig('kube-scheduler')}`, '--secure-port=0', '--leader-elect=false'] },
      { bin: node.kubeProxy, log: p.log('kube-proxy'), args: [`--config=${p.kubeProxyConfig}`] },
      // NodePortLocal as Antrea's agent does it (npl-agent.ts): ports 61000-62000 of the node IP to Pod ports.
      {
        bin: process.execPath,
        log: p.log('npl-agent'),
        args: [
          fileURLToPath(new URL('../dist/npl-agent.js', import.meta.url)),
          JSON.stringify({ kubeconfig: p.kubeconfig('npl-agent'), node: node.name, nodeIp: NODE_NET.nodeIp, table: NODE_NET.nplTable }),
        ],
      },
      {
        bin: node.kubelet,
        log: p.log('kubelet'),
        args: [
          `--config=${p.kubeletConfig}`,
          `--kubeconfig=${p.kubeconfig('kubelet')}`,
          `--hostname-override=${node.name}`,
          `--node-ip=${NODE_NET.nodeIp}`,
          `--root-dir=${p.kubeletRoot}`,
          `--cert-dir=${p.pki}`,
        ],
      },
    ],
  };
}

/** kube-local has no Node authorizer: the kubelet's identity gets the system:node role. */
export async function bindNodeRole(paths: ClusterPaths, port: number, node: string): Promise<void> {
  const res = await adminRequest(paths, {
    port,
    host: NODE_NET.nodeIp,
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kube-local:node' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `system:node:${node}` }],
    },
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`binding system:node failed: ${res.status} ${res.body}`);
  // The NodePortLocal agent reads Services and the node's Pods and annotates those Pods (as Antrea's agent may).
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const npl = 'kube-local:npl-agent';
  for (const [path, body] of [
    [`${rbac}/clusterroles`, {
      metadata: { name: npl },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      ],
    }],
    [`${rbac}/clusterrolebindings`, {
      metadata: { name: npl },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: npl },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: npl }],
    }],
  ] as const) {
    const r = await adminRequest(paths, { port, host: NODE_NET.nodeIp, method: 'POST', path, body });
    if (r.status !== 201 && r.status !== 409) throw new Error(`creating ${path} ${npl} failed: ${r.status} ${r.body}`);
  }
}

interface NodeObject {
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/** Waits until the Node is Ready and the default ServiceAccount exists (Pods can be created). */
export async function waitNodeReady(paths: ClusterPaths, port: number, node: string, deadline: number, running: () => boolean): Promise<void> {
  let last = 'not registered yet';
  for (;;) {
    if (!running()) throw new Error(`the cluster stopped (${last})`);
    const res = await adminGet(paths, port, `/api/v1/nodes/${node}`, NODE_NET.nodeIp);
    if (res.status === 200) {
      const ready = (JSON.parse(res.body) as NodeObject).status?.conditions?.find((c) => c.type === 'Ready');
      last = ready ? `Ready=${ready.status}: ${ready.message ?? ''}` : 'no Ready condition';
      if (ready?.status === 'True') {
        const sa = await adminGet(paths, port, '/api/v1/namespaces/default/serviceaccounts/default', NODE_NET.nodeIp);
        if (sa.status === 200) return;
        last = 'the default ServiceAccount does not exist yet';
      }
    }
    if (Date.now() > deadline) throw new Error(`node ${node} did not become ready (${last})`);
    await sleep(250);
  }
}
