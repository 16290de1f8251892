// HTTP/1.1 on a byte stream, for the transport's own keep-alive connections: the request head written in one piece,
// and an incremental response parser (status line, headers, a body by Content-Length, chunked, or until the close).
// Node's http client does the same with a ClientRequest, an IncomingMessage stream, llhttp and the agent's
// bookkeeping per call, which costs about 3x the CPU of the exchange itself at thousands of calls.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { BodyBytes } from './body.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// what Node accepts in a header value (it writes the head as latin1)
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export class HeaderError extends Error {
  readonly code = 'ERR_INVALID_CHAR';
}

/** The request head: request line, Host, the headers (arrays repeated), ending with the blank line. */
export function requestHead(method: string, path: string, host: string, headers: OutgoingHttpHeaders): string {
  if (!TOKEN.test(method)) throw new HeaderError(`invalid method ${JSON.stringify(method)}`);
  if (/[^!-~]/.test(path)) throw new HeaderError(`invalid request path ${JSON.stringify(path)}`);
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined) continue;
    if (!TOKEN.test(name)) throw new HeaderError(`invalid header name ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'connection') continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      const s = String(one);
      if (!VALUE.test(s)) throw new HeaderError(`invalid character in header ${name}`);
      head += `${name}: ${s}\r\n`;
    }
  }
  return `${head}\r\n`;
}

export interface ParsedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** the body's bytes (`text()` decodes them once) */
  body: BodyBytes;
  /** the connection may carry another request */
  keepAlive: boolean;
  /** the server's Keep-Alive timeout, when it says one */
  keepAliveMs?: number;
}

// Headers whose repeats Node's IncomingMessage drops (the first one counts); others are joined with ', '.
const SINGLE = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

export class ProtocolError extends Error {
  readonly code: string = 'EPROTO';
}

/** A body larger than the parser's cap (said by its Content-Length, or as it grows): refused before it is kept. */
export class TooLargeError extends ProtocolError {
  override readonly code = 'ETOOBIG';
  constructor(maxBytes: number) {
    super(`response larger than ${maxBytes} bytes`);
  }
}

const MAX_HEAD_BYTES = 64 * 1024;

type BodyMode = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

/**
 * One response at a time: feed it bytes; `done` is set when the response is complete (bytes after it are an error:
 * nothing was asked for). `close()` tells it the stream ended: a body read until the close is then complete.
 */
export class ResponseParser {
  done: ParsedResponse | undefined;
  private head: Buffer | undefined;
  private res: ParsedResponse | undefined;
  private mode: BodyMode = { kind: 'none' };
  private chunk: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private chunkLeft = 0;
  private line = '';

  /** `maxBytes`: the cap on a body's bytes */
  constructor(
    private readonly noBody: boolean,
    private readonly maxBytes = Infinity,
  ) {}

  /** Throws ProtocolError on a malformed response; bytes after its end make the connection unusable. */
  feed(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      if (this.done) {
        // nothing was asked for: this connection carries no other request
        this.done.keepAlive = false;
        return;
      }
      if (!this.res) {
        at = this.readHead(data, at);
        continue;
      }
      at = this.readBody(data, at);
    }
  }

  /** The stream ended: true when that completes the response. */
  close(): boolean {
    if (this.res && this.mode.kind === 'close') {
      this.finish();
      return true;
    }
    return this.done !== undefined;
  }

  private readHead(data: Buffer, from: number): number {
    let buf: Buffer;
    let searchFrom: number;
    if (this.head === undefined) {
      buf = from === 0 ? data : data.subarray(from);
      searchFrom = 0;
    } else {
      searchFrom = Math.max(0, this.head.length - 3);
      buf = Buffer.concat([this.head, from === 0 ? data : data.subarray(from)]);
    }
    const end = buf.indexOf('\r\n\r\n', searchFrom, 'latin1');
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) throw new ProtocolError('response head too large');
      this.head = Buffer.from(buf);
      return data.length;
    }
    const consumedBefore = this.head?.length ?? 0;
    this.head = undefined;
    this.parseHead(buf.toString('latin1', 0, end));
    // bytes of `data` used up to the end of the head
    return from + (end + 4 - consumedBefore);
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!m) throw new ProtocolError(`bad status line ${JSON.stringify(lines[0]!.slice(0, 80))}`);
    const status = Number(m[2]);
    // 1xx: an interim answer, the real one follows
    if (status >= 100 && status < 200) return;
    const headers: IncomingHttpHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ProtocolError(`bad header line ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const had = headers[name];
      if (name === 'set-cookie') (headers['set-cookie'] ??= []).push(value);
      else if (had === undefined) headers[name] = value;
      else if (!SINGLE.has(name)) headers[name] = `${had as string}${name === 'cookie' ? '; ' : ', '}${value}`;
    }
    const connection = String(headers.connection ?? '').toLowerCase();
    const keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const te = String(headers['transfer-encoding'] ?? '').toLowerCase();
    const cl = headers['content-length'];
    const bodyless = this.noBody || status === 204 || status === 304;
    if (!bodyless && te === '' && cl !== undefined && !/^\d+$/.test(cl)) throw new ProtocolError(`bad content-length ${JSON.stringify(cl)}`);
    // a body of known length: refused at once when too large, else its buffer is allocated once at that size
    const length = !bodyless && te === '' && cl !== undefined ? Number(cl) : undefined;
    if (length !== undefined && length > this.maxBytes) throw new TooLargeError(this.maxBytes);
    const res: ParsedResponse = { status, headers, body: new BodyBytes(length), keepAlive };
    const ka = /timeout=(\d+)/.exec(String(headers['keep-alive'] ?? ''));
    if (ka) res.keepAliveMs = Number(ka[1]) * 1000;
    this.res = res;
    if (bodyless) this.mode = { kind: 'none' };
    else if (te !== '' && te.split(',').pop()!.trim() === 'chunked') this.mode = { kind: 'chunked' };
    else if (te !== '') {
      this.mode = { kind: 'close' };
      res.keepAlive = false;
    } else if (length !== undefined) {
      this.mode = { kind: 'length', left: length };
    } else {
      this.mode = { kind: 'close' };
      res.keepAlive = false;
    }
    if (this.mode.kind === 'none' || (this.mode.kind === 'length' && this.mode.left === 0)) this.finish();
  }

  private take(data: Buffer, from: number, n: number): void {
    const body = this.res!.body;
    if (body.size + n > this.maxBytes) throw new TooLargeError(this.maxBytes);
    body.add(from === 0 && n === data.length ? data : data.subarray(from, from + n));
  }

  private readBody(data: Buffer, at: number): number {
    const mode = this.mode;
    if (mode.kind === 'length') {
      const n = Math.min(mode.left, data.length - at);
      this.take(data, at, n);
      mode.left -= n;
      if (mode.left === 0) this.finish();
      return at + n;
    }
    if (mode.kind === 'close') {
      this.take(data, at, data.length - at);
      return data.length;
    }
    if (mode.kind === 'none') throw new ProtocolError('data after the end of the response');
    return this.readChunked(data, at);
  }

  private readChunked(data: Buffer, at: number): number {
    switch (this.chunk) {
      case 'data': {
        const n = Math.min(this.chunkLeft, data.length - at);
        this.take(data, at, n);
        this.chunkLeft -= n;
        if (this.chunkLeft === 0) this.chunk = 'data-end';
        return at + n;
      }
      default: {
        // a line: the chunk size, the CRLF after a chunk's data, or a trailer line
        const nl = data.indexOf(10, at);
        const end = nl < 0 ? data.length : nl;
        this.line += data.toString('latin1', at, end);
        if (this.line.length > 4096) throw new ProtocolError('chunk line too long');
        if (nl < 0) return data.length;
        const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
        this.line = '';
        if (this.chunk === 'data-end') {
          if (line !== '') throw new ProtocolError('missing CRLF after a chunk');
          this.chunk = 'size';
        } else if (this.chunk === 'size') {
          const hex = line.split(';')[0]!.trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new ProtocolError(`bad chunk size ${JSON.stringify(hex.slice(0, 20))}`);
          this.chunkLeft = parseInt(hex, 16);
          this.chunk = this.chunkLeft === 0 ? 'trailer' : 'data';
        } else if (line === '') this.finish();
        return nl + 1;
      }
    }
  }

  private finish(): void {
    this.done = this.res;
  }
}
