import type { UnitResult } from './common.js';
import type { AkoConfig } from './config.js';
import type { ObjectRef, SnapshotIndex } from './snapshot.js';

export function l7Units(_idx: SnapshotIndex, _c: AkoConfig): string[] {
  return [];
}
export function l7UnitsForObject(_idx: SnapshotIndex, _c: AkoConfig, _ref: ObjectRef): string[] {
  return [];
}
export function translateL7Unit(_idx: SnapshotIndex, _c: AkoConfig, unit: string): UnitResult {
  return { unit, objects: [], verdicts: [] };
}
