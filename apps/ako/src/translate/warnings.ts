/**
 * Warnings: an input that is served but degraded (an expired certificate, a backend with no ready endpoint, an
 * annotation value AKO does not understand). Beside the verdicts, not in them: the object stays accepted, and the
 * status stage turns each warning into a Warning Event on the object. Pure data.
 */
import { cmp } from './snapshot.js';

export type WarningReason = 'CertificateWarning' | 'BackendWarning' | 'InvalidAnnotation' | 'NotApplied';

export interface ObjectWarning {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** The Event reason. */
  readonly reason: WarningReason;
  readonly message: string;
}

export const warning = (kind: string, namespace: string, name: string, reason: WarningReason, message: string): ObjectWarning => ({ kind, namespace, name, reason, message });

export const warningKey = (w: ObjectWarning): string => `${w.kind}/${w.namespace}/${w.name}`;

/** Distinct warnings, sorted by object, reason and message. */
export function mergeWarnings(ws: Iterable<ObjectWarning>): ObjectWarning[] {
  const seen = new Map<string, ObjectWarning>();
  for (const w of ws) seen.set(`${warningKey(w)}\u0000${w.reason}\u0000${w.message}`, w);
  return [...seen.values()].sort(
    (a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.reason, b.reason) || cmp(a.message, b.message),
  );
}

/** An annotation AKO reads as a boolean: `true`/`false` (as the Go AKO compares them), anything else warned about. */
export function boolAnnotationWarning(kind: string, namespace: string, name: string, annotations: Readonly<Record<string, string>> | undefined, key: string): ObjectWarning[] {
  const v = annotations?.[key];
  if (v === undefined || v === 'true' || v === 'false') return [];
  return [warning(kind, namespace, name, 'InvalidAnnotation', `annotation ${key}: ${JSON.stringify(v)} is neither "true" nor "false"; read as false`)];
}
