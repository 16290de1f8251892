// A body's bytes until decoded (body.ts): the pieces of a body, however cut, decode to the same text, whether the
// length was known (copied into one buffer as they come) or not (copied once at the end), and the text is handed
// out once.
import { BodyBytes } from '../src/body.js';

const euro = Buffer.from('€', 'utf8'); // e2 82 ac
const kib = (n: number) => Buffer.alloc(n * 1024, 'a');

test.each([
  { name: 'no piece', pieces: [] as Buffer[], expected: undefined, text: '' },
  { name: 'one piece (kept as a view)', pieces: [Buffer.from('{"a":1}')], expected: 7, text: '{"a":1}' },
  { name: 'a character cut in three, length known', pieces: [euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)], expected: 3, text: '€' },
  { name: 'a character cut in two, length unknown', pieces: [Buffer.from('x'), euro.subarray(0, 2), euro.subarray(2)], expected: undefined, text: 'x€' },
  { name: 'empty pieces are skipped', pieces: [Buffer.alloc(0), Buffer.from('ab'), Buffer.alloc(0), Buffer.from('c')], expected: undefined, text: 'abc' },
  { name: 'many pieces of a large body, length unknown', pieces: [kib(60), kib(60), kib(200), Buffer.from('€')], expected: undefined, text: `${'a'.repeat(320 * 1024)}€` },
  { name: 'a large body, length known', pieces: [kib(1), kib(500), kib(523)], expected: 1024 * 1024, text: 'a'.repeat(1024 * 1024) },
])('$name', ({ pieces, expected, text }) => {
  const body = new BodyBytes(expected);
  for (const p of pieces) body.add(p);
  expect(body.size).toBe(Buffer.byteLength(text));
  expect(body.text()).toBe(text);
  // handed out once: the bytes are gone
  expect(body.text()).toBe('');
});

test('the pieces added are not changed: a view of a read is copied, never written into', () => {
  const read = Buffer.from('head|body1');
  const body = new BodyBytes(undefined);
  body.add(read.subarray(5));
  body.add(Buffer.from('+more'));
  expect(body.text()).toBe('body1+more');
  expect(read.toString()).toBe('head|body1');
});
