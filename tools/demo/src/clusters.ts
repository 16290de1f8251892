// The demo's Kubernetes clusters ('demo' is also the GSLB leader cluster, 'demo-2' a second member), each with its
// own node ports and its own AKO.
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { up } from '@avi-k8s/kube-local';
import { akoValuesYaml, createAviSecret, startCli, type ControllerProcess } from '@avi-k8s/testbed';
import { pickNodePorts } from './ports.js';

export const AKO_NAMESPACE = 'avi-system';

export interface DemoCluster {
  name: string;
  kubeconfig: string;
  kc: k8s.KubeConfig;
  /** Explicit node ports for the sample Services (web, shop, pay), free on 127.0.0.1 when picked. */
  nodePorts: number[];
  /** With `--node`: this cluster has a real node; imports an image archive into its containerd. */
  importImage?: (archive: string) => Promise<void>;
}

/**
 * Picks node ports per cluster (from 30080, 31080, ...) and starts the clusters in parallel under DIR; the cluster
 * named NODE_CLUSTER gets a real node (kube-local up --node: one per machine).
 */
export async function startClusters(dir: string, names: string[], log: (line: string) => void, nodeCluster?: string): Promise<DemoCluster[]> {
  const taken: number[] = [];
  const ports: number[][] = [];
  for (const [i] of names.entries()) {
    const picked = await pickNodePorts(3, 30080 + 1000 * i, taken);
    taken.push(...picked);
    ports.push(picked);
  }
  // ownerPid: the clusters also stop if the demo dies without cleaning up.
  const running = await Promise.all(
    names.map((name) => up({ name, dir, ownerPid: process.pid, node: name === nodeCluster, log: (l) => log(`[${name}] ${l}`), readyTimeoutMs: 180000 })),
  );
  return running.map((c, i) => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    const node = c.state.node;
    const sock = join(c.paths.root, 'node', 'containerd.sock');
    return {
      name: c.name,
      kubeconfig: c.kubeconfig,
      kc,
      nodePorts: ports[i]!,
      ...(node ? { importImage: async (archive: string) => void (await promisify(execFile)(node.ctr, ['-a', sock, '-n', 'k8s.io', 'images', 'import', archive])) } : {}),
    };
  });
}

/** Secret avi-secret and a values file for CLUSTER, then the AKO CLI against it (clusterName = the cluster's name). */
export async function startAko(dir: string, cluster: DemoCluster, ctl: ControllerProcess): Promise<ChildProcess> {
  await createAviSecret(cluster.kc, AKO_NAMESPACE, ctl);
  const values = join(dir, `ako-values-${cluster.name}.yaml`);
  await writeFile(values, akoValuesYaml(ctl.url, cluster.name, { L7Settings: { serviceType: 'NodePort', shardVSSize: 'SMALL' } }));
  return startCli('ako', ['--kubeconfig', cluster.kubeconfig, '--values', values, '--namespace', AKO_NAMESPACE, '--api-port', '0']);
}
