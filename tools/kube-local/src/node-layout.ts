import { join } from 'node:path';

/** The node's network: a bridge that exists only while a node runs (one node per machine), its gateway address is the node IP. */
export const NODE_NET = {
  bridge: 'kl0',
  podCidr: '10.88.0.0/16',
  nodeIp: '10.88.0.1',
  prefix: 16,
  /** The `kubernetes` Service's ClusterIP (the first address of the service range). */
  kubernetesServiceIp: '10.96.0.1',
  kubeletPort: 10250,
  /** The NodePortLocal agent's nftables table (npl-agent.ts). */
  nplTable: 'kube-local-npl',
} as const;

/** Where a cluster's node keeps its files: DIR/NAME/node/... */
export function nodePaths(clusterRoot: string) {
  const root = join(clusterRoot, 'node');
  const pki = join(root, 'pki');
  return {
    root,
    pki,
    hostState: join(root, 'host.json'),
    containerdConfig: join(root, 'containerd.toml'),
    containerdRoot: join(root, 'containerd', 'root'),
    containerdState: join(root, 'containerd', 'state'),
    containerdOpt: join(root, 'containerd', 'opt'),
    containerdSock: join(root, 'containerd.sock'),
    containerdLog: join(root, 'containerd.log'),
    cniConfDir: join(root, 'cni', 'net.d'),
    cniIpamDir: join(root, 'cni', 'ipam'),
    kubeletRoot: join(root, 'kubelet'),
    podLogs: join(root, 'pod-logs'),
    kubeletConfig: join(root, 'kubelet.yaml'),
    kubeProxyConfig: join(root, 'kube-proxy.yaml'),
    pauseImage: join(root, 'pause.tar'),
    kubeconfig: (component: string) => join(root, `${component}.kubeconfig`),
    log: (component: string) => join(root, `${component}.log`),
  };
}

export type NodePaths = ReturnType<typeof nodePaths>;

/** The node's name in the cluster. */
export const nodeName = (cluster: string) => `${cluster}-node`;

/** The cgroup (in every cgroup v1 hierarchy) under which kubelet puts every Pod: removed at down. */
export const cgroupRoot = (cluster: string) => `/kube-local-${cluster}`;
