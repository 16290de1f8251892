// Tenant per namespace end to end (upstream docs/ako_tenancy.md), with the controller's tenant checks in force: AKO
// runs as an Avi user that is not a superuser, reads in all tenants (Read-Only) and writes as Tenant-Admin in admin
// and team-b only. A namespace annotated ako.vmware.com/tenant-name: team-b gets its Ingress's shard VS and its
// LoadBalancer Service's VS in tenant team-b (and that tenant in the status annotation); a namespace without the
// annotation stays in AKO's tenant admin; a namespace naming team-c, where the user may not write, gets nothing there:
// the controller refuses the writes (403) and its Ingress and Service get a Warning Event with the controller's words.
import * as k8s from '@kubernetes/client-node';
import type { AviBody } from '@avi-k8s/avi-sync';
import { createLbService, eventually, harness, type Harness } from './harness.js';
import type { AkoHandle } from '../../src/operator/run.js';

let h: Harness;
let ako: AkoHandle;
const ns: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const host = (k: string) => `${k}.tenancy.example.com`;
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const USER = { username: 'ako-tenants', password: 'Pw-ako-tenants-1' };

const vsNames = async (tenant: string) =>
  (((await h.avi.request('GET', '/api/virtualservice', { tenant, query: { page_size: '100' } })) as { results?: AviBody[] }).results ?? []).map((v) => String(v.name)).sort();
const ingress = (k: 'a' | 'b' | 'c') => h.networking.readNamespacedIngress({ name: 'web', namespace: ns[k] });

async function apps(k: 'a' | 'b' | 'c', tenant?: string) {
  ns[k] = await h.appNamespace(`tn-${k}`);
  if (tenant) await h.core.patchNamespace({ name: ns[k], body: { metadata: { annotations: { 'ako.vmware.com/tenant-name': tenant } } } }, merge);
  await h.core.createNamespacedService({ namespace: ns[k], body: { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 as never }] } } });
  await h.networking.createNamespacedIngress({
    namespace: ns[k],
    body: {
      metadata: { name: 'web' },
      spec: { ingressClassName: 'avi-lb', rules: [{ host: host(k), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  });
  await createLbService(h, ns[k], 'lb', [{ port: 80, targetPort: 8080 }], ['10.244.9.1']);
}

beforeAll(async () => {
  h = await harness('tenancy');
  for (const t of ['team-b', 'team-c']) await h.avi.request('POST', '/api/tenant', { body: { name: t, config_settings: { se_in_provider_context: true, tenant_access_to_provider_se: true } } });
  await h.avi.request('POST', '/api/user', {
    body: {
      name: USER.username,
      username: USER.username,
      password: USER.password,
      access: [
        { all_tenants: true, role_ref: '/api/role?name=Read-Only' },
        { tenant_ref: '/api/tenant?name=admin', role_ref: '/api/role?name=Tenant-Admin' },
        { tenant_ref: '/api/tenant?name=team-b', role_ref: '/api/role?name=Tenant-Admin' },
      ],
      default_tenant_ref: '/api/tenant?name=admin',
    },
  });
  // AKO logs in as that user (its Secret avi-secret).
  await h.core.replaceNamespacedSecret({
    name: 'avi-secret',
    namespace: h.akoNamespace,
    body: { metadata: { name: 'avi-secret' }, stringData: { username: USER.username, password: USER.password, certificateAuthorityData: h.ctl.caPem } },
  });
  await h.networking
    .createIngressClass({ body: { metadata: { name: 'avi-lb' }, spec: { controller: 'ako.vmware.com/avi-lb' } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  await apps('a');
  await apps('b', 'team-b');
  await apps('c', 'team-c');
  ako = await h.start();
  await ako.ready;
}, 180000);

afterAll(async () => {
  await h?.close();
});

test('the namespace annotated team-b: its Ingress\'s shard VS and its Service\'s VS are in tenant team-b, and its status says so', async () => {
  const names = await eventually('VSes in team-b', () => vsNames('team-b'), (l) => l.includes(`${h.clusterName}--${ns.b}-lb`) && l.some((n) => n.startsWith(`${h.clusterName}--Shared-L7-`)));
  // Only what namespace b serves: its L4 VS and one shard VS.
  expect(names.filter((n) => !n.startsWith(`${h.clusterName}--Shared-L7-`))).toEqual([`${h.clusterName}--${ns.b}-lb`]);
  const shard = names.find((n) => n.startsWith(`${h.clusterName}--Shared-L7-`))!;
  const vs = (await h.avi.request('GET', '/api/virtualservice', { tenant: 'team-b', query: { name: shard, include_name: 'true' } })) as { results: AviBody[] };
  expect(String(vs.results[0]!.tenant_ref)).toMatch(/#team-b$/);
  const ing = await eventually('Ingress b status', () => ingress('b'), (i) => (i.status?.loadBalancer?.ingress ?? []).length > 0);
  expect(ing.metadata?.annotations?.['ako.vmware.com/tenant-name']).toBe('team-b');
  const svc = await eventually('Service b status', () => h.core.readNamespacedService({ name: 'lb', namespace: ns.b }), (s) => (s.status?.loadBalancer?.ingress ?? []).length > 0);
  expect(svc.metadata?.annotations?.['ako.vmware.com/tenant-name']).toBe('team-b');
});

test('the namespace without the annotation stays in AKO\'s tenant admin', async () => {
  const ing = await eventually('Ingress a status', () => ingress('a'), (i) => (i.status?.loadBalancer?.ingress ?? []).length > 0);
  expect(ing.metadata?.annotations?.['ako.vmware.com/tenant-name']).toBe('admin');
  const admin = await vsNames('admin');
  expect(admin).toContain(`${h.clusterName}--${ns.a}-lb`);
  expect(admin.some((n) => n.startsWith(`${h.clusterName}--Shared-L7-`))).toBe(true);
  expect(admin).not.toContain(`${h.clusterName}--${ns.b}-lb`);
});

test('the namespace naming team-c, where AKO may not write: nothing there, Warning Events with the controller\'s refusal', async () => {
  const refused = (kind: string, name: string) =>
    eventually(
      `${kind} c Warning Event`,
      async () => (await h.core.listNamespacedEvent({ namespace: ns.c })).items.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name && e.type === 'Warning'),
      (es) => es.some((e) => (e.message ?? '').includes(`is not authorized to write`) && (e.message ?? '').includes('team-c')),
    );
  await refused('Service', 'lb');
  await refused('Ingress', 'web');
  await ako.idle();
  expect(await vsNames('team-c')).toEqual([]);
  expect((await ingress('c')).status?.loadBalancer?.ingress ?? []).toEqual([]);
});
