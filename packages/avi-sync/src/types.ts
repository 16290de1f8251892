/** Plain data shared by plan() and execute(). */

/** An Avi object body (the JSON sent to / read from the controller). */
export type AviBody = Record<string, unknown>;

/** Identity of an owned object: names are unique per (tenant, type) on the controller. */
export interface ObjectKey {
  readonly tenant: string;
  readonly type: string;
  readonly name: string;
}

/** What we want on the controller. `checksum` is computed from `body` (see makeDesired). */
export interface DesiredObject extends ObjectKey {
  readonly body: AviBody;
  readonly checksum: string;
  /** Extra dependencies not expressed as refs inside the body (the "structured ref" form). */
  readonly dependsOn?: readonly ObjectKey[];
}

/** What the controller holds (found by created_by/markers at start, then tracked by execute()). */
export interface ObservedObject extends ObjectKey {
  readonly uuid: string;
  /** Checksum stored on the object (e.g. cloud_config_cksum) or recomputed from it; undefined = unknown. */
  readonly checksum?: string;
  /** The body as last written or read; its refs order deletes. Without it deletes fall back to typeOrder. */
  readonly body?: AviBody;
}

export type OperationKind = 'create' | 'update' | 'delete';

export interface Operation extends ObjectKey {
  /** Unique within a plan: `<kind>:<tenant>/<type>/<name>`. */
  readonly id: string;
  readonly kind: OperationKind;
  /** Present for update and delete. */
  readonly uuid?: string;
  /** Present for create and update. */
  readonly body?: AviBody;
  /** Present for create and update: the checksum the object will carry once written. */
  readonly checksum?: string;
  /** Ids of operations that must succeed before this one runs. */
  readonly dependsOn: readonly string[];
  /** Key (`tenant/type/name`) of the top-level object (e.g. the VS) whose batch this op belongs to. */
  readonly group: string;
}

/** A desired object that could not be planned (cycle, or depends on something that could not). */
export interface Rejection extends ObjectKey {
  readonly reason: string;
}

/** An owned object that is not desired but is kept because a desired object still references it. */
export interface Retention extends ObjectKey {
  readonly reason: string;
}

export interface Plan {
  /** In a valid execution order (dependencies first). */
  readonly ops: readonly Operation[];
  readonly rejected: readonly Rejection[];
  readonly retained: readonly Retention[];
}
