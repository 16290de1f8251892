/**
 * Shard assignment of hosts to shared L7 virtual services, bit-identical to the Go AKO (spec ako.md §2.1):
 * index = FNV-1a-32(hostname) & (size - 1), sizes LARGE 8, MEDIUM 4, SMALL 1, DEDICATED 0; unknown -> 1.
 */
import { fnv1a32 } from '@avi-k8s/avi-sync';
import type { AkoConfig } from './config.js';
import { sharedVsName } from './names.js';

const SHARD_SIZES: Readonly<Record<string, number>> = { LARGE: 8, MEDIUM: 4, SMALL: 1, DEDICATED: 0 };

export function shardSize(name: string): number {
  return SHARD_SIZES[name] ?? 1;
}

export const isDedicated = (c: Pick<AkoConfig, 'shardVSSize'>): boolean => shardSize(c.shardVSSize) === 0;

/** `utils.Bkt`: the shard index of a host for a power-of-two shard size (>= 1). */
export function shardIndex(host: string, size: number): number {
  return (fnv1a32(host) & (size - 1)) >>> 0;
}

/**
 * The shared parent VS that serves `host` (not for DEDICATED mode). Host-less rules and defaultBackends (host '')
 * are served by shard 0, as the fallback for requests no host rule matches.
 */
export function shardVsNameForHost(c: AkoConfig, host: string, infra?: string): string {
  return sharedVsName(c, host === '' ? 0 : shardIndex(host, Math.max(1, shardSize(c.shardVSSize))), infra ?? c.infraSetting);
}

/**
 * The translation unit that serves `host`: its shard VS, or its own VS in DEDICATED mode; `@<tenant>` appended when
 * the host's namespace is in a tenant of its own (the same VS names exist in each tenant).
 */
export const hostUnit = (c: AkoConfig, host: string): string =>
  `${isDedicated(c) ? `L7Dedicated/${host}` : `L7/${shardVsNameForHost(c, host)}`}${c.unitTenant ? `@${c.unitTenant}` : ''}`;

/** The VS name (`L7/`) or host (`L7Dedicated/`) of an L7 unit, without its `@<tenant>`. */
export const unitSubject = (unit: string, prefix: 'L7/' | 'L7Dedicated/'): string => {
  const rest = unit.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  return at < 0 ? rest : rest.slice(0, at);
};

/** Whether `name` is one of this AKO's shard VS names (`<cluster>--[<akoNs>-]Shared-L7-<n>` for n < size). */
export function isShardVsName(c: AkoConfig, name: string): boolean {
  const size = shardSize(c.shardVSSize);
  for (let i = 0; i < size; i++) if (sharedVsName(c, i) === name) return true;
  return false;
}
