// What one translate() pass may keep for the next (issue 15: every pass used to rebuild and checksum every
// GslbService and monitor, ~50 MiB of garbage per pass at 1000 FQDNs). Purely a cache: translate's result is the
// same with or without it (test/translate/memo.test.ts).
// - the host metas of each member object, by object identity (the informers replace an object when it changes);
// - the desired objects of each GslbService with a fingerprint of everything they are built from (its domain names,
//   its GSLBHostRule, its selected sources; the policy, facts and config of the pass as a whole, which clear the
//   cache when they change). Only GslbServices of the last pass are kept.
import type { DesiredObject } from '@avi-k8s/avi-sync';
import type { Extracted } from './members.js';

export interface TranslateMemo {
  /** Fingerprint of the pass-wide inputs the entries were built with. */
  global?: string;
  objects: Map<string, { fp: string; objects: DesiredObject[] }>;
  extracted: Map<string, WeakMap<object, Extracted>>;
}

export function createTranslateMemo(): TranslateMemo {
  return { objects: new Map(), extracted: new Map() };
}

/** EXTRACT(obj) for CLUSTER, computed once per object. */
export function memoExtract<T extends object>(memo: TranslateMemo | undefined, cluster: string, obj: T, extract: (cluster: string, obj: T) => Extracted): Extracted {
  if (!memo) return extract(cluster, obj);
  let byObj = memo.extracted.get(cluster);
  if (!byObj) memo.extracted.set(cluster, (byObj = new WeakMap()));
  let e = byObj.get(obj);
  if (!e) byObj.set(obj, (e = extract(cluster, obj)));
  return e;
}
