/**
 * Synced / Removed Events in the Go AKO's wording: the messages are the ones the Go AKO 2.2.1 wrote in the recorded
 * cases (test/parity/<case>/go-events.json), for the status change the case made.
 */
import type * as k8s from '@kubernetes/client-node';
import { syncEvents } from '../../src/operator/reconciler.js';
import { keyOf } from '@avi-k8s/avi-sync';
import { translate } from '../../src/index.js';
import { loadBalancerStatuses } from '../../src/operator/lb-status.js';
import { caseConfig, caseFile, caseObjects, caseSnapshot } from '../parity-case.js';

interface GoEvent {
  reason: string;
  type: string;
  message: string;
  involvedObject: { kind: string; name?: string; namespace?: string };
}
const goEvents = (c: string, f = 'go-events.json'): GoEvent[] => (JSON.parse(caseFile(c, f)!) as GoEvent[]).filter((e) => e.involvedObject.kind !== 'Pod');
const messages = (es: GoEvent[], kind: string, name: string) =>
  es.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name).map((e) => [e.reason, e.message]).sort();
const obj = (name: string, map: Record<string, string> | undefined): k8s.V1Ingress => ({
  metadata: { name, namespace: 'red', ...(map ? { annotations: { 'ako.vmware.com/host-fqdn-vs-uuid-map': JSON.stringify(map) } } : {}) },
});
const names = new Map([
  ['vs-web', 'par--red-web'],
  ['vs-5', 'par--Shared-L7-5'],
  ['vs-6', 'par--Shared-L7-6'],
]);

test('a Service gets its VS: "Added virtualservice <vs> for <service>" (c01)', () => {
  const out = syncEvents('Service/red/web', obj('web', undefined), { hostVsUuid: { 'web.red.avi.internal': 'vs-web' } }, names);
  expect(out.map(([, , reason, message]) => [reason, message])).toEqual(messages(goEvents('c01-l4-tcp'), 'Service', 'web'));
});

test('an Ingress with two hosts: one Synced per host (c11)', () => {
  const out = syncEvents('Ingress/red/multi', obj('multi', undefined), { hostVsUuid: { 'a.par.test': 'vs-5', 'b.par.test': 'vs-6' } }, names);
  expect(out.map(([, , reason, message]) => [reason, message]).sort()).toEqual(messages(goEvents('c11-ingress-multi'), 'Ingress', 'multi'));
});

test('a host leaves the Ingress: "Removed virtualservice for <host>" (c20 step 3)', () => {
  const before = { 'a.par.test': 'vs-5', 'b.par.test': 'vs-6' };
  const out = syncEvents('Ingress/red/multi', obj('multi', before), { hostVsUuid: { 'a.par.test': 'vs-5' } }, names);
  const removed = messages(goEvents('c20-update-seq', 'go-step3-delete-host-b-events.json'), 'Ingress', 'multi').filter(([r]) => r === 'Removed');
  expect(out.map(([, , reason, message]) => [reason, message])).toEqual(removed);
  // Unchanged hosts get no new Event (the Go AKO repeats its Synced Event on every status update).
  expect(out.some(([, , reason]) => reason === 'Synced')).toBe(false);
});

test('EVH (c27): each host is Synced on its EVH child (SHA1-encoded name), the LoadBalancer Service on its encoded VS', () => {
  const result = translate(caseSnapshot(caseObjects('c27-evh'), 'c27-evh'), caseConfig('c27-evh'));
  // As on the controller: every VS a uuid, every VsVip an address.
  const uuids = new Map(result.objects.filter((o) => o.type === 'virtualservice').map((o) => [keyOf(o), `uuid-${o.name}`]));
  const vips = new Map(result.objects.filter((o) => o.type === 'vsvip').map((o, i) => [keyOf(o), { ip: `127.100.0.${10 + i}`, fqdns: [] }]));
  const statuses = loadBalancerStatuses(result.objects, uuids, vips);
  const vsNames = new Map([...uuids].map(([k, u]) => [u, k.split('/')[2]!]));
  const ing = syncEvents('Ingress/red/evh', obj('evh', undefined), statuses.get('Ingress/red/evh')!, vsNames);
  expect(ing.map(([, , reason, message]) => [reason, message]).sort()).toEqual(messages(goEvents('c27-evh'), 'Ingress', 'evh'));
  const svc = syncEvents('Service/red/web', obj('web', undefined), statuses.get('Service/red/web')!, vsNames);
  expect(svc.map(([, , reason, message]) => [reason, message])).toEqual(messages(goEvents('c27-evh'), 'Service', 'web'));
});
