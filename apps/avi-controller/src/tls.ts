// TLS material: a CA and a server certificate generated with @avi-k8s/pki at first start and kept in
// `<dataDir>/pki`, or a certificate/key given by the operator.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { createCA, issueCertificate, loadCA, parseCertificate } from '@avi-k8s/pki';
import { writeFileAtomic } from './store/persist.js';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  /** The generated CA (undefined when the operator gave the certificate). */
  caPem: string | undefined;
  caPath: string | undefined;
  /** The server certificate, used as the seed's System-Default-Cert. */
  serverCertPem: string;
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function covers(certPem: string, host: string): boolean {
  try {
    const c = parseCertificate(certPem);
    if (new Date(c.validTo).getTime() < Date.now() + 24 * 3600 * 1000) return false;
    return isIP(host) ? c.checkIP(host) !== undefined : c.checkHost(host) !== undefined;
  } catch {
    return false;
  }
}

export async function loadOrCreateTls(dataDir: string, host: string, certFile?: string, keyFile?: string): Promise<TlsMaterial> {
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new Error('--cert and --key must be given together');
    const certPem = read(certFile, 'certificate');
    const keyPem = read(keyFile, 'key');
    try {
      parseCertificate(certPem);
    } catch (e) {
      throw new Error(`certificate ${certFile} is not a valid PEM certificate: ${(e as Error).message}`);
    }
    return { certPem, keyPem, caPem: undefined, caPath: undefined, serverCertPem: certPem };
  }
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  const ca =
    existsSync(caPath) && existsSync(caKeyPath)
      ? await loadCA(read(caPath, 'CA certificate'), read(caKeyPath, 'CA key'))
      : await (async () => {
          const c = await createCA('avi-controller CA');
          writeFileAtomic(caKeyPath, c.keyPem, 0o600);
          writeFileAtomic(caPath, c.certPem);
          return c;
        })();
  const names = ['localhost'];
  const ips = ['127.0.0.1', '::1'];
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  if (isIP(target)) {
    if (!ips.includes(target)) ips.push(target);
  } else if (!names.includes(target)) names.push(target);
  let certPem = existsSync(certPath) ? read(certPath, 'server certificate') : '';
  let keyPem = existsSync(keyPath) ? read(keyPath, 'server key') : '';
  if (!certPem || !keyPem || !covers(certPem, target)) {
    const issued = await issueCertificate(ca, { commonName: 'avi-controller', dnsNames: names, ipAddresses: ips, usage: 'server' });
    certPem = issued.certPem;
    keyPem = issued.keyPem;
    writeFileAtomic(keyPath, keyPem, 0o600);
    writeFileAtomic(certPath, certPem);
  }
  return { certPem, keyPem, caPem: ca.certPem, caPath, serverCertPem: certPem };
}
