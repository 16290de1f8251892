// amko --kubeconfig FILE [--namespace avi-system] [--api-port 8080]: the GSLB operator against the leader cluster.
import { createLogger, intFlag, loadKubeConfig, onTerminationSignal, packageVersion, parseFlags } from '@avi-k8s/kube';
import { AmkoClusterError, EXIT_AMKOCLUSTER } from './operator/amko-cluster.js';
import { startAmko } from './operator/run.js';

const USAGE = `Usage: amko [--kubeconfig FILE] [--namespace avi-system] [--api-port PORT] [--insecure]
       amko --version | --help

Reads GSLBConfig and GlobalDeploymentPolicy from --namespace of the leader cluster, the controller credentials from
the Secret named in GSLBConfig, and the member clusters' kubeconfig from Secret gslb-config-secret (key gslb-members).
Without --kubeconfig the in-cluster configuration is used. --insecure skips TLS verification of the controller.
With POD_NAME set (the StatefulSet sets it), replicas elect a leader on Lease amko-lease-lock: the standby keeps
its caches warm and takes over when the leader stops or cannot renew; a replica that loses the lease exits.
Exactly one AMKOCluster must exist in --namespace: isLeader true syncs to the GSLB leader and federates GSLBConfig
and GDP to the other clusters of spec.clusters; isLeader false follows (no Avi calls). Exit code 3: no AMKOCluster,
more than one, or they cannot be listed.`;

async function main(): Promise<void> {
  const values = parseFlags('amko', USAGE, {
    kubeconfig: { type: 'string' },
    namespace: { type: 'string' },
    'api-port': { type: 'string' },
    insecure: { type: 'boolean' },
  }, process.argv.slice(2), packageVersion(import.meta.url));
  const port = intFlag('amko', 'api-port', values['api-port'], 0) ?? 8080;
  const kc = loadKubeConfig('amko', values.kubeconfig);
  const namespace = values.namespace ?? process.env.POD_NAMESPACE ?? 'avi-system';
  const logger = createLogger({ component: 'amko' });
  const started = startAmko({
    kubeConfig: kc,
    namespace,
    apiPort: port,
    logger,
    ...(values.insecure ? { insecure: true } : {}),
    // In a cluster (the StatefulSet sets POD_NAME): active/passive on Lease amko-lease-lock; a lost lease exits.
    ...(process.env.POD_NAME ? { leaderElection: { identity: process.env.POD_NAME }, onLostLeadership: () => process.exit(1) } : {}),
  });
  // No AMKOCluster, several, or none listable: the Go AMKO panics; this one logs why and exits with code 3.
  const amko = await started.catch((err: Error) => {
    if (!(err instanceof AmkoClusterError)) throw err;
    logger.error('cannot start: AMKOCluster', { key: namespace, error: err.message });
    process.stderr.write(`amko: ${err.message}\n`);
    process.exit(EXIT_AMKOCLUSTER);
  });
  logger.info('amko started', { key: namespace, ops: amko.ops.url });
  onTerminationSignal(() => amko.stop(), logger);
}

main().catch((err: Error) => {
  process.stderr.write(`amko: ${err.message}\n`);
  process.exit(1);
});
