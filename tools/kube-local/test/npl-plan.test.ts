// The NodePortLocal agent's plan against Antrea's documented contract (antrea docs/node-port-local.md): which Pods
// and ports get a node port, the annotation's JSON, and the rules. Hand-written Services and Pods.
import { NPL_ANNOTATION, nplRuleset, planNpl, type NplPod, type NplService } from '../src/npl-plan.js';

const NODE = '10.88.0.1';
const svc = (name: string, extra: Partial<NplService['spec']> = {}, annotations: Record<string, string> = { 'nodeportlocal.antrea.io/enabled': 'true' }): NplService => ({
  metadata: { name, namespace: 'shop', annotations },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...extra },
});
const pod = (name: string, ip: string | undefined, extra: Partial<NplPod> = {}): NplPod => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { containers: [{ ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }] },
  status: { podIP: ip, phase: 'Running' },
  ...extra,
});

test('each selected Pod gets one entry per target port in Antrea 2.x form, from the start of 61000-62000, and a DNAT rule', () => {
  const plan = planNpl([pod('a', '10.88.0.5'), pod('b', '10.88.0.6')], [svc('web')], NODE, new Map());
  expect(plan.annotations.get('shop/a')).toBe('[{"podPort":8080,"nodeIP":"10.88.0.1","nodePort":61000,"protocol":"tcp"}]');
  expect(plan.annotations.get('shop/b')).toBe('[{"podPort":8080,"nodeIP":"10.88.0.1","nodePort":61001,"protocol":"tcp"}]');
  expect(plan.rules.map((r) => `${r.nodePort}/${r.protocol}->${r.podIP}:${r.podPort}`)).toEqual(['61000/tcp->10.88.0.5:8080', '61001/tcp->10.88.0.6:8080']);
  expect(nplRuleset('t', plan.rules)).toContain('ip daddr 10.88.0.1 tcp dport 61000 dnat to 10.88.0.5:8080');
});

test('named target ports resolve against the container ports with their protocol; TCP and UDP of a port are separate entries; SCTP is not mapped', () => {
  const s = svc('web', { ports: [{ port: 80, targetPort: 'http' }, { port: 53, targetPort: 'dns', protocol: 'UDP' }, { port: 54, targetPort: 'missing' }, { port: 9, targetPort: 8080, protocol: 'SCTP' }, { port: 81, targetPort: 8080, protocol: 'UDP' }] });
  const plan = planNpl([pod('a', '10.88.0.5')], [s], NODE, new Map());
  expect(JSON.parse(plan.annotations.get('shop/a')!)).toEqual([
    { podPort: 5353, nodeIP: NODE, nodePort: 61001, protocol: 'udp' },
    { podPort: 8080, nodeIP: NODE, nodePort: 61000, protocol: 'tcp' },
    { podPort: 8080, nodeIP: NODE, nodePort: 61002, protocol: 'udp' },
  ]);
});

test('no NPL without the annotation "true", for NodePort/ExternalName Services, without a selector, for Pods without an IP or finished; a Pod that carried it loses it', () => {
  const services = [
    svc('off', {}, { 'nodeportlocal.antrea.io/enabled': 'false' }),
    svc('np', { type: 'NodePort' }),
    svc('ext', { type: 'ExternalName' }),
    svc('nosel', { selector: {} }),
  ];
  const stale = pod('old', '10.88.0.7');
  stale.metadata!.annotations = { [NPL_ANNOTATION]: '[{"podPort":8080,"nodeIP":"10.88.0.1","nodePort":61000,"protocol":"tcp"}]' };
  const plan = planNpl([pod('a', '10.88.0.5'), stale], services, NODE, new Map());
  expect(plan.rules).toEqual([]);
  expect([...plan.annotations]).toEqual([['shop/old', null]]);
  const lb = planNpl([pod('pending', undefined), pod('done', '10.88.0.8', { status: { podIP: '10.88.0.8', phase: 'Succeeded' } })], [svc('lb', { type: 'LoadBalancer' })], NODE, new Map());
  expect(lb.rules).toEqual([]);
});

test('ports stay with their Pod across plans, a freed port is reused, and a full range leaves the rest unallocated', () => {
  const first = planNpl([pod('a', '10.88.0.5'), pod('b', '10.88.0.6')], [svc('web')], NODE, new Map());
  const second = planNpl([pod('b', '10.88.0.6'), pod('c', '10.88.0.9')], [svc('web')], NODE, first.allocations);
  expect(JSON.parse(second.annotations.get('shop/b')!)[0].nodePort).toBe(61001);
  expect(JSON.parse(second.annotations.get('shop/c')!)[0].nodePort).toBe(61000);
  const full = planNpl([pod('a', '10.88.0.5'), pod('b', '10.88.0.6')], [svc('web')], NODE, new Map(), { start: 61000, end: 61001 });
  expect(full.rules).toHaveLength(1);
  expect(full.unallocated).toEqual(['shop/b:8080/tcp']);
});
