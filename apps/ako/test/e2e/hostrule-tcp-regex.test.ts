// HostRule useRegex, applicationRootPath and tcpSettings end to end: a real apiserver (the chart's CRDs), the
// avi-controller with its data plane, AKO in NodePort mode. Expected behaviour from the Go AKO's docs/crds/hostrule.md
// (its useRegex and applicationRootPath Ingress examples, "Custom Ports", "L7 Static IP") and its rejection texts:
// the VS/VsVip/policies change, traffic routes as the docs say, status Accepted or Rejected, and the rule removed,
// the VS goes back.
import { controllerWrites, eventually, type Harness } from './harness.js';
import { avi, closeBed, createRule, deleteRule, hostRule, secureIngress, served, startBed, vipOf } from './hostrule-bed.js';
import type { AkoHandle } from '../../src/operator/run.js';
import type * as k8s from '@kubernetes/client-node';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;
let net: string;
const HR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' };

beforeAll(async () => {
  ({ h, ns, ako, custom, net } = await startBed('hrx', 190, 40, 'SMALL'));
}, 180000);

afterAll(closeBed);

test('tcpSettings on the shard VS (Contains its name, before it exists): a loadBalancerIP outside the VIP network is Accepted and the VS fails (SyncError); fixed, listeners replace 80/443, traffic is served on the new port, the IP is the VIP; removed, back to 80/443', async () => {
  const host = 'tcp.hrx.example.com';
  const shard = `${h.clusterName}--Shared-L7-0`;
  const staticIp = `${net}.249`;
  // A VsVip's preferred IP cannot change once allocated (the controller answers 400 "please recreate the VIP"), so
  // the rule comes before the shard VS does. First an IP outside the VIP network: as the docs say, the rule is
  // Accepted nonetheless and the VS cannot be configured (the controller refuses the VIP; a SyncError on the Ingress).
  const listeners = [{ port: 80 }, { port: 8443, enableSSL: true }];
  await createRule(h.akoNamespace, 'tcp', { fqdn: 'Shared-L7-0', fqdnType: 'Contains', tcpSettings: { listeners, loadBalancerIP: '10.99.0.1' } });
  expect((await eventually('status', () => hostRule(h.akoNamespace, 'tcp'), (r) => r.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  await secureIngress('tcp', host, [{ path: '/', pathType: 'Prefix', svc: 'my-app-1' }]);
  const ingEvents = () => h.core.listNamespacedEvent({ namespace: ns }).then((l) => l.items.filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === 'tcp'));
  const errs = await eventually('SyncError on the Ingress', ingEvents, (es) => es.some((e) => e.reason === 'SyncError'));
  expect(errs.find((e) => e.reason === 'SyncError')!.message).toContain('vsvip');
  expect(await avi('virtualservice', shard)).toBeUndefined();
  // The IP fixed in the rule: the shard is created on it.
  const rule = (await custom.getNamespacedCustomObject({ ...HR, namespace: h.akoNamespace, name: 'tcp' })) as Record<string, unknown>;
  await custom.replaceNamespacedCustomObject({ ...HR, namespace: h.akoNamespace, name: 'tcp', body: { ...rule, spec: { virtualhost: { fqdn: 'Shared-L7-0', fqdnType: 'Contains', tcpSettings: { listeners, loadBalancerIP: staticIp } } } } });
  expect(await vipOf('tcp')).toBe(staticIp);
  const vs = (await avi('virtualservice', shard))!;
  expect(vs.services).toEqual([
    { port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false },
    { port: 8443, port_range_end: 8443, enable_ssl: true, enable_http2: false },
  ]);
  expect(((await avi('vsvip', shard))!.vip as { ip_address: unknown }[])[0]!.ip_address).toEqual({ addr: staticIp, type: 'V4' });
  await eventually('served on 8443', () => served(staticIp, host, ['/x'], 8443), (s) => s['/x'] === 'my-app-1');
  expect((await served(staticIp, host, ['/x'], 443))['/x']).not.toBe('my-app-1');
  // The shard's last host goes: the shard is kept (as the Go AKO keeps it), and so are its rule's listeners and VIP.
  const ing = await h.networking.readNamespacedIngress({ name: 'tcp', namespace: ns });
  await h.networking.deleteNamespacedIngress({ name: 'tcp', namespace: ns });
  await eventually('the host\'s SNI child deleted', () => avi('virtualservice', `${h.clusterName}--${host}`), (v) => v === undefined);
  await ako.idle();
  const kept = (await avi('virtualservice', shard))!;
  expect((kept.services as { port: number }[]).map((x) => x.port)).toEqual([80, 8443]);
  expect(((await avi('vsvip', shard))!.vip as { ip_address: unknown }[])[0]!.ip_address).toEqual({ addr: staticIp, type: 'V4' });
  await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: 'tcp' }, spec: ing.spec! } });
  expect(await vipOf('tcp')).toBe(staticIp);
  await deleteRule(h.akoNamespace, 'tcp');
  const back = await eventually('ports back', () => avi('virtualservice', shard), (v) => (v?.services as { port: number }[] | undefined)?.[1]?.port === 443);
  expect(back!.services).toEqual([
    { port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false },
    { port: 443, port_range_end: 443, enable_ssl: true, enable_http2: false },
  ]);
  const ip = await vipOf('tcp');
  await eventually('served on 443', () => served(ip, host, ['/x'], 443), (s) => s['/x'] === 'my-app-1', 60000);
}, 120000);

test('useRegex (the docs example): paths are case-insensitive regular expressions, the longest match wins; removed, plain prefixes again', async () => {
  const host = 'test-avi.hrx.example.com';
  await secureIngress('rx', host, [
    { path: '/bar.*', pathType: 'ImplementationSpecific', svc: 'my-app-0' },
    { path: '/bar/foo', pathType: 'ImplementationSpecific', svc: 'my-app-1' },
  ]);
  const ip = await vipOf('rx');
  // Without the rule the paths are plain prefixes: nothing begins with "/bar.*" (503: no pool for the request).
  const plain = { '/bar/foo': 'my-app-1', '/bar/baz': '503', '/BAR/baz': '503' };
  await eventually('plain routes', () => served(ip, host, Object.keys(plain)), (s) => JSON.stringify(s) === JSON.stringify(plain));
  await createRule(ns, 'rx', { fqdn: host, fqdnType: 'Exact', useRegex: true });
  const regex = { '/bar/foo': 'my-app-1', '/bar/baz': 'my-app-0', '/BAR/baz': 'my-app-0' };
  await eventually('regex routes', () => served(ip, host, Object.keys(regex)), (s) => JSON.stringify(s) === JSON.stringify(regex), 60000);
  expect((await eventually('status', () => hostRule(ns, 'rx'), (r) => r.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  const rules = ((await avi('httppolicyset', `${h.clusterName}--${ns}-${host}`))!.http_request_policy as { rules: { match: { path: Record<string, unknown> } }[] }).rules;
  expect(rules.map((r) => [r.match.path.match_criteria, r.match.path.match_case])).toEqual([
    ['REGEX_MATCH', 'INSENSITIVE'],
    ['REGEX_MATCH', 'INSENSITIVE'],
  ]);
  await deleteRule(ns, 'rx');
  await eventually('plain routes again', () => served(ip, host, Object.keys(plain)), (s) => JSON.stringify(s) === JSON.stringify(plain), 60000);
  await ako.idle();
  const groups = (await h.avi.list('stringgroup')).results.filter((g) => String(g.name).startsWith(`ako-${h.clusterName}-`));
  expect(groups).toEqual([]);
}, 120000);

test('applicationRootPath (the docs example): / is redirected to the root path, which the / backend serves; other paths as before', async () => {
  const host = 'root.hrx.example.com';
  await secureIngress('root', host, [
    { path: '/bar', pathType: 'ImplementationSpecific', svc: 'my-app-0' },
    { path: '/', pathType: 'Exact', svc: 'my-app-1' },
  ]);
  const ip = await vipOf('root');
  const before = { '/': 'my-app-1', '/bar': 'my-app-0', '/foo': '503' };
  await eventually('routes', () => served(ip, host, Object.keys(before)), (s) => JSON.stringify(s) === JSON.stringify(before));
  await createRule(ns, 'root', { fqdn: host, applicationRootPath: '/foo' });
  const want = { '/': `302 https://${host}/foo`, '/?q=1': `302 https://${host}/foo?q=1`, '/foo': 'my-app-1', '/bar': 'my-app-0' };
  await eventually('redirected', () => served(ip, host, Object.keys(want)), (s) => JSON.stringify(s) === JSON.stringify(want), 60000);
  expect((await eventually('status', () => hostRule(ns, 'root'), (r) => r.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  await deleteRule(ns, 'root');
  await eventually('routes again', () => served(ip, host, Object.keys(before)), (s) => JSON.stringify(s) === JSON.stringify(before), 60000);
}, 120000);

test('invalid tcpSettings are Rejected with the Go AKO texts and change nothing', async () => {
  const shard = `${h.clusterName}--Shared-L7-0`;
  const vs = await eventually('shard VS', () => avi('virtualservice', shard), (v) => v !== undefined);
  await createRule(h.akoNamespace, 'bad-ip', { fqdn: 'Shared-L7-0', fqdnType: 'Contains', tcpSettings: { loadBalancerIP: '10.1.1' } });
  await createRule(h.akoNamespace, 'no-ssl', { fqdn: 'Shared-L7-0', fqdnType: 'Contains', tcpSettings: { listeners: [{ port: 8080 }] } });
  expect((await eventually('bad-ip', () => hostRule(h.akoNamespace, 'bad-ip'), (r) => r.status?.status === 'Rejected')).status).toEqual({ status: 'Rejected', error: 'loadBalancerIP 10.1.1 is not a valid IP' });
  expect((await eventually('no-ssl', () => hostRule(h.akoNamespace, 'no-ssl'), (r) => r.status?.status === 'Rejected')).status).toEqual({ status: 'Rejected', error: 'Hosting parent virtualservice must have SSL enabled' });
  await ako.idle();
  expect((await avi('virtualservice', shard))!._last_modified).toBe(vs!._last_modified);
  await deleteRule(h.akoNamespace, 'bad-ip');
  await deleteRule(h.akoNamespace, 'no-ssl');
}, 60000);


test('a restart with the rules in place (string groups, root redirects, shard listeners) writes nothing', async () => {
  const shard = `${h.clusterName}--Shared-L7-0`;
  await createRule(ns, 'rx2', { fqdn: 'test-avi.hrx.example.com', useRegex: true });
  await createRule(ns, 'root2', { fqdn: 'root.hrx.example.com', applicationRootPath: '/foo' });
  await createRule(h.akoNamespace, 'tcp2', { fqdn: 'Shared-L7-0', fqdnType: 'Contains', tcpSettings: { listeners: [{ port: 80 }, { port: 443, enableSSL: true }, { port: 8443, enableSSL: true }] } });
  await eventually('listeners', () => avi('virtualservice', shard), (v) => (v?.services as unknown[] | undefined)?.length === 3);
  await eventually('string groups', async () => (await h.avi.list('stringgroup')).results.filter((g) => String(g.name).startsWith(`ako-${h.clusterName}-`)), (l) => l.length === 2);
  await ako.idle();
  await ako.stop();
  const before = await controllerWrites(h);
  ako = await h.start();
  await ako.ready;
  await ako.idle();
  expect(await controllerWrites(h)).toBe(before);
}, 90000);
