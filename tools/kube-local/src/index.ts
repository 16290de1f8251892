export { up, down, downOne, find } from './cluster.js';
export type { UpOptions, RunningCluster } from './cluster.js';
export { resolveBinaries, buildKubeApiserver, cacheDir, DEFAULT_KUBE_VERSION } from './binaries.js';
export type { Binaries } from './binaries.js';
export { renderKubeconfig } from './kubeconfig.js';
export type { KubeconfigUser } from './kubeconfig.js';
export { clusterPaths } from './layout.js';
export type { ClusterState, ClusterPaths } from './layout.js';
export { KubeLocalError } from './errors.js';
