// Ingress hosts outside the cloud's DNS sub-domains are not served (as the Go AKO: its DNS would not publish them);
// ours also rejects the Ingress with a reason naming the host and the sub-domains (the status stage makes it a
// Warning Event; the Go AKO only logs). Hand-written expectations.
import { DEFAULT_AKO_CONFIG, translate, type AkoConfig } from '../src/index.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';

const objects = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'avi-lb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ako.vmware.com/avi-lb' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'red' }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'ing', namespace: 'red' },
    spec: {
      rules: ['a.par.test', 'par.test', 'shop.avi.internal', 'x.example.org', 'evilpar.test'].map((host) => ({
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      })),
    },
  },
] as unknown as K8sObject[];

const cfg = (dnsDomains: string[]): AkoConfig => ({ ...DEFAULT_AKO_CONFIG, clusterName: 'par', dnsDomains });
const servedHosts = (c: AkoConfig) =>
  translate(snapshotOf(objects), c)
    .objects.filter((o) => o.type === 'vsvip')
    .flatMap((o) => ((o.body.dns_info as { fqdn: string }[] | undefined) ?? []).map((d) => d.fqdn))
    .filter((f) => !f.includes('Shared-L7'))
    .sort();

test('with sub-domains, only hosts that end in one are served; the Ingress verdict names the others and the sub-domains', () => {
  const c = cfg(['avi.internal', '.par.test']);
  expect(servedHosts(c)).toEqual(['a.par.test', 'par.test', 'shop.avi.internal']);
  const v = translate(snapshotOf(objects), c).verdicts.find((x) => x.kind === 'Ingress')!;
  expect(v.accepted).toBe(false);
  expect(v.reason).toBe(
    'host x.example.org is not in a DNS sub-domain of cloud Default-Cloud (avi.internal, par.test): not served; ' +
      'host evilpar.test is not in a DNS sub-domain of cloud Default-Cloud (avi.internal, par.test): not served',
  );
});

test('without sub-domains every host is served', () => {
  expect(servedHosts(cfg([]))).toEqual(['a.par.test', 'evilpar.test', 'par.test', 'shop.avi.internal', 'x.example.org']);
  expect(translate(snapshotOf(objects), cfg([])).verdicts.find((x) => x.kind === 'Ingress')!.accepted).toBe(true);
});
