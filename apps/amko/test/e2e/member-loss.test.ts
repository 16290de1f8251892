// A synced member whose API server goes away (here: the TCP path to c3 is cut) is reported in the GSLBConfig
// status and keeps its last known members in the GslbService; when it comes back, its changes flow again.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AmkoHandle } from '../../src/operator/run.js';
import { applyGdp, createGslbConfig, createMemberIngress, eventually, getStatus, gslbService, harness, membersKubeconfig, membersOf, setMemberIngressVip, setMembersSecret, type Harness } from './harness.js';

let h: Harness;
let amko: AmkoHandle;
let proxy: { server: Server; sockets: Set<Socket>; port: number } | undefined;
const host = () => `loss.${h.ns}.example.com`;

/** A TCP relay to c3's API server on a fixed local port (TLS passes through untouched). */
async function startProxy(target: URL, port = 0) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, sockets, port: (server.address() as { port: number }).port };
}

async function stopProxy() {
  if (!proxy) return;
  const p = proxy;
  proxy = undefined;
  const closed = new Promise((r) => p.server.close(r));
  for (const s of p.sockets) s.destroy();
  await closed;
}

beforeAll(async () => {
  h = await harness('amko-loss');
  const c3 = new URL(h.members[1]!.kc.getCurrentCluster()!.server);
  proxy = await startProxy(c3);
  await setMembersSecret(h, membersKubeconfig(h.members, { c3: `https://127.0.0.1:${proxy.port}` }));
  await createGslbConfig(h);
  await applyGdp(h, { matchRules: { appSelector: { label: { app: 'gslb' } }, namespaceSelector: { label: h.nsLabel } }, matchClusters: [{ cluster: 'c2' }, { cluster: 'c3' }] });
  await createMemberIngress(h.members[0]!, 'web', host(), '10.22.0.1');
  await createMemberIngress(h.members[1]!, 'web', host(), '10.32.0.1');
  amko = await h.start();
  await amko.ready;
}, 180000);

afterAll(async () => {
  await stopProxy();
  await h?.close();
});

test('a member cluster lost after sync keeps its members and is reported; restored, it syncs again', async () => {
  await eventually('both members', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.22.0.1:1', '10.32.0.1:1'] }));
  const port = proxy!.port;
  await stopProxy();
  const lost = await eventually('c3 reported', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state?.includes('c3: cluster unreachable') === true);
  expect(lost.state).toMatch(/^success: gslb config accepted; member cluster problems: c3: cluster unreachable \(keeping its last known objects\)/);
  // c2 still flows; c3's last known member stays.
  await setMemberIngressVip(h.members[0]!, 'web', host(), '10.22.0.2');
  await eventually('c2 change applied', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.22.0.2:1', '10.32.0.1:1'] }));
  // c3 changes while AMKO cannot see it; once the path is back, the change arrives.
  await setMemberIngressVip(h.members[1]!, 'web', host(), '10.32.0.2');
  proxy = await startProxy(new URL(h.members[1]!.kc.getCurrentCluster()!.server), port);
  await eventually('c3 back', () => getStatus(h, 'gslbconfigs', 'v1alpha1', 'gc-1'), (s) => s.state === 'success: gslb config accepted', 60000);
  await eventually('c3 change applied', () => gslbService(h, host()), (g) => JSON.stringify(membersOf(g)) === JSON.stringify({ '10': ['10.22.0.2:1', '10.32.0.2:1'] }), 60000);
});
