// NetworkSettings.vipNetworkList with a v6cidr (docs/values.md; the Go AKO's rest AviVsVipBuild and lib.UpdateV6,
// IsValidV6Config) on a real apiserver and the avi-controller: a LoadBalancer Service's VsVip vip asks for both
// families (auto_allocate_ip_type V4_V6, subnet and subnet6 from cidr and v6cidr split at "/"), the controller gives
// an IPv4 and an IPv6 VIP from the network's subnets, and the Service status carries both (IPv4 first, as the Go
// AKO's IPAddrs). In a cloud that takes no IPv6 VIPs (here CLOUD_LINUXSERVER) AKO disables sync with the Go AKO's
// text "IPv6 CIDR is only supported for vCenter Clouds". Addresses and expected fields written by hand.
import type { AviBody } from '@avi-k8s/avi-sync';
import { createLogger } from '@avi-k8s/kube';
import { akoValuesYaml, writeValuesFile } from '@avi-k8s/testbed';
import { startAko } from '../../src/operator/run.js';
import { createLbService, eventually, harness, type Harness } from './harness.js';

let h: Harness;
let ns: string;
let netUuid: string;

const NET = 'vip-net-v6';
const vipNetworkList = [{ networkName: NET, cidr: '127.105.0.0/24', v6cidr: 'fd00:105::/64' }];

beforeAll(async () => {
  h = await harness('vipv6');
  ns = await h.appNamespace('vipv6-apps');
  const created = await h.avi.request('POST', '/api/network', {
    body: {
      name: NET,
      cloud_ref: '/api/cloud?name=Default-Cloud',
      configured_subnets: [
        { prefix: { ip_addr: { addr: '127.105.0.0', type: 'V4' }, mask: 24 }, static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: '127.105.0.20', type: 'V4' }, end: { addr: '127.105.0.29', type: 'V4' } } }] },
        { prefix: { ip_addr: { addr: 'fd00:105::', type: 'V6' }, mask: 64 }, static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: 'fd00:105::a', type: 'V6' }, end: { addr: 'fd00:105::f', type: 'V6' } } }] },
      ],
    },
  });
  expect(created).toMatchObject({ name: NET });
  netUuid = String((created as AviBody).uuid);
}, 120000);
afterAll(async () => {
  await h?.close();
});

test('a LoadBalancer Service gets an IPv4 and an IPv6 VIP from the network of a vipNetworkList entry with v6cidr', async () => {
  await h.start({ NetworkSettings: { vipNetworkList } });
  await createLbService(h, ns, 'lb6', [{ port: 80, targetPort: 8080 }], ['10.244.0.5']);
  const name = `${h.clusterName}--${ns}-lb6`;
  const vsvip = await eventually('VsVip', async () => (await h.avi.getByName('vsvip', name)) as AviBody | undefined, (v) => v !== undefined);
  const vip = (vsvip!.vip as Record<string, unknown>[])[0]!;
  expect(vip).toMatchObject({
    auto_allocate_ip: true,
    auto_allocate_ip_type: 'V4_V6',
    avi_allocated_vip: true,
    ip_address: { addr: '127.105.0.20', type: 'V4' },
    ip6_address: { addr: 'fd00:105::a', type: 'V6' },
    ipam_network_subnet: {
      subnet: { ip_addr: { addr: '127.105.0.0', type: 'V4' }, mask: 24 },
      subnet6: { ip_addr: { addr: 'fd00:105::', type: 'V6' }, mask: 64 },
    },
  });
  expect(String((vip.ipam_network_subnet as Record<string, unknown>).network_ref)).toMatch(new RegExp(`/api/network/${netUuid}(#${NET})?$`));
  const status = await eventually(
    'Service status',
    async () => (await h.core.readNamespacedService({ name: 'lb6', namespace: ns })).status?.loadBalancer?.ingress ?? [],
    (l) => l.length === 2,
  );
  expect(status.map((i) => i.ip)).toEqual(['127.105.0.20', 'fd00:105::a']);
});

test('in a cloud that takes no IPv6 VIPs (CLOUD_LINUXSERVER): sync disabled with the Go AKO text, a SyncDisabled Event', async () => {
  const ipam = (await h.avi.getByName('ipamdnsproviderprofile', 'avi-ipam')) as AviBody;
  await h.avi.request('POST', '/api/cloud', { body: { name: 'linux-cloud', vtype: 'CLOUD_LINUXSERVER', ipam_provider_ref: `/api/ipamdnsproviderprofile/${String(ipam.uuid)}` } });
  // Started as resilience.test.ts does, with a Pod name for the boot Events.
  const ako = await startAko({
    kubeConfig: h.kc,
    namespace: h.akoNamespace,
    valuesFile: writeValuesFile(akoValuesYaml(h.ctl.url, `${h.clusterName}-lx`, { ControllerSettings: { controllerHost: h.ctl.url, cloudName: 'linux-cloud' }, NetworkSettings: { vipNetworkList } })),
    apiPort: 0,
    apiHost: '127.0.0.1',
    env: { POD_NAME: 'ako-v6' },
    logger: createLogger({ component: 'ako', silent: true }),
  });
  expect(await ako.ready).toBeUndefined();
  expect((await fetch(`${ako.ops.url}/readyz`)).status).toBe(503);
  const events = await eventually(
    'SyncDisabled Event',
    async () => (await h.core.listNamespacedEvent({ namespace: h.akoNamespace })).items.filter((e) => e.involvedObject.name === 'ako-v6' && e.reason === 'SyncDisabled'),
    (l) => l.length > 0,
  );
  expect(events.map((e) => e.message)).toEqual(['IPv6 CIDR is only supported for vCenter Clouds']);
  await ako.stop();
});
