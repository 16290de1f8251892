import winston from 'winston';

export type Logger = winston.Logger;
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A JSON logger on stdout; `level` can be changed later with setLogLevel (no restart). */
export function createLogger(options: { component: string; level?: LogLevel; silent?: boolean }): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    defaultMeta: { component: options.component },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: false }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}

export function setLogLevel(logger: Logger, level: LogLevel): void {
  logger.level = level;
  for (const transport of logger.transports) transport.level = level;
}

/** The canonical key of a namespaced object, as used in every log line and in the work queue: "namespace/name". */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}
