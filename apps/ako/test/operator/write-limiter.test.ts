// The Avi write limiter (apps/ako/src/operator/write-limiter.ts): at most n writes at once, and its pull side room():
// a unit builds its bodies only when its writes are about to be sent, so the bodies alive while writes wait are
// bounded by the limiter, not by how many units run.
import type { AviBody, SyncApi } from '@avi-k8s/avi-sync';
import { writeLimiter } from '../../src/operator/write-limiter.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A controller whose writes answer only when `open()` is called; it counts the writes in flight. */
function gatedApi() {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const seen = { inFlight: 0, maxInFlight: 0, written: [] as string[] };
  const api: SyncApi = {
    create: async (r) => {
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      await gate;
      seen.inFlight--;
      seen.written.push(r.name);
      return { uuid: `pool-${r.name}` };
    },
    update: async () => undefined,
    delete: async () => undefined,
  };
  return { api, seen, open };
}

test('units that wait for room build no bodies while writes wait: at most 2n are built, not one per unit', async () => {
  const n = 2;
  const { api, seen, open } = gatedApi();
  const limiter = writeLimiter(api, n);
  let built = 0;
  // 10 units, each: wait for room, build its body (translate), write it.
  const unit = async (name: string) => {
    await limiter.room();
    built++;
    const body: AviBody = { name, servers: [{ ip: { addr: '10.0.0.1', type: 'V4' } }] };
    return limiter.create({ tenant: 'admin', type: 'pool', name, body });
  };
  const all = Array.from({ length: 10 }, (_, i) => unit(`p${i}`));
  await turns(20);
  // n writes in flight and n waiting for a slot; the other units have built nothing.
  expect(seen.maxInFlight).toBe(n);
  expect(limiter.waiting).toBe(n);
  expect(built).toBe(2 * n);
  open();
  await Promise.all(all);
  expect(built).toBe(10);
  expect([...seen.written].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`).sort());
  expect(seen.maxInFlight).toBe(n);
});

test('units let in that write nothing do not hold up the others, with no write in flight to wake them', async () => {
  const { api } = gatedApi();
  const limiter = writeLimiter(api, 2);
  const order: number[] = [];
  await Promise.all(Array.from({ length: 6 }, (_, i) => limiter.room().then(() => order.push(i))));
  // First come first served.
  expect(order).toEqual([0, 1, 2, 3, 4, 5]);
});

test('units are let in again in their order as writes complete', async () => {
  let answer: (() => void)[] = [];
  const api: SyncApi = {
    create: (r) => new Promise((res) => answer.push(() => res({ uuid: r.name }))),
    update: async () => undefined,
    delete: async () => undefined,
  };
  const limiter = writeLimiter(api, 1);
  const inside: string[] = [];
  const unit = async (name: string) => {
    await limiter.room();
    inside.push(name);
    await limiter.create({ tenant: 'admin', type: 'pool', name, body: {} });
  };
  const all = ['a', 'b', 'c', 'd'].map(unit);
  await turns(10);
  // a writes, b waits for the slot: c and d wait for room.
  expect(inside).toEqual(['a', 'b']);
  const step = async () => {
    const next = answer;
    answer = [];
    next.forEach((f) => f());
    await turns(10);
  };
  await step();
  expect(inside).toEqual(['a', 'b', 'c']);
  await step();
  expect(inside).toEqual(['a', 'b', 'c', 'd']);
  await step();
  await step();
  await Promise.all(all);
});
