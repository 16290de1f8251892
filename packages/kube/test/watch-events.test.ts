// A watch stream's text, as both transports read it (decoded as UTF-8 by the stream): events split into chunks
// anywhere (inside a line, several per chunk), blank lines skipped, a line that is not JSON ending the stream; the
// error of an answer other than 200. Expected values written by hand.
import { KubeRequestError } from '../src/raw.js';
import { eventLines, watchFailure } from '../src/watch-events.js';
import type { WatchEvent } from '../src/watch.js';

const added = (name: string) => `{"type":"ADDED","object":{"metadata":{"name":"${name}"}}}`;

function read(chunks: string[]): { names: string[]; errors: string[] } {
  const names: string[] = [];
  const errors: string[] = [];
  const feed = eventLines('/api/v1/services', (e: WatchEvent) => names.push(`${e.type} ${e.object.metadata?.name}`), (err) => errors.push(err.message));
  for (const c of chunks) feed(c);
  return { names, errors };
}

test.each([
  { what: 'one event per chunk', chunks: [`${added('a')}\n`, `${added('b')}\n`], names: ['ADDED a', 'ADDED b'], errors: [] },
  { what: 'two events in one chunk', chunks: [`${added('a')}\n${added('b')}\n`], names: ['ADDED a', 'ADDED b'], errors: [] },
  { what: 'an event split in three', chunks: ['{"type":"ADD', 'ED","object":{"metadata":{"na', 'me":"é"}}}\n'], names: ['ADDED é'], errors: [] },
  { what: 'a line not yet ended is not an event', chunks: [`${added('a')}\n${added('b')}`], names: ['ADDED a'], errors: [] },
  { what: 'blank lines between events', chunks: [`\n${added('a')}\n  \n\n${added('b')}\n`], names: ['ADDED a', 'ADDED b'], errors: [] },
  {
    what: 'a line that is not JSON: the error, nothing after it',
    chunks: [`${added('a')}\nnot json\n${added('b')}\n`, `${added('c')}\n`],
    names: ['ADDED a'],
    errors: ['watch /api/v1/services: an event that is not JSON'],
  },
])('$what', ({ chunks, names, errors }) => {
  expect(read(chunks)).toEqual({ names, errors });
});

test.each([
  {
    what: "the apiserver's Status message",
    text: '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"services is forbidden: User \\"x\\" cannot watch","reason":"Forbidden","code":403}',
    status: 403,
    message: 'watch /api/v1/services: HTTP 403: services is forbidden: User "x" cannot watch',
  },
  { what: 'a body that is not JSON, as it is', text: 'upstream connect error', status: 503, message: 'watch /api/v1/services: HTTP 503: upstream connect error' },
  { what: 'JSON without a message, as it is', text: '{"code":410}', status: 410, message: 'watch /api/v1/services: HTTP 410: {"code":410}' },
])('a watch answered with another status than 200: $what', ({ text, status, message }) => {
  const err = watchFailure('/api/v1/services', status, text);
  expect(err).toBeInstanceOf(KubeRequestError);
  expect(err.message).toBe(message);
  expect([err.statusCode, err.body]).toEqual([status, text]);
});
