/**
 * When a unit must be translated again although no input changed: the next time after `now` at which one of its
 * certificates becomes valid or expires (its warnings change then). Pure: `now` is an input.
 */
import { X509Certificate } from 'node:crypto';
import type { DesiredObject } from '@avi-k8s/avi-sync';

/** Validity of a certificate PEM (its first certificate), by text; bounded so a long run holds little. */
const validity = new Map<string, { from: number; to: number } | null>();
const MAX_CACHED = 20000;

function validityOf(pem: string): { from: number; to: number } | null {
  const hit = validity.get(pem);
  if (hit !== undefined) return hit;
  let v: { from: number; to: number } | null = null;
  try {
    const x = new X509Certificate(pem);
    v = { from: Date.parse(x.validFrom), to: Date.parse(x.validTo) };
  } catch {
    v = null; // not parsed: tls-check rejected it, or it is not ours to judge
  }
  if (validity.size >= MAX_CACHED) validity.clear();
  validity.set(pem, v);
  return v;
}

/** The earliest notBefore/notAfter later than `now` among the unit's SSLKeyAndCertificate objects. */
export function nextCertificateChange(objects: readonly DesiredObject[], now: number): number | undefined {
  let next: number | undefined;
  for (const o of objects) {
    if (o.type !== 'sslkeyandcertificate') continue;
    const pem = (o.body.certificate as { certificate?: unknown } | undefined)?.certificate;
    if (typeof pem !== 'string') continue;
    const v = validityOf(pem);
    if (!v) continue;
    // notAfter is the last valid instant: the certificate is expired just after it.
    for (const t of [v.from, v.to + 1]) if (t > now && (next === undefined || t < next)) next = t;
  }
  return next;
}
