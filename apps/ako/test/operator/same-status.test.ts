/**
 * sameStatus: a unit's status part is queued for writing only when it differs from the last one. Hand-written cases;
 * "the same" is what equal JSON texts meant before (hostVsUuid compared in its keys' order).
 */
import { sameStatus } from '../../src/operator/status-stage.js';
import type { LoadBalancerStatus } from '../../src/operator/lb-status.js';

const base = (): LoadBalancerStatus => ({
  ingress: [
    { ip: '10.0.0.1', hostname: 'a.example.com' },
    { ip: '10.0.0.1', hostname: 'b.example.com' },
  ],
  hostVsUuid: { 'a.example.com': 'virtualservice-1', 'b.example.com': 'virtualservice-1' },
  tenant: 'admin',
});

test.each<[string, LoadBalancerStatus | undefined, boolean]>([
  ['an equal copy', base(), true],
  ['no part before', undefined, false],
  ['another tenant', { ...base(), tenant: 'red' }, false],
  ['one ingress entry fewer', { ...base(), ingress: base().ingress.slice(0, 1) }, false],
  ['another IP', { ...base(), ingress: [{ ip: '10.0.0.2', hostname: 'a.example.com' }, base().ingress[1]!] }, false],
  ['a hostname missing', { ...base(), ingress: [{ ip: '10.0.0.1' }, base().ingress[1]!] }, false],
  ['another VS uuid', { ...base(), hostVsUuid: { 'a.example.com': 'virtualservice-1', 'b.example.com': 'virtualservice-2' } }, false],
  ['a host fewer in the map', { ...base(), hostVsUuid: { 'a.example.com': 'virtualservice-1' } }, false],
  ['the map in another key order', { ...base(), hostVsUuid: { 'b.example.com': 'virtualservice-1', 'a.example.com': 'virtualservice-1' } }, false],
])('%s', (_, before, same) => {
  expect(sameStatus(before, base())).toBe(same);
});

test('an entry without hostname equals one whose hostname is undefined (as in JSON)', () => {
  const a: LoadBalancerStatus = { ingress: [{ ip: '10.0.0.1' }], hostVsUuid: {}, tenant: 'admin' };
  const b: LoadBalancerStatus = { ingress: [{ ip: '10.0.0.1', hostname: undefined }], hostVsUuid: {}, tenant: 'admin' };
  expect(sameStatus(a, b)).toBe(true);
});
