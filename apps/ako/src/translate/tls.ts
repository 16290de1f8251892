/** TLS material for SSLKeyAndCertificate objects, read from Kubernetes Secrets (`tls.crt`/`tls.key`, optional `alt.*`). */
import type { V1Secret } from '@kubernetes/client-node';
import type { SnapshotIndex } from './snapshot.js';
import { checkPair, pairWarnings, type CheckedPair } from './tls-check.js';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly alt?: { readonly cert: string; readonly key: string };
  /** Why the material, still served, may not work for its clients (expired, host not covered, ...). */
  readonly warnings?: readonly string[];
}

const decode = (b64: string | undefined): string | undefined => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));

interface Checked {
  readonly main: CheckedPair | { readonly problem: string };
  readonly alt?: CheckedPair | { readonly problem: string };
}

/** Parsing a certificate and key is the costly part: once per Secret object (the store keeps objects as they are). */
const checked = new WeakMap<V1Secret, Checked>();

function check(s: V1Secret): Checked {
  const hit = checked.get(s);
  if (hit) return hit;
  const cert = decode(s.data?.['tls.crt']);
  const key = decode(s.data?.['tls.key']);
  const altCert = decode(s.data?.['alt.crt']);
  const altKey = decode(s.data?.['alt.key']);
  const main = cert === undefined || key === undefined ? { problem: 'has no tls.crt and tls.key' } : checkPair(cert, key);
  const out: Checked = {
    main,
    ...(altCert !== undefined && altKey !== undefined ? { alt: checkPair(altCert, altKey, { cert: 'alt.crt', key: 'alt.key' }) } : {}),
  };
  checked.set(s, out);
  return out;
}

/**
 * The Secret's certificate and key, or the reason they cannot be used. With `host`, the warnings say whether the
 * certificate covers it; with the snapshot's `now`, whether it is valid then. An unusable `alt.*` pair is left out
 * with a warning.
 */
export function readTlsSecret(idx: SnapshotIndex, secretKey: string, host?: string): TlsMaterial | { readonly problem: string } {
  const s = idx.secrets.get(secretKey);
  if (!s) return { problem: `TLS Secret ${secretKey} not found` };
  const c = check(s);
  if ('problem' in c.main) return { problem: `TLS Secret ${secretKey}: ${c.main.problem}` };
  const now = idx.snapshot.now;
  const warnings = pairWarnings(c.main, host, now);
  let alt: TlsMaterial['alt'];
  if (c.alt && 'problem' in c.alt) warnings.push(`alt.crt/alt.key not used: ${c.alt.problem}`);
  else if (c.alt) {
    warnings.push(...pairWarnings(c.alt, host, now, 'alt.crt'));
    alt = { cert: c.alt.cert, key: c.alt.key };
  }
  const named = warnings.map((w) => `TLS Secret ${secretKey}: ${w}`);
  return { cert: c.main.cert, key: c.main.key, ...(alt ? { alt } : {}), ...(named.length > 0 ? { warnings: named } : {}) };
}
