import 'reflect-metadata';
import { webcrypto, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type Key = webcrypto.CryptoKey;

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** Internal: the CA's signing key, kept to issue certificates. */
  readonly privateKey: Key;
  readonly cert: x509.X509Certificate;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client' | 'both';
  days?: number;
}

export interface SigningKey {
  publicKeyPem: string;
  privateKeyPem: string;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString('hex');
}

function subject(commonName: string, organizations: string[] = []): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(commonName)}`, ...organizations.map((o) => `O=${escape(o)}`)].join(', ');
}

async function exportKeyPem(key: Key): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 5 * 60 * 1000), notAfter: new Date(now + days * DAY_MS) };
}

/** A self-signed CA (ECDSA P-256). */
export async function createCA(commonName: string, days = 3650): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subject(commonName),
    ...validity(days),
    signingAlgorithm: algorithm,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return {
    certPem: cert.toString('pem'),
    keyPem: await exportKeyPem(keys.privateKey),
    privateKey: keys.privateKey,
    cert,
  };
}

/** Re-creates a CA object from PEM files written earlier by createCA. */
export async function loadCA(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPem);
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(keyPem),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  return { certPem, keyPem, privateKey, cert };
}

/** A certificate signed by the CA, for a server, a client or both. */
export async function issueCertificate(ca: CertificateAuthority, req: CertificateRequest): Promise<IssuedCertificate> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const eku: string[] = [];
  if (req.usage !== 'client') eku.push(x509.ExtendedKeyUsage.serverAuth);
  if (req.usage !== 'server') eku.push(x509.ExtendedKeyUsage.clientAuth);
  const altNames = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(eku, false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
  ];
  if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subject(req.commonName, req.organizations),
    issuer: ca.cert.subject,
    ...validity(req.days ?? 825),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey as never,
    signingKey: ca.privateKey as never,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** An EC key pair in PEM (PKIX public key, PKCS#8 private key), e.g. for service-account token signing. */
export function createSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Parses a PEM certificate with Node's own X.509 parser (used by tests and callers that check what they load). */
export function parseCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

export interface SelfSignedRequest {
  /** Distinguished name attributes, e.g. `{CN: 'a.example.com', O: 'Example'}` (CN required). */
  subject: Readonly<Record<string, string>>;
  dnsNames?: string[];
  days?: number;
  key: { type: 'RSA'; bits: 2048 | 3072 | 4096 } | { type: 'EC'; curve: 'P-256' | 'P-384' };
}

/** A self-signed server certificate (not a CA) with a new RSA or EC key. */
export async function createSelfSigned(req: SelfSignedRequest): Promise<IssuedCertificate> {
  const alg =
    req.key.type === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: req.key.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: req.key.curve, hash: req.key.curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const escape = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  const name = Object.entries(req.subject).map(([k, v]) => `${k}=${escape(v)}`).join(', ');
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
  ];
  if (req.dnsNames && req.dnsNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(req.dnsNames.map((value) => ({ type: 'dns' as const, value })), false));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    ...validity(req.days ?? 365),
    signingAlgorithm: alg,
    keys: keys as never,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}
