// The boot read of the owned objects (operator/owned.ts) can be held back by its caller: after each object kept it
// asks `pace`, and reads the next object (and page) only once the promise pace gave resolves. The reconciler uses it
// so that the read does not run far ahead of the translation at a restart. A real avi-controller; no Kubernetes.
import { createAviClient, type AviClient } from '@avi-k8s/avi-sdk';
import { startControllerProcess } from '@avi-k8s/testbed';
import { loadOwned } from '../../src/operator/owned.js';

let ctl: Awaited<ReturnType<typeof startControllerProcess>>;
let client: AviClient;
const query = [{ type: 'httppolicyset', params: { created_by: 'pace-test' } }];

beforeAll(async () => {
  ctl = await startControllerProcess();
  client = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  for (const name of ['pace-a', 'pace-b', 'pace-c']) await client.create('httppolicyset', { name, created_by: 'pace-test' });
  await client.create('httppolicyset', { name: 'not-ours', created_by: 'someone-else' });
}, 60000);

afterAll(async () => {
  await client?.close();
  await ctl?.stop();
});

test('the next object is read only once the promise pace gave resolves', async () => {
  const events: string[] = [];
  const kept: string[] = [];
  const count = await loadOwned(client, query, '*', (o) => (kept.push(o.name), events.push('kept')), () => {
    events.push('pace');
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        events.push('resumed');
        resolve();
      }),
    );
  });
  expect(count).toBe(3);
  expect(kept.sort()).toEqual(['pace-a', 'pace-b', 'pace-c']);
  expect(events).toEqual(['kept', 'pace', 'resumed', 'kept', 'pace', 'resumed', 'kept', 'pace', 'resumed']);
});
