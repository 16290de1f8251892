// GSLB failover end to end, through the controller's DNS server: two member clusters with their own AKO, AMKO on
// the leader cluster, one controller with data plane and DNS (the playground `npm run bench:gslb` measures). When a
// cluster's backend stops, its Ingress is deleted or the whole cluster is lost, the global FQDN answers only the
// other cluster's VIP; when it comes back, both again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGslbPlayground, type Playground } from '../src/gslb-playground.js';

let dir: string;
let pg: Playground;

async function answers(what: string, want: () => string[], ms = 60000): Promise<void> {
  const end = Date.now() + ms;
  let last: string[] = [];
  while (Date.now() < end) {
    last = await pg.answer();
    if (last.join() === [...want()].sort().join()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: DNS still answers ${JSON.stringify(last)}, not ${JSON.stringify(want())}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gslb-failover-'));
  pg = await startGslbPlayground({ dir, monitor: { sendInterval: 1, receiveTimeout: 1, successfulChecks: 2, failedChecks: 2 }, ttl: 1 });
}, 240000);

afterAll(async () => {
  await pg?.close();
  await rm(dir, { recursive: true, force: true });
});

const [A, B] = [0, 1] as const;
const vip = (i: 0 | 1) => pg.clusters[i].vip;

test('both members answer; a stopped backend in b leaves only a, and b returns when it is back', async () => {
  expect(await pg.answer()).toEqual([vip(A), vip(B)].sort());
  expect(vip(A)).not.toBe(vip(B));
  await pg.backendDown(pg.clusters[B]);
  await answers('backend b down', () => [vip(A)]);
  await pg.backendUp(pg.clusters[B]);
  await answers('backend b up', () => [vip(A), vip(B)]);
}, 120000);

test('deleting b\'s Ingress leaves only a; creating it again brings b back', async () => {
  await pg.deleteIngress(pg.clusters[B]);
  await answers('Ingress b deleted', () => [vip(A)]);
  await pg.createIngress(pg.clusters[B]);
  await answers('Ingress b created', () => [vip(A), vip(B)]);
}, 120000);

test('losing cluster b (API server unreachable for AMKO, backend down) leaves only a; b returns when it is back', async () => {
  await pg.cutApiserver(pg.clusters[B]);
  await pg.backendDown(pg.clusters[B]);
  await answers('cluster b lost', () => [vip(A)]);
  await pg.restoreApiserver(pg.clusters[B]);
  await pg.backendUp(pg.clusters[B]);
  await answers('cluster b back', () => [vip(A), vip(B)]);
}, 120000);
