import type { ObjectKey } from './types.js';

/** `tenant/type/name`: the map key used everywhere in this package. Names may contain '/', so never split it. */
export function keyOf(k: ObjectKey): string {
  return `${k.tenant}/${k.type}/${k.name}`;
}

export function describeKey(k: ObjectKey): string {
  return `${k.type}/${k.name}` + (k.tenant ? ` (tenant ${k.tenant})` : '');
}
