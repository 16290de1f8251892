// AKO end to end for Services of type LoadBalancer: real kube-apiserver, real avi-controller over HTTPS.
import type { AviBody } from '@avi-k8s/avi-sync';
import { controllerWrites, createLbService, eventually, harness, type Harness } from './harness.js';

let h: Harness;
let ns: string;

beforeAll(async () => {
  h = await harness('l4');
  ns = await h.appNamespace('l4-apps');
}, 120000);

afterAll(async () => {
  await h?.close();
});

const vsName = (svc: string) => `${h.clusterName}--${ns}-${svc}`;

test('a LoadBalancer Service becomes a VS, VsVip, pools and an L4PolicySet, and gets its VIP in status', async () => {
  await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }], ['10.244.1.5', '10.244.1.6']);
  const ako = await h.start();
  const summary = await ako.ready;
  expect(summary?.failed).toBe(0);

  const vs = (await h.avi.getByName('virtualservice', vsName('web'), { includeName: true })) as AviBody;
  expect(vs).toBeDefined();
  expect(vs.created_by).toBe(`ako-${h.clusterName}`);
  expect((vs.services as { port: number }[]).map((s) => s.port).sort()).toEqual([443, 80].sort());
  const vsvip = (await h.avi.getByName('vsvip', vsName('web'))) as AviBody;
  const ip = ((vsvip.vip as AviBody[])[0]!.ip_address as { addr: string }).addr;
  expect(ip).toMatch(/^127\.100\.0\./);
  const pool = (await h.avi.getByName('pool', `${vsName('web')}-TCP-80`)) as AviBody;
  expect((pool.servers as { ip: { addr: string }; port: number }[]).map((s) => `${s.ip.addr}:${s.port}`).sort()).toEqual(['10.244.1.5:8080', '10.244.1.6:8080']);
  expect(await h.avi.getByName('l4policyset', vsName('web'))).toBeDefined();

  const svc = await eventually('Service status', () => h.core.readNamespacedService({ name: 'web', namespace: ns }), (s) => !!s.status?.loadBalancer?.ingress?.length);
  expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).toBe(ip);
  expect(svc.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map']).toBeDefined();
  await ako.stop();
});

test('a restart with nothing changed writes nothing to the controller', async () => {
  const before = await controllerWrites(h);
  const ako = await h.start();
  const summary = await ako.ready;
  await ako.idle();
  expect(summary).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  expect(await controllerWrites(h)).toBe(before);
  await ako.stop();
});

test('endpoint changes update the pool; a deleted Service loses its objects; stale objects go at restart', async () => {
  const ako = await h.start();
  await ako.ready;
  await h.discovery.patchNamespacedEndpointSlice(
    { name: 'web-abc', namespace: ns, body: [{ op: 'replace', path: '/endpoints', value: [{ addresses: ['10.244.2.9'], conditions: { ready: true } }] }] },
  );
  await eventually(
    'pool servers follow the EndpointSlice',
    async () => ((await h.avi.getByName('pool', `${vsName('web')}-TCP-80`)) as AviBody | undefined)?.servers as { ip: { addr: string } }[] | undefined,
    (servers) => servers?.length === 1 && servers[0]!.ip.addr === '10.244.2.9',
  );
  await createLbService(h, ns, 'db', [{ port: 5432, targetPort: 5432 }], ['10.244.3.1']);
  await eventually('db VS', () => h.avi.getByName('virtualservice', vsName('db')), (v) => v !== undefined);
  await h.core.deleteNamespacedService({ name: 'web', namespace: ns });
  await eventually('web VS deleted', () => h.avi.getByName('virtualservice', vsName('web')), (v) => v === undefined);
  // The VS goes first; its VsVip and pools follow in the same pass.
  await eventually('web VsVip deleted', () => h.avi.getByName('vsvip', vsName('web')), (v) => v === undefined);
  await eventually('web pool deleted', () => h.avi.getByName('pool', `${vsName('web')}-TCP-80`), (v) => v === undefined);
  await ako.stop();

  // While AKO is down the db Service goes away: the next start removes its objects.
  await h.core.deleteNamespacedService({ name: 'db', namespace: ns });
  const again = await h.start();
  const summary = await again.ready;
  expect(summary?.deletes).toBeGreaterThan(0);
  expect(await h.avi.getByName('virtualservice', vsName('db'))).toBeUndefined();
  await again.stop();
});
