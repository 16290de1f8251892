// The node components' configuration files: containerd (private root, state and socket; cgroupfs; this VM drops
// CAP_SYS_RESOURCE, so restrict_oom_score_adj; the locally built pause image), the CNI bridge network, kubelet and
// kube-proxy (nftables mode: its rules live in its own tables). Nothing here points at the machine's own
// /etc, /var/lib or /opt: every path is under the node's directory.
import { stringify } from 'yaml';
import { cgroupRoot, NODE_NET, nodeName, type NodePaths } from './node-layout.js';

export const PAUSE_IMAGE = 'docker.io/avi-k8s/pause:1.0';

export function containerdConfig(p: NodePaths, cniBinDir: string): string {
  const q = JSON.stringify;
  return `version = 2
root = ${q(p.containerdRoot)}
state = ${q(p.containerdState)}
[grpc]
  address = ${q(p.containerdSock)}
[ttrpc]
  address = ${q(`${p.containerdSock}.ttrpc`)}
[debug]
  address = ${q(`${p.containerdSock}.debug`)}
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = ${q(p.containerdOpt)}
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${q(PAUSE_IMAGE)}
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = ${q(cniBinDir)}
    conf_dir = ${q(p.cniConfDir)}
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = ${q(`${p.containerdState}/runc`)}
`;
}

/** The bridge plugin on the pre-made bridge (no masquerading, no port maps: CNI writes no iptables rules). */
export function cniConfig(p: NodePaths): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'kube-local',
      plugins: [
        {
          type: 'bridge',
          bridge: NODE_NET.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: p.cniIpamDir,
            ranges: [[{ subnet: NODE_NET.podCidr, gateway: NODE_NET.nodeIp, rangeStart: '10.88.0.10' }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
        { type: 'loopback' },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(p: NodePaths, cluster: string, caFile: string, certFile: string, keyFile: string): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This host has cgroup v1 (kubelet 1.35 refuses it unless told), no systemd, and maybe swap.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: cgroupRoot(cluster),
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${p.containerdSock}`,
    address: NODE_NET.nodeIp,
    port: NODE_NET.kubeletPort,
    readOnlyPort: 0,
    healthzPort: 0,
    tlsCertFile: certFile,
    tlsPrivateKeyFile: keyFile,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: caFile } },
    authorization: { mode: 'AlwaysAllow' },
    podLogsDir: p.podLogs,
    // No iptables chains of kubelet's own (kube-proxy runs in nftables mode).
    makeIPTablesUtilChains: false,
    // Imported images cannot be pulled again: never collect them; no disk-pressure eviction on a shared disk.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi' },
    shutdownGracePeriod: '0s',
    registerNode: true,
    nodeStatusUpdateFrequency: '5s',
    serializeImagePulls: false,
    clusterDomain: 'cluster.local',
    resolvConf: '/etc/resolv.conf',
    nodeLeaseDurationSeconds: 40,
    maxPods: 50,
  });
}

export function kubeProxyConfig(p: NodePaths, cluster: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'nftables',
    clientConnection: { kubeconfig: p.kubeconfig('kube-proxy') },
    hostnameOverride: nodeName(cluster),
    clusterCIDR: NODE_NET.podCidr,
    nodePortAddresses: [`${NODE_NET.nodeIp}/32`],
    bindAddress: NODE_NET.nodeIp,
    healthzBindAddress: `${NODE_NET.nodeIp}:10256`,
    metricsBindAddress: `${NODE_NET.nodeIp}:10249`,
    // Zero: leave the machine's conntrack limits and timeouts as they are.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s', udpTimeout: '0s', udpStreamTimeout: '0s' },
  });
}
