export { createCA, loadCA, issueCertificate, createSelfSigned, createSigningKey, parseCertificate } from './pki.js';
export type { CertificateAuthority, IssuedCertificate, CertificateRequest, SelfSignedRequest, SigningKey } from './pki.js';
