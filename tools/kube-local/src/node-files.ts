// A cluster's real node: the files its processes read (identities, kubeconfigs, configuration, the pause image).
import { mkdir, writeFile } from 'node:fs/promises';
import { issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import { buildGoImage } from '@avi-k8s/images';
import { KubeLocalError } from './errors.js';
import { renderKubeconfig } from './kubeconfig.js';
import type { ClusterPaths } from './layout.js';
import { containerdConfig, cniConfig, kubeletConfig, kubeProxyConfig } from './node-config.js';
import { NODE_NET, nodeName, nodePaths } from './node-layout.js';

/** Identities of the node's components (the bootstrap RBAC roles bind the first three; kubelet's is bound below). */
const IDENTITIES = {
  'kube-controller-manager': { cn: 'system:kube-controller-manager', o: [] as string[] },
  'kube-scheduler': { cn: 'system:kube-scheduler', o: [] as string[] },
  'kube-proxy': { cn: 'system:kube-proxy', o: [] as string[] },
  kubelet: { cn: '', o: ['system:nodes'] },
  // kube-local's NodePortLocal agent (npl-agent.ts); its role is bound in node.ts.
  'npl-agent': { cn: 'kube-local:npl-agent', o: [] as string[] },
};

/** Writes everything the node's processes read; the apiserver is at https://NODE_IP:PORT. */
export async function writeNodeFiles(paths: ClusterPaths, cluster: string, ca: CertificateAuthority, caPem: string, port: number, cniBinDir: string) {
  const p = nodePaths(paths.root);
  await Promise.all([p.pki, p.cniConfDir, p.cniIpamDir, p.kubeletRoot, p.podLogs, p.containerdRoot, p.containerdState].map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
  const server = `https://${NODE_NET.nodeIp}:${port}`;
  for (const [component, id] of Object.entries(IDENTITIES)) {
    const cn = component === 'kubelet' ? `system:node:${nodeName(cluster)}` : id.cn;
    const cert = await issueCertificate(ca, { commonName: cn, organizations: id.o, usage: 'client' });
    await writeFile(p.kubeconfig(component), renderKubeconfig(cluster, server, caPem, { name: cn, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }), { mode: 0o600 });
  }
  const kubeletServing = await issueCertificate(ca, { commonName: nodeName(cluster), dnsNames: [nodeName(cluster)], ipAddresses: [NODE_NET.nodeIp], usage: 'server' });
  const apiserverClient = await issueCertificate(ca, { commonName: 'kube-apiserver-kubelet-client', usage: 'client' });
  const files: [string, string][] = [
    [`${p.pki}/kubelet.crt`, kubeletServing.certPem],
    [`${p.pki}/kubelet.key`, kubeletServing.keyPem],
    [`${paths.pki}/apiserver-kubelet-client.crt`, apiserverClient.certPem],
    [`${paths.pki}/apiserver-kubelet-client.key`, apiserverClient.keyPem],
    [p.containerdConfig, containerdConfig(p, cniBinDir)],
    [`${p.cniConfDir}/10-kube-local.conflist`, cniConfig(p)],
    [p.kubeletConfig, kubeletConfig(p, cluster, paths.caCert, `${p.pki}/kubelet.crt`, `${p.pki}/kubelet.key`)],
    [p.kubeProxyConfig, kubeProxyConfig(p, cluster)],
  ];
  await Promise.all(files.map(([path, data]) => writeFile(path, data, { mode: 0o600 })));
  try {
    buildGoImage('pause', p.root);
  } catch (err) {
    throw new KubeLocalError(`kube-local: cannot build the pause image: ${(err as Error).message}`, 3);
  }
}
