// A restart translates each unit once at boot and, for a unit whose objects are all up to date, takes that boot
// translation for its first sync (apps/ako/src/operator/boot-results.ts). Changes made while no AKO ran must still be
// written, exactly them: a Service's new endpoint (its pool), a new Service (its objects), with the statuses they
// give; and nothing else. Real kube-apiserver, the avi-controller over HTTPS, AKO in-process.
import { controllerWritesByType, countsDiff } from '@avi-k8s/testbed';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createLbService, createSecureIngress, eventually, harness, type Harness } from './harness.js';

let h: Harness;
let ns: string;
const host = 'a.restart.example.com';

const pool = (svc: string) => `${h.clusterName}--${ns}-${svc}-TCP-80`;
const serverIps = async (svc: string) =>
  (((await h.avi.getByName('pool', pool(svc))) as AviBody).servers as { ip: { addr: string } }[] | undefined ?? []).map((s) => s.ip.addr).sort();
const lbIngress = async (svc: string) => (await h.core.readNamespacedService({ namespace: ns, name: svc })).status?.loadBalancer?.ingress ?? [];

beforeAll(async () => {
  h = await harness('restart-changes');
  ns = await h.appNamespace('restart-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }], ['10.244.7.1']);
  await createLbService(h, ns, 'api', [{ port: 80, targetPort: 8080 }], ['10.244.7.2']);
  await createSecureIngress(h, ns, 'secure', host);
  const ako = await h.start();
  await ako.ready;
  await ako.idle();
  await eventually('statuses', async () => (await lbIngress('web')).length + (await lbIngress('api')).length, (n) => n === 2);
  await ako.stop();
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('a restart writes exactly what changed while no AKO ran (a new endpoint, a new Service), then nothing', async () => {
  // While AKO is down: Service api gets a second endpoint, Service late appears.
  await h.discovery.patchNamespacedEndpointSlice(
    {
      namespace: ns,
      name: 'api-abc',
      body: [{ op: 'add', path: '/endpoints/-', value: { addresses: ['10.244.7.3'], conditions: { ready: true } } }],
    },
  );
  await createLbService(h, ns, 'late', [{ port: 80, targetPort: 8080 }], ['10.244.7.4']);
  const before = await controllerWritesByType(h.ctl);
  const ako = await h.start();
  const summary = await ako.ready;
  await ako.idle();
  // The endpoint: one pool update. The new Service: its VsVip, pool, L4 policy set and virtual service.
  expect(summary).toMatchObject({ creates: 4, updates: 1, deletes: 0, failed: 0 });
  expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual({ 'PUT pool': 1, 'POST vsvip': 1, 'POST pool': 1, 'POST l4policyset': 1, 'POST virtualservice': 1 });
  expect(await serverIps('api')).toEqual(['10.244.7.2', '10.244.7.3']);
  expect(await serverIps('late')).toEqual(['10.244.7.4']);
  expect(await serverIps('web')).toEqual(['10.244.7.1']);
  await eventually('the new Service has a VIP', () => lbIngress('late'), (i) => i.length === 1 && !!i[0]!.ip);
  expect((await lbIngress('web')).length).toBe(1);
  await ako.stop();

  // Nothing changed since: the next restart writes nothing, and every status stays.
  const again = await controllerWritesByType(h.ctl);
  const next = await h.start();
  expect(await next.ready).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0, statusWrites: 0 });
  await next.idle();
  await next.stop();
  expect(countsDiff(again, await controllerWritesByType(h.ctl))).toEqual({});
  for (const svc of ['web', 'api', 'late']) expect((await lbIngress(svc)).length).toBe(1);
}, 180000);
