// Where AKO's configuration comes from: a values.yaml (outside a cluster) or ConfigMap avi-k8s-config, plus the
// controller credentials in Secret avi-secret. Every failure is a StartupError naming the file, key or object.
import { readFile } from 'node:fs/promises';
import type * as k8s from '@kubernetes/client-node';
import { rawKube, type KubeConfig } from '@avi-k8s/kube';
import { parse as parseYaml } from 'yaml';
import { credentialsFromSecret, type AviCredentials } from './credentials.js';
import { configMapDataFromValues, valuesSchema } from './values.js';

export const CONFIGMAP_NAME = 'avi-k8s-config';
export const SECRET_NAME = 'avi-secret';

export interface ConfigSource {
  kubeConfig: KubeConfig;
  namespace: string;
  valuesFile?: string;
}

/** A problem that stops AKO before it runs: exit code 2 for bad input, 1 for an unusable environment. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export async function readConfigData(opts: ConfigSource): Promise<Record<string, string>> {
  if (opts.valuesFile) {
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(opts.valuesFile, 'utf8'));
    } catch (err) {
      throw new StartupError(`cannot read values file ${opts.valuesFile}: ${(err as Error).message}`, 2);
    }
    const parsed = valuesSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new StartupError(`invalid values file ${opts.valuesFile}:\n  - ${problems.join('\n  - ')}`, 2);
    }
    return configMapDataFromValues(parsed.data);
  }
  try {
    const cm = (await rawKube(opts.kubeConfig).request('GET', `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/configmaps/${CONFIGMAP_NAME}`)) as k8s.V1ConfigMap;
    return cm.data ?? {};
  } catch (err) {
    const code = (err as { code?: number }).code;
    throw new StartupError(
      code === 404
        ? `ConfigMap ${opts.namespace}/${CONFIGMAP_NAME} not found (install the chart, or run with --values values.yaml)`
        : `cannot read ConfigMap ${opts.namespace}/${CONFIGMAP_NAME}: ${(err as Error).message}`,
    );
  }
}

export async function readCredentials(opts: ConfigSource): Promise<AviCredentials> {
  const key = `${opts.namespace}/${SECRET_NAME}`;
  let secret: k8s.V1Secret;
  try {
    secret = (await rawKube(opts.kubeConfig).request('GET', `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/secrets/${SECRET_NAME}`)) as k8s.V1Secret;
  } catch (err) {
    const code = (err as { code?: number }).code;
    throw new StartupError(code === 404 ? `Secret ${key} not found: it holds the controller credentials (username, password or authtoken)` : `cannot read Secret ${key}: ${(err as Error).message}`);
  }
  try {
    return credentialsFromSecret(key, secret.data);
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
}
