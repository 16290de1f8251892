// HostRule end to end on a real apiserver (the chart's ako.vmware.com CRDs) and the avi-controller: an accepted rule
// changes the SNI child VS (WAF policy, application profile, aliases in vh_domain_name and the redirect), its status
// says Accepted; a rule naming an Avi object the controller lacks is Rejected with the reason and a Warning Event and
// changes nothing; the rule removed, the VS goes back.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { installCrds } from '@avi-k8s/crds';
import { createSecureIngress, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ns: string;
let ako: AkoHandle;
let custom: k8s.CustomObjectsApi;

const HR = { group: 'ako.vmware.com', version: 'v1beta1', plural: 'hostrules' };
const hostA = 'a.hr.example.com';
const hostB = 'b.hr.example.com';

const child = (host: string) => h.avi.getByName('virtualservice', `${h.clusterName}--${host}`, { includeName: true }) as Promise<AviBody | undefined>;
const hostRule = (name: string) => custom.getNamespacedCustomObject({ ...HR, namespace: ns, name }) as Promise<{ status?: { status?: string; error?: string } }>;
const createRule = (name: string, virtualhost: Record<string, unknown>) =>
  custom.createNamespacedCustomObject({ ...HR, namespace: ns, body: { apiVersion: 'ako.vmware.com/v1beta1', kind: 'HostRule', metadata: { name }, spec: { virtualhost } } });

beforeAll(async () => {
  h = await harness('hr');
  await installCrds(h.kc, 'ako');
  custom = h.kc.makeApiClient(k8s.CustomObjectsApi);
  ns = await h.appNamespace('hr-apps');
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  // The Avi objects the rule names, made on the controller by its admin (as a team switching from the Go AKO has them).
  await h.avi.request('POST', '/api/wafpolicy', { body: { name: 'team-waf' } });
  await h.avi.request('POST', '/api/applicationprofile', { body: { name: 'team-http', type: 'APPLICATION_PROFILE_TYPE_HTTP', http_profile: {} } });
  await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await createSecureIngress(h, ns, 'a', hostA);
  await createSecureIngress(h, ns, 'b', hostB);
  ako = await h.start();
  await ako.ready;
  await eventually('SNI children', async () => [await child(hostA), await child(hostB)], (l) => l.every((v) => v !== undefined));
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('an accepted HostRule sets WAF, application profile and aliases on the SNI child; status Accepted', async () => {
  const before = (await child(hostA))!;
  expect(before.waf_policy_ref).toBeUndefined();
  await createRule('rule-a', { fqdn: hostA, wafPolicy: 'team-waf', applicationProfile: 'team-http', aliases: [`alias.${hostA}`] });
  const vs = await eventually('VS with the rule', () => child(hostA), (v) => String(v?.waf_policy_ref ?? '').endsWith('#team-waf'));
  expect(String(vs!.application_profile_ref)).toMatch(/#team-http$/);
  expect(vs!.vh_domain_name).toEqual([hostA, `alias.${hostA}`].sort());
  expect(vs!.enabled).toBe(true);
  const redirect = (await h.avi.getByName('httppolicyset', `${h.clusterName}--Shared-L7-${shardOf(String(vs!.vh_parent_vs_ref))}`)) as AviBody;
  const hosts = ((redirect.http_request_policy as { rules: { match: { host_hdr: { value: string[] } } }[] }).rules ?? []).flatMap((r) => r.match.host_hdr.value);
  expect(hosts).toContain(`alias.${hostA}`);
  const hr = await eventually('HostRule status', () => hostRule('rule-a'), (r) => r.status?.status === 'Accepted');
  expect(hr.status).toEqual({ status: 'Accepted', error: '' });
});

test('a HostRule naming an Avi object the controller lacks is Rejected with a Warning Event and changes nothing', async () => {
  const before = (await child(hostB))!;
  await createRule('rule-b', { fqdn: hostB, wafPolicy: 'no-such-waf' });
  const hr = await eventually('HostRule status', () => hostRule('rule-b'), (r) => r.status?.status === 'Rejected');
  expect(hr.status).toEqual({ status: 'Rejected', error: 'wafpolicy "no-such-waf" not found on controller' });
  const events = await eventually(
    'Rejected Event',
    async () => (await h.core.listNamespacedEvent({ namespace: ns })).items.filter((e) => e.involvedObject.kind === 'HostRule' && e.involvedObject.name === 'rule-b'),
    (es) => es.some((e) => e.reason === 'Rejected'),
  );
  expect(events.find((e) => e.reason === 'Rejected')!.type).toBe('Warning');
  await ako.idle();
  const after = (await child(hostB))!;
  expect(after._last_modified).toBe(before._last_modified);
  expect(after.waf_policy_ref).toBeUndefined();
});

test('once the Avi object it names exists on the controller, the rejected HostRule is accepted without a change of the rule', async () => {
  await h.avi.request('POST', '/api/wafpolicy', { body: { name: 'no-such-waf' } });
  const hr = await eventually('HostRule status', () => hostRule('rule-b'), (r) => r.status?.status === 'Accepted', 60000);
  expect(hr.status).toEqual({ status: 'Accepted', error: '' });
  const vs = await eventually('VS with the rule', () => child(hostB), (v) => String(v?.waf_policy_ref ?? '').endsWith('#no-such-waf'));
  expect(vs).toBeDefined();
});

test('the HostRule removed, the SNI child goes back to what the Ingress alone asks for', async () => {
  await custom.deleteNamespacedCustomObject({ ...HR, namespace: ns, name: 'rule-a' });
  const vs = await eventually('VS without the rule', () => child(hostA), (v) => v !== undefined && v.waf_policy_ref === undefined);
  expect(vs!.vh_domain_name).toEqual([hostA]);
  expect(String(vs!.application_profile_ref)).toMatch(/#System-Secure-HTTP$/);
});

function shardOf(parentRef: string): string {
  return /Shared-L7-(\d+)$/.exec(parentRef)?.[1] ?? '';
}
