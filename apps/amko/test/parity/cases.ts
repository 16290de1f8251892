// The parity table: inputs (GDP, GSLBHostRule, member objects as AKO leaves them) and the GslbServices and health
// monitors the Go AMKO would send for them, written by hand field by field from the spec's facts (each case and
// go-amko.ts name the section and upstream path). Where ours differs on purpose (README "Deliberate differences from
// the Go AMKO"), the case says so in `ours`. Used by translate-parity.test.ts and switch.test.ts.
import type * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import type { AmkoConfig, AviFacts, RawObject, Snapshot } from '../../src/translate/index.js';
import {
  AMKO_UUID,
  GO_GS_FIXED,
  akoHostRule,
  gdpSpec,
  goGroup,
  goMember,
  goPathHm,
  goPathHmName,
  goRef,
  goServiceHm,
  goServiceHmName,
  ids,
  ingress,
  lbService,
  namespace,
} from './go-amko.js';

const APP = 'app.avi.internal';
const DB = 'db.avi.internal';

/** Federated objects on the GSLB leader the cases refer to. */
export const AVI: AviFacts = {
  healthMonitors: {
    hm1: { type: 'HEALTH_MONITOR_HTTP', federated: true },
    hm2: { type: 'HEALTH_MONITOR_TCP', federated: true },
    'tmpl-http': { type: 'HEALTH_MONITOR_HTTP', federated: true, httpRequest: 'GET /healthz HTTP/1.1', httpResponseCodes: ['HTTP_2XX'] },
  },
  persistenceProfiles: ['gap-1'],
  // §4.5: GetDefaultPKI is the first of GET /api/pkiprofile?is_federated=true.
  pkiProfiles: ['pki-default', 'pki-1'],
  thirdPartySites: ['non-avi-site'],
};

interface Objects {
  ingresses?: k8s.V1Ingress[];
  services?: k8s.V1Service[];
  hostRules?: RawObject[];
}

export interface Case {
  name: string;
  /** Where the expected values come from. */
  source: string;
  gdp: Record<string, unknown>;
  ghrs?: Record<string, unknown>[];
  c2?: Objects;
  c3?: Objects;
  config?: Partial<AmkoConfig>;
  /** What the Go AMKO sends: GslbServices and its own monitors, by name. */
  go: { gs: AviBody[]; hms: AviBody[] };
  /** Deliberate differences: the fields of a GS where ours is not the Go AMKO's (besides tenant_ref), by GS name. */
  ours?: Record<string, AviBody>;
}

const web2 = (ip = '10.20.0.1', o: Parameters<typeof ingress>[4] = {}) => ingress('c2', 'web', APP, ip, o);
const web3 = (ip = '10.30.0.1', o: Parameters<typeof ingress>[4] = {}) => ingress('c3', 'web', APP, ip, o);
const desc2 = `INGRESS/c2/gslb/web/${APP}`;
const desc3 = `INGRESS/c3/gslb/web/${APP}`;
const m2 = (ratio = 1, ip = '10.20.0.1') => goMember(ip, ratio, ids('c2', 'web'));
const m3 = (ratio = 1, ip = '10.30.0.1') => goMember(ip, ratio, ids('c3', 'web'));
const httpHm = goPathHm('http', APP, '/');
const appRefs = { health_monitor_refs: [goRef('healthmonitor', goPathHmName('http', APP, '/'))] };

export const CASES: Case[] = [
  {
    name: 'GDP matchRules select an Ingress in both members',
    // §4.1 name/domain_names = host; §4.2 members; §4.3 one group per priority (default 10, weight 1), RR;
    // §4.4 one HTTP path monitor per path; §4.5 description INGRESS/cluster/ns/name/host joined by ",".
    source: 'spec §4.1-§4.5; rest/dq_nodes.go:AviGSBuild, AviGsHmBuild, buildGslbSvcGroups',
    gdp: gdpSpec(),
    c2: { ingresses: [web2(), ingress('c2', 'other', 'other.avi.internal', '10.20.0.2', { labels: { app: 'not-gslb' } })] },
    c3: { ingresses: [web3()] },
    go: {
      gs: [{ ...GO_GS_FIXED, name: APP, domain_names: [APP], description: `${desc2},${desc3}`, site_persistence_enabled: false, ...appRefs, groups: [goGroup(10, [m2(), m3()])] }],
      hms: [httpHm],
    },
  },
  {
    name: 'GDP trafficSplit weights 8/2',
    source: 'spec §2.2 trafficSplit (weight -> ratio), §4.2 (GHR, else GDP, else 1); nodes/node_utils.go',
    gdp: gdpSpec({ trafficSplit: [{ cluster: 'c2', weight: 8 }, { cluster: 'c3', weight: 2 }] }),
    c2: { ingresses: [web2()] },
    c3: { ingresses: [web3()] },
    go: {
      gs: [{ ...GO_GS_FIXED, name: APP, domain_names: [APP], description: `${desc2},${desc3}`, site_persistence_enabled: false, ...appRefs, groups: [goGroup(10, [m2(8), m3(2)])] }],
      hms: [httpHm],
    },
  },
  {
    name: 'GDP priorities 20/10: one group per distinct priority',
    // The Go AMKO's group order is Go map iteration order (buildGslbSvcGroups); written highest first here.
    source: 'spec §4.3 (one pool per distinct priority, amko-gs-group-<p>); rest/dq_nodes.go:buildGsPool',
    gdp: gdpSpec({ trafficSplit: [{ cluster: 'c2', weight: 8, priority: 20 }, { cluster: 'c3', weight: 2, priority: 10 }] }),
    c2: { ingresses: [web2()] },
    c3: { ingresses: [web3()] },
    go: {
      gs: [{ ...GO_GS_FIXED, name: APP, domain_names: [APP], description: `${desc2},${desc3}`, site_persistence_enabled: false, ...appRefs, groups: [goGroup(20, [m2(8)]), goGroup(10, [m3(2)])] }],
      hms: [httpHm],
    },
  },
  {
    name: "a member's VIP changes",
    source: 'spec §3.3 (VIP = status.loadBalancer.ingress[].ip of the matching host), §4.2 ip {addr, V4}',
    gdp: gdpSpec({ trafficSplit: [{ cluster: 'c2', weight: 8, priority: 20 }, { cluster: 'c3', weight: 2, priority: 10 }] }),
    c2: { ingresses: [web2()] },
    c3: { ingresses: [web3('10.30.0.9')] },
    go: {
      gs: [{ ...GO_GS_FIXED, name: APP, domain_names: [APP], description: `${desc2},${desc3}`, site_persistence_enabled: false, ...appRefs, groups: [goGroup(20, [m2(8)]), goGroup(10, [m3(2, '10.30.0.9')])] }],
      hms: [httpHm],
    },
  },
  {
    name: "a member's Ingress is removed",
    source: 'spec §4.1 (GS kept while members remain), §4.5 description lists the remaining members only',
    gdp: gdpSpec({ trafficSplit: [{ cluster: 'c2', weight: 8, priority: 20 }, { cluster: 'c3', weight: 2, priority: 10 }] }),
    c2: { ingresses: [web2()] },
    c3: { ingresses: [] },
    go: {
      gs: [{ ...GO_GS_FIXED, name: APP, domain_names: [APP], description: desc2, site_persistence_enabled: false, ...appRefs, groups: [goGroup(20, [m2(8)])] }],
      hms: [httpHm],
    },
  },
  {
    name: 'a LoadBalancer Service in both members: TCP monitor on the lowest port',
    source: 'spec §3.3 (Service: ingress[0].hostname/ip, lowest port), §4.4 row 2, §4.5 description LBSVC/cluster/ns/name',
    gdp: gdpSpec(),
    c2: { services: [lbService('c2', 'db', DB, '10.20.0.5', [{ port: 6432 }, { port: 5432 }])] },
    c3: { services: [lbService('c3', 'db', DB, '10.30.0.5', [{ port: 5432 }])] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: DB,
          domain_names: [DB],
          description: 'LBSVC/c2/gslb/db,LBSVC/c3/gslb/db',
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goServiceHmName(DB))],
          groups: [goGroup(10, [goMember('10.20.0.5', 1, ids('c2', 'db')), goMember('10.30.0.5', 1, ids('c3', 'db'))])],
        },
      ],
      hms: [goServiceHm(DB, 5432)],
    },
  },
  {
    name: 'a UDP LoadBalancer Service: UDP monitor',
    source: 'spec §4.4 row 2 (HEALTH_MONITOR_UDP, udp_request "created_by: amko, request string not required")',
    gdp: gdpSpec({ matchClusters: [{ cluster: 'c2' }] }),
    c2: { services: [lbService('c2', 'dns', 'dns.avi.internal', '10.20.0.53', [{ port: 53, protocol: 'UDP' }])] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: 'dns.avi.internal',
          domain_names: ['dns.avi.internal'],
          description: 'LBSVC/c2/gslb/dns',
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goServiceHmName('dns.avi.internal'))],
          groups: [goGroup(10, [goMember('10.20.0.53', 1, ids('c2', 'dns'))])],
        },
      ],
      hms: [goServiceHm('dns.avi.internal', 53, true)],
    },
  },
  {
    name: 'one TLS member makes every path monitor HTTPS, one per path',
    source: 'spec §3.3 (TLS if the host is in spec.tls), §4.4 row 1 ("if any member is TLS, all of them are HTTPS", port 443)',
    gdp: gdpSpec(),
    c2: { ingresses: [web2('10.20.0.1', { tls: true, paths: ['/', '/api'] })] },
    c3: { ingresses: [web3('10.30.0.1', { paths: ['/'] })] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: `${desc2},${desc3}`,
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', APP, '/')), goRef('healthmonitor', goPathHmName('https', APP, '/api'))],
          groups: [goGroup(10, [m2(), m3()])],
        },
      ],
      hms: [goPathHm('https', APP, '/'), goPathHm('https', APP, '/api')],
    },
  },
  {
    name: 'GSLBHostRule: ttl, sitePersistence, healthMonitorRefs, trafficSplit, poolAlgorithmSettings, downResponse',
    // §2.3 (GHR beats GDP), §4.3 (CONSISTENT_HASH -> consistent_hash_mask; refs -> min_health_monitors_up refs+1
    // on groups[0] only), §4.4 (refs: no AMKO monitors), §4.5 (site persistence on a TLS GS, pki from the GHR, else
    // the GDP, else the first federated PKI profile; down_response fallback_ip V4).
    source: 'spec §2.3, §4.3, §4.4, §4.5; rest/dq_nodes.go:AviGSBuild, getGSPoolAlgorithmSettings',
    gdp: gdpSpec({ trafficSplit: [{ cluster: 'c3', weight: 2, priority: 10 }], ttl: 10 }),
    ghrs: [
      {
        fqdn: APP,
        ttl: 30,
        sitePersistence: { enabled: true, profileRef: 'gap-1' },
        healthMonitorRefs: ['hm1', 'hm2'],
        trafficSplit: [{ cluster: 'c2', weight: 5, priority: 20 }],
        poolAlgorithmSettings: { lbAlgorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', hashMask: 24 },
        downResponse: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallbackIP: '192.0.2.10' },
      },
    ],
    c2: { ingresses: [web2('10.20.0.1', { tls: true })] },
    c3: { ingresses: [web3('10.30.0.1', { tls: true })] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: `${desc2},${desc3}`,
          ttl: 30,
          site_persistence_enabled: true,
          application_persistence_profile_ref: goRef('applicationpersistenceprofile', 'gap-1'),
          pki_profile_ref: goRef('pkiprofile', 'pki-default'),
          health_monitor_refs: [goRef('healthmonitor', 'hm1'), goRef('healthmonitor', 'hm2')],
          down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP', fallback_ip: { addr: '192.0.2.10', type: 'V4' } },
          groups: [
            goGroup(20, [m2(5)], { algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24, min_health_monitors_up: 3 }),
            goGroup(10, [m3(2)], { algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24 }),
          ],
        },
      ],
      hms: [],
    },
    // Deliberate: min_health_monitors_up refs+1 on every group (the Go AMKO's groups[0] is whichever group its map
    // iteration gave first).
    ours: {
      [APP]: {
        groups: [
          goGroup(20, [m2(5)], { algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24, min_health_monitors_up: 3 }),
          goGroup(10, [m3(2)], { algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24, min_health_monitors_up: 3 }),
        ],
      },
    },
  },
  {
    name: 'GDP ttl, GEO with a consistent-hash fallback, ALL_RECORDS, a monitor template; site persistence off for a non-TLS GS',
    source: 'spec §2.2 (poolAlgorithmSettings, downResponse, healthMonitorTemplate), §4.3 (GEO -> fallback_algorithm + mask), §4.4 (template request line, codes, "created from"), §4.5 (persistence only for TLS)',
    gdp: gdpSpec({
      ttl: 10,
      sitePersistenceRef: 'gap-1',
      healthMonitorTemplate: 'tmpl-http',
      poolAlgorithmSettings: { lbAlgorithm: 'GSLB_ALGORITHM_GEO', geoFallback: { lbAlgorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', hashMask: 24 } },
      downResponse: { type: 'GSLB_SERVICE_DOWN_RESPONSE_ALL_RECORDS' },
    }),
    c2: { ingresses: [web2()] },
    c3: { ingresses: [web3()] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: `${desc2},${desc3}`,
          ttl: 10,
          site_persistence_enabled: false,
          ...appRefs,
          down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_ALL_RECORDS' },
          groups: [goGroup(10, [m2(), m3()], { algorithm: 'GSLB_ALGORITHM_GEO', fallback_algorithm: 'GSLB_ALGORITHM_CONSISTENT_HASH', consistent_hash_mask: 24 })],
        },
      ],
      hms: [goPathHm('http', APP, '/', { name: 'tmpl-http', request: 'GET / HTTP/1.1', codes: ['HTTP_2XX'] })],
    },
  },
  {
    name: 'GSLBHostRule controlPlaneHmOnly, sitePersistence disabled over the GDP, downResponse EMPTY, TOPOLOGY',
    source: 'spec §2.2 controlPlaneHmOnly (no HM refs, min_health_monitors_up 1), §2.3 (enabled:false forces persistence off), §4.3',
    gdp: gdpSpec({ sitePersistenceRef: 'gap-1', pkiProfileRef: 'pki-1' }),
    ghrs: [
      {
        fqdn: APP,
        controlPlaneHmOnly: true,
        sitePersistence: { enabled: false },
        downResponse: { type: 'GSLB_SERVICE_DOWN_RESPONSE_EMPTY' },
        poolAlgorithmSettings: { lbAlgorithm: 'GSLB_ALGORITHM_TOPOLOGY' },
      },
    ],
    c2: { ingresses: [web2('10.20.0.1', { tls: true })] },
    c3: { ingresses: [web3('10.30.0.1', { tls: true })] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: `${desc2},${desc3}`,
          site_persistence_enabled: false,
          down_response: { type: 'GSLB_SERVICE_DOWN_RESPONSE_EMPTY' },
          groups: [goGroup(10, [m2(), m3()], { algorithm: 'GSLB_ALGORITHM_TOPOLOGY', min_health_monitors_up: 1 })],
        },
      ],
      hms: [],
    },
  },
  {
    name: 'GDP site persistence on a TLS GS takes the GDP pkiProfileRef',
    source: 'spec §2.2 sitePersistenceRef/pkiProfileRef, §4.5',
    gdp: gdpSpec({ sitePersistenceRef: 'gap-1', pkiProfileRef: 'pki-1' }),
    c2: { ingresses: [web2('10.20.0.1', { tls: true })] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: desc2,
          site_persistence_enabled: true,
          application_persistence_profile_ref: goRef('applicationpersistenceprofile', 'gap-1'),
          pki_profile_ref: goRef('pkiprofile', 'pki-1'),
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', APP, '/'))],
          groups: [goGroup(10, [m2()])],
        },
      ],
      hms: [goPathHm('https', APP, '/')],
    },
  },
  {
    name: 'syncVipOnly member, a GSLBHostRule publicIP and third-party members',
    // §2.2 syncVipOnly: member by IP only (no vs_uuid/cluster_uuid); §2.3 publicIP -> member public_ip, thirdPartyMembers
    // by IP with the trafficSplit entry named after the site; §4.5 description lists non-third-party members only.
    source: 'spec §2.2, §2.3, §4.2; rest/dq_nodes.go:buildGsPoolMember; nodes/node_utils.go',
    gdp: gdpSpec({ matchClusters: [{ cluster: 'c2' }, { cluster: 'c3', syncVipOnly: true }] }),
    ghrs: [
      {
        fqdn: APP,
        publicIP: [{ cluster: 'c2', ip: '203.0.113.5' }],
        thirdPartyMembers: [
          { site: 'non-avi-site', vip: '10.99.0.1' },
          { site: 'other-site', vip: '10.99.0.2' },
        ],
        trafficSplit: [{ cluster: 'non-avi-site', weight: 3, priority: 10 }],
      },
    ],
    c2: { ingresses: [web2()] },
    c3: { ingresses: [web3()] },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP],
          description: `${desc2},${desc3}`,
          site_persistence_enabled: false,
          ...appRefs,
          groups: [
            goGroup(10, [goMember('10.20.0.1', 1, ids('c2', 'web'), '203.0.113.5'), goMember('10.30.0.1', 1), goMember('10.99.0.1', 3)]),
            // A third-party member with no split: weight 1, priority 1 (nodes/node_utils.go).
            goGroup(1, [goMember('10.99.0.2', 1)]),
          ],
        },
      ],
      hms: [httpHm],
    },
    // Deliberate: a third-party member with no split gets the default priority 10 like every member.
    ours: {
      [APP]: {
        groups: [goGroup(10, [goMember('10.20.0.1', 1, ids('c2', 'web'), '203.0.113.5'), goMember('10.30.0.1', 1), goMember('10.99.0.1', 3), goMember('10.99.0.2', 1)])],
      },
    },
  },
  {
    name: 'default FQDN mode: HostRule aliases from the members become domain names, a HostRule certificate makes the GS TLS',
    // §2.5 (HostRule fqdn, aliases, tls.sslKeyCertificate.name, status Accepted), §4.1 domain_names = [gsName] +
    // aliases, an alias already claimed is ignored (gslbutils/fqdn.go:AddUpdateGSToDomainNameMapping); docs/multiple_fqdn.md.
    source: 'spec §2.5, §4.1; ingestion/member_controllers.go:AddHostRule; gslbutils/fqdn.go; docs/multiple_fqdn.md',
    gdp: gdpSpec(),
    c2: {
      ingresses: [web2()],
      hostRules: [
        akoHostRule('app', APP, { aliases: ['alias1.com', 'alias2.com'], tlsCert: 'app-cert' }),
        akoHostRule('pending', 'app2.avi.internal', { aliases: ['alias3.com'], status: 'Rejected' }),
      ],
    },
    c3: {
      ingresses: [web3(), ingress('c3', 'web2', 'app2.avi.internal', '10.30.0.2')],
      // The same aliases in the other member (same GS: kept once); alias1.com claimed again by another GS: ignored.
      hostRules: [akoHostRule('app', APP, { aliases: ['alias2.com', 'alias1.com'] }), akoHostRule('app2', 'app2.avi.internal', { aliases: ['alias1.com', 'alias4.com'] })],
    },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: APP,
          domain_names: [APP, 'alias1.com', 'alias2.com'],
          description: `${desc2},${desc3}`,
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('https', APP, '/'))],
          groups: [goGroup(10, [m2(), m3()])],
        },
        {
          ...GO_GS_FIXED,
          name: 'app2.avi.internal',
          domain_names: ['app2.avi.internal', 'alias4.com'],
          description: 'INGRESS/c3/gslb/web2/app2.avi.internal',
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('http', 'app2.avi.internal', '/'))],
          groups: [goGroup(10, [goMember('10.30.0.2', 1, ids('c3', 'web2'))])],
        },
      ],
      hms: [goPathHm('https', APP, '/'), goPathHm('http', 'app2.avi.internal', '/')],
    },
  },
  {
    name: 'custom global FQDN mode: HostRule gslb.fqdn names the GS, includeAliases adds its aliases, no mapping: no GS',
    // §2.1 useCustomGlobalFqdn, §4.1 (GS name = gslb.fqdn of the (cluster, local fqdn); no mapping -> rejected;
    // aliases only with includeAliases), §4.4 monitor names and descriptions use the GS name; docs/local_and_global_fqdn.md.
    source: 'spec §2.1, §4.1, §4.4; ingestion/member_controllers.go:AddHostRule; docs/local_and_global_fqdn.md, docs/multiple_fqdn.md',
    config: { useCustomGlobalFqdn: true },
    gdp: gdpSpec(),
    c2: {
      ingresses: [ingress('c2', 'web', 'app.c2.local', '10.20.0.1'), ingress('c2', 'nomap', 'nomap.c2.local', '10.20.0.3')],
      hostRules: [akoHostRule('app', 'app.c2.local', { aliases: ['www.app.global.com'], gslb: { fqdn: 'app.global.com', includeAliases: true } })],
    },
    c3: {
      ingresses: [ingress('c3', 'web', 'app.c3.local', '10.30.0.1')],
      hostRules: [akoHostRule('app', 'app.c3.local', { aliases: ['not-included.com'], gslb: { fqdn: 'app.global.com' } })],
    },
    go: {
      gs: [
        {
          ...GO_GS_FIXED,
          name: 'app.global.com',
          domain_names: ['app.global.com', 'www.app.global.com'],
          description: 'INGRESS/c2/gslb/web/app.c2.local,INGRESS/c3/gslb/web/app.c3.local',
          site_persistence_enabled: false,
          health_monitor_refs: [goRef('healthmonitor', goPathHmName('http', 'app.global.com', '/'))],
          groups: [goGroup(10, [m2(), m3()])],
        },
      ],
      hms: [goPathHm('http', 'app.global.com', '/')],
    },
  },
];

export const PARITY_FACTS: AviFacts = { ...AVI, thirdPartySites: [...AVI.thirdPartySites, 'other-site'] };

export function snapshotOf(c: Pick<Case, 'gdp' | 'ghrs' | 'c2' | 'c3'>): Snapshot {
  const member = (name: string, m: Case['c2']) => ({ name, ingresses: m?.ingresses ?? [], services: m?.services ?? [], namespaces: [namespace()], hostRules: m?.hostRules ?? [] });
  return {
    gdps: [{ metadata: { name: 'global-gdp', namespace: 'avi-system', creationTimestamp: '2026-01-01T00:00:00Z' } as never, spec: c.gdp }],
    hostRules: (c.ghrs ?? []).map((spec, i) => ({ metadata: { name: `ghr-${i}`, namespace: 'avi-system', creationTimestamp: '2026-01-01T00:00:00Z' } as never, spec })),
    members: [member('c2', c.c2), member('c3', c.c3)],
    avi: PARITY_FACTS,
  };
}

export const PARITY_CONFIG = { amkoUuid: AMKO_UUID, tenant: 'admin', memberClusters: ['c2', 'c3'] };

