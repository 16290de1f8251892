#!/usr/bin/env node
// amko --kubeconfig FILE [--namespace avi-system] [--api-port 8080]: the GSLB operator against the leader cluster.
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { createLogger, onTerminationSignal } from '@avi-k8s/kube';
import { startAmko } from './operator/run.js';

const USAGE = `Usage: amko [--kubeconfig FILE] [--namespace avi-system] [--api-port PORT] [--insecure]

Reads GSLBConfig and GlobalDeploymentPolicy from --namespace of the leader cluster, the controller credentials from
the Secret named in GSLBConfig, and the member clusters' kubeconfig from Secret gslb-config-secret (key gslb-members).
Without --kubeconfig the in-cluster configuration is used. --insecure skips TLS verification of the controller.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        kubeconfig: { type: 'string' },
        namespace: { type: 'string' },
        'api-port': { type: 'string' },
        insecure: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`amko: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values['api-port'] === undefined ? 8080 : Number(values['api-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`amko: --api-port must be a port number\n`);
    process.exit(2);
  }
  const kc = new k8s.KubeConfig();
  try {
    if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
    else kc.loadFromCluster();
  } catch (err) {
    process.stderr.write(`amko: cannot load kubeconfig: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const namespace = values.namespace ?? process.env.POD_NAMESPACE ?? 'avi-system';
  const logger = createLogger({ component: 'amko' });
  const amko = await startAmko({ kubeConfig: kc, namespace, apiPort: port, logger, ...(values.insecure ? { insecure: true } : {}) });
  logger.info('amko started', { key: namespace, ops: amko.ops.url });
  onTerminationSignal(() => amko.stop(), logger);
}

main().catch((err: Error) => {
  process.stderr.write(`amko: ${err.message}\n`);
  process.exit(1);
});
