// The Avi write limiter (apps/ako/src/operator/write-limiter.ts): at most n writes at once, first come first served,
// also when a new write arrives as one completes.
import type { SyncApi } from '@avi-k8s/avi-sync';
import { writeLimiter } from '../../src/operator/write-limiter.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

test('at most n writes run at once; the others start in their order as writes complete', async () => {
  let answer: (() => void)[] = [];
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const api: SyncApi = {
    create: (r) => {
      started.push(r.name);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((res) =>
        answer.push(() => {
          inFlight--;
          res({ uuid: r.name });
        }),
      );
    },
    update: async () => undefined,
    delete: async () => undefined,
  };
  const limiter = writeLimiter(api, 2);
  const write = (name: string) => limiter.create({ tenant: 'admin', type: 'pool', name, body: {} });
  const all = ['a', 'b', 'c', 'd', 'e'].map(write);
  await turns(5);
  expect(started).toEqual(['a', 'b']);
  // One write completes, and in the same turn a new write arrives: it queues behind the waiters, c goes first.
  answer.shift()!();
  const late = write('f');
  await turns(5);
  expect(started).toEqual(['a', 'b', 'c']);
  expect(maxInFlight).toBe(2);
  while (answer.length > 0) {
    const next = answer;
    answer = [];
    next.forEach((f) => f());
    await turns(5);
  }
  await Promise.all([...all, late]);
  expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  expect(maxInFlight).toBe(2);
});
