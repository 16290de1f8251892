// The pool options the apiserver client needs (packages/kube/src/raw.ts): plain TCP for an http:// server, and a
// client certificate presented to a TLS server that requires one (as kube-apiserver authenticates a kubeconfig's
// client-certificate-data), verified against the server's CA.
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { createPool, send, targetOf, TransportError, type ConnectionPool } from '../src/index.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** Answers every request with 200 and `body(socket)`; one request per read is enough for these tests. */
function answer(socket: net.Socket, body: string): void {
  socket.on('data', () => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

function track(pool: ConnectionPool): ConnectionPool {
  closers.push(() => pool.destroy());
  return pool;
}

test('a plaintext pool speaks HTTP/1.1 over TCP; an http:// origin defaults to port 80, https:// to 443', async () => {
  let request = '';
  const port = await listen(
    net.createServer((s) => {
      s.once('data', (d) => (request = d.toString('latin1')));
      answer(s, 'plain');
    }),
  );
  const pool = track(createPool({ hostname: '127.0.0.1', port }, { maxSockets: 1, plaintext: true }));
  const res = await send(pool, '/x', 'GET', {}, undefined, 2000);
  expect(res).toMatchObject({ status: 200, body: 'plain' });
  expect(request).toBe(`GET /x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n\r\n`);
  expect(targetOf('http://example.test')).toEqual({ hostname: 'example.test', port: 80, defaultPort: 80 });
  expect(targetOf('https://[::1]:8443')).toEqual({ hostname: '::1', port: 8443, defaultPort: 443 });
});

test('a client certificate is presented to a server that requires one; without it the server refuses the handshake', async () => {
  const ca = await createCA('pool-options-ca');
  const server = await issueCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server' });
  const client = await issueCertificate(ca, { commonName: 'operator', usage: 'client' });
  const port = await listen(
    tls.createServer({ key: server.keyPem, cert: server.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (s) => {
      answer(s, `hello ${(s.getPeerCertificate().subject as { CN?: string } | undefined)?.CN ?? '?'}`);
    }),
  );
  const withCert = track(createPool({ hostname: '127.0.0.1', port }, { maxSockets: 1, caPem: ca.certPem, clientCert: { cert: client.certPem, key: client.keyPem } }));
  expect((await send(withCert, '/', 'GET', {}, undefined, 2000)).body).toBe('hello operator');
  const without = track(createPool({ hostname: '127.0.0.1', port }, { maxSockets: 1, caPem: ca.certPem }));
  await expect(send(without, '/', 'GET', {}, undefined, 2000)).rejects.toBeInstanceOf(TransportError);
});

test('servername: the certificate is checked against the name given, not the address connected to', async () => {
  const ca = await createCA('pool-options-sni-ca');
  const server = await issueCertificate(ca, { commonName: 'kubernetes', dnsNames: ['kubernetes.default'], usage: 'server' });
  const port = await listen(tls.createServer({ key: server.keyPem, cert: server.certPem }, (s) => answer(s, 'ok')));
  const byName = track(createPool({ hostname: '127.0.0.1', port }, { maxSockets: 1, caPem: ca.certPem, servername: 'kubernetes.default' }));
  expect((await send(byName, '/', 'GET', {}, undefined, 2000)).body).toBe('ok');
  const byAddress = track(createPool({ hostname: '127.0.0.1', port }, { maxSockets: 1, caPem: ca.certPem }));
  await expect(send(byAddress, '/', 'GET', {}, undefined, 2000)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
});
