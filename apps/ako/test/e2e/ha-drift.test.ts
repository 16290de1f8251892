// A new AKO instance (a restart, or a standby taking over) compares what it owns on the controller with what it
// desires, field by field, not only by the checksums stored on the objects: drift that kept our checksum field (a
// stale leader's write, a hand edit) is repaired in the first pass, and only the drifted objects are written; with
// nothing drifted, nothing is written; the periodic full sync compares content too. Real kube-apiserver, the avi-controller over HTTPS, AKO in-process.
import { createLogger } from '@avi-k8s/kube';
import { controllerWritesByType, countsDiff } from '@avi-k8s/testbed';
import type { AviBody } from '@avi-k8s/avi-sync';
import { startAko, type AkoHandle } from '../../src/operator/run.js';
import { createLbService, createSecureIngress, eventually, harness, type Harness } from './harness.js';

let h: Harness;
let ns: string;
const host = 'a.drift.example.com';
const stale = 'stale.drift.example.com';

type Obj = Record<string, unknown>;
const get = async (type: string, name: string) => (await h.avi.getByName(type as 'vsvip', name, { includeName: true })) as AviBody;
const put = (type: string, body: AviBody) => h.avi.update(type as 'vsvip', String(body.uuid), body as never, { validate: false });

const names = () => {
  const l4 = `${h.clusterName}--${ns}-web`;
  return { l4Pool: `${l4}-TCP-80`, child: `${h.clusterName}--${host}` };
};
async function shardName(): Promise<string> {
  const child = await get('virtualservice', names().child);
  return /#(.+)$/.exec(String(child.vh_parent_vs_ref))![1]!;
}

const dnsFqdns = (v: AviBody) => ((v.dns_info as Obj[] | undefined) ?? []).map((d) => d.fqdn);
const redirectHosts = (p: AviBody) =>
  (((p.http_request_policy as Obj | undefined)?.rules as { match: { host_hdr: { value: string[] } } }[] | undefined) ?? []).flatMap((r) => r.match.host_hdr.value);
const serverIps = (p: AviBody) => ((p.servers as { ip: { addr: string } }[] | undefined) ?? []).map((s) => s.ip.addr);

/** What the owned objects say in the fields the drift below changes (hand-written expectations for this workload). */
async function owned() {
  const shard = await shardName();
  return {
    shardDns: dnsFqdns(await get('vsvip', shard)),
    redirect: redirectHosts(await get('httppolicyset', shard)),
    l4Servers: serverIps(await get('pool', names().l4Pool)),
    childDomains: (await get('virtualservice', names().child)).vh_domain_name,
  };
}
// The shard's VsVip also carries the shard's own auto-FQDN (<shard>.<tenant>.<dns domain>, as the Go AKO).
const wanted = (shard: string) => ({ shardDns: [host, `${shard}.admin.avi.internal`], redirect: [host], l4Servers: ['10.244.9.1'], childDomains: [host] });

/** Hand edits that keep every object's stored checksum field (as a stale leader's write of an older version does). */
async function drift(): Promise<void> {
  const shard = await shardName();
  const vip = await get('vsvip', shard);
  await put('vsvip', { ...vip, dns_info: [{ fqdn: stale }] });
  const redirect = await get('httppolicyset', shard);
  const policy = redirect.http_request_policy as { rules: { match: { host_hdr: Obj } }[] };
  await put('httppolicyset', { ...redirect, http_request_policy: { ...policy, rules: policy.rules.map((r) => ({ ...r, match: { ...r.match, host_hdr: { ...r.match.host_hdr, value: [stale] } } })) } });
  const pool = await get('pool', names().l4Pool);
  await put('pool', { ...pool, servers: [{ ip: { addr: '10.244.9.99', type: 'V4' }, port: 8080 }] });
  const child = await get('virtualservice', names().child);
  await put('virtualservice', { ...child, vh_domain_name: [stale] });
  expect(await owned()).toEqual({ shardDns: [stale], redirect: [stale], l4Servers: ['10.244.9.99'], childDomains: [stale] });
}
const DRIFT_REPAIR = { 'PUT vsvip': 1, 'PUT httppolicyset': 1, 'PUT pool': 1, 'PUT virtualservice': 1 };

beforeAll(async () => {
  h = await harness('ha-drift');
  ns = await h.appNamespace('drift-apps');
  await h.networking.createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await createLbService(h, ns, 'web', [{ port: 80, targetPort: 8080 }], ['10.244.9.1']);
  await createSecureIngress(h, ns, 'secure', host);
  const ako = await h.start();
  await ako.ready;
  const shard = await eventually('shard VS', () => shardName().catch(() => undefined), (v) => v !== undefined);
  await eventually('objects', async () => JSON.stringify(await owned().catch(() => undefined)), (o) => o === JSON.stringify(wanted(shard!)));
  await ako.idle();
  await ako.stop();
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('a restart with nothing changed writes nothing (content compared on every owned object)', async () => {
  const before = await controllerWritesByType(h.ctl);
  const ako = await h.start();
  const summary = await ako.ready;
  await ako.idle();
  await ako.stop();
  expect(summary).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual({});
});

test('drift left while no AKO ran (checksums kept) is repaired in the first pass, writing only the drifted objects', async () => {
  await drift();
  const before = await controllerWritesByType(h.ctl);
  const ako = await h.start();
  const summary = await ako.ready;
  await ako.idle();
  expect(summary).toMatchObject({ creates: 0, updates: 4, deletes: 0, failed: 0 });
  expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual(DRIFT_REPAIR);
  expect(await owned()).toEqual(wanted(await shardName()));
  await ako.stop();

  // Repaired for good: the next restart finds nothing to write.
  const again = await controllerWritesByType(h.ctl);
  const next = await h.start();
  expect(await next.ready).toMatchObject({ creates: 0, updates: 0, deletes: 0, failed: 0 });
  await next.idle();
  await next.stop();
  expect(countsDiff(again, await controllerWritesByType(h.ctl))).toEqual({});
});

test('drift left under a running leader is repaired by the standby in its first pass when it takes over', async () => {
  const replica = (identity: string) =>
    startAko({
      kubeConfig: h.kc,
      namespace: h.akoNamespace,
      valuesFile: h.valuesFile,
      apiPort: 0,
      apiHost: '127.0.0.1',
      logger: createLogger({ component: identity, silent: !process.env.AKO_TEST_LOGS }),
      leaderElection: { identity, leaseDurationSeconds: 6, renewDeadlineSeconds: 4, retryPeriodSeconds: 0.5 },
    });
  const a: AkoHandle = await replica('drift-0');
  await a.ready;
  const b: AkoHandle = await replica('drift-1');
  await eventually('standby ready', async () => (await fetch(`${b.ops.url}/readyz`)).status, (s) => s === 200);
  expect(b.leading).toBe(false);
  await a.idle();
  // The leader does not re-read the controller (until its full sync): the drift stays while it leads.
  await drift();
  const before = await controllerWritesByType(h.ctl);
  await a.stop();
  const summary = await b.ready;
  await b.idle();
  expect(b.leading).toBe(true);
  expect(summary).toMatchObject({ creates: 0, updates: 4, deletes: 0, failed: 0 });
  expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual(DRIFT_REPAIR);
  expect(await owned()).toEqual(wanted(await shardName()));
  await b.stop();
}, 120000);

test('drift made under a running AKO is repaired at its next full sync', async () => {
  const ako = await h.start({ AKOSettings: { fullSyncFrequency: '2' } });
  await ako.ready;
  await ako.idle();
  const shard = await shardName();
  await drift();
  await eventually('repaired by the full sync', () => owned(), (o) => JSON.stringify(o) === JSON.stringify(wanted(shard)), 20000);
  // Nothing drifted any more: the next full syncs write nothing.
  await ako.idle();
  const before = await controllerWritesByType(h.ctl);
  await new Promise((r) => setTimeout(r, 5000));
  await ako.idle();
  expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual({});
  await ako.stop();
}, 60000);
