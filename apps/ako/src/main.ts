#!/usr/bin/env node
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { createLogger, onTerminationSignal } from '@avi-k8s/kube';
import { StartupError, startAko } from './operator/run.js';

const USAGE = `Usage: ako [--kubeconfig FILE] [--values values.yaml] [--namespace avi-system] [--api-port PORT] [--concurrency N]

In a cluster, AKO reads ConfigMap avi-k8s-config and Secret avi-secret from its namespace (POD_NAMESPACE).
Outside a cluster, give --kubeconfig and --values (the Helm chart's values.yaml); credentials still come from the
Secret avi-secret in --namespace.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        kubeconfig: { type: 'string' },
        values: { type: 'string' },
        namespace: { type: 'string' },
        'api-port': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`ako: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const number = (flag: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > 65535) {
      process.stderr.write(`ako: --${flag} must be a whole number from ${min} to 65535, got "${v}"\n`);
      process.exit(2);
    }
    return n;
  };
  const apiPort = number('api-port', values['api-port'], 0);
  const concurrency = number('concurrency', values.concurrency, 1);
  const kubeConfig = new k8s.KubeConfig();
  try {
    if (values.kubeconfig) kubeConfig.loadFromFile(values.kubeconfig);
    else kubeConfig.loadFromDefault();
  } catch (err) {
    process.stderr.write(`ako: cannot load kubeconfig ${values.kubeconfig ?? '(default)'}: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const namespace = values.namespace ?? process.env.POD_NAMESPACE ?? 'avi-system';
  try {
    const ako = await startAko({
      kubeConfig,
      namespace,
      ...(values.values ? { valuesFile: values.values } : {}),
      ...(apiPort !== undefined ? { apiPort } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      // In a cluster (the StatefulSet sets POD_NAME): active/passive on Lease ako-lease-lock; a lost lease exits.
      ...(process.env.POD_NAME ? { leaderElection: { identity: process.env.POD_NAME }, onLostLeadership: () => process.exit(1) } : {}),
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
