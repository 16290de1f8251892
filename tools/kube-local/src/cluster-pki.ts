import { mkdir, writeFile } from 'node:fs/promises';
import { createCA, createSigningKey, issueCertificate } from '@avi-k8s/pki';
import type { ClusterPaths } from './layout.js';

/** Writes the cluster's CA, serving and admin certificates and service-account key; returns the PEMs needed later. */
export async function writeClusterPki(paths: ClusterPaths, name: string, extraIps: string[] = []) {
  await mkdir(paths.pki, { recursive: true, mode: 0o700 });
  const ca = await createCA(`kube-local-${name}-ca`);
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1', ...extraIps],
    usage: 'server',
  });
  const admin = await issueCertificate(ca, {
    commonName: 'kube-local-admin',
    organizations: ['system:masters'],
    usage: 'client',
  });
  const sa = createSigningKey();
  const files: [string, string][] = [
    [paths.caCert, ca.certPem],
    [paths.caKey, ca.keyPem],
    [paths.servingCert, serving.certPem],
    [paths.servingKey, serving.keyPem],
    [paths.adminCert, admin.certPem],
    [paths.adminKey, admin.keyPem],
    [paths.saPublicKey, sa.publicKeyPem],
    [paths.saPrivateKey, sa.privateKeyPem],
  ];
  await Promise.all(files.map(([path, pem]) => writeFile(path, pem, { mode: 0o600 })));
  return { caPem: ca.certPem, admin, ca };
}
