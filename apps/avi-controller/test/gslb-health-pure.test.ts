// How a GSLB member's inputs combine (hand-written cases from the GslbService/GslbPool swagger descriptions:
// controller_health_status_enabled adds the controller-provided status, min_health_monitors_up is the number of
// inputs that must be up) and which probes a GslbService asks for (health_monitor_scope).
import { combineMemberState, wantedProbes } from '../src/gslb-health.js';
import { httpRequestText } from '../src/gslb-probe.js';

test.each([
  ['no monitors: the controller status stands', 'OPER_DOWN', [], undefined, 'OPER_DOWN'],
  ['no monitors, status disabled: up', undefined, [], 2, 'OPER_UP'],
  ['one monitor down, min 2 of 2', 'OPER_UP', [{ monitor: 'm', up: false, reason: 'm: refused' }], 2, 'OPER_DOWN'],
  ['one monitor down, min 1 of 2', 'OPER_UP', [{ monitor: 'm', up: false }], 1, 'OPER_UP'],
  ['controller down, min unset = all', 'OPER_DOWN', [{ monitor: 'm', up: true }], undefined, 'OPER_DOWN'],
  ['controller off, min 2 clamps to the 1 input', undefined, [{ monitor: 'm', up: true }], 2, 'OPER_UP'],
  ['not yet checked counts as up', 'OPER_UP', [{ monitor: 'm', up: undefined }], 2, 'OPER_UP'],
] as const)('%s', (_name, controller, monitors, min, want) => {
  expect(combineMemberState(controller, monitors, min).state).toBe(want);
});

test('a down member says why', () => {
  expect(combineMemberState('OPER_UP', [{ monitor: 'm', up: false, reason: 'm: refused' }], 2).reasons).toEqual(['m: refused']);
});

test('probes per member address and monitor; only non-Avi members with that scope; none when disabled', () => {
  const hm = { uuid: 'hm-1', name: 'h' };
  const gs = {
    domain_names: ['a.example.com'],
    health_monitor_refs: ['/api/healthmonitor/hm-1'],
    groups: [{ members: [{ ip: { addr: '127.0.0.1' }, vs_uuid: 'vs-1' }, { ip: { addr: '127.0.0.2' } }, { ip: { addr: '127.0.0.1' } }, { ip: { addr: '127.0.0.3' }, enabled: false }] }],
  };
  const of = (u: string) => (u === 'hm-1' ? hm : undefined);
  expect(wantedProbes(gs, of).map((p) => `${p.addr}/${p.fqdn}`)).toEqual(['127.0.0.1/a.example.com', '127.0.0.2/a.example.com']);
  expect(wantedProbes({ ...gs, health_monitor_scope: 'GSLB_SERVICE_HEALTH_MONITOR_ONLY_NON_AVI_MEMBERS' }, of).map((p) => p.addr)).toEqual(['127.0.0.2', '127.0.0.1']);
  expect(wantedProbes({ ...gs, enabled: false }, of)).toEqual([]);
  expect(wantedProbes({ ...gs, health_monitor_refs: [] }, of)).toEqual([]);
});

test('the HTTP monitor request: its line, Host of the service unless given, exact requests untouched', () => {
  expect(httpRequestText({ http_request: 'HEAD /x HTTP/1.0' }, 'a.example.com')).toBe('HEAD /x HTTP/1.0\r\nHost: a.example.com\r\nConnection: close\r\n\r\n');
  expect(httpRequestText({}, undefined)).toBe('GET / HTTP/1.0\r\nConnection: close\r\n\r\n');
  expect(httpRequestText({ http_request: 'GET / HTTP/1.1\r\nHost: other' }, 'a.example.com')).toBe('GET / HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n');
  expect(httpRequestText({ http_request: 'GET / HTTP/1.0', exact_http_request: true }, 'a.example.com')).toBe('GET / HTTP/1.0\r\n\r\n');
});
