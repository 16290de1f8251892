// Request log as JSON lines (winston): method, path, status, tenant, user agent, duration.
// Query strings are logged without values of secret-looking parameters; bodies never.

import winston from 'winston';

export interface RequestLine {
  method: string;
  path: string;
  status: number;
  tenant: string | undefined;
  userAgent: string | undefined;
  durationMs: number;
  user?: string;
}

export interface RequestLogger {
  request(line: RequestLine): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** `target`: 'stdout', 'silent', or a file path. */
export function createLogger(target: string): RequestLogger {
  const transport =
    target === 'stdout' || target === 'silent'
      ? new winston.transports.Console({ silent: target === 'silent' })
      : new winston.transports.File({ filename: target });
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { component: 'avi-controller' },
    transports: [transport],
  });
  const silent = target === 'silent';
  return {
    request(line) {
      if (!silent) logger.info('request', line);
    },
    info: (msg, meta) => logger.info(msg, meta),
    warn: (msg, meta) => logger.warn(msg, meta),
    error: (msg, meta) => logger.error(msg, meta),
    close: () =>
      new Promise<void>((resolve) => {
        if (silent) return resolve();
        logger.on('finish', () => resolve());
        logger.end();
        setTimeout(resolve, 500).unref();
      }),
  };
}

const SECRET_PARAMS = /pass|token|secret|key/i;

/** The path with secret-looking query values redacted. */
export function redactedPath(url: string): string {
  const i = url.indexOf('?');
  if (i < 0 || !SECRET_PARAMS.test(url.slice(i))) return url;
  const q = new URLSearchParams(url.slice(i + 1));
  for (const k of [...q.keys()]) if (SECRET_PARAMS.test(k)) q.set(k, 'REDACTED');
  return `${url.slice(0, i)}?${q.toString()}`;
}
