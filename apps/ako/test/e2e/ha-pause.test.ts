// Fenced HA with real processes: two AKO CLIs (replicaCount 2, POD_NAME set) on one real kube-apiserver and the
// avi-controller. The leader is frozen with SIGSTOP right after a change reached it (the controller holds every
// call 300 ms, so it is frozen in the middle of its batch of writes), past its lease; the standby takes over and
// writes that change and a later one; then the old leader is resumed (SIGCONT). It must write nothing more to the
// controller (counted there, on its /metrics) nor to Kubernetes (the Ingress' resourceVersion), exit (a lost lease
// exits, as the Go AKO), and leave the Avi objects as the new leader wants them. Several trials, leaders alternating.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createCA, issueCertificate } from '@avi-k8s/pki';
import { exited, startCli, stopProcess } from '@avi-k8s/testbed';
import { controllerWrites, createLbService, eventually, harness, type Harness } from './harness.js';

const TRIALS = 3;
// Generous for a loaded 2-core machine: a leader that cannot renew within 6 s steps down (and this test fails).
const LEASE = ['--lease-duration', '8', '--renew-deadline', '6', '--retry-period', '1'];
const base = 'a.pause.example.com';
const hostsOf = (k: number) => ({ x: `t${k}-x.pause.example.com`, y: `t${k}-y.pause.example.com` });

let h: Harness;
let ns: string;
let kubeconfigFile: string;
const logs = mkdtempSync(join(tmpdir(), 'ako-ha-pause-'));
const procs = new Map<string, { child: ChildProcess; port: number }>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startReplica(identity: string): Promise<void> {
  const port = await freePort();
  const child = startCli('ako', ['--kubeconfig', kubeconfigFile, '--values', h.valuesFile, '--namespace', h.akoNamespace, '--api-port', String(port), ...LEASE], {
    env: { POD_NAME: identity },
    logFile: join(logs, `${identity}.log`),
  });
  procs.set(identity, { child, port });
  // Ready: caches synced (a standby), or first sync done (the leader).
  await eventually(`${identity} ready`, async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, (s) => s === 200, 60000);
}

const holder = async () =>
  (await h.kc.makeApiClient(k8s.CoordinationV1Api).readNamespacedLease({ name: 'ako-lease-lock', namespace: h.akoNamespace })).spec?.holderIdentity;

/** The Ingress serves `hosts` (TLS for all of them, one certificate), `/` to Service web. */
async function setHosts(hosts: string[]): Promise<void> {
  const body = {
    metadata: { name: 'shop' },
    spec: {
      ingressClassName: 'avi-lb',
      tls: [{ hosts, secretName: 'shop-tls' }],
      rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })),
    },
  };
  const current = await h.networking.readNamespacedIngress({ name: 'shop', namespace: ns }).catch(() => undefined);
  if (!current) await h.networking.createNamespacedIngress({ namespace: ns, body });
  else await h.networking.replaceNamespacedIngress({ name: 'shop', namespace: ns, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata!.resourceVersion! } } });
}

type Obj = Record<string, unknown>;
/** What the shard objects say about hosts: VsVip dns_info FQDNs (the shards' own auto-FQDNs aside), redirect hosts, SNI children. */
async function served(): Promise<{ dns: string[]; redirect: string[]; children: string[] }> {
  const list = async (type: string) => (await h.avi.list(type as 'vsvip', { params: { 'name.contains': `${h.clusterName}--` } })).results as AviBody[];
  const shard = (o: AviBody) => /--Shared-L7-\d+$/.test(String(o.name));
  const dns = (await list('vsvip')).filter(shard).flatMap((v) => ((v.dns_info as Obj[] | undefined) ?? []).map((d) => String(d.fqdn))).filter((f) => !f.endsWith('.avi.internal'));
  const redirect = (await list('httppolicyset'))
    .filter(shard)
    .flatMap((p) => (((p.http_request_policy as Obj | undefined)?.rules as { match: { host_hdr: { value: string[] } } }[] | undefined) ?? []).flatMap((r) => r.match.host_hdr.value));
  const children = (await list('virtualservice')).filter((v) => v.type === 'VS_TYPE_VH_CHILD').flatMap((v) => (v.vh_domain_name as string[] | undefined) ?? []);
  return { dns: dns.sort(), redirect: redirect.sort(), children: children.sort() };
}
const servedAs = (hosts: string[]) => ({ dns: [...hosts].sort(), redirect: [...hosts].sort(), children: [...hosts].sort() });

async function ingressHosts(): Promise<string[]> {
  const ing = await h.networking.readNamespacedIngressStatus({ name: 'shop', namespace: ns });
  return (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.hostname ?? '').sort();
}

/** Waits until the controller serves `hosts` and no write has been made for `quietMs`; returns the write count. */
async function settled(hosts: string[], quietMs = 2500): Promise<number> {
  await eventually('served', () => served(), (s) => JSON.stringify(s) === JSON.stringify(servedAs(hosts)), 60000);
  await eventually('Ingress status', () => ingressHosts(), (l) => JSON.stringify(l) === JSON.stringify([...hosts].sort()), 60000);
  let last = await controllerWrites(h);
  for (let quietSince = Date.now(); Date.now() - quietSince < quietMs; ) {
    await sleep(250);
    const now = await controllerWrites(h);
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
  return last;
}

beforeAll(async () => {
  h = await harness('ha-pause');
  ns = await h.appNamespace('pause-apps');
  kubeconfigFile = h.cluster.kubeconfig;
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }], ['10.244.11.1']);
  const all = [base, ...Array.from({ length: TRIALS }, (_, k) => Object.values(hostsOf(k))).flat()];
  const ca = await createCA('pause-ca');
  const cert = await issueCertificate(ca, { commonName: base, dnsNames: all, usage: 'server' });
  await h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'shop-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } } });
  await setHosts([base]);
}, 120000);

afterAll(async () => {
  for (const { child } of procs.values()) {
    if (child.signalCode === null && child.exitCode === null) child.kill('SIGCONT');
    await stopProcess(child);
  }
  await h?.avi.request('DELETE', '/debug/faults').catch(() => undefined);
  await h?.close();
});

test(`a leader frozen past its lease (SIGSTOP) writes nothing once resumed; the new leader's objects stay (${TRIALS} trials)`, async () => {
  await startReplica('ako-0');
  await eventually('ako-0 leads', holder, (v) => v === 'ako-0');
  await settled([base]);
  await startReplica('ako-1');
  let leader = 'ako-0';
  let standby = 'ako-1';
  const figures: { trial: number; staleWrites: number; staleKubeWrites: number; exitCode: number }[] = [];

  for (let k = 0; k < TRIALS; k++) {
    const { x, y } = hostsOf(k);
    const old = procs.get(leader)!.child;
    // Every controller call takes 300 ms: the leader is frozen in the middle of writing change X.
    await h.avi.request('PUT', '/debug/faults', { body: { latencyMs: 300, pathContains: '/api/' } });
    await setHosts([base, x]);
    await sleep(150);
    old.kill('SIGSTOP');
    await eventually(`${standby} takes over`, holder, (v) => v === standby, 60000);
    await h.avi.request('DELETE', '/debug/faults');
    await settled([base, x]);
    // Change Y, written by the new leader only; X's host is gone from every shared object.
    await setHosts([base, y]);
    const writes = await settled([base, y]);
    const ingressVersion = (await h.networking.readNamespacedIngress({ name: 'shop', namespace: ns })).metadata?.resourceVersion;
    expect(old.exitCode).toBeNull();

    old.kill('SIGCONT');
    const exitCode = await Promise.race([exited(old), sleep(15000).then(() => -1)]);
    await sleep(2000);
    const staleWrites = (await controllerWrites(h)) - writes;
    const staleKubeWrites = (await h.networking.readNamespacedIngress({ name: 'shop', namespace: ns })).metadata?.resourceVersion === ingressVersion ? 0 : 1;
    figures.push({ trial: k, staleWrites, staleKubeWrites, exitCode });
    expect({ trial: k, staleWrites, staleKubeWrites, exitCode, served: await served() }).toEqual({ trial: k, staleWrites: 0, staleKubeWrites: 0, exitCode: 1, served: servedAs([base, y]) });
    expect(readFileSync(join(logs, `${leader}.log`), 'utf8')).toMatch(/leader election: (another candidate holds the lease|could not renew the lease in time|lost the lease)/);

    // The next trial: the new leader is frozen, a fresh replica stands by.
    procs.delete(leader);
    const next = `ako-${k + 2}`;
    await startReplica(next);
    [leader, standby] = [standby, next];
  }
  console.log(`ha-pause figures: ${JSON.stringify(figures)} (logs in ${logs})`);
}, 600000);
