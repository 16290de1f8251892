// AviInfraSetting network.nodeNetworks end to end in a vCenter cloud (the controller's Default-Cloud made
// CLOUD_VCENTER before AKO boots: the Go AKO sets pool placement networks in vCenter clouds only): the upstream
// docs example (docs/crds/avinfrasetting.md, its values, without its v6cidr: the IPv6 VIP is e2e/aviinfrasetting.test.ts) named by an
// IngressClass and by a LoadBalancer Service's annotation; every pool of what it places gets one placement network per
// node network CIDR (network by name, the CIDR's network address), the others none; the node networks removed from
// the setting, the pools go back without. A node network missing on the controller rejects the setting.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
let doc: string;

const INFRA = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'aviinfrasettings' };
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const host = 'doc.nodenet.example.com';
const pool = (name: string) => h.avi.getByName('pool', name, { includeName: true }) as Promise<AviBody | undefined>;
const read = () => custom.getClusterCustomObject({ ...INFRA, name: doc }) as Promise<{ status?: { status?: string; error?: string } }>;
/** The docs example's node network, written here with its values (10.10.20.0/24), plus a second CIDR of ours. */
const NODE_NETWORKS = [{ networkName: 'node-network-10-10-20-0-24', cidrs: ['10.10.20.0/24', '10.10.21.5/24'] }];
const PLACEMENT = [
  { network_ref: 'node-network-10-10-20-0-24', subnet: { ip_addr: { addr: '10.10.20.0', type: 'V4' }, mask: 24 } },
  { network_ref: 'node-network-10-10-20-0-24', subnet: { ip_addr: { addr: '10.10.21.0', type: 'V4' }, mask: 24 } },
];
/** A stored placement network with its ref as the network's name (`https://.../api/network/<uuid>#<name>`). */
const placementOf = (p: AviBody | undefined) =>
  ((p?.placement_networks as { network_ref: string; subnet: unknown }[] | undefined) ?? []).map((n) => ({ network_ref: String(n.network_ref).replace(/^.*#/, ''), subnet: n.subnet }));

beforeAll(async () => {
  h = await harness('nodenet');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('nodenet-apps');
  doc = `doc-${h.clusterName}`;
  const cloud = (await h.avi.getByName('cloud', 'Default-Cloud')) as AviBody;
  await h.avi.request('PUT', `/api/cloud/${String(cloud.uuid)}`, { body: { ...cloud, vtype: 'CLOUD_VCENTER' } });
  await h.avi.request('POST', '/api/serviceenginegroup', { body: { name: 'compact-se-group', cloud_ref: '/api/cloud?name=Default-Cloud' } });
  await h.avi.request('POST', '/api/network', {
    body: {
      name: 'vip-network-10-10-10-0-24',
      cloud_ref: '/api/cloud?name=Default-Cloud',
      configured_subnets: [{ prefix: { ip_addr: { addr: '127.101.9.0', type: 'V4' }, mask: 24 }, static_ip_ranges: [{ type: 'STATIC_IPS_FOR_VIP', range: { begin: { addr: '127.101.9.10', type: 'V4' }, end: { addr: '127.101.9.250', type: 'V4' } } }] }],
    },
  });
  await h.avi.request('POST', '/api/network', { body: { name: 'node-network-10-10-20-0-24', cloud_ref: '/api/cloud?name=Default-Cloud' } });
  await custom.createClusterCustomObject({
    ...INFRA,
    body: {
      apiVersion: 'ako.vmware.com/v1beta1',
      kind: 'AviInfraSetting',
      metadata: { name: doc },
      spec: {
        seGroup: { name: 'compact-se-group' },
        network: { vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24' }], nodeNetworks: NODE_NETWORKS, enableRhi: true, bgpPeerLabels: ['peer1', 'peer2'] },
        l7Settings: { shardSize: 'MEDIUM' },
      },
    },
  });
  await h.networking.createIngressClass({ body: { metadata: { name: `nodenet-${h.clusterName}` }, spec: { controller: 'ako.vmware.com/avi-lb', parameters: { apiGroup: 'ako.vmware.com', kind: 'AviInfraSetting', name: doc } } } });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await h.networking.createNamespacedIngress({
    namespace: ns,
    body: { metadata: { name: 'doc' }, spec: { ingressClassName: `nodenet-${h.clusterName}`, rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
  });
  await createLbService(h, ns, 'lb-doc', [{ port: 80, targetPort: 8080 }], ['10.244.7.1'], {}, { 'aviinfrasetting.ako.vmware.com/name': doc });
  await createLbService(h, ns, 'lb-plain', [{ port: 80, targetPort: 8080 }], ['10.244.7.2']);
  ako = await h.start();
  await ako.ready;
}, 180000);

afterAll(async () => {
  await custom?.deleteClusterCustomObject({ ...INFRA, name: doc }).catch(() => undefined);
  await h?.networking.deleteIngressClass({ name: `nodenet-${h.clusterName}` }).catch(() => undefined);
  await h?.close();
});

test('Accepted; the pools of its Ingress and Service get its node network CIDRs as placement networks, the others none; removed from the setting, none', async () => {
  expect((await eventually('setting Accepted', read, (o) => o.status?.status !== undefined)).status).toEqual({ status: 'Accepted', error: '' });
  const l7Pool = `${h.clusterName}--${doc}-${host}_-${ns}-doc`;
  const l4Pool = `${h.clusterName}--${ns}-lb-doc-TCP-80`;
  const plainPool = `${h.clusterName}--${ns}-lb-plain-TCP-80`;
  for (const p of [l7Pool, l4Pool]) expect([p, placementOf(await eventually(p, () => pool(p), (x) => x !== undefined))]).toEqual([p, PLACEMENT]);
  expect((await eventually(plainPool, () => pool(plainPool), (x) => x !== undefined))!.placement_networks).toBeUndefined();

  await custom.patchClusterCustomObject({ ...INFRA, name: doc, body: { spec: { network: { nodeNetworks: null } } } }, merge);
  for (const p of [l7Pool, l4Pool]) expect([p, (await eventually(`${p} without`, () => pool(p), (x) => x !== undefined && x.placement_networks === undefined))!.placement_networks]).toEqual([p, undefined]);
}, 120000);

test('a node network the controller lacks: Rejected with the Go AKO error, the pools keep what the last accepted setting gave them', async () => {
  await custom.patchClusterCustomObject({ ...INFRA, name: doc, body: { spec: { network: { nodeNetworks: [{ networkName: 'no-such-node-net', cidrs: ['10.10.40.0/24'] }] } } } }, merge);
  expect((await eventually('setting Rejected', read, (o) => o.status?.status === 'Rejected')).status).toEqual({ status: 'Rejected', error: 'network "no-such-node-net" not found on controller' });
  await ako.idle();
  expect((await pool(`${h.clusterName}--${ns}-lb-doc-TCP-80`))!.placement_networks).toBeUndefined();
  await custom.patchClusterCustomObject({ ...INFRA, name: doc, body: { spec: { network: { nodeNetworks: NODE_NETWORKS } } } }, merge);
  expect((await eventually('setting Accepted again', read, (o) => o.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  const back = await eventually('L4 pool placed again', () => pool(`${h.clusterName}--${ns}-lb-doc-TCP-80`), (x) => x?.placement_networks !== undefined);
  expect(placementOf(back)).toEqual(PLACEMENT);
}, 120000);
