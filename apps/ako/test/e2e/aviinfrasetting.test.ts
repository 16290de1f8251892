// AviInfraSetting end to end on a real apiserver (the chart's ako.vmware.com CRDs) and the avi-controller: an
// IngressClass naming one places its Ingresses' shard VS on the setting's SE group and VIP network (names with the
// setting's name, its shard size), and a Service annotated with it gets its L4 VS there too; the setting's status
// says Accepted. An update naming an SE group the controller lacks is Rejected with the reason and a Warning Event
// and changes nothing; the IngressClass and Service no longer naming it, their VSes go back to AKO's own SE group and
// VIP network (the L4 VsVip keeps the address the controller gave it), and the setting's emptied shard is kept
// with its VIP. Names are this test's own (AviInfraSetting and IngressClass are cluster-scoped, other tests' AKOs
// share the cluster and judge only what something they sync names).
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
let infraName: string;
let className: string;

const INFRA = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'aviinfrasettings' };
const host = 'inf.infra.example.com';
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
// The setting's VIP network, made on the controller by its admin; AKO's own is the default seed's 127.100.0.0/24.
const NET = { name: 'vip-net-infra', prefix: '127.101.7.' };

const vs = (name: string) => h.avi.getByName('virtualservice', name, { includeName: true }) as Promise<AviBody | undefined>;
const vipOf = async (vsName: string) => {
  const vip = (await h.avi.getByName('vsvip', vsName)) as AviBody | undefined;
  return ((vip?.vip as { ip_address?: { addr?: string } }[] | undefined) ?? [])[0]?.ip_address?.addr;
};
const shardName = () => `${h.clusterName}--Shared-L7-${infraName}-0`;
const l4Name = () => `${h.clusterName}--${ns}-lb-infra`;
const setting = () => custom.getClusterCustomObject({ ...INFRA, name: infraName }) as Promise<{ status?: { status?: string; error?: string } }>;
const ingressIps = async () => ((await h.networking.readNamespacedIngress({ name: 'inf', namespace: ns })).status?.loadBalancer?.ingress ?? []).map((i) => i.ip);
const serviceIps = async () => ((await h.core.readNamespacedService({ name: 'lb-infra', namespace: ns })).status?.loadBalancer?.ingress ?? []).map((i) => i.ip);

beforeAll(async () => {
  h = await harness('infra');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('infra-apps');
  infraName = `infra-${h.clusterName}`;
  className = `avi-infra-${h.clusterName}`;
  await h.avi.request('POST', '/api/serviceenginegroup', { body: { name: 'seg-infra', cloud_ref: '/api/cloud?name=Default-Cloud' } });
  await h.avi.request('POST', '/api/network', {
    body: {
      name: NET.name,
      cloud_ref: '/api/cloud?name=Default-Cloud',
      configured_subnets: [
        {
          prefix: { ip_addr: { addr: `${NET.prefix}0`, type: 'V4' }, mask: 24 },
          static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: `${NET.prefix}10`, type: 'V4' }, end: { addr: `${NET.prefix}250`, type: 'V4' } } }],
        },
      ],
    },
  });
  await custom.createClusterCustomObject({
    ...INFRA,
    body: {
      apiVersion: 'ako.vmware.com/v1beta1',
      kind: 'AviInfraSetting',
      metadata: { name: infraName },
      spec: { seGroup: { name: 'seg-infra' }, network: { vipNetworks: [{ networkName: NET.name, cidr: `${NET.prefix}0/24` }] }, l7Settings: { shardSize: 'SMALL' } },
    },
  });
  await h.networking.createIngressClass({
    body: { metadata: { name: className }, spec: { controller: 'ako.vmware.com/avi-lb', parameters: { apiGroup: 'ako.vmware.com', kind: 'AviInfraSetting', name: infraName } } },
  });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: {
      metadata: { name: 'inf' },
      spec: { ingressClassName: className, rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  });
  await createLbService(h, ns, 'lb-infra', [{ port: 80, targetPort: 8080 }], ['10.244.7.1'], {}, { 'aviinfrasetting.ako.vmware.com/name': infraName });
  ako = await h.start();
  await ako.ready;
}, 180000);

afterAll(async () => {
  await custom?.deleteClusterCustomObject({ ...INFRA, name: infraName }).catch(() => undefined);
  await h?.networking.deleteIngressClass({ name: className }).catch(() => undefined);
  await h?.close();
});

test('the IngressClass and the annotated Service place their VSes on the setting\'s SE group and VIP network; status Accepted', async () => {
  const shard = await eventually('infra shard VS', () => vs(shardName()), (v) => v !== undefined);
  expect(String(shard!.se_group_ref)).toMatch(/#seg-infra$/);
  const ip = await eventually('shard VIP', () => vipOf(shardName()), (a) => a !== undefined);
  expect(ip!.startsWith(NET.prefix)).toBe(true);
  expect(await eventually('Ingress status', ingressIps, (l) => l.length > 0)).toEqual([ip]);
  // The Go AKO's Event for it (c23 go-events.json: "Added virtualservice par--Shared-L7-infra-1-1 for inf.par.test").
  await eventually(
    'Synced Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === 'inf' && e.reason === 'Synced').map((e) => e.message),
    (ms) => ms.includes(`Added virtualservice ${shardName()} for ${host}`),
  );

  const l4 = await eventually('L4 VS on seg-infra', () => vs(l4Name()), (v) => String(v?.se_group_ref ?? '').endsWith('#seg-infra'));
  expect(l4).toBeDefined();
  const l4Ip = await eventually('L4 VIP', () => vipOf(l4Name()), (a) => a !== undefined);
  expect(l4Ip!.startsWith(NET.prefix)).toBe(true);
  expect(await eventually('Service status', serviceIps, (l) => l.length > 0)).toEqual([l4Ip]);

  const s = await eventually('AviInfraSetting status', setting, (o) => o.status?.status === 'Accepted');
  expect(s.status).toEqual({ status: 'Accepted', error: '' });
  // Its SE group carries this cluster's label, as AKO's own does (ClusterIP mode: the VRF's static routes are this
  // cluster's; c23: the Go AKO PUT the same labels on seg-infra).
  expect(((await h.avi.getByName('serviceenginegroup', 'seg-infra')) as AviBody).labels).toEqual([{ key: 'clustername', value: h.clusterName }]);
});

test('an update naming an SE group the controller lacks is Rejected with a Warning Event and changes nothing', async () => {
  const before = { shard: (await vs(shardName()))!, l4: (await vs(l4Name()))!, ip: await vipOf(shardName()) };
  await custom.patchClusterCustomObject({ ...INFRA, name: infraName, body: { spec: { seGroup: { name: 'no-such-seg' } } } }, merge);
  const s = await eventually('AviInfraSetting status', setting, (o) => o.status?.status === 'Rejected');
  expect(s.status).toEqual({ status: 'Rejected', error: 'serviceenginegroup "no-such-seg" not found on controller' });
  // A cluster-scoped object's Events are in namespace default.
  const events = await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: 'default' })).items.filter((e) => e.involvedObject.kind === 'AviInfraSetting' && e.involvedObject.name === infraName),
    (es) => es.some((e) => e.reason === 'Rejected'),
  );
  expect(events.find((e) => e.reason === 'Rejected')!.type).toBe('Warning');
  await ako.idle();
  const shard = (await vs(shardName()))!;
  const l4 = (await vs(l4Name()))!;
  expect([shard._last_modified, l4._last_modified]).toEqual([before.shard._last_modified, before.l4._last_modified]);
  expect(String(shard.se_group_ref)).toMatch(/#seg-infra$/);
  expect(await vipOf(shardName())).toBe(before.ip);
  expect(await ingressIps()).toEqual([before.ip]);
});

test('no longer named by the IngressClass and the Service: their VSes go back to AKO\'s own SE group and VIP network', async () => {
  const infraVip = await vipOf(shardName());
  await h.networking.replaceIngressClass({ name: className, body: { metadata: { name: className }, spec: { controller: 'ako.vmware.com/avi-lb' } } });
  await h.core.patchNamespacedService({ name: 'lb-infra', namespace: ns, body: { metadata: { annotations: { 'aviinfrasetting.ako.vmware.com/name': null } } } }, merge);
  const ips = await eventually('Ingress status on the default VIP network', ingressIps, (l) => l.length === 1 && l[0]!.startsWith('127.100.0.'));
  // The setting's shard, with no host left, is kept (as the Go AKO keeps shards): same VIP, an empty pool group.
  await eventually('infra shard emptied', async () => (await h.avi.getByName('poolgroup', shardName())) as AviBody | undefined, (pg) => pg !== undefined && ((pg.members as unknown[] | undefined) ?? []).length === 0);
  expect(await vipOf(shardName())).toBe(infraVip);
  // The host's default shard: whichever of the 8 (LARGE) has the Ingress's VIP.
  const shards = await Promise.all([...Array(8).keys()].map(async (n) => ({ name: `${h.clusterName}--Shared-L7-${n}`, ip: await vipOf(`${h.clusterName}--Shared-L7-${n}`) })));
  const home = shards.find((x) => x.ip === ips[0]);
  expect(home).toBeDefined();
  expect(String((await vs(home!.name))!.se_group_ref)).toMatch(/#Default-Group$/);
  const l4 = await eventually('L4 VS back on Default-Group', () => vs(l4Name()), (v) => String(v?.se_group_ref ?? '').endsWith('#Default-Group'));
  expect(l4).toBeDefined();
  // Its VsVip (same name) now names AKO's VIP network; the controller keeps the address it allocated on an update (as
  // in corpus case c23, where the Go AKO's PUT moving a VsVip to another network kept its VIP).
  const vsvip = await eventually(
    'L4 VsVip on the default VIP network',
    () => h.avi.getByName('vsvip', l4Name(), { includeName: true }) as Promise<AviBody | undefined>,
    (v) => /#vip-network$/.test(String(((v?.vip as { ipam_network_subnet?: { network_ref?: string } }[] | undefined) ?? [])[0]?.ipam_network_subnet?.network_ref ?? '')),
  );
  expect(((vsvip!.vip as { ip_address?: { addr?: string } }[])[0]!.ip_address?.addr ?? '').startsWith(NET.prefix)).toBe(true);
});

test('an Ingress whose IngressClass names a setting with a missing SE group is not served: both Rejected, Warning Events', async () => {
  const bad = `${infraName}-bad`;
  await custom.createClusterCustomObject({ ...INFRA, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'AviInfraSetting', metadata: { name: bad }, spec: { seGroup: { name: 'no-such-seg' } } } });
  await h.networking.createIngressClass({ body: { metadata: { name: `${className}-bad` }, spec: { controller: 'ako.vmware.com/avi-lb', parameters: { apiGroup: 'ako.vmware.com', kind: 'AviInfraSetting', name: bad } } } });
  try {
    await h.networking.createNamespacedIngress({
      namespace: ns,
      body: { metadata: { name: 'bad' }, spec: { ingressClassName: `${className}-bad`, rules: [{ host: 'bad.infra.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    });
    const s = await eventually('AviInfraSetting status', () => custom.getClusterCustomObject({ ...INFRA, name: bad }) as Promise<{ status?: { status?: string; error?: string } }>, (o) => o.status?.status === 'Rejected');
    expect(s.status).toEqual({ status: 'Rejected', error: 'serviceenginegroup "no-such-seg" not found on controller' });
    const events = await eventually(
      'Ingress Warning Event',
      async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === 'bad' && e.type === 'Warning'),
      (es) => es.length > 0,
    );
    expect(events.map((e) => e.message).join('\n')).toContain(`Referred AviInfraSetting ${bad} is invalid`);
    await ako.idle();
    const named = (await h.avi.request('GET', '/api/virtualservice', { query: { 'name.contains': bad } })) as { results?: unknown[] };
    expect(named.results ?? []).toEqual([]);
    // The same query does list this AKO's VSes (it is not an empty answer to every query).
    expect(((await h.avi.request('GET', '/api/virtualservice', { query: { 'name.contains': `${h.clusterName}--` } })) as { results?: unknown[] }).results?.length).toBeGreaterThan(0);
    expect((await h.networking.readNamespacedIngress({ name: 'bad', namespace: ns })).status?.loadBalancer?.ingress ?? []).toEqual([]);
  } finally {
    await h.networking.deleteIngressClass({ name: `${className}-bad` }).catch(() => undefined);
    await custom.deleteClusterCustomObject({ ...INFRA, name: bad }).catch(() => undefined);
  }
});

// The upstream doc example (docs/crds/avinfrasetting.md, as v1alpha1 there), written here with its values: SE group
// compact-se-group, VIP network vip-network-10-10-10-0-24 10.10.10.0/24 with v6cidr 2002::1234:abcd:ffff:c0a8:101/64,
// a node network, RHI with BGP peer labels peer1 and peer2, shard size MEDIUM. Named by an IngressClass of an Ingress
// of ours, it is Accepted and places the Ingress; as the Go AKO (rest AviVsVipBuild, lib.UpdateV6) the shard's VsVip
// vip asks for both families (auto_allocate_ip_type V4_V6, subnet6 = the v6cidr split at "/"), the controller gives
// it an IPv6 VIP from the network's IPv6 subnet (made here by the admin, 2002:0:0:1234::/64), and the Ingress status
// carries both addresses for the host (the Go AKO's IPAddrs: the IPv4 VIPs, then the IPv6 ones); the v6cidr
// removed, the VsVip asks for IPv4 only (the Go AKO's PUT has no auto_allocate_ip_type) and keeps its IPv4 VIP. This
// controller's cloud is a no-access one (CLOUD_NONE): as the Go AKO, no pool placement network from nodeNetworks
// there, and a NotApplied Warning says so (placement in a vCenter cloud: e2e/aviinfrasetting-node-networks.test.ts).
test('the upstream doc example: Accepted and placing, an IPv4 and an IPv6 VIP (v6cidr), nodeNetworks NotApplied in this no-access cloud', async () => {
  const doc = `${infraName}-doc`;
  await h.avi.request('POST', '/api/network', { body: { name: 'node-network-10-10-20-0-24', cloud_ref: '/api/cloud?name=Default-Cloud' } });
  await h.avi.request('POST', '/api/serviceenginegroup', { body: { name: 'compact-se-group', cloud_ref: '/api/cloud?name=Default-Cloud' } });
  await h.avi.request('POST', '/api/network', {
    body: {
      name: 'vip-network-10-10-10-0-24',
      cloud_ref: '/api/cloud?name=Default-Cloud',
      configured_subnets: [
        { prefix: { ip_addr: { addr: '127.101.8.0', type: 'V4' }, mask: 24 }, static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: '127.101.8.10', type: 'V4' }, end: { addr: '127.101.8.250', type: 'V4' } } }] },
        { prefix: { ip_addr: { addr: '2002:0:0:1234::', type: 'V6' }, mask: 64 }, static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: '2002:0:0:1234::10', type: 'V6' }, end: { addr: '2002:0:0:1234::ff', type: 'V6' } } }] },
      ],
    },
  });
  await custom.createClusterCustomObject({
    group: 'ako.vmware.com',
    version: 'v1alpha1',
    plural: 'aviinfrasettings',
    body: {
      apiVersion: 'ako.vmware.com/v1alpha1',
      kind: 'AviInfraSetting',
      metadata: { name: doc },
      spec: {
        seGroup: { name: 'compact-se-group' },
        network: {
          vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24', v6cidr: '2002::1234:abcd:ffff:c0a8:101/64' }],
          nodeNetworks: [{ networkName: 'node-network-10-10-20-0-24', cidrs: ['10.10.20.0/24'] }],
          enableRhi: true,
          bgpPeerLabels: ['peer1', 'peer2'],
        },
        l7Settings: { shardSize: 'MEDIUM' },
      },
    },
  });
  await h.networking.createIngressClass({ body: { metadata: { name: `${className}-doc` }, spec: { controller: 'ako.vmware.com/avi-lb', parameters: { apiGroup: 'ako.vmware.com', kind: 'AviInfraSetting', name: doc } } } });
  try {
    await h.networking.createNamespacedIngress({
      namespace: ns,
      body: { metadata: { name: 'doc' }, spec: { ingressClassName: `${className}-doc`, rules: [{ host: 'doc.infra.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    });
    const read = () => custom.getClusterCustomObject({ ...INFRA, name: doc }) as Promise<{ status?: { status?: string; error?: string } }>;
    const acceptedNow = await eventually('doc example status', read, (o) => o.status?.status === 'Accepted');
    expect(acceptedNow.status).toEqual({ status: 'Accepted', error: '' });
    // A cluster-scoped object's Events are in namespace default.
    const notApplied = await eventually(
      'NotApplied Event',
      async () => (await h.core.listNamespacedEvent({ namespace: 'default' })).items.filter((e) => e.involvedObject.kind === 'AviInfraSetting' && e.involvedObject.name === doc && e.reason === 'NotApplied'),
      (l) => l.length > 0,
    );
    expect({ type: notApplied[0]!.type, message: notApplied[0]!.message }).toEqual({
      type: 'Warning',
      message: 'network.nodeNetworks: pools get placement networks in a vCenter cloud only; cloud Default-Cloud is CLOUD_NONE',
    });
    // MEDIUM: 4 shards; the Ingress's host is on one of them, on compact-se-group with RHI.
    const shards = await eventually(
      'doc shard VS',
      async () => (await Promise.all([0, 1, 2, 3].map((n) => vs(`${h.clusterName}--Shared-L7-${doc}-${n}`)))).filter((v): v is AviBody => v !== undefined),
      (l) => l.length === 1,
    );
    expect(String(shards[0]!.se_group_ref)).toMatch(/#compact-se-group$/);
    expect(shards[0]!.enable_rhi).toBe(true);
    const vsvip = (await h.avi.getByName('vsvip', String(shards[0]!.name))) as AviBody;
    expect(vsvip.bgp_peer_labels).toEqual(['peer1', 'peer2']);
    const vip0 = (vsvip.vip as Record<string, unknown>[])[0]!;
    expect(vip0).toMatchObject({
      auto_allocate_ip: true,
      auto_allocate_ip_type: 'V4_V6',
      avi_allocated_vip: true,
      ipam_network_subnet: {
        subnet: { ip_addr: { addr: '10.10.10.0', type: 'V4' }, mask: 24 },
        subnet6: { ip_addr: { addr: '2002::1234:abcd:ffff:c0a8:101', type: 'V6' }, mask: 64 },
      },
    });
    const v4 = (vip0.ip_address as { addr: string }).addr;
    const v6 = (vip0.ip6_address as { addr: string; type: string }).addr;
    expect(v4).toMatch(/^127\.101\.8\.\d+$/);
    expect(v6).toMatch(/^2002:0:0:1234::[0-9a-f]{2}$/);
    expect((vip0.ip6_address as { type: string }).type).toBe('V6');
    const status = await eventually(
      'doc Ingress status',
      async () => (await h.networking.readNamespacedIngress({ name: 'doc', namespace: ns })).status?.loadBalancer?.ingress ?? [],
      (l) => l.length === 2,
    );
    expect(status.map((i) => ({ ip: i.ip, hostname: i.hostname }))).toEqual([
      { ip: v4, hostname: 'doc.infra.example.com' },
      { ip: v6, hostname: 'doc.infra.example.com' },
    ]);
    // The v6cidr removed: the VsVip asks for IPv4 only again, keeps its IPv4 VIP, and the IPv6 one leaves the status.
    await custom.patchClusterCustomObject({ ...INFRA, name: doc, body: { spec: { network: { vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24' }] } } } }, merge);
    const v4Only = await eventually(
      'doc VsVip without IPv6',
      async () => (((await h.avi.getByName('vsvip', String(shards[0]!.name))) as AviBody | undefined)?.vip ?? []) as Record<string, unknown>[],
      (v) => v.length > 0 && v[0]!.ip6_address === undefined,
    );
    expect(v4Only[0]!.auto_allocate_ip_type ?? 'V4_ONLY').toBe('V4_ONLY');
    expect((v4Only[0]!.ipam_network_subnet as Record<string, unknown>).subnet6).toBeUndefined();
    expect((v4Only[0]!.ip_address as { addr: string }).addr).toBe(v4);
    const status4 = await eventually(
      'doc Ingress status IPv4 only',
      async () => (await h.networking.readNamespacedIngress({ name: 'doc', namespace: ns })).status?.loadBalancer?.ingress ?? [],
      (l) => l.length === 1,
    );
    expect(status4.map((i) => ({ ip: i.ip, hostname: i.hostname }))).toEqual([{ ip: v4, hostname: 'doc.infra.example.com' }]);
    const pool = (await h.avi.getByName('pool', `${h.clusterName}--${doc}-doc.infra.example.com_-${ns}-doc`)) as AviBody | undefined;
    expect(pool).toBeDefined();
    expect(pool!.placement_networks).toBeUndefined();
  } finally {
    await h.networking.deleteNamespacedIngress({ name: 'doc', namespace: ns }).catch(() => undefined);
    await h.networking.deleteIngressClass({ name: `${className}-doc` }).catch(() => undefined);
    await custom.deleteClusterCustomObject({ ...INFRA, name: doc }).catch(() => undefined);
  }
});
