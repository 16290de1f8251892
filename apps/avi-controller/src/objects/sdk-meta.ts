// Plugs the SDK's generated model metadata (from the swagger files) into the server's registry:
// declared fields (unknown ones are dropped), defaults, reference targets as API type names.

import { DEFINITIONS, OBJECT_TYPES, objectTypeMeta } from '@avi-k8s/avi-sdk/models';
import type { FieldMeta, PropMeta } from './schema.js';
import type { TypeMeta } from './registry.js';

const cache = new Map<string, FieldMeta>();

function targetPath(model: string | undefined): string | undefined {
  if (!model) return undefined;
  return OBJECT_TYPES[model]?.path ?? model.toLowerCase();
}

/** The FieldMeta tree of a swagger definition (built lazily; recursive definitions share nodes). */
export function definitionFields(defName: string): FieldMeta | undefined {
  const hit = cache.get(defName);
  if (hit) return hit;
  const def = DEFINITIONS[defName];
  if (!def) return undefined;
  const properties: Record<string, PropMeta> = {};
  const meta: FieldMeta = { properties };
  cache.set(defName, meta);
  for (const [name, f] of Object.entries(def.fields)) {
    const sub = f.def ? definitionFields(f.def) : undefined;
    const ref = targetPath(f.ref);
    const p: PropMeta =
      f.type === 'array'
        ? { kind: 'array', items: { kind: f.items ?? 'unknown', ...(sub ? { object: sub } : {}), ...(ref ? { ref } : {}) } }
        : { kind: f.type, ...(sub ? { object: sub } : {}), ...(ref ? { ref } : {}) };
    properties[name] = {
      ...p,
      ...(f.default !== undefined ? { default: f.default } : {}),
      ...(f.readOnly ? { readOnly: true } : {}),
      ...(f.since ? { since: f.since } : {}),
    };
  }
  return meta;
}

/** Attaches the SDK's metadata to every registry entry that has a model there. */
export function attachSdkMetadata(registry: Map<string, TypeMeta>): void {
  for (const [type, meta] of registry) {
    const sdk = objectTypeMeta(type) ?? objectTypeMeta(meta.model);
    if (!sdk) continue;
    const fields = definitionFields(sdk.definition);
    if (!fields) continue;
    registry.set(type, { ...meta, model: sdk.name, fields });
  }
}
