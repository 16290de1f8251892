// The operators' log lines, exactly: the JSON lines winston wrote with timestamp(), errors({stack:false}) and
// json() (logform's json is safe-stable-stringify: keys sorted at every depth). The expected lines are written by
// hand from those formats' documented behaviour; only the timestamp is taken from the line (checked to be the ISO
// time of the call).
import { createLogger, setLogLevel, type LogRecord } from '../src/index.js';

function capture(level?: 'error' | 'warn' | 'info' | 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ component: 'ako', ...(level ? { level } : {}), out: { write: (s: string) => lines.push(s) } });
  return { logger, lines };
}

/** The line with its timestamp replaced by TS, after checking that it is the ISO 8601 time of the call. */
function withoutTime(line: string, from: number, to: number): string {
  const m = /"timestamp":"([^"]+)"/.exec(line);
  expect(m).not.toBeNull();
  const t = Date.parse(m![1]!);
  expect(new Date(t).toISOString()).toBe(m![1]);
  expect(t).toBeGreaterThanOrEqual(from);
  expect(t).toBeLessThanOrEqual(to);
  return line.replace(m![0], '"timestamp":"TS"');
}

function logged(run: (l: ReturnType<typeof capture>['logger']) => void, level?: 'error' | 'warn' | 'info' | 'debug'): string[] {
  const { logger, lines } = capture(level);
  const from = Date.now();
  run(logger);
  const to = Date.now();
  return lines.map((l) => withoutTime(l, from, to));
}

describe('log lines', () => {
  const cases: Array<{ name: string; run: (l: ReturnType<typeof capture>['logger']) => void; expected: string[] }> = [
    {
      name: 'message and meta, keys sorted at every depth',
      run: (l) => l.info('status updated', { key: 'ns/web', kind: 'Service', ingress: [{ ip: '10.0.0.1', hostname: 'web.example.com' }] }),
      expected: ['{"component":"ako","ingress":[{"hostname":"web.example.com","ip":"10.0.0.1"}],"key":"ns/web","kind":"Service","level":"info","message":"status updated","timestamp":"TS"}\n'],
    },
    {
      name: 'a message alone',
      run: (l) => l.warn('lost leadership'),
      expected: ['{"component":"ako","level":"warn","message":"lost leadership","timestamp":"TS"}\n'],
    },
    {
      name: 'undefined and function fields left out, null in arrays, numbers, booleans, quotes escaped',
      run: (l) => l.error('Avi write failed', { key: 'admin/pool/p"1', status: undefined, retrying: false, attempt: 3, f: () => 1, list: [undefined, null, 1.5, Infinity] }),
      expected: ['{"attempt":3,"component":"ako","key":"admin/pool/p\\"1","level":"error","list":[null,null,1.5,null],"message":"Avi write failed","retrying":false,"timestamp":"TS"}\n'],
    },
    {
      name: 'a message field in meta is appended to the message after a space (winston), an empty one is not',
      run: (l) => {
        l.warn('degraded', { key: 'ns/a', message: 'no VIP yet' });
        l.warn('degraded', { key: 'ns/b', message: '' });
      },
      expected: [
        '{"component":"ako","key":"ns/a","level":"warn","message":"degraded no VIP yet","timestamp":"TS"}\n',
        '{"component":"ako","key":"ns/b","level":"warn","message":"degraded","timestamp":"TS"}\n',
      ],
    },
    {
      name: 'meta overrides the component, not the level; a Date as its ISO text, a bigint as a string, a cycle as [Circular]',
      run: (l) => {
        const cyc: Record<string, unknown> = { name: 'x' };
        cyc.self = cyc;
        l.info('odd meta', { component: 'leader', level: 'bogus', at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), n: 12n, cyc });
      },
      expected: ['{"at":"2026-01-02T03:04:05.000Z","component":"leader","cyc":{"name":"x","self":"[Circular]"},"level":"info","message":"odd meta","n":"12","timestamp":"TS"}\n'],
    },
    {
      name: 'an Error as the message: its message and enumerable fields, no stack',
      run: (l) => l.error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', port: 443 })),
      expected: ['{"code":"ECONNREFUSED","component":"ako","level":"error","message":"connect ECONNREFUSED","port":443,"timestamp":"TS"}\n'],
    },
    {
      name: 'an Error as meta: its fields, its message appended, its stack',
      run: (l) => {
        const err = Object.assign(new Error('HTTP 409'), { statusCode: 409 });
        err.stack = 'Error: HTTP 409\n    at here';
        l.error('patch failed', err);
      },
      expected: ['{"component":"ako","level":"error","message":"patch failed HTTP 409","stack":"Error: HTTP 409\\n    at here","statusCode":409,"timestamp":"TS"}\n'],
    },
    {
      name: 'an Error inside meta is an object of its enumerable fields (as JSON.stringify does)',
      run: (l) => l.error('shutdown failed', { error: Object.assign(new Error('x'), { code: 'E1' }), plain: new Error('y') }),
      expected: ['{"component":"ako","error":{"code":"E1"},"level":"error","message":"shutdown failed","plain":{},"timestamp":"TS"}\n'],
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(logged(c.run, 'debug')).toEqual(c.expected);
  });

  it('keeps a truthy timestamp from meta', () => {
    const { logger, lines } = capture();
    logger.info('replayed', { timestamp: '2020-05-06T07:08:09.000Z' });
    expect(lines).toEqual(['{"component":"ako","level":"info","message":"replayed","timestamp":"2020-05-06T07:08:09.000Z"}\n']);
  });
});

describe('levels', () => {
  it('drops lines below the level (info by default)', () => {
    const out = logged((l) => {
      l.debug('pass: leader checked', { key: 'u' });
      l.info('kept', { key: 'a' });
      l.error('kept too');
    });
    expect(out).toEqual([
      '{"component":"ako","key":"a","level":"info","message":"kept","timestamp":"TS"}\n',
      '{"component":"ako","level":"error","message":"kept too","timestamp":"TS"}\n',
    ]);
  });

  it('changes the level live', () => {
    const out = logged((l) => {
      l.debug('hidden 1');
      setLogLevel(l, 'debug');
      expect(l.level).toBe('debug');
      l.debug('shown');
      setLogLevel(l, 'error');
      l.warn('hidden 2');
      l.info('hidden 3');
      l.error('shown too');
      l.level = 'warn';
      l.warn('shown again');
    });
    expect(out).toEqual([
      '{"component":"ako","level":"debug","message":"shown","timestamp":"TS"}\n',
      '{"component":"ako","level":"error","message":"shown too","timestamp":"TS"}\n',
      '{"component":"ako","level":"warn","message":"shown again","timestamp":"TS"}\n',
    ]);
  });

  it('refuses an unknown level with a clear error', () => {
    expect(() => createLogger({ component: 'x', level: 'verbose' as 'info' })).toThrow('unknown log level "verbose" (one of error, warn, info, debug)');
    const { logger } = capture();
    expect(() => setLogLevel(logger, 'INFO' as 'info')).toThrow('unknown log level "INFO"');
    expect(logger.level).toBe('info');
  });
});

describe('silent and listeners', () => {
  it('silent writes nothing; data listeners get every line at or above the level, silent or not', () => {
    const lines: string[] = [];
    const logger = createLogger({ component: 'amko', silent: true, out: { write: (s: string) => lines.push(s) } });
    logger.info('nobody listens');
    const seen: LogRecord[] = [];
    const listener = (r: LogRecord) => seen.push(r);
    logger.on('data', listener);
    logger.info('federated', { key: 'c1/ns', kind: 'Ingress', created: 1 });
    logger.debug('below the level');
    logger.silent = false;
    logger.warn('written and seen', { key: 'k' });
    logger.off('data', listener);
    logger.error('written, not seen');
    expect(seen.map(({ timestamp, ...rest }) => (expect(typeof timestamp).toBe('string'), rest))).toEqual([
      { component: 'amko', key: 'c1/ns', kind: 'Ingress', created: 1, level: 'info', message: 'federated' },
      { component: 'amko', key: 'k', level: 'warn', message: 'written and seen' },
    ]);
    expect(lines.map((l) => l.replace(/"timestamp":"[^"]+"/, '"timestamp":"TS"'))).toEqual([
      '{"component":"amko","key":"k","level":"warn","message":"written and seen","timestamp":"TS"}\n',
      '{"component":"amko","level":"error","message":"written, not seen","timestamp":"TS"}\n',
    ]);
  });
});
