// A pass with the memo after a member change re-selects only the changed objects (src/translate/incremental.ts):
// over hand-written sequences of what the informers deliver (a new object for each change, fresh lists), each pass
// with the memo must give exactly what a pass without it gives, verdicts included; and the passes that can be
// incremental must be (the memo's state is patched, not rebuilt), so the incremental path is the one compared.
import type * as k8s from '@kubernetes/client-node';
import { createTranslateMemo, translate, type AmkoConfig, type RawObject, type Snapshot, type TranslateMemo } from '../../src/translate/index.js';

const config: AmkoConfig = { amkoUuid: 'aaaa-bbbb', tenant: 'admin', memberClusters: ['c1', 'c2'] };
const avi = { healthMonitors: {}, persistenceProfiles: [], pkiProfiles: [], thirdPartySites: [] };

const gdp = (weight: number): RawObject => ({
  metadata: { name: 'gdp', namespace: 'avi-system', creationTimestamp: new Date('2026-01-01T00:00:00Z') },
  spec: {
    matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: { gslb: 'yes' } } },
    matchClusters: [{ cluster: 'c1' }, { cluster: 'c2' }],
    trafficSplit: [{ cluster: 'c1', weight }, { cluster: 'c2', weight: 1 }],
  },
});

function ingress(cluster: string, name: string, hosts: string[], ip: string, opts: { ns?: string; app?: string; annotated?: boolean } = {}): k8s.V1Ingress {
  const annotated = opts.annotated ?? true;
  return {
    metadata: {
      name,
      namespace: opts.ns ?? 'apps',
      labels: { app: opts.app ?? 'gslb' },
      annotations: annotated ? { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify(Object.fromEntries(hosts.map((h) => [h, `vs-${cluster}-${h}`]))), 'ako.vmware.com/controller-cluster-uuid': `uuid-${cluster}` } : {},
    },
    spec: { rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })) },
    status: { loadBalancer: { ingress: hosts.map((hostname) => ({ ip, hostname })) } },
  } as k8s.V1Ingress;
}

function service(cluster: string, name: string, host: string, ip: string): k8s.V1Service {
  return {
    metadata: { name, namespace: 'apps', labels: { app: 'gslb' }, annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify({ [host]: `vs-${cluster}-svc` }), 'ako.vmware.com/controller-cluster-uuid': `uuid-${cluster}` } },
    spec: { type: 'LoadBalancer', ports: [{ port: 53, protocol: 'UDP' }] },
    status: { loadBalancer: { ingress: [{ ip, hostname: host }] } },
  } as k8s.V1Service;
}

const namespace = (name: string, labels: Record<string, string>, tenant?: string): k8s.V1Namespace => ({ metadata: { name, labels, ...(tenant ? { annotations: { 'ako.vmware.com/tenant-name': tenant } } : {}) } });
const hostRule = (name: string, fqdn: string, aliases: string[]): RawObject => ({ metadata: { name, namespace: 'apps' }, spec: { virtualhost: { fqdn, aliases } }, status: { status: 'Accepted' } });

/** The informers' caches of one member cluster: a change replaces the object under its name. */
interface Member {
  ingresses: Map<string, k8s.V1Ingress>;
  services: Map<string, k8s.V1Service>;
  namespaces: Map<string, k8s.V1Namespace>;
  hostRules: Map<string, RawObject>;
}

function world() {
  const member = (c: string, ip: string): Member => ({
    ingresses: new Map(['app-0', 'app-1', 'app-2', 'app-3'].map((n, i) => [n, ingress(c, n, [`${n}.example.com`], `${ip}.${i + 1}`)])),
    services: new Map([['dns', service(c, 'dns', 'dns.example.com', `${ip}.100`)]]),
    namespaces: new Map([
      ['apps', namespace('apps', { gslb: 'yes' })],
      ['other', namespace('other', {})],
    ]),
    hostRules: new Map(),
  });
  const members = new Map([
    ['c2', member('c2', '10.2.0')],
    ['c1', member('c1', '10.1.0')],
  ]);
  // c1 only: a two-host Ingress, one with no AKO annotations (rejected), one outside the selected namespace, an alias.
  const c1 = members.get('c1')!;
  c1.ingresses.set('multi', ingress('c1', 'multi', ['m1.example.com', 'm2.example.com'], '10.1.0.50'));
  c1.ingresses.set('bare', ingress('c1', 'bare', ['bare.example.com'], '10.1.0.60', { annotated: false }));
  c1.ingresses.set('elsewhere', ingress('c1', 'elsewhere', ['app-1.example.com'], '10.1.0.70', { ns: 'other' }));
  c1.hostRules.set('hr0', hostRule('hr0', 'app-0.example.com', ['www.example.com']));
  let gdps = [gdp(3)];
  return {
    members,
    setGdps(g: RawObject[]) {
      gdps = g;
    },
    /** What the informers list now: fresh arrays of the cached objects. */
    snapshot(): Snapshot {
      return {
        gdps: [...gdps],
        hostRules: [],
        avi,
        members: [...members].map(([name, m]) => ({ name, ingresses: [...m.ingresses.values()], services: [...m.services.values()], namespaces: [...m.namespaces.values()], hostRules: [...m.hostRules.values()] })),
      };
    },
  };
}

const run = (s: Snapshot, memo?: TranslateMemo) => {
  const r = translate(s, config, memo);
  return { hold: r.hold, verdicts: r.verdicts, objects: r.objects.map((o) => ({ tenant: o.tenant, type: o.type, name: o.name, checksum: o.checksum, body: o.body })) };
};

type World = ReturnType<typeof world>;
const c = (w: World, name: string) => w.members.get(name)!;

// Each step: a change as the informers deliver it, whether the pass after it can be incremental, and a string the
// desired objects must (or, with `!`, must not) contain afterwards, so that the step is seen to take effect.
const steps: { what: string; incremental: boolean; expect?: string; change: (w: World) => void }[] = [
  { what: 'nothing changed', incremental: true, change: () => undefined },
  { what: 'VIP change of an Ingress', incremental: true, expect: '10.2.9.9', change: (w) => c(w, 'c2').ingresses.set('app-1', ingress('c2', 'app-1', ['app-1.example.com'], '10.2.9.9')) },
  { what: 'VIP change of a LoadBalancer Service', incremental: true, expect: '10.1.9.53', change: (w) => c(w, 'c1').services.set('dns', service('c1', 'dns', 'dns.example.com', '10.1.9.53')) },
  { what: 'VIP change of the two-host Ingress', incremental: true, expect: '10.1.9.50', change: (w) => c(w, 'c1').ingresses.set('multi', ingress('c1', 'multi', ['m1.example.com', 'm2.example.com'], '10.1.9.50')) },
  { what: 'Ingress added for a host with a GslbService', incremental: true, expect: '10.2.7.7', change: (w) => c(w, 'c2').ingresses.set('app-0b', ingress('c2', 'app-0b', ['app-0.example.com'], '10.2.7.7')) },
  { what: 'Ingress added for a new host', incremental: false, expect: 'new.example.com', change: (w) => c(w, 'c2').ingresses.set('new', ingress('c2', 'new', ['new.example.com'], '10.2.8.8')) },
  { what: 'Ingress removed, its GslbService stays', incremental: true, expect: '!10.2.7.7', change: (w) => c(w, 'c2').ingresses.delete('app-0b') },
  { what: 'Ingress removed with its GslbService', incremental: false, expect: '!new.example.com', change: (w) => c(w, 'c2').ingresses.delete('new') },
  { what: 'label change that deselects', incremental: true, expect: '!10.1.0.3"', change: (w) => c(w, 'c1').ingresses.set('app-2', ingress('c1', 'app-2', ['app-2.example.com'], '10.1.0.3', { app: 'none' })) },
  { what: 'label change that selects again', incremental: true, expect: '10.1.0.3"', change: (w) => c(w, 'c1').ingresses.set('app-2', ingress('c1', 'app-2', ['app-2.example.com'], '10.1.0.3')) },
  { what: 'label change that deselects the only member', incremental: false, expect: '!m2.example.com', change: (w) => c(w, 'c1').ingresses.set('multi', ingress('c1', 'multi', ['m1.example.com', 'm2.example.com'], '10.1.9.50', { app: 'none' })) },
  { what: 'annotations added to a rejected Ingress (a new GslbService)', incremental: false, expect: 'bare.example.com', change: (w) => c(w, 'c1').ingresses.set('bare', ingress('c1', 'bare', ['bare.example.com'], '10.1.0.60')) },
  { what: 'annotations removed again', incremental: false, expect: '!bare.example.com', change: (w) => c(w, 'c1').ingresses.set('bare', ingress('c1', 'bare', ['bare.example.com'], '10.1.0.60', { annotated: false })) },
  { what: 'an unselected Ingress changes', incremental: true, change: (w) => c(w, 'c1').ingresses.set('elsewhere', ingress('c1', 'elsewhere', ['app-1.example.com'], '10.1.0.71', { ns: 'other' })) },
  { what: 'namespace label change that selects', incremental: false, expect: '10.1.0.71', change: (w) => c(w, 'c1').namespaces.set('other', namespace('other', { gslb: 'yes' })) },
  { what: 'namespace label change that deselects', incremental: false, expect: '!10.1.0.71', change: (w) => c(w, 'c1').namespaces.set('other', namespace('other', {})) },
  { what: 'namespace tenant change', incremental: false, expect: '"tenant":"t2"', change: (w) => c(w, 'c2').namespaces.set('apps', namespace('apps', { gslb: 'yes' }, 't2')) },
  { what: 'namespace tenant back', incremental: false, expect: '!"tenant":"t2"', change: (w) => c(w, 'c2').namespaces.set('apps', namespace('apps', { gslb: 'yes' })) },
  { what: 'HostRule aliases change', incremental: false, expect: 'www2.example.com', change: (w) => c(w, 'c1').hostRules.set('hr0', hostRule('hr0', 'app-0.example.com', ['www2.example.com'])) },
  { what: 'VIP change after the HostRule change', incremental: true, expect: '10.1.9.1', change: (w) => c(w, 'c1').ingresses.set('app-0', ingress('c1', 'app-0', ['app-0.example.com'], '10.1.9.1')) },
  { what: 'GDP change', incremental: false, expect: '"ratio":7', change: (w) => w.setGdps([gdp(7)]) },
  { what: 'VIP change after the GDP change', incremental: true, expect: '10.2.9.4', change: (w) => c(w, 'c2').ingresses.set('app-3', ingress('c2', 'app-3', ['app-3.example.com'], '10.2.9.4')) },
  { what: 'two clusters change in one pass', incremental: true, expect: '10.2.9.2', change: (w) => (c(w, 'c1').ingresses.set('app-2', ingress('c1', 'app-2', ['app-2.example.com'], '10.1.9.2')), c(w, 'c2').ingresses.set('app-2', ingress('c2', 'app-2', ['app-2.example.com'], '10.2.9.2'))) },
  { what: 'GDP invalid (held), then back', incremental: true, expect: '10.1.9.3', change: (w) => (w.setGdps([gdp(7)]), c(w, 'c1').ingresses.set('app-3', ingress('c1', 'app-3', ['app-3.example.com'], '10.1.9.3'))) },
];

describe('incremental translate: a pass through the memo equals a full pass after each change', () => {
  test('the hand-written sequence, in order', () => {
    const w = world();
    const memo = createTranslateMemo();
    expect(run(w.snapshot(), memo)).toEqual(run(w.snapshot()));
    for (const step of steps) {
      if (step.what.startsWith('GDP invalid')) {
        // A pass with an invalid GDP holds; the memo's state is kept for when the GDP is valid again.
        w.setGdps([{ ...gdp(7), spec: { ...(gdp(7).spec as object), matchClusters: [{ cluster: 'c1' }, { cluster: 'nowhere' }] } }]);
        expect(run(w.snapshot(), memo).hold).toBeDefined();
      }
      const before = memo.state;
      step.change(w);
      const s = w.snapshot();
      const got = run(s, memo);
      expect({ step: step.what, got }).toEqual({ step: step.what, got: run(s) });
      expect({ step: step.what, incremental: memo.state === before }).toEqual({ step: step.what, incremental: step.incremental });
      if (step.expect?.startsWith('!')) expect(JSON.stringify(got.objects)).not.toContain(step.expect.slice(1));
      else if (step.expect) expect(JSON.stringify(got.objects)).toContain(step.expect);
    }
  });

  test('each step alone, from a memo that saw only the starting state', () => {
    for (const [i, step] of steps.entries()) {
      const w = world();
      for (const earlier of steps.slice(0, i)) earlier.change(w);
      const memo = createTranslateMemo();
      run(w.snapshot(), memo);
      step.change(w);
      const s = w.snapshot();
      expect({ step: step.what, got: run(s, memo) }).toEqual({ step: step.what, got: run(s) });
    }
  });

  test('verdicts of unchanged objects are kept, those of changed ones follow', () => {
    const w = world();
    const memo = createTranslateMemo();
    const first = run(w.snapshot(), memo).verdicts;
    expect(first).toContainEqual({ kind: 'Ingress', cluster: 'c1', namespace: 'apps', name: 'bare', accepted: false, reason: 'no AKO virtual service annotations (host-fqdn-vs-uuid-map, controller-cluster-uuid) for bare.example.com' });
    c(w, 'c1').ingresses.set('app-1', ingress('c1', 'app-1', ['app-1.example.com'], '10.1.0.2', { app: 'none' }));
    const after = run(w.snapshot(), memo).verdicts;
    expect(after).toEqual(first.filter((v) => !(v.cluster === 'c1' && v.name === 'app-1')));
  });
});
