import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCA, issueCertificate, loadCA, parseCertificate, createSigningKey } from '../src/index.js';
import { createSign, createVerify } from 'node:crypto';

describe('pki', () => {
  it('issues a server certificate that a TLS client verifies against the CA, and a client certificate the server verifies', async () => {
    const ca = await createCA('test-ca');
    const server = await issueCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server' });
    const client = await issueCertificate(ca, { commonName: 'alice', organizations: ['system:masters'], usage: 'client' });
    const srv = createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(JSON.stringify({ cn: peer.subject.CN, o: peer.subject.O }));
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as AddressInfo).port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca: ca.certPem, cert: client.certPem, key: client.keyPem }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve(data));
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body)).toEqual({ cn: 'alice', o: 'system:masters' });
    } finally {
      srv.close();
    }
  });

  it('rejects a server certificate from another CA', async () => {
    const ca = await createCA('ca-1');
    const other = await createCA('ca-2');
    const server = await issueCertificate(other, { commonName: 'localhost', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const srv = createServer({ cert: server.certPem, key: server.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as AddressInfo).port;
    try {
      const err = await new Promise<Error>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca: ca.certPem }, () => resolve(new Error('connected')));
        req.on('error', resolve);
        req.end();
      });
      expect((err as NodeJS.ErrnoException).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      srv.close();
    }
  });

  it('reloads a CA from PEM and keeps issuing verifiable certificates', async () => {
    const ca = await createCA('reload-ca');
    const again = await loadCA(ca.certPem, ca.keyPem);
    const leaf = await issueCertificate(again, { commonName: 'svc', dnsNames: ['svc.example'], usage: 'both' });
    const cert = parseCertificate(leaf.certPem);
    expect(cert.verify(parseCertificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:svc.example');
    expect(parseCertificate(ca.certPem).ca).toBe(true);
  });

  it('creates a signing key pair whose signatures verify', () => {
    const key = createSigningKey();
    const sig = createSign('SHA256').update('payload').sign(key.privateKeyPem);
    expect(createVerify('SHA256').update('payload').verify(key.publicKeyPem, sig)).toBe(true);
    expect(key.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });
});
