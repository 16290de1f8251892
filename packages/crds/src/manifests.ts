// Reads the CRD manifests shipped in manifests/<group>/*.yaml, relative to this module so that it works from
// src/ (tests) and dist/ (built package) alike.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { crdKindsOf, type CrdGroup, type CrdKind } from './kinds.js';

/** An OpenAPI v3 schema as written in the manifest (wire names: `enum`, `default`, `oneOf`, ...). */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  oneOf?: JsonSchema[];
}

/**
 * A CRD manifest as plain JSON, exactly as in the YAML file. (The client library's V1CustomResourceDefinition
 * model renames `enum`/`default` to `_enum`/`_default`; install.ts converts before sending.)
 */
export interface CrdManifest {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[] };
    conversion?: { strategy: string };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: Record<string, never> };
      additionalPrinterColumns?: { name: string; type: string; jsonPath: string; description?: string }[];
      schema: { openAPIV3Schema: JsonSchema };
    }[];
  };
}

/** The file URL of a CRD's manifest. */
export function manifestUrl(crd: Pick<CrdKind, 'group' | 'file'>): URL {
  return new URL(`../manifests/${crd.group}/${crd.file}`, import.meta.url);
}

export class CrdManifestError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`CRD manifest ${file}: ${message}`);
    this.name = 'CrdManifestError';
  }
}

/** Parses one manifest and checks it is the CRD the list says it is. */
export function parseCrdManifest(crd: CrdKind, text: string): CrdManifest {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new CrdManifestError(crd.file, `invalid YAML: ${(err as Error).message}`);
  }
  const m = doc as CrdManifest | null;
  if (m?.apiVersion !== 'apiextensions.k8s.io/v1' || m.kind !== 'CustomResourceDefinition') {
    throw new CrdManifestError(crd.file, 'not an apiextensions.k8s.io/v1 CustomResourceDefinition');
  }
  if (m.metadata?.name !== crd.name) {
    throw new CrdManifestError(crd.file, `metadata.name is ${m.metadata?.name}, expected ${crd.name}`);
  }
  if (m.spec.group !== crd.apiGroup || m.spec.names.kind !== crd.kind || m.spec.names.plural !== crd.plural) {
    throw new CrdManifestError(crd.file, `group/kind/plural do not match ${crd.apiGroup} ${crd.kind} ${crd.plural}`);
  }
  if (!Array.isArray(m.spec.versions) || m.spec.versions.some((v) => !v.schema?.openAPIV3Schema)) {
    throw new CrdManifestError(crd.file, 'every version needs schema.openAPIV3Schema');
  }
  const versions = m.spec.versions.map((v) => v.name);
  if (versions.join(',') !== crd.versions.join(',')) {
    throw new CrdManifestError(crd.file, `versions ${versions.join(',')}, expected ${crd.versions.join(',')}`);
  }
  // YAML anchors let versions share one schema object; give each version its own copy for the API client.
  return JSON.parse(JSON.stringify(m)) as CrdManifest;
}

/** Loads the CRD manifests of one group (or all), in the order of CRD_KINDS. */
export async function loadCrdManifests(group?: CrdGroup): Promise<CrdManifest[]> {
  return Promise.all(
    crdKindsOf(group).map(async (crd) => parseCrdManifest(crd, await readFile(manifestUrl(crd), 'utf8'))),
  );
}
