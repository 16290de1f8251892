/**
 * Which shard VSes are kept when their last host goes (as the Go AKO keeps them: the VIP never changes when hosts
 * come back), and the config their empty shard is built with: AKO's own shards `<cluster>--Shared-L7-<n>`, and those
 * of an AviInfraSetting that still exists (`...Shared-L7-<infra>-<n>` for n below its shard size), each in the tenant
 * of its unit (`L7/<vs>@<tenant>`). A shard of a deleted AviInfraSetting is not kept (its placement is unknown).
 */
import type { AkoConfig } from './config.js';
import { infraConfig, inTenant } from './infra-setting.js';
import { sharedVsName } from './names.js';
import { shardSize, unitSubject } from './shard.js';
import type { SnapshotIndex } from './snapshot.js';

const isShardOf = (c: AkoConfig, vs: string): boolean => {
  const size = shardSize(c.shardVSSize);
  for (let i = 0; i < size; i++) if (sharedVsName(c, i, c.infraSetting) === vs) return true;
  return false;
};

/** The config of the empty shard kept for unit `L7/<vs>[@<tenant>]`, or undefined when that VS is not kept. */
export function keptShardConfig(idx: Pick<SnapshotIndex, 'infraSettings'>, c: AkoConfig, unit: string): AkoConfig | undefined {
  if (!unit.startsWith('L7/')) return undefined;
  const vs = unitSubject(unit, 'L7/');
  const at = unit.lastIndexOf('@');
  const tenant = at > 0 ? unit.slice(at + 1) : undefined;
  if (isShardOf(c, vs)) return inTenant(c, tenant);
  for (const o of idx.infraSettings.values()) {
    const ic = infraConfig(c, o);
    if (isShardOf(ic, vs)) return inTenant(ic, tenant);
  }
  return undefined;
}

/** The unit of a shard VS observed on the controller in `tenant` (AKO's own tenant: no `@<tenant>`). */
export const shardUnitOf = (c: AkoConfig, vs: string, tenant: string): string => `L7/${vs}${tenant !== c.tenant ? `@${tenant}` : ''}`;
