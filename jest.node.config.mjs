// The real-node tests (*.node-test.ts; root): each file starts its own kube-local cluster with a node
// (startNodeCluster), and as a machine holds one node at a time the files run one after another. Not in the main
// run: `npm run jest:node` (CI runs it after the main suite).
import base from './jest.config.mjs';

export default {
  ...base,
  projects: base.projects.map((p) => ({ ...p, testMatch: ['**/test/**/*.node-test.ts'] })),
  testTimeout: 180000,
  maxWorkers: 1,
};
