/** TLS material for SSLKeyAndCertificate objects, read from Kubernetes Secrets (`tls.crt`/`tls.key`, optional `alt.*`). */
import type { SnapshotIndex } from './snapshot.js';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly alt?: { readonly cert: string; readonly key: string };
}

const decode = (b64: string | undefined): string | undefined => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));
const isPem = (s: string | undefined, what: string): s is string => s !== undefined && s.includes(`-----BEGIN ${what}`);

/** The Secret's certificate and key, or the reason they cannot be used. */
export function readTlsSecret(idx: SnapshotIndex, secretKey: string): TlsMaterial | { readonly problem: string } {
  const s = idx.secrets.get(secretKey);
  if (!s) return { problem: `TLS Secret ${secretKey} not found` };
  const cert = decode(s.data?.['tls.crt']);
  const key = decode(s.data?.['tls.key']);
  if (!isPem(cert, 'CERTIFICATE') || !isPem(key, '') ) return { problem: `TLS Secret ${secretKey} has no PEM tls.crt and tls.key` };
  const altCert = decode(s.data?.['alt.crt']);
  const altKey = decode(s.data?.['alt.key']);
  return isPem(altCert, 'CERTIFICATE') && isPem(altKey, '') ? { cert, key, alt: { cert: altCert, key: altKey } } : { cert, key };
}
