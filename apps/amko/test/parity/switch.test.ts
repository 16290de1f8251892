// Switching between the Go AMKO and ours on one GSLB leader (the avi-controller over HTTPS, c1 leader cluster, c2/c3
// members with objects as AKO leaves them), over the issue's states: initial, weights 8/2, priorities 20/10, a member
// VIP change, a member removal, then a GSLBHostRule, custom monitor refs, AKO HostRules (aliases, a certificate), the
// custom global FQDN mode, a monitor template with site persistence; and legacy `amko-gslb` GslbServices.
// - Go -> ours: the controller holds exactly what the Go AMKO would have stored (bodies hand-written from the spec,
//   go-amko.ts, with its tenant_ref, ref forms, created_by, markers and descriptions, groups in another order);
//   our AMKO started on the same inputs writes nothing (counted on the controller's /metrics).
// - ours -> Go: after ours wrote on an empty controller, every object is one the Go AMKO takes as its own (created_by,
//   description it can parse, amko-- monitor with its marker and a description naming a GS it models) and equal in
//   every field its checksums cover (spec §5.2) to what it would build: it would delete or re-create nothing.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { patchIngressLoadBalancer } from '@avi-k8s/kube';
import type { AmkoHandle } from '../../src/operator/run.js';
import { applyGdp, controllerWrites, createMemberIngress, createMemberService, eventually, getStatus, GROUP, harness, type Harness, type Member } from '../e2e/harness.js';
import { AMKO_UUID, GO_CREATED_BY, GO_GS_FIXED, goGroup, goMember, goPathHm, goPathHmName, goRef, goServiceHm, goServiceHmName } from './go-amko.js';

let h: Harness;
let c2: Member;
let c3: Member;
const app = () => `app.${h.ns}.example.com`;
const db = () => `db.${h.ns}.example.com`;

const idsOf = (m: Member, name: string) => ({ cluster: `cluster-${m.name}`, vs: `virtualservice-${m.name}-${name}` });
const ingDesc = (m: Member) => `INGRESS/${m.name}/${m.ns}/web/${app()}`;
const svcDesc = (m: Member) => `LBSVC/${m.name}/${m.ns}/db`;

interface State {
  name: string;
  /** Brings the Kubernetes side (members, GDP, GSLBHostRules) to this state. */
  apply(): Promise<void>;
  /** The Go AMKO's objects for this state (spec §4, go-amko.ts). */
  go(): { gs: AviBody[]; hms: AviBody[] };
  /** GslbServices ours rewrites after a switch on purpose (README, deliberate differences), by name. */
  rewrites?: () => string[];
}

const selectors = () => ({ matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
const split = (p2: number, p3: number) => ({ trafficSplit: [{ cluster: 'c2', weight: 8, priority: p2 }, { cluster: 'c3', weight: 2, priority: p3 }] });

/** GS for app: groups by priority -> members [cluster, ip, ratio]; the Go AMKO's groups come in map order. */
function appGs(groups: [number, [Member, string, number][]][], extra: AviBody = {}, groupExtra: (p: number) => AviBody = () => ({})): AviBody {
  const members = groups.flatMap(([, ms]) => ms.map(([m]) => m));
  return {
    ...GO_GS_FIXED,
    name: app(),
    domain_names: [app()],
    description: members.map(ingDesc).join(','),
    site_persistence_enabled: false,
    health_monitor_refs: [goRef('healthmonitor', goPathHmName('http', app(), '/'))],
    groups: groups.map(([p, ms]) => goGroup(p, ms.map(([m, ip, ratio]) => goMember(ip, ratio, idsOf(m, 'web'))), groupExtra(p))),
    ...extra,
  };
}

function dbGs(p2: number, p3: number, ratio2: number, ratio3: number, extra: AviBody = {}, groupExtra: (p: number) => AviBody = () => ({})): AviBody {
  const g2 = goMember('10.20.0.5', ratio2, idsOf(c2, 'db'));
  const g3 = goMember('10.30.0.5', ratio3, idsOf(c3, 'db'));
  const groups = p2 === p3 ? [goGroup(p2, [g2, g3], groupExtra(p2))] : [goGroup(p2, [g2], groupExtra(p2)), goGroup(p3, [g3], groupExtra(p3))];
  return {
    ...GO_GS_FIXED,
    name: db(),
    domain_names: [db()],
    description: `${svcDesc(c2)},${svcDesc(c3)}`,
    site_persistence_enabled: false,
    health_monitor_refs: [goRef('healthmonitor', goServiceHmName(db()))],
    groups,
    ...extra,
  };
}

const appHm = () => goPathHm('http', app(), '/');
const dbHm = () => goServiceHm(db(), 5432);

async function setGhr(name: string, spec: Record<string, unknown> | undefined) {
  const ref = { group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbhostrules', name };
  await h.custom.deleteNamespacedCustomObject(ref).catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)));
  if (spec) await h.custom.createNamespacedCustomObject({ ...ref, body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'GSLBHostRule', metadata: { name }, spec } });
}

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const alias = (n: number) => `alias${n}.${h.ns}.example.com`;
const globalFqdn = () => `global.${h.ns}.example.com`;

/** An AKO HostRule in a member, Accepted as AKO would mark it (status written through /status). */
async function setAkoHostRule(m: Member, name: string, virtualhost: Record<string, unknown>) {
  const custom = m.kc.makeApiClient(k8s.CustomObjectsApi);
  const ref = { group: 'ako.vmware.com', version: 'v1beta1', namespace: m.ns, plural: 'hostrules', name };
  await custom.deleteNamespacedCustomObject(ref).catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)));
  await eventually('HostRule gone', () => custom.getNamespacedCustomObject(ref).then(() => false, () => true), (gone) => gone);
  await custom.createNamespacedCustomObject({ ...ref, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { name }, spec: { virtualhost: { fqdnType: 'Exact', ...virtualhost } } } });
  await custom.patchNamespacedCustomObjectStatus({ ...ref, body: { status: { status: 'Accepted', error: '' } } }, merge);
}

const ghrFields = () => ({ ttl: 30, down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallback_ip: { addr: '192.0.2.10', type: 'V4' } } });
const hashed = () => ({ algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24 });
const dbWithRefs = () =>
  dbGs(20, 10, 8, 2, { health_monitor_refs: [goRef('healthmonitor', 'user-hm'), goRef('healthmonitor', 'user-hm2')] }, (p) => (p === 20 ? { min_health_monitors_up: 3 } : {}));

const STATES: State[] = [
  {
    name: 'initial: an Ingress and a LoadBalancer Service in both members',
    apply: () => applyGdp(h, selectors()),
    go: () => ({ gs: [appGs([[10, [[c2, '10.20.0.1', 1], [c3, '10.30.0.1', 1]]]]), dbGs(10, 10, 1, 1)], hms: [appHm(), dbHm()] }),
  },
  {
    name: 'weights 8/2',
    apply: () => applyGdp(h, { ...selectors(), ...split(10, 10) }),
    go: () => ({ gs: [appGs([[10, [[c2, '10.20.0.1', 8], [c3, '10.30.0.1', 2]]]]), dbGs(10, 10, 8, 2)], hms: [appHm(), dbHm()] }),
  },
  {
    name: 'priorities 20/10',
    apply: () => applyGdp(h, { ...selectors(), ...split(20, 10) }),
    go: () => ({ gs: [appGs([[20, [[c2, '10.20.0.1', 8]]], [10, [[c3, '10.30.0.1', 2]]]]), dbGs(20, 10, 8, 2)], hms: [appHm(), dbHm()] }),
  },
  {
    name: "a member's VIP change",
    apply: () => patchIngressLoadBalancer(c3.kc, c3.ns, 'web', [{ ip: '10.30.0.9', hostname: app() }]),
    go: () => ({ gs: [appGs([[20, [[c2, '10.20.0.1', 8]]], [10, [[c3, '10.30.0.9', 2]]]]), dbGs(20, 10, 8, 2)], hms: [appHm(), dbHm()] }),
  },
  {
    name: "a member's Ingress removed",
    apply: () => c3.kc.makeApiClient(k8s.NetworkingV1Api).deleteNamespacedIngress({ name: 'web', namespace: c3.ns }).then(() => undefined),
    go: () => ({ gs: [appGs([[20, [[c2, '10.20.0.1', 8]]]]), dbGs(20, 10, 8, 2)], hms: [appHm(), dbHm()] }),
  },
  {
    name: 'a GSLBHostRule: ttl, trafficSplit, poolAlgorithmSettings, downResponse',
    apply: () =>
      setGhr('app', {
        fqdn: app(),
        ttl: 30,
        trafficSplit: [{ cluster: 'c2', weight: 5, priority: 30 }],
        poolAlgorithmSettings: { lbAlgorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', hashMask: 24 },
        downResponse: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallbackIP: '192.0.2.10' },
      }),
    go: () => ({
      gs: [
        appGs([[30, [[c2, '10.20.0.1', 5]]]], { ttl: 30, down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallback_ip: { addr: '192.0.2.10', type: 'V4' } } }, () => ({
          algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH',
          consistent_hash_mask: 24,
        })),
        dbGs(20, 10, 8, 2),
      ],
      hms: [appHm(), dbHm()],
    }),
  },
  {
    name: 'custom monitor refs on a GS with two priority groups',
    apply: () => setGhr('db', { fqdn: db(), healthMonitorRefs: ['user-hm', 'user-hm2'] }),
    go: () => ({
      gs: [
        appGs([[30, [[c2, '10.20.0.1', 5]]]], { ttl: 30, down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallback_ip: { addr: '192.0.2.10', type: 'V4' } } }, () => ({
          algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH',
          consistent_hash_mask: 24,
        })),
        // §4.3: refs+1 = 3 on groups[0] only (here the priority-20 group; in the Go AMKO whichever group its map
        // iteration gave first), 2 on the other; §4.4: with refs, no AMKO monitor for the GS (its own is deleted).
        dbWithRefs(),
      ],
      hms: [appHm()],
    }),
    // Deliberate: ours sets refs+1 on every group, so the Go AMKO's second group is rewritten once.
    rewrites: () => [db()],
  },
  {
    name: 'AKO HostRules in the members: aliases become domain names, a certificate makes the GS TLS (default FQDN mode)',
    // spec §2.5, §4.1 (domain_names = [gs] + aliases of the members' Accepted HostRules), §4.4 (a TLS member: HTTPS).
    apply: async () => {
      await setAkoHostRule(c2, 'app', { fqdn: app(), aliases: [alias(1)], tls: { sslKeyCertificate: { name: 'app-cert', type: 'ref' } } });
      await setAkoHostRule(c3, 'app', { fqdn: app(), aliases: [alias(2), alias(1)] });
    },
    go: () => ({
      gs: [
        appGs([[30, [[c2, '10.20.0.1', 5]]]], { ...ghrFields(), domain_names: [app(), alias(1), alias(2)], health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', app(), '/'))] }, hashed),
        dbWithRefs(),
      ],
      hms: [goPathHm('https', app(), '/')],
    }),
    rewrites: () => [db()],
  },
  {
    name: 'custom global FQDN mode: the HostRule gslb.fqdn names the GS, includeAliases adds its aliases',
    // spec §2.1 useCustomGlobalFqdn, §3.4 (an object needs a HostRule mapping), §4.1; the GSLBHostRules name the old
    // FQDNs, so they no longer apply (§2.3: matched by spec.fqdn == GS name).
    apply: async () => {
      await h.custom.patchNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbconfigs', name: 'gc-1', body: { spec: { useCustomGlobalFqdn: true } } }, merge);
      await setAkoHostRule(c2, 'app', { fqdn: app(), aliases: [alias(1)], tls: { sslKeyCertificate: { name: 'app-cert', type: 'ref' } }, gslb: { fqdn: globalFqdn(), includeAliases: true } });
    },
    go: () => ({
      gs: [
        {
          ...GO_GS_FIXED,
          name: globalFqdn(),
          domain_names: [globalFqdn(), alias(1)],
          description: ingDesc(c2),
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', globalFqdn(), '/'))],
          groups: [goGroup(20, [goMember('10.20.0.1', 8, idsOf(c2, 'web'))])],
        },
      ],
      hms: [goPathHm('https', globalFqdn(), '/')],
    }),
  },
  {
    name: 'GDP healthMonitorTemplate and site persistence on the TLS GS',
    // spec §2.2 (healthMonitorTemplate, sitePersistenceRef, pkiProfileRef), §4.4 (the template's request line with
    // the path, its codes, "created from"), §4.5 (site persistence on a TLS GS, /api/applicationpersistenceprofile?name=).
    apply: () => applyGdp(h, { ...selectors(), ...split(20, 10), healthMonitorTemplate: 'tmpl-https', sitePersistenceRef: 'gap-1', pkiProfileRef: 'pki-1' }),
    go: () => ({
      gs: [
        {
          ...GO_GS_FIXED,
          name: globalFqdn(),
          domain_names: [globalFqdn(), alias(1)],
          description: ingDesc(c2),
          site_persistence_enabled: true,
          application_persistence_profile_ref: goRef('applicationpersistenceprofile', 'gap-1'),
          pki_profile_ref: goRef('pkiprofile', 'pki-1'),
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', globalFqdn(), '/'))],
          groups: [goGroup(20, [goMember('10.20.0.1', 8, idsOf(c2, 'web'))])],
        },
      ],
      hms: [goPathHm('https', globalFqdn(), '/', { name: 'tmpl-https', request: 'GET / HTTP/1.1', codes: ['HTTP_2XX'] })],
    }),
  },
];

// ---- what the Go AMKO reads and compares (spec §5.2, §5.3, §14.1) ----

const nameOfRef = (ref: unknown) => {
  const s = String(ref);
  return s.includes('#') ? s.slice(s.indexOf('#') + 1) : (new URLSearchParams(s.split('?')[1] ?? '').get('name') ?? s);
};
const sorted = (xs: string[]) => [...xs].sort();

/** The GslbService fields the Go AMKO's checksum covers (gslbutils.GetGSLBServiceChecksum, nodes.CalculateChecksum). */
function goGsView(b: AviBody) {
  const groups = (b.groups ?? []) as AviBody[];
  const g0 = groups[0] ?? {};
  const down = b.down_response as AviBody | undefined;
  return {
    name: b.name,
    created_by: b.created_by,
    servers: sorted(
      groups.flatMap((g) =>
        ((g.members ?? []) as AviBody[]).map((m) => `${m.vs_uuid ? `${String(m.vs_uuid)}-${String(m.cluster_uuid)}` : (m.ip as AviBody).addr}-${String(m.ratio)}-${String(g.priority)}`),
      ),
    ),
    domains: sorted((b.domain_names ?? []) as string[]),
    memberObjs: sorted(String(b.description).split(',')),
    hms: sorted(((b.health_monitor_refs ?? []) as string[]).map(nameOfRef)),
    ttl: b.ttl ?? null,
    persistence: b.site_persistence_enabled ? nameOfRef(b.application_persistence_profile_ref) : null,
    pki: b.site_persistence_enabled && b.pki_profile_ref ? nameOfRef(b.pki_profile_ref) : null,
    algorithm: [g0.algorithm ?? null, g0.consistent_hash_mask ?? null, g0.fallback_algorithm ?? null],
    down: down ? [down.type, (down.fallback_ip as AviBody | undefined)?.addr ?? null] : null,
  };
}

/** cache/controller_obj_cache.go:parseDescription: INGRESS entries have 5 segments, LBSVC 4. */
const goParsesDescription = (d: string) => d.split(',').every((e) => ({ INGRESS: 5, LBSVC: 4 })[e.split('/')[0] as 'INGRESS' | 'LBSVC'] === e.split('/').length);

/** The monitor fields the Go AMKO's HM checksum covers (type, port, description, created_by) and its ownership marks. */
function goHmView(b: AviBody) {
  const markers = (b.markers ?? []) as AviBody[];
  const http = (b.https_monitor ?? b.http_monitor) as AviBody | undefined;
  return {
    name: b.name,
    type: b.type,
    port: b.monitor_port,
    description: b.description,
    createdBy: markers.find((m) => m.key === 'created-by')?.values as string[] | undefined,
    request: http?.http_request ?? null,
    codes: http?.http_response_code ?? null,
  };
}

async function ownedOnController() {
  const gs = (await h.avi.list('gslbservice', { includeName: true, pageSize: 100 })).results as AviBody[];
  const hms = (await h.avi.list('healthmonitor', { includeName: true, pageSize: 100 })).results as AviBody[];
  return {
    gs: gs.filter((g) => g.created_by === GO_CREATED_BY),
    // §4.4 HMCreatedByAMKO (amko-- name) and the boot cache's marker filter.
    hms: hms.filter((x) => String(x.name).split('--')[0] === 'amko' && goHmView(x).createdBy?.includes(GO_CREATED_BY)),
  };
}

async function wipe() {
  const { gs, hms } = await ownedOnController();
  for (const g of gs) await h.avi.delete('gslbservice', String(g.uuid));
  for (const x of hms) await h.avi.delete('healthmonitor', String(x.uuid));
}

/** Stores the Go AMKO's objects as it would: monitors first, then GslbServices; groups and members in reverse order. */
async function storeAsGo(state: State) {
  const { gs, hms } = state.go();
  for (const x of hms) await h.avi.create('healthmonitor', x as never, { validate: false });
  for (const g of gs) {
    const groups = [...(g.groups as AviBody[])].reverse().map((grp) => ({ ...grp, members: [...(grp.members as AviBody[])].reverse() }));
    await h.avi.create('gslbservice', { ...g, groups } as never, { validate: false });
  }
}

let amko: AmkoHandle | undefined;
/** Starts ours (stopping any earlier one, also one a failed test left running) and waits for its first pass. */
async function startOurs() {
  await stopOurs();
  amko = await h.start();
  const first = await amko.ready;
  await amko.idle();
  return { amko, first };
}
async function stopOurs() {
  await amko?.stop();
  amko = undefined;
}

beforeAll(async () => {
  h = await harness('amko-parity');
  [c2, c3] = h.members as [Member, Member];
  for (const m of [c2, c3]) await installCrds(m.kc, 'ako');
  await h.custom.createNamespacedCustomObject({
    group: GROUP,
    version: 'v1alpha1',
    namespace: h.ns,
    plural: 'gslbconfigs',
    body: {
      apiVersion: `${GROUP}/v1alpha1`,
      kind: 'GSLBConfig',
      metadata: { name: 'gc-1', annotations: { 'amko.vmware.com/amko-uuid': AMKO_UUID } },
      spec: {
        gslbLeader: { credentials: 'gslb-avi-secret', controllerVersion: '30.2.1', controllerIP: h.ctl.url, tenant: 'admin' },
        memberClusters: [{ clusterContext: 'c2' }, { clusterContext: 'c3' }],
        refreshInterval: 1800,
        logLevel: 'INFO',
      },
    },
  });
  for (const [m, ip, svcIp] of [
    [c2, '10.20.0.1', '10.20.0.5'],
    [c3, '10.30.0.1', '10.30.0.5'],
  ] as const) {
    await createMemberIngress(m, 'web', app(), ip);
    await createMemberService(m, 'db', db(), svcIp, 5432);
  }
  // Federated objects of the user's that GSLBHostRules and the GDP name in the later states.
  for (const name of ['user-hm', 'user-hm2']) await h.avi.create('healthmonitor', { name, type: 'HEALTH_MONITOR_TCP', is_federated: true, monitor_port: 5432 } as never, { validate: false });
  await h.avi.create('healthmonitor', { name: 'tmpl-https', type: 'HEALTH_MONITOR_HTTPS', is_federated: true, https_monitor: { http_request: 'GET /healthz HTTP/1.1', http_response_code: ['HTTP_2XX'] } } as never, { validate: false });
  await h.avi.create('applicationpersistenceprofile', { name: 'gap-1', persistence_type: 'PERSISTENCE_TYPE_GSLB_SITE', is_federated: true } as never, { validate: false });
  await h.avi.create('pkiprofile', { name: 'pki-1', is_federated: true } as never, { validate: false });
}, 180000);

afterAll(async () => {
  await stopOurs();
  await h?.close();
});

describe.each(STATES.map((s, i) => [i + 1, s.name, s] as const))('state %i: %s', (_i, _name, state) => {
  beforeAll(async () => {
    await stopOurs();
    await state.apply();
  }, 60000);

  test('Go AMKO -> ours: the Go AMKO\'s objects are taken over with no write', async () => {
    await wipe();
    await storeAsGo(state);
    const stored = await ownedOnController();
    const before = await controllerWrites(h);
    const { first } = await startOurs();
    expect((await getStatus(h, 'globaldeploymentpolicies', 'v1alpha2', 'global-gdp')).errorStatus).toBe('success');
    const rewrites = state.rewrites?.() ?? [];
    // The first pass (every write there is, counted on the controller below).
    expect(first).toMatchObject({ creates: 0, updates: rewrites.length, deletes: 0, failed: 0 });
    expect((await controllerWrites(h)) - before).toBe(rewrites.length);
    // The objects are still the Go AMKO's: same uuids, nothing re-created, untouched unless a deliberate rewrite.
    const after = await ownedOnController();
    const byUuid = (l: AviBody[]) => sorted(l.map((o) => `${String(o.name)} ${String(o.uuid)}`));
    expect(byUuid(after.gs)).toEqual(byUuid(stored.gs));
    expect(byUuid(after.hms)).toEqual(byUuid(stored.hms));
    expect(sorted(after.gs.map((g) => String(g.name)))).toEqual(sorted(state.go().gs.map((g) => String(g.name))));
    expect(sorted(after.hms.map((x) => String(x.name)))).toEqual(sorted(state.go().hms.map((x) => String(x.name))));
    for (const g of after.gs) {
      const was = stored.gs.find((x) => x.uuid === g.uuid)!;
      if (!rewrites.includes(String(g.name))) expect(g).toEqual(was);
      // The one rewrite: min_health_monitors_up = refs+1 on every group, nothing else.
      else expect({ ...g, _last_modified: null, groups: null }).toEqual({ ...was, _last_modified: null, groups: null });
      if (rewrites.includes(String(g.name))) {
        const strip = (b: AviBody) => ((b.groups ?? []) as AviBody[]).map((grp): AviBody => ({ ...grp, min_health_monitors_up: null, members: sorted(((grp.members ?? []) as AviBody[]).map((m) => JSON.stringify(m))) })).sort((x, y) => Number(x.priority) - Number(y.priority));
        expect(strip(g)).toEqual(strip(was));
        expect(((g.groups ?? []) as AviBody[]).map((grp) => grp.min_health_monitors_up)).toEqual([3, 3]);
      }
    }
    for (const x of after.hms) expect(x).toEqual(stored.hms.find((y) => y.uuid === x.uuid));
    await stopOurs();
  }, 120000);

  test('ours -> Go AMKO: every object is one it owns and would build the same (nothing to delete or re-create)', async () => {
    await wipe();
    await startOurs();
    const go = state.go();
    const goNames = JSON.stringify(sorted(go.gs.map((g) => String(g.name))));
    const { gs, hms } = await eventually('ours wrote', ownedOnController, (o) => JSON.stringify(sorted(o.gs.map((g) => String(g.name)))) === goNames && o.hms.length === go.hms.length);
    await stopOurs();
    // §5.3: a cached GS without a model is deleted, a model without a GS created: the sets must match.
    expect(sorted(gs.map((g) => String(g.name)))).toEqual(sorted(go.gs.map((g) => String(g.name))));
    for (const g of gs) {
      expect(goParsesDescription(String(g.description))).toBe(true);
      expect(goGsView(g)).toEqual(goGsView(go.gs.find((x) => x.name === g.name)!));
    }
    // §5.1/§5.3: a monitor is kept when its GS (from its description) is modelled and it is one of that GS's monitors.
    expect(sorted(hms.map((x) => String(x.name)))).toEqual(sorted(go.hms.map((x) => String(x.name))));
    for (const x of hms) {
      expect(goHmView(x)).toEqual(goHmView(go.hms.find((y) => y.name === x.name)!));
      const gsName = /gsname: ([^,]+)/.exec(String(x.description))?.[1];
      expect(gs.find((g) => g.name === gsName)?.health_monitor_refs).toEqual(expect.arrayContaining([expect.stringContaining(`#${String(x.name)}`)]));
    }
  }, 120000);
});

test('GslbServices of an older Go AMKO (created_by amko-gslb) are adopted, or deleted when stale, as the Go AMKO does', async () => {
  // spec §4.6/§5.3: the Go AMKO's boot cache also reads created_by=amko-gslb (before the per-instance UUID) and
  // deletes those it has no model for; its checksum covers created_by, so the others are rewritten with its own.
  await stopOurs();
  await wipe();
  const last = STATES[STATES.length - 1]!;
  const { gs, hms } = last.go();
  for (const x of hms) await h.avi.create('healthmonitor', x as never, { validate: false });
  for (const g of gs) await h.avi.create('gslbservice', { ...g, created_by: 'amko-gslb' } as never, { validate: false });
  const stale = `stale.${h.ns}.example.com`;
  const base = { ...GO_GS_FIXED, site_persistence_enabled: false, groups: [goGroup(10, [goMember('10.99.0.1', 1)])] };
  await h.avi.create('gslbservice', { ...base, name: stale, domain_names: [stale], description: `INGRESS/c2/${c2.ns}/gone/${stale}`, created_by: 'amko-gslb' } as never, { validate: false });
  const foreign = `foreign.${h.ns}.example.com`;
  await h.avi.create('gslbservice', { ...base, name: foreign, domain_names: [foreign], description: '', created_by: 'amko-another-instance' } as never, { validate: false });
  const list = async () => (await h.avi.list('gslbservice', { includeName: true, pageSize: 100 })).results as AviBody[];
  const before = await list();
  const writes = await controllerWrites(h);
  await startOurs();
  await stopOurs();
  const after = await list();
  const find = (l: AviBody[], n: string) => l.find((g) => g.name === n);
  expect(find(after, globalFqdn())?.uuid).toBe(find(before, globalFqdn())?.uuid);
  expect(find(after, globalFqdn())?.created_by).toBe(GO_CREATED_BY);
  expect(find(after, stale)).toBeUndefined();
  expect(find(after, foreign)).toEqual(find(before, foreign));
  expect((await controllerWrites(h)) - writes).toBe(2);
  await h.avi.delete('gslbservice', String(find(after, foreign)!.uuid));
}, 120000);

test('the Go AMKO would read our GslbServices with its boot query (created_by=amko-<uuid>)', async () => {
  await stopOurs();
  const byQuery = await h.avi.list('gslbservice', { includeName: true, pageSize: 100, params: { created_by: GO_CREATED_BY } });
  expect(sorted((byQuery.results as AviBody[]).map((g) => String(g.name)))).toEqual([globalFqdn()]);
  // And every monitor it would own carries its marker, found by its boot HM query (is_federated=true).
  const hms = await h.avi.list('healthmonitor', { includeName: true, pageSize: 100, params: { is_federated: 'true' } });
  expect((hms.results as AviBody[]).filter((x) => String(x.name).startsWith('amko--')).every((x) => goHmView(x).createdBy?.[0] === GO_CREATED_BY)).toBe(true);
  await eventually('GSLBConfig status', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state === 'success: gslb config accepted');
});
