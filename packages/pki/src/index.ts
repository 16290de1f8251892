export { createCA, loadCA, issueCertificate, createSigningKey, parseCertificate } from './pki.js';
export type { CertificateAuthority, IssuedCertificate, CertificateRequest, SigningKey } from './pki.js';
