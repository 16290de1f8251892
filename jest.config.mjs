// One jest run for the whole workspace: the real clusters are started once (globalSetup) and shared.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Workspace packages resolve to their TypeScript sources in tests.
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
};

export default {
  projects: ['packages/*', 'apps/*', 'tools/*'].map((glob) => ({
    ...common,
    displayName: glob.split('/')[0],
    roots: [`<rootDir>/${glob.split('/')[0]}`],
    testMatch: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  })),
  globalSetup: '<rootDir>/tools/kube-local/jest/global-setup.mjs',
  globalTeardown: '<rootDir>/tools/kube-local/jest/global-teardown.mjs',
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.mjs'],
  testTimeout: 60000,
  maxWorkers: 2,
};
