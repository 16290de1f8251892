// Slots (apps/ako/src/operator/slots.ts): at most n holders at once, the others served in their order as slots free.
import { Slots } from '../../src/operator/slots.js';

const tick = () => new Promise((r) => setImmediate(r));

test('a third holder of two slots waits for a release; waiters are served first come first served; a release counts once', async () => {
  const slots = new Slots(2);
  const order: string[] = [];
  const take = (name: string) => slots.acquire().then((release) => (order.push(name), release));
  const a = await take('a');
  const b = await take('b');
  const c = take('c');
  const d = take('d');
  await tick();
  expect(order).toEqual(['a', 'b']);
  a();
  a();
  await tick();
  // One release lets one waiter in, however often it is called.
  expect(order).toEqual(['a', 'b', 'c']);
  b();
  await tick();
  expect(order).toEqual(['a', 'b', 'c', 'd']);
  (await c)();
  (await d)();
  // All released: two holders at once again, at once.
  await take('e');
  await take('f');
  expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
});
