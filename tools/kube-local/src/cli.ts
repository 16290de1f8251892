#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { resolveBinaries } from './binaries.js';
import { down, up } from './cluster.js';
import { KubeLocalError } from './errors.js';
import { resolveNodeBinaries } from './node-binaries.js';
import { NODE_NET } from './node-layout.js';

const USAGE = `Usage:
  kube-local up --name NAME --dir DIR [--port PORT] [--timeout SECONDS] [--node] [--host ADDRESS]
      Starts etcd + kube-apiserver on loopback, waits until ready, prints DIR/NAME/kubeconfig (cluster admin).
      --node: also a real node (root): containerd, kubelet, kube-controller-manager, kube-scheduler, kube-proxy;
      the apiserver then listens on the node IP ${NODE_NET.nodeIp} (bridge ${NODE_NET.bridge}), one node per machine;
      a NodePortLocal agent maps ports 61000-62000 of the node IP to Pod ports as Antrea's does.
      --host: the apiserver binds and advertises ADDRESS (an address of this machine) instead of 127.0.0.1, e.g.
      ${NODE_NET.nodeIp} while another cluster's node runs, so that its Pods reach this cluster.
  kube-local down --dir DIR
      Stops every cluster under DIR.
  kube-local binaries [--node]
      Finds or builds kube-apiserver and etcd (and with --node the node components) and prints their paths.

Environment: KUBE_APISERVER_BIN, ETCD_BIN (bring your own binaries), KUBE_VERSION (default build version),
KUBE_LOCAL_CACHE (where built binaries are kept, default ~/.cache/kube-local).`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'up': {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, dir: { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' }, node: { type: 'boolean' }, host: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      if (!values.name || !values.dir) throw new KubeLocalError(`kube-local up: --name and --dir are required\n\n${USAGE}`, 2);
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        throw new KubeLocalError(`kube-local up: --port must be a port number, got "${values.port}"`, 2);
      }
      const timeout = values.timeout === undefined ? 120 : Number(values.timeout);
      if (!(timeout > 0)) throw new KubeLocalError(`kube-local up: --timeout must be a positive number of seconds`, 2);
      const cluster = await up({ name: values.name, dir: values.dir, ...(port ? { port } : {}), readyTimeoutMs: timeout * 1000, log, node: values.node ?? false, ...(values.host ? { host: values.host } : {}) });
      log(`kube-local: cluster "${cluster.name}" is ready at ${cluster.server}`);
      process.stdout.write(`${cluster.kubeconfig}\n`);
      return 0;
    }
    case 'down': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' } }, strict: true, allowPositionals: false });
      if (!values.dir) throw new KubeLocalError(`kube-local down: --dir is required\n\n${USAGE}`, 2);
      const stopped = await down(values.dir);
      log(stopped.length ? `kube-local: stopped ${stopped.join(', ')}` : `kube-local: no running cluster under ${values.dir}`);
      return 0;
    }
    case 'binaries': {
      const { values } = parseArgs({ args: rest, options: { node: { type: 'boolean' } }, strict: true, allowPositionals: false });
      const binaries = await resolveBinaries({ log });
      process.stdout.write(`kube-apiserver ${binaries.kubeApiserver}\netcd ${binaries.etcd}\n`);
      if (values.node) {
        const n = await resolveNodeBinaries({ log });
        process.stdout.write(
          `kubelet ${n.kubelet}\nkube-controller-manager ${n.kubeControllerManager}\nkube-scheduler ${n.kubeScheduler}\nkube-proxy ${n.kubeProxy}\ncontainerd ${n.containerd}\ncni ${n.cniBinDir}\n`,
        );
      }
      return 0;
    }
    default:
      throw new KubeLocalError(`kube-local: unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof KubeLocalError) {
      log(err.message);
      process.exit(err.exitCode);
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      log(`kube-local: ${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    log(`kube-local: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
