#!/usr/bin/env node
import { createLogger, intFlag, loadKubeConfig, onTerminationSignal, packageVersion, parseFlags } from '@avi-k8s/kube';
import { StartupError, startAko } from './operator/run.js';

const USAGE = `Usage: ako [--kubeconfig FILE] [--values values.yaml] [--namespace avi-system] [--api-port PORT] [--concurrency N]
           [--lease-duration 15] [--renew-deadline 10] [--retry-period 2]
       ako --version | --help

In a cluster, AKO reads ConfigMap avi-k8s-config and Secret avi-secret from its namespace (POD_NAMESPACE).
Outside a cluster, give --kubeconfig and --values (the Helm chart's values.yaml); credentials still come from the
Secret avi-secret in --namespace.

With POD_NAME set (the chart's StatefulSet), replicas elect a leader on Lease ako-lease-lock (seconds: how long a
standby waits for a silent leader, how long the leader writes without a successful renew, how often it renews).`;

async function main(): Promise<void> {
  const flags = parseFlags('ako', USAGE, {
    kubeconfig: { type: 'string' },
    values: { type: 'string' },
    namespace: { type: 'string' },
    'api-port': { type: 'string' },
    concurrency: { type: 'string' },
    'lease-duration': { type: 'string' },
    'renew-deadline': { type: 'string' },
    'retry-period': { type: 'string' },
  }, process.argv.slice(2), packageVersion(import.meta.url));
  const apiPort = intFlag('ako', 'api-port', flags['api-port'], 0);
  const concurrency = intFlag('ako', 'concurrency', flags.concurrency, 1, 256);
  const leaseDurationSeconds = intFlag('ako', 'lease-duration', flags['lease-duration'], 2, 3600);
  const renewDeadlineSeconds = intFlag('ako', 'renew-deadline', flags['renew-deadline'], 1, 3600);
  const retryPeriodSeconds = intFlag('ako', 'retry-period', flags['retry-period'], 1, 3600);
  const election = {
    ...(leaseDurationSeconds !== undefined ? { leaseDurationSeconds } : {}),
    ...(renewDeadlineSeconds !== undefined ? { renewDeadlineSeconds } : {}),
    ...(retryPeriodSeconds !== undefined ? { retryPeriodSeconds } : {}),
  };
  const kubeConfig = loadKubeConfig('ako', flags.kubeconfig);
  const namespace = flags.namespace ?? process.env.POD_NAMESPACE ?? 'avi-system';
  try {
    const ako = await startAko({
      kubeConfig,
      namespace,
      ...(flags.values ? { valuesFile: flags.values } : {}),
      ...(apiPort !== undefined ? { apiPort } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      // In a cluster (the StatefulSet sets POD_NAME): active/passive on Lease ako-lease-lock; a lost lease exits.
      ...(process.env.POD_NAME ? { leaderElection: { identity: process.env.POD_NAME, ...election }, onLostLeadership: () => process.exit(1) } : {}),
    });
    onTerminationSignal(() => ako.stop());
  } catch (err) {
    const code = err instanceof StartupError ? err.exitCode : 1;
    createLogger({ component: 'ako' }).error('AKO cannot start', { key: namespace, error: (err as Error).message });
    process.stderr.write(`ako: ${(err as Error).message}\n`);
    process.exit(code);
  }
}

void main();
