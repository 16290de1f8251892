/**
 * Checks of a TLS Secret's certificate and key (node:crypto, no I/O, no clock: `now` is an input). Problems make the
 * pair unusable (no PEM, a PEM that does not parse, an encrypted key, a key of another certificate); warnings leave it
 * served (expired or not yet valid, host not covered, text outside the PEM blocks, which is then left out).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface CheckedPair {
  /** The certificate chain and key as sent to Avi: the Secret's text, or only its PEM blocks when it had more. */
  readonly cert: string;
  readonly key: string;
  readonly validFrom: number;
  readonly validTo: number;
  /**
   * The leaf certificate as PEM, not as an X509Certificate: each of those holds ~9 KiB of native memory for as long
   * as it lives (500 TLS Secrets kept ~1000 of them, ~9 MiB). It is parsed again when a host is first checked.
   */
  readonly leafPem: string;
  /** Its SAN (else subject), as the warning names it. */
  readonly names: string;
  /** Host-independent warnings (text outside the PEM blocks). */
  readonly warnings: readonly string[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----\r?\n?/g;

interface Pem {
  readonly blocks: readonly { readonly type: string; readonly text: string; readonly body: string }[];
  /** Non-blank text outside the blocks. */
  readonly outside: boolean;
}

function pemBlocks(text: string): Pem {
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({ type: m[1]!, text: m[0].endsWith('\n') ? m[0] : `${m[0]}\n`, body: m[2]! }));
  return { blocks, outside: text.replace(BLOCK, '').trim() !== '' };
}

const KEY_TYPES = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const short = (e: unknown): string => (e instanceof Error ? e.message.replace(/^error:[0-9A-F]+:/, '') : String(e));

/** The pair's problem, or the pair as it is served. `what` names the Secret keys (`tls.crt`/`tls.key`). */
export function checkPair(certText: string, keyText: string, what = { cert: 'tls.crt', key: 'tls.key' }): CheckedPair | { readonly problem: string } {
  const certPem = pemBlocks(certText);
  const certs = certPem.blocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) return { problem: `${what.cert} holds no PEM certificate` };
  const parsed: X509Certificate[] = [];
  for (const [i, b] of certs.entries()) {
    try {
      parsed.push(new X509Certificate(b.text));
    } catch (e) {
      return { problem: `${what.cert}: PEM certificate ${i + 1} does not parse as X.509 (${short(e)})` };
    }
  }
  const keyPem = pemBlocks(keyText);
  const keyBlock = keyPem.blocks.find((b) => KEY_TYPES.has(b.type));
  if (!keyBlock) return { problem: `${what.key} holds no PEM private key` };
  if (keyBlock.type === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(keyBlock.body)) {
    return { problem: `${what.key} is encrypted (passphrase-protected); AKO needs an unencrypted key` };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyBlock.text);
  } catch (e) {
    return { problem: `${what.key} does not parse as a private key (${short(e)})` };
  }
  const leaf = parsed[0]!;
  if (!leaf.checkPrivateKey(key)) return { problem: `${what.key} is not the key of the certificate in ${what.cert} (${leaf.subject.replace(/\n/g, ', ')})` };
  const warnings: string[] = [];
  const extra = certPem.outside || certPem.blocks.length !== certs.length;
  if (extra) warnings.push(`${what.cert} has text outside its PEM certificates; only the certificates are used`);
  // An `EC PARAMETERS` block before an EC key (openssl ecparam -genkey) is part of the key file, not garbage.
  const keyExtra = keyPem.outside || keyPem.blocks.some((b) => b !== keyBlock && !b.type.endsWith('PARAMETERS'));
  if (keyExtra) warnings.push(`${what.key} has text outside its PEM private key; only the key is used`);
  return {
    cert: extra ? certs.map((b) => b.text).join('') : certText,
    key: keyExtra ? keyBlock.text : keyText,
    validFrom: Date.parse(leaf.validFrom),
    validTo: Date.parse(leaf.validTo),
    leafPem: certs[0]!.text,
    names: leaf.subjectAltName ?? leaf.subject.replace(/\n/g, ', '),
    warnings,
  };
}

/** Whether the certificate covers `host` (SAN DNS names, else the CN; a wildcard host needs the same wildcard). */
export function coversHost(leaf: X509Certificate, host: string): boolean {
  const h = host.toLowerCase();
  if (h.startsWith('*.')) {
    const sans = (leaf.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase());
    const names = sans.length > 0 ? sans : [/(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1]?.toLowerCase() ?? ''];
    return names.includes(h);
  }
  return leaf.checkHost(h, { partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}

/** Whether a pair's certificate covers a host, by host, once checked (a pair serves the few hosts naming its Secret). */
const coverage = new WeakMap<CheckedPair, Map<string, boolean>>();

function covered(p: CheckedPair, host: string): boolean {
  let byHost = coverage.get(p);
  if (!byHost) coverage.set(p, (byHost = new Map()));
  let yes = byHost.get(host);
  if (yes === undefined) {
    yes = coversHost(new X509Certificate(p.leafPem), host);
    if (byHost.size >= 64) byHost.clear();
    byHost.set(host, yes);
  }
  return yes;
}

/** The warnings of a usable pair for one host at `now` (ms; undefined: validity not checked). */
export function pairWarnings(p: CheckedPair, host: string | undefined, now: number | undefined, what = 'tls.crt'): string[] {
  const out = [...p.warnings];
  if (now !== undefined && now < p.validFrom) out.push(`the certificate in ${what} is not valid before ${new Date(p.validFrom).toISOString()}`);
  if (now !== undefined && now > p.validTo) out.push(`the certificate in ${what} expired at ${new Date(p.validTo).toISOString()}`);
  if (host && !covered(p, host)) out.push(`the certificate in ${what} (${p.names}) does not cover host ${host}`);
  return out;
}
