// Boot and Nodes against a real kube-apiserver and the avi-controller: the SE group `labels` PUT and the VRF static
// routes of ClusterIP mode, and NodePort mode with nodePortSelector, each checked against what the Go AKO 2.2.1 sent
// and owned in the recorded corpus cases (test/parity: c01 SE group PUT, c09 VRF PUT, c10/c18 NodePort pools).
// Runs on its own kube-local cluster (c3): the Nodes it creates are seen by no other test's AKO.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { caseObjects, goObjects, goRequests } from '../parity-case.js';
import { controllerMetrics } from '@avi-k8s/testbed';
import { controllerWrites, createLbService, eventually, harness, type Harness } from './harness.js';

let h: Harness;
const suffix = Math.random().toString(16).slice(2, 8);
const nodeNames: string[] = [];

/** The Nodes of corpus case c09 (same labels, pod CIDRs and InternalIPs), named with a per-run suffix. */
async function createCorpusNodes(): Promise<k8s.V1Node[]> {
  const out: k8s.V1Node[] = [];
  for (const n of caseObjects('c09-clusterip-nodes').filter((o) => o.kind === 'Node') as unknown as k8s.V1Node[]) {
    const name = `${n.metadata!.name}-${suffix}`;
    const created = await h.core.createNode({ body: { ...n, metadata: { ...n.metadata, name } } });
    // Node status is a subresource: set the addresses as a kubelet would.
    await h.core.replaceNodeStatus({ name, body: { ...created, status: n.status } });
    nodeNames.push(name);
    out.push(await h.core.readNode({ name }));
  }
  return out;
}

beforeAll(async () => {
  h = await harness('boot', 'c3');
}, 120000);

afterAll(async () => {
  for (const name of nodeNames) await h.core.deleteNode({ name }).catch(() => undefined);
  await h?.close();
});

/** Volatile parts of a stored object (ids, urls, time stamps) and the cluster name, so two controllers compare. */
function comparable(o: Record<string, unknown>, cluster: string): Record<string, unknown> {
  const text = JSON.stringify(o, (k, v: unknown) => (['uuid', 'url', '_last_modified', 'cloud_ref', 'tenant_ref'].includes(k) ? undefined : v));
  return JSON.parse(text.replaceAll(cluster, 'par')) as Record<string, unknown>;
}

const goPut = (c: string, type: string) => goRequests(c).find((r) => r.method === 'PUT' && r.path.includes(`/api/${type}/`))!.body as Record<string, unknown>;

test('ClusterIP mode labels the SE group at boot with the Go AKO body (c01), once', async () => {
  const seg = async () => (await h.avi.getByName('serviceenginegroup', 'Default-Group')) as AviBody;
  expect((await seg()).labels ?? []).toEqual([]);
  const ako = await h.start();
  await ako.ready;
  expect(comparable(await seg(), h.clusterName)).toEqual(comparable(goPut('c01-l4-tcp', 'serviceenginegroup'), 'par'));
  await ako.stop();
  // Labelled already: the next boot writes nothing.
  const before = await controllerWrites(h);
  const again = await h.start();
  await again.ready;
  await again.idle();
  expect(await controllerWrites(h)).toBe(before);
  await again.stop();
}, 60000);

const segPuts = async (status: number) =>
  (await controllerMetrics(h.ctl))
    .split('\n')
    .filter((l) => l.startsWith('avi_controller_requests_total{') && l.includes('method="PUT"') && l.includes('object_type="serviceenginegroup"') && l.includes(`status="${status}"`))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);

test('in a non-admin tenant the SE group PUT is refused (403) and made again as admin, as the Go AKO does (c28)', async () => {
  await h.avi.create('tenant', { name: 'team-a', config_settings: { se_in_provider_context: true, tenant_access_to_provider_se: true } } as never);
  const cloud = (await h.avi.getByName('cloud', 'Default-Cloud')) as AviBody;
  await h.avi.create('serviceenginegroup', { name: 'seg-tenant', cloud_ref: `/api/cloud/${String(cloud.uuid)}` } as never);
  const [refused, done] = [await segPuts(403), await segPuts(200)];
  // c28: PUT in tenant team-a -> 403, the same PUT as admin -> 200.
  expect(goRequests('c28-tenant').filter((r) => r.method === 'PUT' && r.path.includes('/api/serviceenginegroup/')).slice(0, 2).map((r) => r.status)).toEqual([403, 200]);
  const ako = await h.start({ ControllerSettings: { tenantName: 'team-a', serviceEngineGroupName: 'seg-tenant' } });
  await ako.ready;
  expect(((await h.avi.getByName('serviceenginegroup', 'seg-tenant')) as AviBody).labels).toEqual([{ key: 'clustername', value: h.clusterName }]);
  expect([(await segPuts(403)) - refused, (await segPuts(200)) - done]).toEqual([1, 1]);
  await ako.stop();
}, 60000);

test('static routes: one per Node pod CIDR in the VRF as the Go AKO writes them (c09), other routes kept, updated and removed with the Nodes', async () => {
  // A route another cluster owns stays as it is.
  const vrf = (await h.avi.getByName('vrfcontext', 'global')) as AviBody;
  const foreign = { route_id: 'other-1', prefix: { ip_addr: { addr: '10.99.0.0', type: 'V4' }, mask: 16 }, next_hop: { addr: '192.168.99.1', type: 'V4' }, labels: [{ key: 'clustername', value: 'other' }] };
  await h.avi.update('vrfcontext', String(vrf.uuid), { ...vrf, static_routes: [foreign] } as never, { validate: false });

  const ako = await h.start();
  await ako.ready;
  const nodes = await createCorpusNodes();
  const routes = async () => (((await h.avi.getByName('vrfcontext', 'global')) as AviBody).static_routes ?? []) as Record<string, unknown>[];
  // The Go AKO's routes (c09), its node uids replaced by these Nodes' uids.
  const recorded = (goPut('c09-clusterip-nodes', 'vrfcontext').static_routes as Record<string, unknown>[]).map((r, i) => ({
    ...r,
    route_id: `par-${nodes[i]!.metadata!.uid}-0`,
  }));
  const ours = (rs: Record<string, unknown>[]) => rs.filter((r) => r.route_id !== 'other-1').map((r) => comparable(r, h.clusterName));
  await eventually('two routes', routes, (rs) => ours(rs).length === 2);
  expect(ours(await routes())).toEqual(recorded);
  expect((await routes()).find((r) => r.route_id === 'other-1')).toEqual(foreign);

  // A Node whose InternalIP changes moves its route; a deleted Node's route goes.
  const [first, second] = nodes;
  await h.core.replaceNodeStatus({
    name: first!.metadata!.name!,
    body: { ...(await h.core.readNode({ name: first!.metadata!.name! })), status: { addresses: [{ type: 'InternalIP', address: '192.168.10.21' }] } },
  });
  await eventually('next hop follows the Node', routes, (rs) => ours(rs).some((r) => (r.next_hop as { addr: string }).addr === '192.168.10.21'));
  await h.core.deleteNode({ name: second!.metadata!.name! });
  await eventually('route of the deleted Node removed', routes, (rs) => ours(rs).length === 1);
  expect(ours(await routes())[0]!.route_id).toBe(`par-${first!.metadata!.uid}-0`);
  expect((await routes()).find((r) => r.route_id === 'other-1')).toEqual(foreign);
  await ako.stop();
}, 90000);

test('NodePort mode with nodePortSelector: servers are the selected Nodes at the nodePort (c10), no VRF routes', async () => {
  if (nodeNames.length < 2) await createCorpusNodes();
  const ns = await h.appNamespace('boot-np');
  const before = (((await h.avi.getByName('vrfcontext', 'global')) as AviBody).static_routes ?? []) as unknown[];
  // The corpus's nodePort is 30080; the cluster is shared with other test files, whose Services may hold that port,
  // so the apiserver allocates one and the corpus's values are read with it.
  const svc = await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }], ['10.244.1.10']);
  const nodePort = svc.spec!.ports![0]!.nodePort!;
  const ako = await h.start({ L7Settings: { serviceType: 'NodePort' }, nodePortSelector: { key: 'ako-node', value: 'yes' } });
  await ako.ready;
  const pool = (await h.avi.getByName('pool', `${h.clusterName}--${ns}-web-TCP-80`)) as AviBody;
  const goPool = goObjects('c10-nodeport-l4').find((o) => o._type === 'pool')!;
  // Only node-1 carries ako-node=yes; the corpus Node's InternalIP (a test above may have changed it on this run).
  const node1 = await h.core.readNode({ name: nodeNames[0]! });
  const ip = node1.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
  expect(JSON.stringify(goPool.servers)).toContain('"port":30080');
  const expected = JSON.parse(JSON.stringify(goPool.servers).replaceAll('192.168.10.11', ip).replaceAll('30080', String(nodePort))) as unknown;
  expect(pool.servers).toEqual(expected);
  expect(pool.default_server_port).toBe(goPool.default_server_port);
  expect(((await h.avi.getByName('vrfcontext', 'global')) as AviBody).static_routes ?? []).toEqual(before);
  await ako.stop();
}, 90000);

test('an Ingress host outside the DNS sub-domains is not served and gets a Warning Event naming it and them', async () => {
  const ns = await h.appNamespace('boot-dns');
  await h.networking.createIngressClass({ body: { metadata: { name: `avi-${suffix}` }, spec: { controller: 'ako.vmware.com/avi-lb' } } });
  const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } });
  await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: 'mixed' }, spec: { ingressClassName: `avi-${suffix}`, rules: [rule('ok.example.com'), rule('x.example.org')] } } });
  const ako = await h.start();
  await ako.ready;
  const events = await eventually(
    'Warning Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=mixed' })).items,
    (es) => es.some((e) => e.type === 'Warning'),
  );
  expect(events.find((e) => e.type === 'Warning')!.message).toContain('host x.example.org is not in a DNS sub-domain of cloud Default-Cloud (avi.internal, example.com)');
  // The Event comes from the translation; the pool's write may still be in flight when it is seen.
  const pools = await eventually(
    'the served host\'s pool',
    async () => (await h.avi.list('pool', { params: { 'name.contains': `${ns}-mixed` } })).results.map((p) => String(p.name)),
    (ps) => ps.some((n) => n.includes('ok.example.com')),
  );
  expect(pools.some((n) => n.includes('x.example.org'))).toBe(false);
  await ako.stop();
}, 60000);

test('a wildcard Ingress host gets the VIP in status without the hostname the apiserver would refuse', async () => {
  const ns = await h.appNamespace('boot-wild');
  await h.networking.createIngressClass({ body: { metadata: { name: `wild-${suffix}` }, spec: { controller: 'ako.vmware.com/avi-lb' } } });
  const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } });
  await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: 'wild' }, spec: { ingressClassName: `wild-${suffix}`, rules: [rule('*.wild.example.com'), rule('plain.example.com')] } } });
  const ako = await h.start();
  await ako.ready;
  const ing = await eventually(
    'Ingress status',
    () => h.networking.readNamespacedIngress({ name: 'wild', namespace: ns }),
    (i) => (i.status?.loadBalancer?.ingress ?? []).length >= 2,
  );
  const entries = ing.status!.loadBalancer!.ingress!;
  expect(entries.map((e) => e.hostname ?? '(none)').sort()).toEqual(['(none)', 'plain.example.com']);
  expect(entries.every((e) => /^127\.100\./.test(e.ip ?? ''))).toBe(true);
  await ako.stop();
}, 60000);
