// Small HTTP helpers: errors that carry the controller's status and body, JSON replies, bodies, cookies.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered to the client as-is: `{"error": message}` (plus extra keys), or a plain-text body. */
export class ApiError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly plainText: boolean;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}, plainText = false) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.plainText = plainText;
  }
}

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON request body; an empty body is `undefined`. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new ApiError(400, `JSON parse error: ${(e as Error).message}`);
  }
}

/** Login bodies arrive as JSON (Go SDK) or form-encoded (Python SDK, docs). */
export function parseLoginBody(raw: Buffer, contentType: string | undefined): Record<string, string> {
  const text = raw.toString('utf8');
  const looksJson = /json/i.test(contentType ?? '') || /^\s*\{/.test(text);
  if (looksJson) {
    const v = parseJsonBody(raw);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, 'Login body must be a JSON object');
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
    return out;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    // A repeated name (two sessions of one client in one jar) counts with its last value, as on the controller.
    out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, given: Record<string, string | string[]> = {}): void {
  // A 429 always says when to come back (the SDKs honour Retry-After).
  const headers = err.status === 429 && given['Retry-After'] === undefined ? { ...given, 'Retry-After': '1' } : given;
  if (err.plainText) {
    // The controller answers CSRF failures with plain text under a JSON content type.
    res.writeHead(err.status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(err.message) });
    res.end(err.message);
    return;
  }
  sendJson(res, err.status, { error: err.message, ...err.extra }, headers);
}

/** Collapses repeated slashes and drops one trailing slash: `//api/vsvip/` -> `/api/vsvip`. */
export function normalisePath(raw: string): string {
  let p = raw.replace(/\/{2,}/g, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** `include_name`, `include_name=`, `include_name=true|True` are all true; `false`/`0` are false. */
export function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !/^(false|0|no)$/i.test(v);
}
