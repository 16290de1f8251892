// Starts the shared test clusters once per jest run, in the background: suites that need one wait for it with
// testCluster(name) from '@avi-k8s/kube-local/testing'; the others run meanwhile. The clusters stop when this
// process ends, even when the run is interrupted (the supervisor watches this pid).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBinaries } from '@avi-k8s/kube-local';
import { startInBackground } from '@avi-k8s/kube-local/testing';

export default async function globalSetup() {
  const names = (process.env.KUBE_LOCAL_TEST_CLUSTERS ?? 'c1,c2,c3').split(',').filter(Boolean);
  // Binaries first and in the foreground: a missing Go toolchain or a failed build is reported once, clearly.
  const binaries = await resolveBinaries({ log: (line) => process.stderr.write(`${line}\n`) });
  process.env.KUBE_APISERVER_BIN ??= binaries.kubeApiserver;
  process.env.ETCD_BIN ??= binaries.etcd;
  const dir = await mkdtemp(join(tmpdir(), 'kube-local-jest-'));
  process.env.KUBE_LOCAL_DIR = dir;
  globalThis.__kubeLocal = { dir, starting: names.map((name) => startInBackground(dir, name, process.pid)) };
}
