// A follower AMKO (AMKOCluster isLeader false) on the real leader apiserver (c1) with a real avi-controller: it makes
// no Avi call at all (AMKO's own REST call counter and the controller's write counter), writes only the AMKOCluster
// condition the Go AMKO writes, and becomes the leader in place when isLeader flips (and a follower again). At boot
// the CLI refuses a namespace with no AMKOCluster or with two, with exit code 3 and the reason.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import type { AmkoHandle } from '../../src/operator/run.js';
import { applyAmkoCluster, applyGdp, controllerWrites, createGslbConfig, createMemberIngress, eventually, GROUP, gslbService, harness, membersOf, setMemberIngressVip, type Harness } from './harness.js';

let h: Harness;
let amko: AmkoHandle;
const FOLLOWER = { isLeader: false, clusterContext: 'c1', version: '0.1.0', clusters: ['c1'] };
const host = () => `follow.${h.ns}.example.com`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** amko_avi_rest_calls_total summed over its labels, from AMKO's /metrics. */
async function aviCalls(a: AmkoHandle): Promise<number> {
  const text = await (await fetch(`${a.ops.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('amko_avi_rest_calls_total{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}
const amkoCluster = async () =>
  ((await h.custom.listNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'amkoclusters' })) as { items: { status?: { conditions?: unknown[] } }[] }).items[0];
const gc = async () => (await h.custom.getNamespacedCustomObject({ group: GROUP, version: 'v1alpha1', namespace: h.ns, plural: 'gslbconfigs', name: 'gc-1' })) as { metadata: k8s.V1ObjectMeta; status?: unknown };

beforeAll(async () => {
  h = await harness('amko-follow', { amkoCluster: FOLLOWER });
  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
  await createMemberIngress(h.members[0]!, 'web', host(), '10.26.0.1');
  await createMemberIngress(h.members[1]!, 'web', host(), '10.36.0.1');
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('a follower makes no Avi call, writes only the "won\'t federate objects" condition, and leads once isLeader flips', async () => {
  amko = await h.start({ federationRetryMs: 500 });
  expect(amko.role).toBe('follower');
  expect((await amko.ready).held).toBe('AMKO not a leader');
  await eventually('follower condition', async () => (await amkoCluster())?.status?.conditions, (c) => isDeepStrictEqual(c, [{ type: 'current AMKOCluster Validation', status: "won't federate objects", reason: 'AMKO not a leader' }]));
  await sleep(3000);
  await amko.idle();
  expect(await aviCalls(amko)).toBe(0);
  expect(await controllerWrites(h)).toBe(0);
  expect(await gslbService(h, host())).toBeUndefined();
  // Nothing written on the leader's GSLBConfig either (no identity annotation, no status), no member cluster followed.
  const before = await gc();
  expect(before.metadata.annotations?.['amko.vmware.com/amko-uuid']).toBeUndefined();
  expect(before.status).toBeUndefined();
  expect(amko.members.states()).toEqual([]);

  await applyAmkoCluster(h.kc, h.ns, { ...FOLLOWER, isLeader: true });
  await eventually('leader', async () => amko.role, (r) => r === 'leader');
  const gs = await eventually('GslbService', () => gslbService(h, host()), (g) => Object.values(membersOf(g)).flat().length === 2);
  expect(membersOf(gs)).toEqual({ '10': ['10.26.0.1:1', '10.36.0.1:1'] });
  await eventually('leader conditions', async () => (await amkoCluster())?.status?.conditions, (c) =>
    isDeepStrictEqual(c, [{ type: 'current AMKOCluster Validation', status: 'valid AMKOCluster object' }, { type: 'member cluster initialisation', status: 'all cluster clients fetched' }]));
});

test('a leader made follower stops every Avi call; a member change is not synced', async () => {
  await amko.idle();
  await applyAmkoCluster(h.kc, h.ns, FOLLOWER);
  await eventually('follower', async () => amko.role, (r) => r === 'follower');
  await amko.idle();
  const calls = await aviCalls(amko);
  const writes = await controllerWrites(h);
  await setMemberIngressVip(h.members[1]!, 'web', host(), '10.36.0.2');
  await sleep(3000);
  await amko.idle();
  expect(await aviCalls(amko)).toBe(calls);
  expect(await controllerWrites(h)).toBe(writes);
  expect(membersOf(await gslbService(h, host()))).toEqual({ '10': ['10.26.0.1:1', '10.36.0.1:1'] });
});

test('the CLI refuses a namespace with no AMKOCluster, or with two, with exit code 3 and the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'amko-noac-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, h.kc.exportConfig());
    const ns = await h.leader.newNamespace('amko-noac');
    const bin = join(import.meta.dirname, '../../bin/amko.js');
    const run = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(process.execPath, [bin, '--kubeconfig', kubeconfig, '--namespace', ns, '--api-port', '0'], { timeout: 60000 }, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }));
      });
    const none = await run();
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(`no AMKOCluster object in namespace ${ns}: exactly one is required`);

    await applyAmkoCluster(h.kc, ns, FOLLOWER, 'a');
    await applyAmkoCluster(h.kc, ns, FOLLOWER, 'b');
    const two = await run();
    expect(two.code).toBe(3);
    expect(two.stderr).toContain(`only one AMKOCluster object allowed per cluster, namespace ${ns} has 2: a, b`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120000);
