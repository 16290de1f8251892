// A restart with nothing changed translates each unit once. The boot translation (the desired checksums, made before
// the first sync) is kept per unit in a small form until the unit's first sync: if nothing the unit reads changed
// meanwhile and every object it desires is on the controller with the checksum it desires (the bodies read at boot
// already compared, adopt.ts), the first sync writes nothing, so it gives the status stage this kept result instead
// of translating the unit again. Anything else (a change, a missing or drifted object) syncs the unit as usual.
import { AKO_TYPE_ORDER, parseRef, type AviBody, type DesiredObject } from '@avi-k8s/avi-sync';
import type { UnitResult } from '../translate/index.js';
import { STATUS_METADATA_KEYS } from './lb-status.js';
import type { ObservedState } from './observed.js';

export interface BootResult {
  /** The unit's result with each body reduced to what the status stage reads (statusView). */
  readonly result: UnitResult;
  /** Object key -> the checksum the unit desires. */
  readonly want: ReadonlyMap<string, string>;
}

/**
 * The types of the refs kept: AKO's own types, the objects of a unit. The status stage follows some of them
 * (lb-status.ts: pool group members' pools, a shard's datascript's pool groups, an L4 policy's pools, a VS's pool,
 * pool group, datascripts, L4 policies, VsVip and parent), and a failure's report all of them (served.ts: what a failed
 * object serves, through what uses it and what it uses). Refs to anything else (tenant, cloud, VRF, profiles: most refs
 * of every body) are not kept: at 10k hosts the kept boot results were ~31 MiB of a restart's peak.
 */
const STATUS_REF_TYPES: ReadonlySet<string> = new Set(AKO_TYPE_ORDER);

/** Bodies statusBody made. */
const reduced = new WeakSet<AviBody>();

/**
 * A body reduced to the refs it holds (kept at their paths) and its service_metadata: what the status stage reads of
 * a desired object (lb-status.ts: which VS serves which pool through which pool group, datascript or L4 policy, its
 * VsVip or its parent's, and the Kubernetes objects service_metadata names). Servers, policies' matches,
 * certificates and scripts are dropped.
 */
export function statusBody(body: AviBody): AviBody {
  // A body reduced already (a shard memo's stub, translate/shard-memo.ts) is its own reduction.
  if (reduced.has(body)) return body;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('/api/') && STATUS_REF_TYPES.has(parseRef(v)?.type ?? '') ? v : undefined;
    // Indexed and for-in loops: run on every body of every unit synced, map/filter and Object.entries allocated an
    // array per array and a pair per member.
    if (Array.isArray(v)) {
      // Elements holding no ref are dropped (the status stage looks elements up by their refs, not by position).
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const w = walk(v[i]);
        if (w !== undefined) (out ??= []).push(w);
      }
      return out;
    }
    if (v === null || typeof v !== 'object') return undefined;
    let out: Record<string, unknown> | undefined;
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const w = walk((v as Record<string, unknown>)[k]);
      if (w !== undefined) (out ??= {})[k] = w;
    }
    return out;
  };
  const out = (walk(body) ?? {}) as AviBody;
  if (typeof body.service_metadata === 'string') out.service_metadata = statusMetadata(body.service_metadata);
  reduced.add(out);
  return out;
}

/**
 * service_metadata with only the keys the status stage reads (null ones left out: read as absent). Ours has the Go
 * AKO's every key (~400 bytes): thousands were kept with the boot results at a restart. Text that is not a JSON object
 * is kept as it is.
 */
export function statusMetadata(text: string): string {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return text;
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return text;
  const out: Record<string, unknown> = {};
  for (const k of STATUS_METADATA_KEYS) {
    const v = (m as Record<string, unknown>)[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return JSON.stringify(out);
}

/** A unit's result as the status stage reads it: each body reduced to statusBody (the rest as it is). */
export function statusResult(r: UnitResult): UnitResult {
  // A shard memo's stub is reduced already: it is given as itself, not copied (a shard's thousands per change).
  const objects: DesiredObject[] = r.objects.map((o) => {
    const body = statusBody(o.body);
    return body === o.body ? o : { tenant: o.tenant, type: o.type, name: o.name, checksum: o.checksum, body };
  });
  return { ...r, objects };
}

/** What is kept of a unit's boot translation: no bodies beyond statusBody, no served map (only failures read it). */
export function bootResult(r: UnitResult, want: ReadonlyMap<string, string>): BootResult {
  const { served: _failuresOnly, ...result } = statusResult(r);
  return { result, want };
}

/**
 * Whether the object `k` is on the controller as `unit` desires it (checksum `sum`): no body read at boot waits to be
 * compared, and no other unit desires it differently. Such an object gets no write.
 */
export function asDesired(state: ObservedState, unit: string, k: string, sum: string): boolean {
  return state.objects.get(k)?.checksum === sum && !state.hasFresh(k) && !state.othersClaiming(k, unit).some(([, s]) => s !== sum);
}

/**
 * Whether a sync of `unit` desiring `want` would write nothing: every desired object is owned with that checksum and
 * no body read at boot waits to be compared, no other unit desires one of them differently, and the unit owns
 * nothing it no longer desires.
 */
export function upToDate(unit: string, want: ReadonlyMap<string, string>, state: ObservedState): boolean {
  for (const [k, sum] of want) if (!asDesired(state, unit, k, sum)) return false;
  for (const k of state.ownedBy(unit)) if (!want.has(k) || state.hasFresh(k)) return false;
  return true;
}
