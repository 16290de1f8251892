// HostRule tcpSettings, useRegex and applicationRootPath on a dedicated VS (shardVSSize DEDICATED) end to end: a real
// apiserver, the avi-controller with its data plane, AKO in NodePort mode. As the Go AKO's docs/crds/hostrule.md say:
// the dedicated VS listens on the rule's listeners at its loadBalancerIP, paths route by case-insensitive regex, `/`
// is redirected to the root path on the port it came on; the rule removed, the VS goes back to 80/443.
import { eventually, type Harness } from './harness.js';
import { avi, closeBed, createRule, deleteRule, hostRule, secureIngress, served, startBed, vipOf } from './hostrule-bed.js';

let h: Harness;
let ns: string;
let net: string;

beforeAll(async () => {
  ({ h, ns, net } = await startBed('hrd', 230, 20, 'DEDICATED'));
}, 180000);

afterAll(closeBed);

test('a dedicated VS: the rule (before the VS) sets its listeners and VIP; paths route by regex, / redirects on the port it came on; removed, back to 80/443', async () => {
  const host = 'ded.hrd.example.com';
  const vsName = `${h.clusterName}--${host}-L7-dedicated`;
  const staticIp = `${net}.248`;
  await createRule(ns, 'ded', { fqdn: host, useRegex: true, applicationRootPath: '/app', tcpSettings: { listeners: [{ port: 8080 }, { port: 8443, enableSSL: true }], loadBalancerIP: staticIp } });
  expect((await eventually('status', () => hostRule(ns, 'ded'), (r) => r.status?.status === 'Accepted')).status).toEqual({ status: 'Accepted', error: '' });
  await secureIngress('ded', host, [
    { path: '/', pathType: 'Exact', svc: 'my-app-1' },
    { path: '/v[0-9]+/.*', pathType: 'ImplementationSpecific', svc: 'my-app-0' },
  ]);
  expect(await vipOf('ded')).toBe(staticIp);
  expect((await avi('virtualservice', vsName))!.services).toEqual([
    { port: 8080, port_range_end: 8080, enable_ssl: false, enable_http2: false },
    { port: 8443, port_range_end: 8443, enable_ssl: true, enable_http2: false },
  ]);
  const want = { '/': `302 https://${host}:8443/app`, '/app': 'my-app-1', '/V2/x': 'my-app-0', '/v': '503' };
  await eventually('routes on 8443', () => served(staticIp, host, Object.keys(want), 8443), (s) => JSON.stringify(s) === JSON.stringify(want), 60000);
  await deleteRule(ns, 'ded');
  const back = await eventually('ports back', () => avi('virtualservice', vsName), (v) => (v?.services as { port: number }[] | undefined)?.[0]?.port === 80);
  expect(back!.services).toEqual([
    { port: 80, port_range_end: 80, enable_ssl: false, enable_http2: false },
    { port: 443, port_range_end: 443, enable_ssl: true, enable_http2: false },
  ]);
  // Without the rule: no redirect, plain prefixes (nothing begins with the regex).
  const plain = { '/': 'my-app-1', '/V2/x': '503' };
  await eventually('routes on 443', () => served(staticIp, host, Object.keys(plain), 443), (s) => JSON.stringify(s) === JSON.stringify(plain), 60000);
}, 120000);
