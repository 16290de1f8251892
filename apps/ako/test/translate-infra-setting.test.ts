/**
 * AviInfraSetting, hand-written from the spec facts (spec ako.md "CRD AviInfraSetting", §2.1 infra prefix; upstream
 * docs/crds/avinfrasetting.md; the Go AKO's validation texts) on the inputs of parity case c23 (IngressClass
 * avi-infra -> infra-1; Service lb-infra annotated infra-1; Ingress plain and Service lb-plain on the defaults).
 * What the Go AKO sent for c23 itself is compared in translate-parity.test.ts.
 */
import { indexSnapshot, translate } from '../src/index.js';
import { keptShardConfig } from '../src/translate/kept-shards.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const c23 = caseObjects('c23-aviinfrasetting');
const config = caseConfig('c23-aviinfrasetting');
const SEED_REFS = ['serviceenginegroup/seg-infra', 'network/vip-net-2', 'serviceenginegroup/compact-se-group', 'network/vip-network-10-10-10-0-24', 'network/node-net', 'network/node-network-10-10-20-0-24'];
const infra = (spec: Record<string, unknown>, name = 'infra-1'): K8sObject => ({ apiVersion: 'ako.vmware.com/v1beta1', kind: 'AviInfraSetting', metadata: { name }, spec }) as K8sObject;
const run = (setting: K8sObject | undefined, aviRefs = SEED_REFS, extra: K8sObject[] = []) =>
  translate({ ...snapshotOf([...c23.filter((o) => o.kind !== 'AviInfraSetting'), ...(setting ? [setting] : []), ...extra]), aviRefs }, config);
type Result = ReturnType<typeof run>;
const verdict = (r: Result, kind: string, name: string) => r.verdicts.find((v) => v.kind === kind && v.name === name);
const body = (r: Result, type: string, name: string) => r.objects.find((o) => o.type === type && o.name === name)?.body;
const names = (r: Result, type: string) => r.objects.filter((o) => o.type === type).map((o) => o.name).sort();

const GOOD = { seGroup: { name: 'seg-infra' }, network: { vipNetworks: [{ networkName: 'vip-net-2', cidr: '127.101.0.0/24' }] }, l7Settings: { shardSize: 'SMALL' } };

describe('an accepted AviInfraSetting places what names it', () => {
  const r = run(infra(GOOD));

  it('is Accepted', () => expect(verdict(r, 'AviInfraSetting', 'infra-1')).toEqual({ kind: 'AviInfraSetting', namespace: '', name: 'infra-1', accepted: true, reason: '' }));

  it('its Ingresses get shard VSes named with it (its shard size: SMALL = 1), on its SE group and VIP network', () => {
    expect(names(r, 'virtualservice').filter((n) => n.includes('infra-1'))).toEqual(['par--Shared-L7-infra-1-0', 'par--infra-1-infs.par.test']);
    expect(body(r, 'virtualservice', 'par--Shared-L7-infra-1-0')?.se_group_ref).toBe('/api/serviceenginegroup?name=seg-infra');
    expect((body(r, 'vsvip', 'par--Shared-L7-infra-1-0')?.vip as unknown[])[0]).toEqual({
      vip_id: '0',
      auto_allocate_ip: true,
      ipam_network_subnet: { network_ref: '/api/network/?name=vip-net-2', subnet: { ip_addr: { addr: '127.101.0.0', type: 'V4' }, mask: 24 } },
    });
  });

  it('the objects under its shards carry its name and the InfrasettingName marker', () => {
    expect(names(r, 'pool').filter((n) => n.includes('infra-1'))).toEqual(['par--infra-1-inf.par.test_-red-inf', 'par--infra-1-red-infs.par.test_-inf']);
    expect(names(r, 'sslkeyandcertificate')).toEqual(['par--infra-1-infs.par.test']);
    const markers = body(r, 'pool', 'par--infra-1-red-infs.par.test_-inf')?.markers as { key: string; values: string[] }[];
    expect(markers.find((m) => m.key === 'InfrasettingName')).toEqual({ key: 'InfrasettingName', values: ['infra-1'] });
  });

  it('its annotated Service gets its SE group and VIP network; the others keep the defaults', () => {
    expect(body(r, 'virtualservice', 'par--red-lb-infra')?.se_group_ref).toBe('/api/serviceenginegroup?name=seg-infra');
    expect(body(r, 'virtualservice', 'par--red-lb-plain')?.se_group_ref).toBe('/api/serviceenginegroup?name=Default-Group');
    expect(((body(r, 'vsvip', 'par--red-lb-infra')?.vip as Record<string, unknown>[])[0]!.ipam_network_subnet as Record<string, unknown>).network_ref).toBe('/api/network/?name=vip-net-2');
    expect(body(r, 'virtualservice', 'par--Shared-L7-4')?.se_group_ref).toBe('/api/serviceenginegroup?name=Default-Group');
    expect(verdict(r, 'Ingress', 'plain')).toMatchObject({ accepted: true });
  });
});

test('enableRhi with bgpPeerLabels: RHI on the VSes, the labels on the VsVips; enablePublicIP: a floating IP', () => {
  const r = run(infra({ ...GOOD, network: { ...GOOD.network, enableRhi: true, bgpPeerLabels: ['peer1', 'peer2'], enablePublicIP: true } }));
  expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
  for (const vs of ['par--Shared-L7-infra-1-0', 'par--red-lb-infra']) {
    expect([vs, body(r, 'virtualservice', vs)?.enable_rhi, body(r, 'vsvip', vs)?.bgp_peer_labels]).toEqual([vs, true, ['peer1', 'peer2']]);
    expect([vs, (body(r, 'vsvip', vs)?.vip as Record<string, unknown>[])[0]!.auto_allocate_floating_ip]).toEqual([vs, true]);
  }
  expect(body(r, 'virtualservice', 'par--red-lb-plain')?.enable_rhi).toBeUndefined();
});

// Each rejected setting: its status error (the Go AKO's text where it has one), and nothing placed by it is built.
test.each([
  ['a missing SE group', { ...GOOD, seGroup: { name: 'no-such-seg' } }, 'serviceenginegroup "no-such-seg" not found on controller'],
  ['a missing VIP network', { ...GOOD, network: { vipNetworks: [{ networkName: 'no-such-net' }] } }, 'network "no-such-net" not found on controller'],
  ['bgpPeerLabels without enableRhi', { ...GOOD, network: { ...GOOD.network, bgpPeerLabels: ['peer1'] } }, 'BGPPeerLabels cannot be set if EnableRhi is false.'],
  ['an invalid CIDR', { ...GOOD, network: { vipNetworks: [{ networkName: 'vip-net-2', cidr: '127.101.0.0/99' }] } }, 'invalid CIDR configuration 127.101.0.0/99 detected for networkName vip-net-2 in vipNetworkList'],
  ['a missing node network', { ...GOOD, network: { ...GOOD.network, nodeNetworks: [{ networkName: 'no-such-node-net', cidrs: ['10.0.0.0/24'] }] } }, 'network "no-such-node-net" not found on controller'],
  ['an invalid node network CIDR', { ...GOOD, network: { ...GOOD.network, nodeNetworks: [{ networkName: 'node-net', cidrs: ['10.0.0.0/33'] }] } }, 'invalid CIDR configuration 10.0.0.0/33 detected for networkName node-net in nodeNetworks'],
  ['listeners (not implemented)', { ...GOOD, network: { ...GOOD.network, listeners: [{ port: 8443, enableSSL: true }] } }, 'network.listeners is not supported by this AKO yet'],
  ['an unknown shard size', { ...GOOD, l7Settings: { shardSize: 'HUGE' } }, 'l7Settings.shardSize "HUGE" must be SMALL, MEDIUM, LARGE or DEDICATED'],
])('%s: Rejected, its Ingress and Service not served', (_what, spec, error) => {
  const r = run(infra(spec));
  expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: false, reason: error });
  expect(verdict(r, 'Ingress', 'inf')).toMatchObject({ accepted: false, reason: 'IngressClass avi-infra: Referred AviInfraSetting infra-1 is invalid' });
  expect(verdict(r, 'Service', 'lb-infra')).toMatchObject({ accepted: false, reason: 'annotation aviinfrasetting.ako.vmware.com/name: Referred AviInfraSetting infra-1 is invalid' });
  expect(r.objects.filter((o) => o.name.includes('infra-1') || o.name.includes('lb-infra'))).toEqual([]);
  expect(verdict(r, 'Ingress', 'plain')).toMatchObject({ accepted: true });
});

test('an AviInfraSetting that does not exist: what names it is not served, the rest is', () => {
  const r = run(undefined);
  expect(verdict(r, 'Ingress', 'inf')).toMatchObject({ accepted: false, reason: 'IngressClass avi-infra: AviInfraSetting infra-1 not found' });
  expect(verdict(r, 'Service', 'lb-infra')).toMatchObject({ accepted: false, reason: 'annotation aviinfrasetting.ako.vmware.com/name: AviInfraSetting infra-1 not found' });
  expect(names(r, 'virtualservice')).toEqual(['par--Shared-L7-4', 'par--red-lb-plain']);
});

test('an IngressClass whose parameters name another API group places nothing', () => {
  const cls = c23.find((o) => o.kind === 'IngressClass' && o.metadata?.name === 'avi-infra')!;
  const other = { ...cls, spec: { ...(cls.spec as object), parameters: { apiGroup: 'example.com', kind: 'AviInfraSetting', name: 'infra-1' } } } as K8sObject;
  const r = translate({ ...snapshotOf([...c23.filter((o) => o !== cls), other]), aviRefs: SEED_REFS }, config);
  expect(names(r, 'virtualservice').some((n) => n.includes('Shared-L7-infra-1'))).toBe(false);
  expect(verdict(r, 'Ingress', 'inf')).toMatchObject({ accepted: true });
});

// The upstream doc example (docs/crds/avinfrasetting.md), written here with its values: SE group compact-se-group,
// VIP network vip-network-10-10-10-0-24 10.10.10.0/24 and v6cidr 2002::1234:abcd:ffff:c0a8:101/64, a node network,
// RHI with peer1/peer2, MEDIUM.
describe('the upstream doc example', () => {
  const doc = {
    seGroup: { name: 'compact-se-group' },
    network: {
      vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24', v6cidr: '2002::1234:abcd:ffff:c0a8:101/64' }],
      nodeNetworks: [{ networkName: 'node-network-10-10-20-0-24', cidrs: ['10.10.20.0/24'] }],
      enableRhi: true,
      bgpPeerLabels: ['peer1', 'peer2'],
    },
    l7Settings: { shardSize: 'MEDIUM' },
  };

  // The Go AKO (rest AviVsVipBuild, lib.UpdateV6): a new VsVip's vip gets subnet6 = the v6cidr split at "/" (the
  // address as written, type V6) next to subnet, and auto_allocate_ip_type V4_V6 (V6_ONLY without a cidr).
  it('as written: Accepted; its shard VsVips ask for an IPv4 and an IPv6 VIP from 10.10.10.0/24 and the v6cidr', () => {
    const r = run(infra(doc));
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true, reason: '' });
    const shards = names(r, 'vsvip').filter((n) => n.startsWith('par--Shared-L7-infra-1-'));
    expect(shards.length).toBeGreaterThan(0);
    for (const s of shards) {
      expect((body(r, 'vsvip', s)?.vip as unknown[])[0]).toEqual({
        vip_id: '0',
        auto_allocate_ip: true,
        auto_allocate_ip_type: 'V4_V6',
        ipam_network_subnet: {
          network_ref: '/api/network/?name=vip-network-10-10-10-0-24',
          subnet: { ip_addr: { addr: '10.10.10.0', type: 'V4' }, mask: 24 },
          subnet6: { ip_addr: { addr: '2002::1234:abcd:ffff:c0a8:101', type: 'V6' }, mask: 64 },
        },
      });
    }
  });

  it('a v6cidr without cidr: V6_ONLY with subnet6 alone', () => {
    const r = run(infra({ ...doc, network: { ...doc.network, vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', v6cidr: 'fd00:10::/64' }] } }));
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    const shard = names(r, 'vsvip').find((n) => n.startsWith('par--Shared-L7-infra-1-'));
    expect(body(r, 'vsvip', shard ?? '')?.vip).toEqual([
      { vip_id: '0', auto_allocate_ip: true, auto_allocate_ip_type: 'V6_ONLY', ipam_network_subnet: { network_ref: '/api/network/?name=vip-network-10-10-10-0-24', subnet6: { ip_addr: { addr: 'fd00:10::', type: 'V6' }, mask: 64 } } },
    ]);
  });

  it('the L4 VsVip of its annotated Service: auto_allocate_ip_type V4_V6, no subnets (as for its cidr)', () => {
    const r = run(infra(doc));
    expect((body(r, 'vsvip', 'par--red-lb-infra')?.vip as unknown[])[0]).toEqual({
      vip_id: '0',
      auto_allocate_ip: true,
      auto_allocate_ip_type: 'V4_V6',
      ipam_network_subnet: { network_ref: '/api/network/?name=vip-network-10-10-10-0-24' },
    });
  });

  it.each([['2002::1234:abcd:ffff:c0a8:101'], ['2002::zz/64'], ['2002::1/129'], ['10.10.10.0/24']])('an invalid v6cidr %s: Rejected with the Go AKO text', (v6cidr) => {
    const r = run(infra({ ...doc, network: { ...doc.network, vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24', v6cidr }] } }));
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({
      accepted: false,
      reason: `invalid IPv6 CIDR configuration ${v6cidr} detected for networkName vip-network-10-10-10-0-24 in vipNetworkList`,
    });
  });

  it('without v6cidr: Accepted; the pools under its shards are placed on the node network 10.10.20.0/24', () => {
    const r = run(infra({ ...doc, network: { ...doc.network, vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24' }] } }));
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    expect(body(r, 'pool', 'par--infra-1-red-infs.par.test_-inf')?.placement_networks).toEqual([
      { network_ref: '/api/network/?name=node-network-10-10-20-0-24', subnet: { ip_addr: { addr: '10.10.20.0', type: 'V4' }, mask: 24 } },
    ]);
  });

  it('without nodeNetworks and v6cidr: Accepted and placing on compact-se-group, 10.10.10.0/24, RHI with its peer labels', () => {
    const r = run(infra({ ...doc, network: { vipNetworks: [{ networkName: 'vip-network-10-10-10-0-24', cidr: '10.10.10.0/24' }], enableRhi: true, bgpPeerLabels: ['peer1', 'peer2'] } }));
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    const shards = names(r, 'virtualservice').filter((n) => n.startsWith('par--Shared-L7-infra-1-'));
    expect(shards.length).toBeGreaterThan(0);
    // MEDIUM: 4 shards, numbered 0..3.
    for (const s of shards) expect(s).toMatch(/^par--Shared-L7-infra-1-[0-3]$/);
    for (const s of shards) {
      expect(body(r, 'virtualservice', s)).toMatchObject({ se_group_ref: '/api/serviceenginegroup?name=compact-se-group', enable_rhi: true });
      expect(body(r, 'vsvip', s)).toMatchObject({
        bgp_peer_labels: ['peer1', 'peer2'],
        vip: [{ ipam_network_subnet: { network_ref: '/api/network/?name=vip-network-10-10-10-0-24', subnet: { ip_addr: { addr: '10.10.10.0', type: 'V4' }, mask: 24 } } }],
      });
    }
  });
});

// nodeNetworks (the Go AKO: buildPoolWithInfraSetting, rest AviPoolBuild): each CIDR of each node network is a pool
// placement network, by network name with the CIDR's network address, on the pools of what the setting places, in a
// vCenter cloud only (IsNodeNetworkAllowedCloud; the Go AKO takes CLOUD_VCENTER when it has not read the cloud).
describe('nodeNetworks', () => {
  const spec = { ...GOOD, network: { ...GOOD.network, nodeNetworks: [{ networkName: 'node-net', cidrs: ['10.10.20.7/24', '10.10.30.0/23'] }] } };
  const want = [
    { network_ref: '/api/network/?name=node-net', subnet: { ip_addr: { addr: '10.10.20.0', type: 'V4' }, mask: 24 } },
    { network_ref: '/api/network/?name=node-net', subnet: { ip_addr: { addr: '10.10.30.0', type: 'V4' }, mask: 23 } },
  ];
  const inCloud = (cloudType: string) => translate({ ...snapshotOf([...c23.filter((o) => o.kind !== 'AviInfraSetting'), infra(spec)]), aviRefs: SEED_REFS }, { ...config, cloudType });

  it.each([
    ['an L7 pool under its shard', 'par--infra-1-red-infs.par.test_-inf'],
    ['the L4 pool of its annotated Service', 'par--red-lb-infra-TCP-80'],
  ])('in a vCenter cloud: %s gets them, with no warning', (_n, pool) => {
    const r = inCloud('CLOUD_VCENTER');
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    expect(body(r, 'pool', pool)?.placement_networks).toEqual(want);
    expect((r.warnings ?? []).filter((w) => w.kind === 'AviInfraSetting')).toEqual([]);
  });

  it('pools of what it does not place get none', () => {
    const r = inCloud('CLOUD_VCENTER');
    const others = r.objects.filter((o) => o.type === 'pool' && !o.name.includes('infra-1') && !o.name.includes('lb-infra'));
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect([o.name, o.body.placement_networks]).toEqual([o.name, undefined]);
  });

  it('in a no-access cloud: Accepted, no pool gets them, and a NotApplied warning says why', () => {
    const r = inCloud('CLOUD_NONE');
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    for (const o of r.objects.filter((x) => x.type === 'pool')) expect([o.name, o.body.placement_networks]).toEqual([o.name, undefined]);
    expect((r.warnings ?? []).filter((w) => w.kind === 'AviInfraSetting')).toEqual([
      { kind: 'AviInfraSetting', namespace: '', name: 'infra-1', reason: 'NotApplied', message: 'network.nodeNetworks: pools get placement networks in a vCenter cloud only; cloud Default-Cloud is CLOUD_NONE' },
    ]);
  });
});

// Several AKOs on one cluster (each syncing its namespaces): an AKO judges only the settings something it syncs names.
describe('with a namespace selector, only the AviInfraSettings named by what this AKO syncs get a status', () => {
  const selected = { ...config, namespaceSelector: { labelKey: 'team', labelValue: 'red' } };
  const red = c23.map((o) => (o.kind === 'Namespace' && o.metadata?.name === 'red' ? ({ ...o, metadata: { ...o.metadata, labels: { team: 'red' } } } as K8sObject) : o));
  const judge = (objects: K8sObject[]) => translate({ ...snapshotOf(objects), aviRefs: SEED_REFS }, selected);

  it('infra-1 (named by IngressClass avi-infra of Ingress red/inf) is judged; other-infra (named by nothing) is not', () => {
    const r = judge([...red, infra(GOOD, 'other-infra')]);
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
    expect(verdict(r, 'AviInfraSetting', 'other-infra')).toBeUndefined();
  });

  it('a namespace this AKO does not sync: its Ingress and Service do not make infra-1 judged', () => {
    const r = judge(c23);
    expect(verdict(r, 'AviInfraSetting', 'infra-1')).toBeUndefined();
    expect(r.objects).toEqual([]);
  });
});

test('shardSize DEDICATED: a VS per host, named <cluster>--<infra>-<host>-L7-dedicated, on its SE group and VIP network', () => {
  const r = run(infra({ ...GOOD, l7Settings: { shardSize: 'DEDICATED' } }));
  expect(verdict(r, 'AviInfraSetting', 'infra-1')).toMatchObject({ accepted: true });
  expect(names(r, 'virtualservice').filter((n) => n.includes('infra-1'))).toEqual(['par--infra-1-inf.par.test-L7-dedicated', 'par--infra-1-infs.par.test-L7-dedicated']);
  for (const v of ['par--infra-1-inf.par.test-L7-dedicated', 'par--infra-1-infs.par.test-L7-dedicated']) {
    expect([v, body(r, 'virtualservice', v)?.se_group_ref]).toEqual([v, '/api/serviceenginegroup?name=seg-infra']);
    expect([v, ((body(r, 'vsvip', v)?.vip as Record<string, unknown>[])[0]!.ipam_network_subnet as Record<string, unknown>).network_ref]).toEqual([v, '/api/network/?name=vip-net-2']);
  }
  expect(verdict(r, 'Ingress', 'inf')).toMatchObject({ accepted: true });
  // The other Ingress stays on AKO's shards.
  expect(names(r, 'virtualservice')).toContain('par--Shared-L7-4');
});

// Shards kept when their last host goes (as the Go AKO keeps them, c20): AKO's own, and an existing setting's.
test.each([
  ['AKO\'s own shard (LARGE: 0..7)', 'L7/par--Shared-L7-7', { seGroupName: 'Default-Group', tenant: 'admin' }],
  ['AKO\'s own shard in a namespace\'s tenant', 'L7/par--Shared-L7-7@team-b', { seGroupName: 'Default-Group', tenant: 'team-b' }],
  ['infra-1\'s shard (MEDIUM: 0..3)', 'L7/par--Shared-L7-infra-1-3', { seGroupName: 'seg-infra', tenant: 'admin', infraSetting: 'infra-1' }],
  ['beyond infra-1\'s shard size', 'L7/par--Shared-L7-infra-1-4', undefined],
  ['a setting that does not exist', 'L7/par--Shared-L7-gone-0', undefined],
  ['not a shard', 'L7/par--red-lb-infra', undefined],
])('kept: %s', (_what, unit, expected) => {
  const idx = indexSnapshot({ ...snapshotOf(c23), aviRefs: SEED_REFS });
  const kept = keptShardConfig(idx, config, unit);
  expect(kept === undefined ? undefined : { seGroupName: kept.seGroupName, tenant: kept.tenant, ...(kept.infraSetting ? { infraSetting: kept.infraSetting } : {}) }).toEqual(expected);
});

test('a Namespace naming an AviInfraSetting (per-namespace setting, not implemented): what it would place is not served, with the reason', () => {
  const red = c23.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'red')!;
  const objects = c23.map((o) => (o === red ? ({ ...o, metadata: { ...o.metadata, annotations: { 'aviinfrasetting.ako.vmware.com/name': 'infra-1' } } } as K8sObject) : o));
  const r = translate({ ...snapshotOf(objects), aviRefs: SEED_REFS }, config);
  const why = 'Namespace red names AviInfraSetting infra-1 (annotation aviinfrasetting.ako.vmware.com/name): an AviInfraSetting per namespace is not supported by this AKO yet; not served';
  expect(verdict(r, 'Ingress', 'plain')).toMatchObject({ accepted: false, reason: why });
  expect(verdict(r, 'Service', 'lb-plain')).toMatchObject({ accepted: false, reason: why });
  // What names a setting itself is placed by it, as without the annotation.
  expect(verdict(r, 'Ingress', 'inf')).toMatchObject({ accepted: true });
  expect(verdict(r, 'Service', 'lb-infra')).toMatchObject({ accepted: true });
  expect(names(r, 'virtualservice')).toEqual(['par--Shared-L7-infra-1-1', 'par--Shared-L7-infra-1-2', 'par--infra-1-infs.par.test', 'par--red-lb-infra']);
});
