/**
 * Which of two Kubernetes objects came first: creationTimestamp, then namespace, name and kind. The older one keeps
 * what both claim (a host, an Avi name); the order never depends on the order objects arrive in.
 */
import { cmp } from './snapshot.js';

export interface Claimant {
  readonly kind: 'Ingress' | 'Service';
  readonly namespace: string;
  readonly name: string;
  /** creationTimestamp as an ISO string ('' when absent: sorts first). */
  readonly created: string;
}

/** creationTimestamp as an ISO string ('' when absent or not a date). client-node gives a Date, YAML a string. */
export function createdOf(o: { metadata?: { creationTimestamp?: Date | string } }): string {
  const t = o.metadata?.creationTimestamp;
  if (t === undefined || t === null || t === '') return '';
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function claimantOf(kind: Claimant['kind'], o: { metadata?: { namespace?: string; name?: string; creationTimestamp?: Date | string } }): Claimant {
  return { kind, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', created: createdOf(o) };
}

/** Negative when `a` came first. */
export const olderFirst = (a: Claimant, b: Claimant): number =>
  cmp(a.created, b.created) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.kind, b.kind);

export const describe = (c: Claimant): string => `${c.kind} ${c.namespace}/${c.name}`;
