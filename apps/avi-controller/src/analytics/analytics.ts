// The analytics state of one controller (series store + the recorder the data plane reports to), kept beside the
// controller context, and the entity lookup shared by the metrics and health score answers (tenant visibility as
// for the object itself: another tenant's VS is not found).

import type { Ctl } from '../context.js';
import type { Entry } from '../store/store.js';
import { ApiError } from '../http.js';
import { visible } from '../objects/query.js';
import { SeriesStore } from './series-store.js';
import { createRecorder, type Recorder } from './recorder.js';
import type { EntityKind } from './catalog.js';

export interface Analytics {
  readonly store: SeriesStore;
  readonly recorder: Recorder;
  close(): void;
}

export function createAnalytics(now: () => number = Date.now): Analytics {
  const store = new SeriesStore(now);
  const recorder = createRecorder(store);
  return { store, recorder, close: () => recorder.close() };
}

const attached = new WeakMap<Ctl, Analytics>();

/** Binds analytics to a controller; series of deleted objects are dropped. */
export function attachAnalytics(ctl: Ctl, a: Analytics, onChange: (fn: (changes: Array<{ op: string; uuid: string }>) => void) => () => void): () => void {
  attached.set(ctl, a);
  return onChange((changes) => {
    for (const c of changes) if (c.op === 'delete') a.store.forget(c.uuid);
  });
}

export function analyticsOf(ctl: Ctl): Analytics {
  let a = attached.get(ctl);
  if (!a) attached.set(ctl, (a = createAnalytics()));
  return a;
}

export const ENTITY_KINDS: ReadonlySet<string> = new Set<EntityKind>(['virtualservice', 'pool']);

export function entityKind(segment: string | undefined): EntityKind {
  if (segment === undefined || !ENTITY_KINDS.has(segment)) {
    throw new ApiError(404, `Analytics are served for virtualservice and pool, not '${segment ?? ''}'`);
  }
  return segment as EntityKind;
}

export function findEntity(ctl: Ctl, kind: EntityKind, uuid: string, tenant: string): Entry {
  const meta = ctl.registry.get(kind)!;
  const e = ctl.store.get(uuid);
  if (!e || e.type !== kind || !visible(meta, tenant, e)) throw new ApiError(404, `${meta.model} object not found!`);
  return e;
}

export function visibleEntities(ctl: Ctl, kind: EntityKind, tenant: string): Entry[] {
  const meta = ctl.registry.get(kind)!;
  return [...ctl.store.ofType(kind)].filter((e) => visible(meta, tenant, e));
}
