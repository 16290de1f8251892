import { join } from 'node:path';

/** Where one cluster keeps its files: DIR/NAME/... */
export function clusterPaths(dir: string, name: string) {
  const root = join(dir, name);
  const pki = join(root, 'pki');
  return {
    root,
    pki,
    caCert: join(pki, 'ca.crt'),
    caKey: join(pki, 'ca.key'),
    servingCert: join(pki, 'apiserver.crt'),
    servingKey: join(pki, 'apiserver.key'),
    adminCert: join(pki, 'admin.crt'),
    adminKey: join(pki, 'admin.key'),
    saPublicKey: join(pki, 'sa.pub'),
    saPrivateKey: join(pki, 'sa.key'),
    etcdData: join(root, 'etcd'),
    etcdLog: join(root, 'etcd.log'),
    apiserverLog: join(root, 'apiserver.log'),
    supervisorLog: join(root, 'supervisor.log'),
    kubeconfig: join(root, 'kubeconfig'),
    state: join(root, 'cluster.json'),
  };
}

export type ClusterPaths = ReturnType<typeof clusterPaths>;

/** What a running cluster records in DIR/NAME/cluster.json. */
export interface ClusterState {
  name: string;
  server: string;
  apiserverPort: number;
  etcdClientPort: number;
  etcdPeerPort: number;
  /** The supervisor's pid; it leads the process group of etcd and kube-apiserver. */
  pid: number;
  ownerPid?: number;
  kubeApiserver: string;
  etcd: string;
  /** The address the apiserver binds and advertises (127.0.0.1, or the node IP when the cluster has a node). */
  apiserverHost?: string;
  /** Set when the cluster has a real node (kube-local up --node). */
  node?: NodeState;
}

/** What the supervisor needs to run a cluster's node. */
export interface NodeState {
  name: string;
  kubelet: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubeProxy: string;
  containerd: string;
  ctr: string;
}
