// The transport's own HTTP/1.1 framing against a TLS peer that writes hand-written response bytes, split at every
// awkward place (inside the head, inside a chunk size, between a chunk and its CRLF), with the request it got
// recorded as bytes: what a controller behind another web server (nginx: chunked, Keep-Alive, Connection: close)
// can send, beyond what Node's own server does.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { TransportError, createPool, send } from '../src/transport.js';
import type { ConnectionPool } from '../src/transport.js';

interface Peer {
  port: number;
  caPem: string;
  /** each request's raw bytes, in order */
  requests: string[];
  /** TLS connections accepted */
  connections: number;
  close(): Promise<void>;
}

/**
 * Answers the n-th request with `answers[n]`: a list of pieces written one by one (a short pause between them, so
 * that they arrive as separate reads), then `close` shuts the connection.
 */
async function startPeer(answers: { pieces: string[]; close?: boolean }[]): Promise<Peer> {
  const ca = await createCA('transport-test-ca');
  const leaf = await issueCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server' });
  const peer: Peer = { port: 0, caPem: ca.certPem, requests: [], connections: 0, close: async () => undefined };
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (socket) => {
    peer.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = '';
    socket.on('data', async (d: Buffer) => {
      pending += d.toString('latin1');
      // a request is complete at the end of its head plus its content-length
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const request = pending.slice(0, end + 4 + length);
        pending = pending.slice(request.length);
        const answer = answers[peer.requests.length];
        peer.requests.push(request);
        if (!answer) return socket.destroy();
        for (const piece of answer.pieces) {
          socket.write(piece, 'latin1');
          await new Promise((r) => setTimeout(r, 5));
        }
        if (answer.close) socket.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  peer.port = (server.address() as AddressInfo).port;
  peer.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return peer;
}

let peer: Peer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  pool?.destroy();
  await peer?.close();
  pool = undefined;
  peer = undefined;
});

const poolFor = (p: Peer, maxSockets = 2) => (pool = createPool({ hostname: '127.0.0.1', port: p.port }, { maxSockets, caPem: p.caPem }));

test('one request in one write: request line, host with port, keep-alive, the headers, content-length of the utf-8 body', async () => {
  peer = await startPeer([{ pieces: ['HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}'] }]);
  const res = await send(poolFor(peer), '/api/pool?x=1', 'POST', { 'x-avi-tenant': 'admin', 'content-type': 'application/json' }, '{"name":"é"}', 2000);
  expect(res).toEqual({ status: 201, headers: { 'content-length': '2' }, body: '{}' });
  expect(peer.requests).toEqual([
    `POST /api/pool?x=1 HTTP/1.1\r\nhost: 127.0.0.1:${peer.port}\r\nconnection: keep-alive\r\nx-avi-tenant: admin\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n{"name":"\xc3\xa9"}`,
  ]);
});

test('a chunked answer split inside the head, inside a chunk size and before a chunk CRLF; extensions and trailers', async () => {
  peer = await startPeer([
    {
      pieces: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chu', 'nked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nVary: x\r\nVary: y\r\n\r\n', '5', ';ext=1\r\nhello', '\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n', '\r\n'],
    },
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'] },
  ]);
  const p = poolFor(peer, 1);
  const res = await send(p, '/a', 'GET', {}, undefined, 2000);
  expect(res.status).toBe(200);
  expect(res.body).toBe('hello world');
  expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  expect(res.headers.vary).toBe('x, y');
  // the connection is reused after a complete chunked answer
  expect((await send(p, '/b', 'GET', {}, undefined, 2000)).body).toBe('abc');
  expect(peer.connections).toBe(1);
});

test('an interim 100 Continue is skipped; Connection: close and a body until the close open a new connection', async () => {
  peer = await startPeer([
    { pieces: ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'], close: true },
    { pieces: ['HTTP/1.1 200 OK\r\n\r\nuntil', ' the end'], close: true },
    { pieces: ['HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\n\r\n{"error":"x"}'] },
  ]);
  const p = poolFor(peer, 1);
  expect(await send(p, '/a', 'DELETE', {}, undefined, 2000)).toEqual({ status: 204, headers: { connection: 'close' }, body: '' });
  expect((await send(p, '/b', 'GET', {}, undefined, 2000)).body).toBe('until the end');
  expect(await send(p, '/c', 'GET', {}, undefined, 2000)).toMatchObject({ status: 404, body: '{"error":"x"}' });
  expect(peer.connections).toBe(3);
});

test('an idle connection past the Keep-Alive timeout the server gave is not reused', async () => {
  peer = await startPeer([
    { pieces: ['HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 1\r\n\r\na'] },
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb'] },
  ]);
  const p = poolFor(peer, 1);
  expect((await send(p, '/a', 'GET', {}, undefined, 2000)).body).toBe('a');
  // timeout=1 s minus the 1 s margin: already too old
  await new Promise((r) => setTimeout(r, 20));
  expect((await send(p, '/b', 'GET', {}, undefined, 2000)).body).toBe('b');
  expect(peer.connections).toBe(2);
});

test('failures: a close mid-body is ECONNRESET, a garbled status line EPROTO, silence ETIMEDOUT, CR/LF in a header refused unsent', async () => {
  peer = await startPeer([
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], close: true },
    { pieces: ['HTTP/9 ok\r\n\r\n'] },
    { pieces: [] },
  ]);
  const p = poolFor(peer, 1);
  const code = (pr: Promise<unknown>) => pr.then(() => 'resolved', (e: TransportError) => (e instanceof TransportError ? e.code : `not a TransportError: ${String(e)}`));
  expect(await code(send(p, '/a', 'GET', {}, undefined, 2000))).toBe('ECONNRESET');
  expect(await code(send(p, '/b', 'GET', {}, undefined, 2000))).toBe('EPROTO');
  expect(await code(send(p, '/c', 'GET', {}, undefined, 300))).toBe('ETIMEDOUT');
  expect(await code(send(p, '/d', 'GET', { 'x-avi-tenant': 'a\r\nx-injected: 1' }, undefined, 2000))).toBe('ERR_INVALID_CHAR');
  expect(peer.requests.map((r) => r.split(' ')[1])).toEqual(['/a', '/b', '/c']);
});

test('requests beyond maxSockets wait for a connection; each connection carries one request at a time', async () => {
  const ok = { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'] };
  peer = await startPeer(Array.from({ length: 6 }, () => ok));
  const p = poolFor(peer, 2);
  const all = await Promise.all(Array.from({ length: 6 }, (_, i) => send(p, `/r${i}`, 'GET', {}, undefined, 2000)));
  expect(all.map((r) => r.body)).toEqual(Array(6).fill('ok'));
  expect(peer.connections).toBe(2);
});

test('the certificate is verified against the CA given; another CA fails with the TLS error code', async () => {
  peer = await startPeer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'] }]);
  const other = await createCA('not-the-peer-ca');
  pool = createPool({ hostname: '127.0.0.1', port: peer.port }, { maxSockets: 1, caPem: other.certPem });
  await expect(send(pool, '/', 'GET', {}, undefined, 2000)).rejects.toMatchObject({ name: 'TransportError', code: expect.stringMatching(/CERT|SIGNATURE|VERIFY/) });
});

/** `text` as UTF-8 bytes in latin1 pieces (the peer writes latin1), cut at the given byte offsets. */
function utf8Pieces(text: string, cuts: number[]): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const at = [0, ...cuts, bytes.length];
  return at.slice(1).map((end, i) => bytes.toString('latin1', at[i], end));
}

test('a body in several reads: by Content-Length and chunked, cut inside UTF-8 characters', async () => {
  // 'é' is 2 bytes and '€' 3: the cuts fall inside them
  const small = 'ab€cdé';
  const smallPieces = utf8Pieces(small, [3, 4, 8]);
  const big = `[${Array.from({ length: 16000 }, (_, i) => `"é€${i}"`).join(',')}]`;
  const bigBytes = Buffer.byteLength(big);
  expect(bigBytes).toBeGreaterThan(150_000);
  const chunkCuts = [1, 70_000, 70_001, 140_000, bigBytes - 1];
  const bigChunks = utf8Pieces(big, chunkCuts);
  const chunked = bigChunks.flatMap((c, i) => {
    const head = `${Buffer.byteLength(c, 'latin1').toString(16)}\r\n`;
    // the first chunk's data arrives in the same read as its size; the others in reads of their own
    return i === 0 ? [head + c, '\r\n'] : [head, c, '\r\n'];
  });
  peer = await startPeer([
    { pieces: [`HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(small)}\r\n\r\n${smallPieces[0]}`, ...smallPieces.slice(1)] },
    { pieces: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', ...chunked, '0\r\n\r\n'] },
    { pieces: [`HTTP/1.1 200 OK\r\nContent-Length: ${bigBytes}\r\n\r\n`, ...utf8Pieces(big, [5, 100_000, 100_002])] },
  ]);
  const p = poolFor(peer, 1);
  expect((await send(p, '/small', 'GET', {}, undefined, 2000)).body).toBe(small);
  expect((await send(p, '/chunked', 'GET', {}, undefined, 5000)).body).toBe(big);
  expect((await send(p, '/length', 'GET', {}, undefined, 5000)).body).toBe(big);
  expect(peer.connections).toBe(1);
});

test('a body over maxResponseBytes is ETOOBIG: by its Content-Length before any of it, or a chunked one as it grows', async () => {
  peer = await startPeer([
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'] },
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n'] },
    { pieces: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n', '5\r\n6789a\r\n0\r\n\r\n'] },
    { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'] },
  ]);
  const p = (pool = createPool({ hostname: '127.0.0.1', port: peer.port }, { maxSockets: 1, caPem: peer.caPem, maxResponseBytes: 10 }));
  const code = (pr: Promise<unknown>) => pr.then(() => 'resolved', (e: TransportError) => e.code);
  expect((await send(p, '/at-cap', 'GET', {}, undefined, 2000)).body).toBe('0123456789');
  expect(await code(send(p, '/length', 'GET', {}, undefined, 2000))).toBe('ETOOBIG');
  expect(await code(send(p, '/chunked', 'GET', {}, undefined, 2000))).toBe('ETOOBIG');
  // each refusal closed its connection: the next request has a new one
  expect((await send(p, '/after', 'GET', {}, undefined, 2000)).body).toBe('ok');
  expect(peer.connections).toBe(3);
});
