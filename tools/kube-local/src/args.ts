import type { ClusterPaths, ClusterState } from './layout.js';

/** Service IPs are only allocated by the apiserver (there is no kube-proxy); nothing ever sends traffic to them. */
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
  return [
    `--etcd-servers=http://127.0.0.1:${state.etcdClientPort}`,
    `--secure-port=${state.apiserverPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
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
