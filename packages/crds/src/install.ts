// Creates or updates our CRDs on a cluster and waits until each is Established. Safe to run concurrently with
// other installers of the same CRDs (CRD names are cluster-scoped): "already exists" becomes an update, and a
// conflicting update is retried on the fresh object.
import { setTimeout as sleep } from 'node:timers/promises';
// client-node is loaded only when a CRD is installed (tests, tools): the operators import this package for its
// schemas, and client-node's generated models cost them ~25 MiB of heap at import.
import type { ApiextensionsV1Api, KubeConfig, V1CustomResourceDefinition } from '@kubernetes/client-node';
import type { CrdGroup } from './kinds.js';
import { loadCrdManifests, type CrdManifest } from './manifests.js';

/**
 * The client's typed model of a manifest. Its serializer only knows the model's property names (`_enum`,
 * `_default`), so a plain manifest sent as-is would silently lose every enum and default. Deserializing the JSON
 * text (JSON is YAML) through the client's own loader maps the wire names onto the model.
 */
export async function toClientModel(manifest: CrdManifest): Promise<V1CustomResourceDefinition> {
  const { loadYaml } = await import('@kubernetes/client-node');
  return loadYaml<V1CustomResourceDefinition>(JSON.stringify(manifest));
}

export interface InstallOptions {
  /** How long to wait for each CRD to become Established (default 60 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export type InstallAction = 'created' | 'updated';

export interface InstalledCrd {
  name: string;
  action: InstallAction;
}

export class CrdInstallError extends Error {
  constructor(
    readonly crd: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(`installing CRD ${crd}: ${message}`);
    this.name = 'CrdInstallError';
  }
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

const MAX_ATTEMPTS = 8;

async function createOrUpdate(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<InstallAction> {
  const name = crd.metadata!.name!;
  for (let attempt = 1; ; attempt++) {
    try {
      await api.createCustomResourceDefinition({ body: crd });
      return 'created';
    } catch (err) {
      if (statusOf(err) !== 409) throw new CrdInstallError(name, statusOf(err), messageOf(err));
    }
    try {
      const existing = await api.readCustomResourceDefinition({ name });
      const body: V1CustomResourceDefinition = {
        ...crd,
        metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion },
      };
      await api.replaceCustomResourceDefinition({ name, body });
      return 'updated';
    } catch (err) {
      // 409: someone else updated it in between; 404: someone deleted it in between. Try again.
      const status = statusOf(err);
      if ((status === 409 || status === 404) && attempt < MAX_ATTEMPTS) {
        await sleep(50 * attempt);
        continue;
      }
      throw new CrdInstallError(name, status, messageOf(err));
    }
  }
}

async function waitEstablished(api: ApiextensionsV1Api, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await api.readCustomResourceDefinition({ name });
    const conditions = crd.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    const names = conditions.find((c) => c.type === 'NamesAccepted');
    if (names?.status === 'False') throw new CrdInstallError(name, undefined, `names not accepted: ${names.message}`);
    if (Date.now() > deadline) {
      throw new CrdInstallError(name, undefined, `not Established within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

/** Creates or updates the CRDs of one group (or all) and waits until every one is Established. */
export async function installCrds(
  kubeConfig: KubeConfig,
  group?: CrdGroup,
  opts: InstallOptions = {},
): Promise<InstalledCrd[]> {
  const { ApiextensionsV1Api } = await import('@kubernetes/client-node');
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const manifests = await loadCrdManifests(group);
  const installed: InstalledCrd[] = [];
  for (const manifest of manifests) {
    const name = manifest.metadata.name;
    const action = await createOrUpdate(api, await toClientModel(manifest));
    opts.log?.(`CRD ${name} ${action}`);
    installed.push({ name, action });
  }
  for (const { name } of installed) await waitEstablished(api, name, opts.timeoutMs ?? 60000);
  return installed;
}
