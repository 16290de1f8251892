import type { ClusterPaths, ClusterState } from './layout.js';

/** Service IPs: only allocated by the apiserver, unless the cluster has a node (then kube-proxy serves them there). */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

export function etcdArgs(state: ClusterState, paths: ClusterPaths): string[] {
  const client = `http://127.0.0.1:${state.etcdClientPort}`;
  const peer = `http://127.0.0.1:${state.etcdPeerPort}`;
  return [
    `--name=${state.name}`,
    `--data-dir=${paths.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${state.name}=${peer}`,
  ];
}

export function apiserverArgs(state: ClusterState, paths: ClusterPaths): string[] {
  const host = state.apiserverHost ?? '127.0.0.1';
  // With a node: the kubelet is reached by its InternalIP (logs, exec) with a client certificate of the cluster CA.
  const node = state.node
    ? [
        `--kubelet-client-certificate=${paths.pki}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${paths.pki}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP',
      ]
    : [];
  return [
    ...node,
    `--etcd-servers=http://127.0.0.1:${state.etcdClientPort}`,
    `--secure-port=${state.apiserverPort}`,
    `--bind-address=${host}`,
    `--advertise-address=${host}`,
    `--cert-dir=${paths.pki}`,
    `--tls-cert-file=${paths.servingCert}`,
    `--tls-private-key-file=${paths.servingKey}`,
    `--client-ca-file=${paths.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${paths.saPublicKey}`,
    `--service-account-signing-key-file=${paths.saPrivateKey}`,
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--allow-privileged=true',
    '--profiling=false',
    '--enable-priority-and-fairness=false',
  ];
}
