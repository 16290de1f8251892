// One error type for everything that goes wrong talking to a controller, with a classification callers (and
// the retry loop) can act on without matching message strings themselves.

/**
 * - transient: transport failure or a server error that may go away on its own (retry soon)
 * - retry-later: the controller asks to come back later (429, 503, upgrade, not the GSLB leader, no free IPs)
 * - conflict: the object exists / changed underneath / is still referenced (409, 412, delete-while-referenced)
 * - not-found: the object (or a referenced one) does not exist
 * - invalid-input: the request is wrong (400, 405, 422, bad certificate, client-side validation)
 * - auth: credentials, session or permission (401, 403, 419)
 * - unexpected: anything else (TLS verification failure, unparseable response, ...)
 */
export type AviErrorKind =
  | 'transient'
  | 'retry-later'
  | 'conflict'
  | 'not-found'
  | 'invalid-input'
  | 'auth'
  | 'unexpected';

export interface AviErrorInit {
  method: string;
  path: string;
  /** HTTP status, 0 when no response arrived */
  status: number;
  /** the controller's message (`error` field of a JSON body, or the plain-text body), or the transport message */
  controllerMessage: string;
  /** raw response body, if any (truncated) */
  body?: string;
  kind?: AviErrorKind;
  /** transport error code (ECONNRESET, ETIMEDOUT, ...) */
  code?: string;
  /** delay the controller asked for (Retry-After), in ms */
  retryAfterMs?: number;
  cause?: unknown;
}

const MAX_BODY = 4000;

export class AviError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly controllerMessage: string;
  readonly body: string | undefined;
  readonly kind: AviErrorKind;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: AviErrorInit) {
    const what = init.status ? `HTTP ${init.status}` : (init.code ?? 'no response');
    super(`${init.method} ${init.path}: ${what}: ${init.controllerMessage}`, { cause: init.cause });
    this.name = 'AviError';
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.controllerMessage = init.controllerMessage;
    this.body = init.body === undefined ? undefined : init.body.slice(0, MAX_BODY);
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.kind = init.kind ?? classify(init.status, init.controllerMessage, init.code);
  }
}

export const isAviError = (e: unknown): e is AviError => e instanceof AviError;

/** The controller's message from an error body: JSON `{"error": ...}` (or `detail`/`msg`), else the plain text. */
export function controllerMessageFromBody(body: string): string {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (const k of ['error', 'detail', 'msg', 'message']) {
        const v = parsed[k];
        if (typeof v === 'string') return v;
        if (v !== undefined) return JSON.stringify(v);
      }
    } catch {
      // not JSON after all (the CSRF failure is plain text with a JSON content type)
    }
  }
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

// Transport codes where the request certainly never reached the controller.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/;

/** True when a failed request was certainly not processed, so even a non-idempotent call may be repeated. */
export function certainlyNotProcessed(err: AviError): boolean {
  if (err.status === 0) return err.code !== undefined && NOT_SENT_CODES.has(err.code);
  return err.status === 429 || err.status === 503;
}

const RETRY_LATER_MESSAGES = [
  'Configuration is disallowed during upgrade',
  'Config Operations can be done ONLY on leader',
  'GSLB system is in maintenance mode',
  'No available free IPs',
];

/** Classification from status, controller message and transport code. Message substrings as in spec §Pitfalls 10. */
export function classify(status: number, message: string, code?: string): AviErrorKind {
  if (status === 0) {
    if (code && TLS_CODES.test(code)) return 'unexpected';
    return 'transient';
  }
  if (RETRY_LATER_MESSAGES.some((m) => message.includes(m))) return 'retry-later';
  if (status === 429 || status === 503) return 'retry-later';
  if (status === 401 || status === 419) return 'auth';
  if (status === 403) return message.includes('Cannot delete, object is referred by') ? 'conflict' : 'auth';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (message.includes('already exists') || message.includes('Cannot delete, object is referred by')) return 'conflict';
  if (status === 400 || status === 405 || status === 413 || status === 422) {
    return /object not found|not found!|VrfContext not found/.test(message) ? 'not-found' : 'invalid-input';
  }
  if (status >= 500) return message.includes('Import error') ? 'invalid-input' : 'transient';
  return 'unexpected';
}
