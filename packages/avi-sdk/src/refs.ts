// Avi object references: `https://host/api/<type>/<uuid>#<name>`, `/api/<type>/<uuid>`, `/api/<type>/?name=<n>`.

export interface ParsedRef {
  /** API path name, e.g. `pool` */
  type: string;
  uuid?: string;
  /** from `#name` or from `?name=` */
  name?: string;
  /** host[:port] when the ref was an absolute URL */
  host?: string;
}

/**
 * Parse a reference in any of the forms controllers return or accept. Returns undefined for anything that is not
 * an `/api/<type>...` reference.
 */
export function parseRef(ref: string): ParsedRef | undefined {
  if (typeof ref !== 'string' || ref.length === 0) return undefined;
  let url: URL;
  try {
    url = new URL(ref, 'https://ref.invalid');
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  if (segments[0] !== 'api' || segments.length < 2 || segments.length > 3) return undefined;
  const out: ParsedRef = { type: decodeURIComponent(segments[1]!) };
  if (segments[2] !== undefined) out.uuid = decodeURIComponent(segments[2]);
  const hashName = url.hash.length > 1 ? safeDecode(url.hash.slice(1)) : undefined;
  const queryName = url.searchParams.get('name') ?? undefined;
  const name = hashName ?? queryName;
  if (name !== undefined) out.name = name;
  if (out.uuid === undefined && out.name === undefined) return undefined;
  if (url.host !== 'ref.invalid') out.host = url.host;
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `/api/<type>/?name=<name>` (name URL-escaped), the by-name form controllers resolve on write. */
export function refByName(type: string, name: string): string {
  return `/api/${type}/?name=${encodeURIComponent(name)}`;
}

/** `/api/<type>/<uuid>` */
export function refByUuid(type: string, uuid: string): string {
  return `/api/${type}/${encodeURIComponent(uuid)}`;
}

/** The uuid of a ref (drops host and `#name`), or undefined for a by-name ref. */
export const uuidFromRef = (ref: string): string | undefined => parseRef(ref)?.uuid;

/** The name of a ref from `#name` or `?name=`, or undefined. */
export const nameFromRef = (ref: string): string | undefined => parseRef(ref)?.name;
