// At boot, a body read after its unit was translated is compared on arrival against an expectation (the desired
// body's shape and a hash of it, apps/ako/src/operator/adopt.ts) instead of the desired body: it must decide as
// the comparison of bodies does. Hand-written cases: the controller's answer with its defaults and uuid refs, and
// drift of each kind the comparison finds.
import type { AviBody, DesiredObject, ObservedObject } from '@avi-k8s/avi-sync';
import { adoptExpected, adoptUpToDate, createShapeTable, expectation } from '../../src/operator/adopt.js';

const desired: DesiredObject = {
  tenant: 'admin',
  type: 'pool',
  name: 'c--ns-web-TCP-80',
  checksum: '111',
  body: {
    name: 'c--ns-web-TCP-80',
    cloud_config_cksum: '111',
    cloud_ref: '/api/cloud?name=Default-Cloud',
    servers: [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 8080 }],
    markers: [{ key: 'clustername', values: ['c'] }],
  },
};

/** As the controller returns it: uuid refs with the name after '#', its defaults, our checksum field. */
const stored: AviBody = {
  uuid: 'pool-1',
  name: 'c--ns-web-TCP-80',
  cloud_config_cksum: '111',
  cloud_ref: 'https://ctl/api/cloud/cloud-uuid#Default-Cloud',
  tenant_ref: 'https://ctl/api/tenant/admin#admin',
  servers: [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 8080, enabled: true, ratio: 1 }],
  markers: [{ key: 'clustername', values: ['c'] }],
  lb_algorithm: 'LB_ALGORITHM_LEAST_CONNECTIONS',
};
const observed = (body: AviBody, checksum = '111'): ObservedObject => ({ tenant: 'admin', type: 'pool', name: desired.name, uuid: 'pool-1', checksum, body });

const cases: [string, AviBody, string | undefined, string | null][] = [
  // [what, stored body, stored checksum, checksum after the comparison (null: none, it is rewritten)]
  ['the same content with the controller defaults and uuid refs', stored, '111', '111'],
  ['a server address changed, our checksum kept', { ...stored, servers: [{ ip: { addr: '10.0.0.9', type: 'V4' }, port: 8080 }] }, '111', null],
  ['a server more, our checksum kept', { ...stored, servers: [...(stored.servers as unknown[]), { ip: { addr: '10.0.0.2', type: 'V4' }, port: 8080 }] }, '111', null],
  ['a ref to another cloud, our checksum kept', { ...stored, cloud_ref: 'https://ctl/api/cloud/c2#Other' }, '111', null],
  ['a marker value changed, our checksum kept', { ...stored, markers: [{ key: 'clustername', values: ['d'] }] }, '111', null],
  ['another checksum (the Go AKO) with our content: adopted', { ...stored, cloud_config_cksum: '999' }, '999', '111'],
  ['another checksum and other content: left as it is', { ...stored, servers: [] }, '999', '999'],
];

test.each(cases)('%s', (_what, body, checksum, after) => {
  const o = observed(body, checksum);
  const byExpectation = adoptExpected(expectation(desired), o);
  const byBodies = adoptUpToDate([desired], [o])[0]!;
  expect(byExpectation.checksum ?? null).toBe(after);
  expect(byBodies.checksum ?? null).toBe(after);
  // With the shape shared through a table (as at boot, where another object of the same structure made it first).
  const shapes = createShapeTable();
  expectation({ ...desired, name: 'other', body: { ...desired.body, name: 'other', servers: [{ ip: { addr: '10.0.0.7', type: 'V4' }, port: 80 }] } }, shapes);
  expect(adoptExpected(expectation(desired, shapes), o).checksum ?? null).toBe(after);
});

test('expectations of bodies with one structure share one shape; another structure gets its own', () => {
  const shapes = createShapeTable();
  const other = (name: string, servers: unknown[]): DesiredObject => ({ ...desired, name, body: { ...desired.body, name, servers } });
  const a = expectation(other('a', [{ ip: { addr: '10.0.0.1', type: 'V4' }, port: 80 }]), shapes);
  const b = expectation(other('b', [{ ip: { addr: '10.0.0.2', type: 'V4' }, port: 81 }]), shapes);
  const c = expectation(other('c', [{ ip: { addr: '10.0.0.3', type: 'V4' }, port: 82 }, { ip: { addr: '10.0.0.4', type: 'V4' }, port: 82 }]), shapes);
  expect(b.shape).toBe(a.shape);
  expect(c.shape).not.toBe(a.shape);
  expect(c.shape).toEqual(expectation(other('c', [{ ip: { addr: '10.0.0.3', type: 'V4' }, port: 82 }, { ip: { addr: '10.0.0.4', type: 'V4' }, port: 82 }])).shape);
  // The same hashes as without the table: only the shape objects are shared.
  expect(a.hash).not.toBe(b.hash);
  expect(b.hash).toBe(expectation(other('b', [{ ip: { addr: '10.0.0.2', type: 'V4' }, port: 81 }])).hash);
});

test('a field we send only sometimes, set on the stored object while we do not send it: rewritten', () => {
  const pg: DesiredObject = { tenant: 'admin', type: 'poolgroup', name: 'pg', checksum: '5', body: { name: 'pg', cloud_config_cksum: '5' } };
  const o: ObservedObject = { tenant: 'admin', type: 'poolgroup', name: 'pg', uuid: 'pg-1', checksum: '5', body: { name: 'pg', cloud_config_cksum: '5', members: [{ pool_ref: '/api/pool/p#p' }] } };
  expect(adoptExpected(expectation(pg), o).checksum).toBeUndefined();
  expect(adoptExpected(expectation(pg), { ...o, body: { name: 'pg', cloud_config_cksum: '5', members: [] } }).checksum).toBe('5');
});
