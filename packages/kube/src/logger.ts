import { logJson } from './log-json.js';
import { stdoutSink } from './stdout-sink.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** One log line as an object: level, message, component, timestamp and the meta fields. */
export type LogRecord = Record<string, unknown>;

/** The stdout sink every logger without `out` shares (one 'exit' flush for the process). */
let shared: { write(line: string): unknown } | undefined;

// The npm levels winston used (debug is 5: http, verbose and silly are not used here).
const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 5 };

type LogMethod = {
  /** A line with `message` and the fields of `meta` (an object, or an Error: its fields, message and stack). */
  (message: string | Error, meta?: object): void;
};

export interface Logger {
  /** Lines below this level are dropped; can be changed at any time (setLogLevel). */
  level: LogLevel;
  /** Nothing is written to stdout; `data` listeners still get every line at or above the level. */
  silent: boolean;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  /** Calls `listener` with every line (as an object) at or above the level, whether silent or not. */
  on(event: 'data', listener: (record: LogRecord) => void): Logger;
  off(event: 'data', listener: (record: LogRecord) => void): Logger;
}

export interface LoggerOptions {
  component: string;
  level?: LogLevel;
  silent?: boolean;
  /** Where the lines go, one write per line; by default stdout (stdout-sink.ts: nothing lost at exit). */
  out?: { write(line: string): unknown };
}

/**
 * A logger writing one JSON line per call on stdout, the format the operators have always written (winston with
 * timestamp, errors({stack:false}) and json): keys sorted, `component` from the options, `timestamp` ISO 8601.
 */
export function createLogger(options: LoggerOptions): Logger {
  let rank = rankOf(options.level ?? 'info');
  let level = options.level ?? 'info';
  const listeners: Array<(record: LogRecord) => void> = [];
  const component = options.component;

  const emit = (lineLevel: LogLevel, message: string | Error, meta: object | undefined): void => {
    if (RANK[lineLevel] > rank) return;
    if (logger.silent && listeners.length === 0) return;
    const record = buildRecord(component, lineLevel, message, meta);
    if (!logger.silent) (options.out ?? (shared ??= stdoutSink())).write(`${logJson(record)}\n`);
    for (const l of listeners) l(record);
  };

  const logger: Logger = {
    get level() {
      return level;
    },
    set level(l: LogLevel) {
      rank = rankOf(l);
      level = l;
    },
    silent: options.silent ?? false,
    error: (message, meta) => emit('error', message, meta),
    warn: (message, meta) => emit('warn', message, meta),
    info: (message, meta) => emit('info', message, meta),
    debug: (message, meta) => emit('debug', message, meta),
    on(_event, listener) {
      listeners.push(listener);
      return logger;
    },
    off(_event, listener) {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
      return logger;
    },
  };
  return logger;
}

export function setLogLevel(logger: Logger, level: LogLevel): void {
  logger.level = level;
}

function rankOf(level: string): number {
  const r = (RANK as Record<string, number | undefined>)[level];
  if (r === undefined) throw new Error(`unknown log level "${level}" (one of ${LOG_LEVELS.join(', ')})`);
  return r;
}

/**
 * The fields of one line, as winston built them: the component, then the meta fields (they may override the
 * component), then level and message. A `message` in meta is appended to the message after a space; an Error as
 * meta gives its enumerable fields, its message appended and its stack. An Error as the message gives its
 * enumerable fields and its message, no stack (errors({stack:false})). A truthy `timestamp` in meta is kept.
 */
function buildRecord(component: string, level: LogLevel, message: string | Error, meta: object | undefined): LogRecord {
  let record: LogRecord;
  if (meta === undefined || meta === null || typeof meta !== 'object') {
    if (message instanceof Error) {
      record = Object.assign({}, message as object, { level, component }) as LogRecord;
      record.message = message.message;
    } else {
      record = { message, level, component };
    }
  } else {
    record = Object.assign({ component }, meta, { level, message }) as LogRecord;
    const m = meta as { message?: unknown; stack?: unknown; cause?: unknown };
    if (m.message) record.message = `${String(message)} ${String(m.message)}`;
    if (m.stack) record.stack = m.stack;
    if (m.cause) record.cause = m.cause;
    if (record.message instanceof Error) {
      const err = record.message;
      Object.assign(record, err);
      record.message = err.message;
    }
  }
  if (!record.timestamp) record.timestamp = new Date().toISOString();
  return record;
}

/** The canonical key of a namespaced object, as used in every log line and in the work queue: "namespace/name". */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}
