export { startControllerProcess, controllerCli, workspaceRoot } from './controller-process.js';
export type { ControllerProcess, ControllerProcessOptions } from './controller-process.js';
export { createAviSecret, akoValuesYaml, writeValuesFile, SEED_VIP_NETWORK } from './ako-setup.js';
export { eventually } from './wait.js';
export { controllerMetrics, controllerWrites } from './controller-metrics.js';
export { renderChart, findManifest, inOrder, applyManifests, RBAC_KINDS } from './chart.js';
export type { Manifest } from './chart.js';
