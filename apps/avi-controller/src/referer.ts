// Writes in a session must carry a Referer (the controller's CSRF protection checks it, as Django does; the
// official SDKs always send `Referer: https://<controller>`). Basic-authenticated writes need none.

import type { IncomingMessage } from 'node:http';
import { ApiError } from './http.js';

export function checkReferer(req: IncomingMessage): void {
  const h = req.headers.referer;
  const referer = Array.isArray(h) ? h[0] : h;
  if (!referer || referer.trim() === '') throw new ApiError(403, 'CSRF Failed: Referer checking failed - no Referer.');
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    throw new ApiError(403, 'CSRF Failed: Referer checking failed - Referer is malformed.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError(403, 'CSRF Failed: Referer checking failed - Referer is malformed.');
}
