import { rm } from 'node:fs/promises';
import { down } from '@avi-k8s/kube-local';

export default async function globalTeardown() {
  const state = globalThis.__kubeLocal;
  if (!state) return;
  await Promise.allSettled(state.starting);
  await down(state.dir);
  if (!process.env.KUBE_LOCAL_KEEP) await rm(state.dir, { recursive: true, force: true });
}
