// What a handler answers; the server turns it into the HTTP response.

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  /** Body sent as-is (text), e.g. Prometheus metrics. */
  text?: string;
  contentType?: string;
}

export function json(status: number, body?: unknown, headers?: Record<string, string | string[]>): Reply {
  return headers ? { status, body, headers } : { status, body };
}
