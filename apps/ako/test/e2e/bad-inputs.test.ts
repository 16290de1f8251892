// The bad-input corpus (issue 11, deliver 5) on the real kube-apiserver and the avi-controller over HTTPS with its
// data plane. A valid workload of 5 teams (workload.ts: plain and TLS Ingresses, LoadBalancer Services, a shared VIP)
// is synced alone and recorded: the Avi objects that serve it, its statuses, and what each host/VIP answers (which
// backend, which certificate). Then the generated corpus (bad-inputs/corpus.ts, 400+ objects) is mixed into the same
// namespaces and some of its own, on the same running AKO and controller (the harder case: shared objects already
// exist and must keep being updated). Asserted: every valid object is exactly as before (objects compared field by
// field with their uuids, ignoring only what other hosts add to shared objects: pool-group members, DNS entries and
// the shard datascript, which the data-plane answers check instead), its status is the same, it answers the same;
// every bad object the apiserver accepted has a Warning Event on itself (a Secret's problem on the Ingress naming
// it), and every edge case is visible (a status or a Warning Event). The apiserver's refusals are recorded and not
// counted. Last, the first sync with the corpus already there: a fresh controller and AKO (same namespaces) give
// every valid neighbour the same objects, statuses and answers as alone (compared without the cluster name, uuids
// and VIP addresses, which a new controller allocates anew), and the new AKO puts its own Warning Event on every bad
// object again. The apiserver refuses loopback EndpointSlice addresses, so backends are NodePort Services on a Node at
// 127.0.0.1 whose node ports are real local HTTP servers (as l7-semantics and names-ownership do).
// Set BAD_INPUTS_REPORT=<file> to get the counts and every case's outcome as JSON.
import { request, type Server } from 'node:http';
import { connect } from 'node:tls';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, X509Certificate } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { createCA, issueCertificate, type CertificateAuthority } from '@avi-k8s/pki';
import type { AkoHandle } from '../../src/operator/run.js';
import { corpus, type BadCase, type CorpusContext, type Manifest } from '../bad-inputs/corpus.js';
import { sans } from '../bad-inputs/make.js';
import { tag, workload, type Backend, type Workload } from '../bad-inputs/workload.js';
import { eventually, harness, nodePortBackend, type Harness } from './harness.js';

const TLS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
const PEMS = ['good.crt', 'good.key', 'other.key', 'expired.crt', 'expired.key', 'future.crt', 'future.key', 'cn-only.crt', 'cn-only.key', 'encrypted-pkcs8.key', 'encrypted-rsa.key'];
const DOMAIN = 'example.com';
const SEED = 11;

let h: Harness;
let ako: AkoHandle;
let ca: CertificateAuthority;
let cert: { crt: string; key: string };
let wl: Workload;
const servers: Server[] = [];
const net = `127.${110 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}`;
const base = `bi${randomBytes(2).toString('hex')}`;
const teams = [0, 1, 2, 3, 4].map((i) => `${base}-${tag(i)}`);
const extra = { misc: `${base}-a`, collA: `${base}-t0-a`, bare: base, long: `${base}-${'l'.repeat(62 - base.length)}` };
const allNamespaces = [...teams, ...Object.values(extra)];
const node = `bad-${base}`;

const backend = (b: Backend, answer: string) => nodePortBackend(h, servers, b, answer);

/** Creates a manifest; the apiserver's refusal (4xx) is returned, not thrown. */
async function create(m: Manifest): Promise<string | undefined> {
  const { kind, metadata, ...rest } = m;
  const body = { metadata, ...rest } as never;
  try {
    if (kind === 'Ingress') await h.networking.createNamespacedIngress({ namespace: metadata.namespace, body });
    else if (kind === 'Service') await h.core.createNamespacedService({ namespace: metadata.namespace, body });
    else await h.core.createNamespacedSecret({ namespace: metadata.namespace, body });
    return undefined;
  } catch (err) {
    const e = err as { code?: number; body?: unknown; message?: string };
    if (e.code !== undefined && e.code >= 400 && e.code < 500) {
      const text = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? e.message);
      return `${e.code} ${(/"message":"([^"]*)"/.exec(text)?.[1] ?? text).slice(0, 300)}`;
    }
    throw err;
  }
}

function get(ip: string, port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: ip, port, path, headers: { host }, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? body : String(res.statusCode)));
    });
    req.on('error', (e) => resolve(`error ${e.message}`));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** An HTTPS GET: the backend's answer and the certificate's SHA-256 fingerprint. */
function getTls(ip: string, path: string, host: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port: 443, servername: host, ca: ca.certPem }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => {
        const [head = '', ...rest] = data.split('\r\n\r\n');
        const status = /^HTTP\/1\.1 (\d+)/.exec(head)?.[1];
        const body = rest.join('\r\n\r\n');
        const text = /transfer-encoding: chunked/i.test(head) ? body.split('\r\n').filter((_l, i) => i % 2 === 1).join('') : body;
        resolve(`${status === '200' ? text : String(status)} cert ${fp}`);
      });
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('error', (e) => resolve(`error ${e.message}`));
  });
}

type Snapshot = { avi: Record<string, Record<string, unknown>>; statuses: Record<string, unknown>; answers: Record<string, string> };
const AVI_TYPES = ['virtualservice', 'vsvip', 'pool', 'poolgroup', 'httppolicyset', 'sslkeyandcertificate', 'l4policyset', 'vsdatascriptset', 'stringgroup'] as const;

/** Refs as `ref:<name>` (their url and uuid are the controller's), times dropped. */
function normalize(v: unknown): unknown {
  if (typeof v === 'string') {
    const m = /^https?:\/\/[^#]*\/api\/[a-z0-9]+\/[^#]*#(.*)$/.exec(v);
    return m ? `ref:${m[1]}` : v;
  }
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'url' && k !== '_last_modified') out[k] = normalize(x);
    return out;
  }
  return v;
}

async function aviObjects(): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const type of AVI_TYPES) {
    for (const o of (await h.avi.list(type, { includeName: true, pageSize: 200 })).results as Record<string, unknown>[]) {
      if (String(o.name).startsWith(`${h.clusterName}--`)) out[`${type}/${String(o.name)}`] = normalize(o) as Record<string, unknown>;
    }
  }
  return out;
}

const ingressStatus = async (ns: string, name: string) => {
  const i = await h.networking.readNamespacedIngress({ name, namespace: ns });
  return { lb: i.status?.loadBalancer?.ingress ?? [], map: i.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map'] };
};
const serviceStatus = async (ns: string, name: string) => {
  const s = await h.core.readNamespacedService({ name, namespace: ns });
  return { lb: s.status?.loadBalancer?.ingress ?? [], map: s.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map'] };
};

/** Everything the valid workload shows: its Avi objects, statuses and data-plane answers. */
async function snapshot(): Promise<Snapshot> {
  const statuses: Record<string, unknown> = {};
  const answers: Record<string, string> = {};
  for (const v of wl.hosts) {
    const st = await ingressStatus(v.namespace, v.ingress);
    statuses[`Ingress/${v.namespace}/${v.ingress}`] = st;
    const ip = st.lb[0]?.ip ?? 'none';
    for (const p of Object.keys(v.answers)) answers[`${v.host}${p}`] = v.tls ? await getTls(ip, p, v.host) : await get(ip, 80, p, v.host);
  }
  for (const s of wl.lbServices) {
    const st = await serviceStatus(s.namespace, s.name);
    statuses[`Service/${s.namespace}/${s.name}`] = st;
    answers[`${s.namespace}/${s.name}:${s.port}`] = await get(st.lb[0]?.ip ?? 'none', s.port, '/', 'any');
  }
  return { avi: await aviObjects(), statuses, answers };
}

/** What differs in the valid workload's objects between two snapshots (shared objects: only what it put there). */
function neighbourDiffs(before: Snapshot, after: Snapshot): string[] {
  const diffs: string[] = [];
  for (const [key, was] of Object.entries(before.avi)) {
    const now = after.avi[key];
    if (!now) {
      diffs.push(`${key} is gone`);
      continue;
    }
    if (key.startsWith('vsdatascriptset/')) continue; // the shard routes of every host: the answers check them
    const strip = (o: Record<string, unknown>): Record<string, unknown> => {
      const c = { ...o };
      if (key.startsWith('poolgroup/')) {
        const mine = new Set(((was.members ?? []) as { pool_ref?: string }[]).map((m) => m.pool_ref));
        c.members = ((o.members ?? []) as { pool_ref?: string }[]).filter((m) => mine.has(m.pool_ref));
        delete c.cloud_config_cksum;
      }
      if (key.startsWith('virtualservice/') && Array.isArray(o.vh_child_vs_uuid)) {
        // An SNI parent lists every child of the shard (the controller fills it in): keep the valid ones'.
        const mine = new Set(was.vh_child_vs_uuid as string[]);
        c.vh_child_vs_uuid = (o.vh_child_vs_uuid as string[]).filter((u) => mine.has(u));
      }
      if (key.startsWith('vsvip/')) delete c.vsvip_cloud_config_cksum;
      if (key.startsWith('vsvip/') && Array.isArray(o.dns_info)) {
        const mine = new Set(((was.dns_info ?? []) as { fqdn?: string }[]).map((d) => d.fqdn));
        c.dns_info = (o.dns_info as { fqdn?: string }[]).filter((d) => mine.has(d.fqdn));
        delete c.cloud_config_cksum;
      }
      if (key.startsWith('httppolicyset/') && key.includes('--Shared-L7-')) {
        // The shard's HTTP->HTTPS redirect names every secure host of the shard: keep the valid ones'.
        const hostsOf = (x: unknown): string[] => JSON.stringify(x).match(/"value":\[[^\]]*\]/g)?.flatMap((m) => JSON.parse(m.slice(8)) as string[]) ?? [];
        const mine = new Set(hostsOf(was));
        c.http_request_policy = JSON.parse(JSON.stringify(o.http_request_policy ?? null, (k, v: unknown) => (k === 'value' && Array.isArray(v) ? v.filter((x) => mine.has(String(x))) : v)));
        delete c.cloud_config_cksum;
      }
      return c;
    };
    const a = strip(was);
    const b = strip(now);
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = JSON.stringify(a[k]);
      const y = JSON.stringify(b[k]);
      if (x !== y) diffs.push(`${key} field ${k}: ${String(x).slice(0, 300)} -> ${String(y).slice(0, 300)}`);
    }
  }
  for (const [k, v] of Object.entries(before.statuses)) if (JSON.stringify(v) !== JSON.stringify(after.statuses[k])) diffs.push(`status of ${k}: ${JSON.stringify(v)} -> ${JSON.stringify(after.statuses[k])}`);
  for (const [k, v] of Object.entries(before.answers)) if (v !== after.answers[k]) diffs.push(`answer of ${k}: ${v} -> ${after.answers[k]}`);
  return diffs;
}

/** A snapshot as another controller would have it: cluster name, uuids and VIP addresses replaced. */
function canonical(snap: Snapshot, clusterName: string): Snapshot {
  const text = JSON.stringify(snap)
    .replaceAll(clusterName, 'CLUSTER')
    .replace(/\b[a-z0-9]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'UUID')
    .replaceAll(new RegExp(`${net.replaceAll('.', '\\.')}\\.\\d+`, 'g'), 'VIP');
  // Checksums cover the cluster name (markers, created_by): compare the fields themselves. A parent's child uuids
  // are all alike now: each child is compared by name, with its vh_parent_vs_ref.
  const dropped = new Set(['cloud_config_cksum', 'vsvip_cloud_config_cksum', 'vh_child_vs_uuid']);
  return JSON.parse(text, (k, v: unknown) => (dropped.has(k) ? undefined : v)) as Snapshot;
}

/** Warning Events by `<kind>/<namespace>/<name>`. */
async function warningsByObject(since?: Date): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const ns of allNamespaces) {
    for (const e of (await h.core.listNamespacedEvent({ namespace: ns })).items) {
      if (e.type !== 'Warning') continue;
      if (since && !(e.lastTimestamp && new Date(e.lastTimestamp).getTime() >= since.getTime())) continue;
      const k = `${e.involvedObject.kind}/${e.involvedObject.namespace ?? ns}/${e.involvedObject.name}`;
      out.set(k, [...(out.get(k) ?? []), `${e.reason}: ${e.message}`]);
    }
  }
  return out;
}

function seedObjects() {
  const network = {
    type: 'network',
    data: {
      name: 'vip-network',
      dhcp_enabled: false,
      configured_subnets: [{ prefix: { ip_addr: { addr: `${net}.0`, type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: `${net}.10`, type: 'V4' }, end: { addr: `${net}.250`, type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] }],
    },
  };
  // A DNS profile without sub-domains: AKO serves any host (single-label hosts too, for the VS-name collision cases).
  const dns = { type: 'ipamdnsproviderprofile', data: { name: 'avi-dns', type: 'IPAMDNS_TYPE_INTERNAL_DNS', internal_profile: { dns_service_domain: [], ttl: 30 } } };
  return { objects: [dns, network] };
}

const akoValues = () => ({
  NetworkSettings: { vipNetworkList: [{ networkName: 'vip-network', cidr: `${net}.0/24` }] },
  L7Settings: { serviceType: 'NodePort' },
  nodePortSelector: { key: 'bad-node', value: base },
});

const subjectKey = (c: BadCase) => `${c.subject.kind}/${c.subject.namespace}/${c.subject.name}`;

beforeAll(async () => {
  const seed = join(mkdtempSync(join(tmpdir(), 'bad-seed-')), 'seed.json');
  writeFileSync(seed, JSON.stringify(seedObjects()));
  h = await harness('bad', 'c3', ['--dataplane', '--seed', seed]);
  for (const ns of allNamespaces) await h.core.createNamespace({ body: { metadata: { name: ns, labels: { 'ako-test': h.clusterName } } } });
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await h.core.createNode({ body: { metadata: { name: node, labels: { 'bad-node': base } } } });
  await h.core.patchNodeStatus(
    { name: node, body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  ca = await createCA('bad-ca');
  const issued = await issueCertificate(ca, { commonName: `shop.t0.${DOMAIN}`, dnsNames: sans({ teams, domain: DOMAIN }), usage: 'server' });
  cert = { crt: issued.certPem, key: issued.keyPem };
  wl = workload(teams, DOMAIN, 'avi-lb', cert);
  for (const b of wl.backends) await backend(b, `${tag(teams.indexOf(b.namespace))}-${b.name}`);
  for (const ns of Object.values(extra)) for (const name of ['web', 'api']) await backend({ namespace: ns, name, type: 'NodePort', port: 80 }, `bad-${name}`);
  for (const m of wl.objects) expect(await create(m)).toBeUndefined();
  ako = await h.start(akoValues());
  await ako.ready;
}, 240000);

afterAll(async () => {
  await h?.core.deleteNode({ name: node }).catch(() => undefined);
  for (const ns of allNamespaces) await h?.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await h?.close();
  for (const s of servers) s.close();
});

let alone: Snapshot;
/** The corpus cases the apiserver accepted. */
let accepted: BadCase[] = [];

test('the valid workload alone: every host and VIP answers from its own backend, TLS with its certificate', async () => {
  for (const v of wl.hosts) await eventually(`status of ${v.namespace}/${v.ingress}`, () => ingressStatus(v.namespace, v.ingress), (s) => !!s.lb[0]?.ip, 90000);
  for (const s of wl.lbServices) await eventually(`status of ${s.namespace}/${s.name}`, () => serviceStatus(s.namespace, s.name), (x) => !!x.lb[0]?.ip, 90000);
  await ako.idle();
  const certFp = new X509Certificate(cert.crt).fingerprint256;
  const expected: Record<string, string> = {};
  for (const v of wl.hosts) for (const [p, a] of Object.entries(v.answers)) expected[`${v.host}${p}`] = v.tls ? `${a} cert ${certFp}` : a;
  for (const s of wl.lbServices) expected[`${s.namespace}/${s.name}:${s.port}`] = s.answer;
  alone = await eventually('every answer', () => snapshot(), (s) => JSON.stringify(s.answers) === JSON.stringify(expected), 60000);
  expect(alone.answers).toEqual(expected);
  expect(Object.keys(alone.avi).length).toBeGreaterThan(40);
  const w = await warningsByObject();
  expect([...w.entries()]).toEqual([]);
}, 240000);

test('with the bad-input corpus mixed in: no valid neighbour changes, every accepted bad object has a Warning Event', async () => {
  expect(alone).toBeDefined();
  const pems = Object.fromEntries(PEMS.map((f) => [f, readFileSync(join(TLS, f), 'utf8')]));
  const validVips = [...new Set(Object.values(alone.statuses).map((s) => (s as { lb: { ip?: string }[] }).lb[0]?.ip).filter((x): x is string => !!x))].slice(0, 3);
  const ctx: CorpusContext = { base, teams, ...extra, domain: DOMAIN, ingressClass: 'avi-lb', pems, cert, validVips, net };
  const cases = corpus(ctx, SEED);
  // creationTimestamp counts seconds: every bad claim is newer than the valid one it contests.
  await new Promise((r) => setTimeout(r, 1100));
  const refused = new Map<string, string>();
  const queue = [...cases];
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        for (const m of c.objects) {
          const why = await create(m);
          if (why) refused.set(c.id, `${m.kind} ${m.metadata.name.slice(0, 40)}: ${why}`);
        }
      }
    }),
  );
  accepted = cases.filter((c) => !refused.has(c.id));
  expect(accepted.length).toBeGreaterThanOrEqual(300);
  await ako.idle();
  // A warning becomes an Event once it held 5 s.
  await new Promise((r) => setTimeout(r, 6000));
  await ako.idle();
  const visibleOf = async (c: BadCase, w: Map<string, string[]>): Promise<boolean> => {
    if (w.has(subjectKey(c))) return true;
    const st = c.subject.kind === 'Ingress' ? await ingressStatus(c.subject.namespace, c.subject.name) : await serviceStatus(c.subject.namespace, c.subject.name);
    return st.lb.length > 0;
  };
  const outcome = async () => {
    const w = await warningsByObject();
    const missing: string[] = [];
    for (const c of accepted) {
      const ok = c.expect === 'warning' ? w.has(subjectKey(c)) : await visibleOf(c, w);
      if (!ok) missing.push(`${c.id} (${c.expect}): ${c.note}`);
    }
    return { w, missing };
  };
  const { w, missing } = await eventually('a Warning Event on every bad object', outcome, (o) => o.missing.length === 0, 60000).catch(() => outcome());
  const after = await snapshot();
  const diffs = neighbourDiffs(alone, after);
  if (process.env.BAD_INPUTS_REPORT) {
    writeFileSync(
      process.env.BAD_INPUTS_REPORT,
      JSON.stringify(
        {
          generated: cases.length,
          refusedByApiserver: refused.size,
          accepted: accepted.length,
          acceptedWithWarning: accepted.filter((c) => w.has(subjectKey(c))).length,
          missing,
          diffs,
          cases: cases.map((c) => ({ id: c.id, category: c.category, expect: c.expect, note: c.note, refused: refused.get(c.id), warnings: w.get(subjectKey(c)) })),
        },
        null,
        1,
      ),
    );
  }
  expect(diffs).toEqual([]);
  expect(missing).toEqual([]);
  // The valid neighbours got no Warning of their own.
  const neighbours = [...wl.hosts.map((v) => `Ingress/${v.namespace}/${v.ingress}`), ...wl.lbServices.map((s) => `Service/${s.namespace}/${s.name}`)];
  expect(neighbours.filter((k) => w.has(k)).map((k) => [k, w.get(k)])).toEqual([]);
}, 420000);

test('a first sync with the corpus already there (a fresh controller and AKO): every valid neighbour converges as alone', async () => {
  expect(alone).toBeDefined();
  const first = h.clusterName;
  const canonAlone = canonical(alone, first);
  await h.close();
  // Events of the first AKO are older than this (the apiserver keeps their times in seconds).
  await new Promise((r) => setTimeout(r, 1100));
  const since = new Date(Math.floor(Date.now() / 1000) * 1000);
  // The same seed (VIP network, DNS profile); this AKO's namespaces are the same ones, labelled for it.
  const seed = join(mkdtempSync(join(tmpdir(), 'bad-seed-')), 'seed.json');
  writeFileSync(seed, JSON.stringify(seedObjects()));
  h = await harness('bad2', 'c3', ['--dataplane', '--seed', seed]);
  for (const ns of allNamespaces)
    await h.core.patchNamespace({ name: ns, body: { metadata: { labels: { 'ako-test': h.clusterName } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  ako = await h.start(akoValues());
  await ako.ready;
  await ako.idle();
  const fresh = await eventually('every answer', () => snapshot(), (x) => JSON.stringify(x.answers) === JSON.stringify(alone.answers), 90000).catch(() => snapshot());
  expect(neighbourDiffs(canonAlone, canonical(fresh, h.clusterName))).toEqual([]);
  // This AKO's own Warning Events: one on every bad object again.
  const missing = async () => {
    const w = await warningsByObject(since);
    return accepted.filter((c) => c.expect === 'warning' && !w.has(subjectKey(c))).map((c) => `${c.id}: ${c.note}`);
  };
  expect(await eventually('a Warning Event on every bad object', missing, (m) => m.length === 0, 60000).catch(() => missing())).toEqual([]);
}, 300000);
