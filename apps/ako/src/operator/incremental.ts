// Translation that recomputes only the units (an L4 Service or shared-VIP group, a shard VS, an Ingress) that the
// Kubernetes changes since the last pass can affect, and reuses the rest. translate()'s contract makes this equal
// to a full translation (tested in the translate tests); `verify` (tests) recomputes in full and fails the pass
// on any difference.
import type * as k8s from '@kubernetes/client-node';
import type { Logger } from '@avi-k8s/kube';
import {
  combine,
  indexSnapshot,
  translate,
  translateUnit,
  translationUnits,
  unitsAffectedBy,
  validateConfig,
  type AkoConfig,
  type ObjectRef,
  type Snapshot,
  type SnapshotIndex,
  type TranslateResult,
  type UnitResult,
} from '../translate/index.js';

/** After this many changed objects in one pass a full translation is cheaper than finding the affected units. */
const FULL_ABOVE = 500;

export interface IncrementalTranslator {
  /** Records a changed Kubernetes object (from the informers). */
  changed(kind: string, obj: k8s.KubernetesObject): void;
  translate(snapshot: () => Snapshot): TranslateResult;
  /** Units recomputed by the last pass (all of them when it was a full pass). */
  readonly lastRecomputed: number;
}

export function incrementalTranslator(config: AkoConfig, logger: Logger, verify = false): IncrementalTranslator {
  let cache: { idx: SnapshotIndex; units: Map<string, UnitResult> } | undefined;
  let dirty = new Map<string, ObjectRef>();
  let lastRecomputed = 0;
  const valid = validateConfig(config).length === 0;

  return {
    changed(kind, obj) {
      const ref = { kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' } as ObjectRef;
      dirty.set(`${ref.kind}/${ref.namespace}/${ref.name}`, ref);
    },
    translate(snapshot) {
      // Take the changes first: one arriving while the snapshot is built is then seen again next pass (harmless).
      const changes = [...dirty.values()];
      dirty = new Map();
      const snap = snapshot();
      if (!valid) return translate(snap, config);
      const idx = indexSnapshot(snap);
      const all = translationUnits(idx, config);
      const affected = new Set<string>();
      const full = !cache || changes.length > FULL_ABOVE;
      if (!full) {
        for (const ref of changes) {
          for (const u of unitsAffectedBy(cache!.idx, config, ref)) affected.add(u);
          for (const u of unitsAffectedBy(idx, config, ref)) affected.add(u);
        }
      }
      const units = new Map<string, UnitResult>();
      for (const u of all) {
        const reuse = !full && !affected.has(u) ? cache!.units.get(u) : undefined;
        units.set(u, reuse ?? translateUnit(idx, config, u));
      }
      lastRecomputed = full ? all.length : all.filter((u) => affected.has(u) || !cache!.units.has(u)).length;
      cache = { idx, units };
      const result = combine([...units.values()]);
      if (verify && JSON.stringify(translate(snap, config)) !== JSON.stringify(result)) {
        cache = undefined;
        logger.error('incremental translation differs from a full one', { key: config.clusterName, changes: changes.map((c) => `${c.kind}/${c.namespace}/${c.name}`) });
        throw new Error(`incremental translation differs from a full one after ${changes.length} changes`);
      }
      return result;
    },
    get lastRecomputed() {
      return lastRecomputed;
    },
  };
}
