/**
 * Tenant per namespace (upstream docs/ako_tenancy.md, spec ako.md "Tenancy"): a Namespace annotated
 * `ako.vmware.com/tenant-name: <t>` has the Avi objects of its Ingresses and LoadBalancer Services in tenant <t>
 * (tenant_ref, the request's tenant), the others stay in AKO's tenant (ControllerSettings.tenantName); shard VSes of
 * the same name exist in each tenant, as separate units. Hand-written on the inputs of parity case c23 (Ingresses and
 * Services in namespace red, here without the AviInfraSetting) plus a namespace blue of our own; shard size SMALL.
 */
import { indexSnapshot, translate, translateUnit, translationUnits } from '../src/index.js';
import { caseConfig, caseObjects } from './parity-case.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const config = { ...caseConfig('c23-aviinfrasetting'), shardVSSize: 'SMALL' };
const c23 = caseObjects('c23-aviinfrasetting').filter((o) => o.kind !== 'AviInfraSetting' && !(o.kind === 'IngressClass' && o.metadata?.name === 'avi-infra'));
// Ingress inf without its class (the default avi-lb serves it), Service lb-infra without the infra annotation.
const base = c23.map((o) => {
  if (o.kind === 'Ingress' && o.metadata?.name === 'inf') return { ...o, spec: { ...(o.spec as object), ingressClassName: undefined } } as K8sObject;
  if (o.kind === 'Service' && o.metadata?.name === 'lb-infra') return { ...o, metadata: { ...o.metadata, annotations: {} } } as K8sObject;
  return o;
});
const tenantNs = (name: string, tenant?: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(tenant ? { annotations: { 'ako.vmware.com/tenant-name': tenant } } : {}) } }) as K8sObject;
const blue: K8sObject[] = [
  tenantNs('blue'),
  { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'blue', name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as K8sObject,
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace: 'blue', name: 'shop' },
    spec: { rules: [{ host: 'shop.par.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  } as K8sObject,
];
const objects = [...base.filter((o) => !(o.kind === 'Namespace' && o.metadata?.name === 'red')), tenantNs('red', 'team-b'), ...blue];
const r = translate(snapshotOf(objects), config);
const ofTenant = (t: string) => r.objects.filter((o) => o.tenant === t).map((o) => `${o.type}/${o.name}`).sort();

test('the Ingresses and Services of the annotated namespace are in its tenant, the others in AKO\'s', () => {
  // red (team-b): Ingresses inf (inf + TLS infs) and plain, Services lb-infra and lb-plain.
  expect(ofTenant('team-b')).toEqual(
    expect.arrayContaining(['virtualservice/par--Shared-L7-0', 'virtualservice/par--infs.par.test', 'sslkeyandcertificate/par--infs.par.test', 'virtualservice/par--red-lb-infra', 'virtualservice/par--red-lb-plain', 'pool/par--plain.par.test_-red-plain']),
  );
  // blue (no annotation): AKO's tenant admin, with a shard VS of the same name.
  expect(ofTenant('admin')).toEqual(['pool/par--shop.par.test_-blue-shop', 'poolgroup/par--Shared-L7-0', 'virtualservice/par--Shared-L7-0', 'vsdatascriptset/par--Shared-L7-0', 'vsvip/par--Shared-L7-0']);
  expect(r.objects.every((o) => o.tenant === 'admin' || o.tenant === 'team-b')).toBe(true);
});

test('each object names its tenant (tenant_ref, the autoFQDN of its shard), SNI children follow their parent', () => {
  for (const o of r.objects.filter((x) => x.tenant === 'team-b' && x.body.tenant_ref !== undefined)) expect([o.name, o.body.tenant_ref]).toEqual([o.name, '/api/tenant/?name=team-b']);
  const vip = r.objects.find((o) => o.tenant === 'team-b' && o.type === 'vsvip' && o.name === 'par--Shared-L7-0')!;
  expect((vip.body.dns_info as { fqdn: string }[]).map((d) => d.fqdn)).toContain('par--Shared-L7-0.team-b.avi.internal');
  const admin = r.objects.find((o) => o.tenant === 'admin' && o.type === 'vsvip' && o.name === 'par--Shared-L7-0')!;
  expect((admin.body.dns_info as { fqdn: string }[]).map((d) => d.fqdn)).toEqual(['par--Shared-L7-0.admin.avi.internal', 'shop.par.test']);
  expect(r.verdicts.filter((v) => !v.accepted)).toEqual([]);
});

test('the shard of each tenant is a unit of its own, and the units together give the full translation', () => {
  const idx = indexSnapshot(snapshotOf(objects));
  const units = translationUnits(idx, config);
  expect(units).toEqual(expect.arrayContaining(['L7/par--Shared-L7-0', 'L7/par--Shared-L7-0@team-b']));
  const all = units.flatMap((u) => translateUnit(idx, config, u).objects).map((o) => `${o.tenant}/${o.type}/${o.name}`).sort();
  expect(all).toEqual(r.objects.map((o) => `${o.tenant}/${o.type}/${o.name}`).sort());
});
