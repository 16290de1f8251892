/**
 * ako.vmware.com CRs this AKO reads but does not implement yet: each gets a `Rejected` verdict (CR status and a
 * Warning Event) saying so, instead of being accepted and ignored. Unit `CR/<Kind>/<ns>/<name>`.
 */
import { rejected, type UnitResult } from './common.js';
import type { SnapshotIndex } from './snapshot.js';

// Empty since L7Rule is implemented (l7rule.ts); kept for the next CR read before it is implemented.
export const UNSUPPORTED_CRS: Readonly<Record<string, string>> = {};

export interface CrObject {
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string };
}

export const unsupportedUnitOf = (o: CrObject): string => `CR/${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function unsupportedUnits(idx: SnapshotIndex): string[] {
  return (idx.snapshot.unsupportedCrs ?? []).filter((o) => UNSUPPORTED_CRS[o.kind ?? '']).map(unsupportedUnitOf);
}

export function translateUnsupportedUnit(idx: SnapshotIndex, unit: string): UnitResult {
  const o = (idx.snapshot.unsupportedCrs ?? []).find((x) => unsupportedUnitOf(x) === unit);
  const why = o ? UNSUPPORTED_CRS[o.kind ?? ''] : undefined;
  return { unit, objects: [], verdicts: o && why ? [rejected(o.kind!, o.metadata?.namespace ?? '', o.metadata?.name ?? '', why)] : [] };
}
