import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { keyOf, makeDesired, type AviBody, type DesiredObject, type ObjectKey, type ObservedObject } from '../src/index.js';

/** Where AKO stores checksums (spec ako.md §2.3); other types carry none. */
const CHECKSUM_FIELD: Record<string, string> = {
  virtualservice: 'cloud_config_cksum',
  pool: 'cloud_config_cksum',
  poolgroup: 'cloud_config_cksum',
  httppolicyset: 'cloud_config_cksum',
  vsvip: 'vsvip_cloud_config_cksum',
};

export interface FixtureDesired extends ObjectKey {
  body: AviBody;
  dependsOn?: ObjectKey[];
}

/** `checksum: "same"` means "equal to the desired object's checksum" (the no-change case). */
export interface FixtureObserved extends ObjectKey {
  uuid: string;
  checksum?: string;
  body?: AviBody;
}

export function loadCases<T>(dir: string): { file: string; data: T }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), 'utf8')) as T }));
}

export function buildDesired(list: readonly FixtureDesired[]): DesiredObject[] {
  return list.map((d) => {
    const field = CHECKSUM_FIELD[d.type];
    return makeDesired({ tenant: d.tenant, type: d.type, name: d.name, body: { name: d.name, ...d.body }, ...(field ? { checksumField: field } : {}), ...(d.dependsOn ? { dependsOn: d.dependsOn } : {}) });
  });
}

export function buildObserved(list: readonly FixtureObserved[], desired: readonly DesiredObject[]): ObservedObject[] {
  const byKey = new Map(desired.map((d) => [keyOf(d), d]));
  return list.map((o) => {
    if (o.checksum !== 'same') return o;
    const d = byKey.get(keyOf(o));
    if (!d) throw new Error(`fixture error: observed ${keyOf(o)} says checksum "same" but is not desired`);
    return { ...o, checksum: d.checksum };
  });
}
