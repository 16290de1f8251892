// X-Avi-Version handling: missing means the old default, newer than the controller is refused.

import { ApiError } from './http.js';

/** What a request without X-Avi-Version gets (DOC-VER). */
export const DEFAULT_API_VERSION = '16.4.1';

export function parseVersion(v: string): number[] | undefined {
  if (!/^\d+(\.\d+){0,3}$/.test(v.trim())) return undefined;
  return v.trim().split('.').map((x) => Number(x));
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Returns the API version the request is served at, or throws the controller's 400. */
export function requestVersion(header: string | string[] | undefined, controllerVersion: string): string {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') return DEFAULT_API_VERSION;
  const parsed = parseVersion(raw);
  if (!parsed) throw new ApiError(400, `Invalid version ${raw}`);
  if (compareVersions(parsed, parseVersion(controllerVersion)!) > 0) {
    throw new ApiError(400, `Invalid version ${raw}: newer than the controller version ${controllerVersion}`);
  }
  return raw.trim();
}
