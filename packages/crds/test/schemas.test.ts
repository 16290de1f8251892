// Unit: the sample CRs against the zod schemas (the same files are sent to a real apiserver in apiserver.test.ts).
import { parseCustomResource, findCrdKind } from '../src/index.js';
import { invalidFixtures, validFixtures } from './fixtures.js';

describe('valid fixtures parse', () => {
  it.each(validFixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const res = parseCustomResource(f.doc);
    if (!res.ok) throw new Error(res.error);
    expect(res.ok).toBe(true);
  });
});

describe('invalid fixtures are rejected for the named field', () => {
  it.each(invalidFixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const res = parseCustomResource(f.doc);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toContain(`${f.errorPath}:`);
  });
});

test('every kind has at least one valid and one invalid fixture', () => {
  const kinds = (fs: typeof validFixtures) => new Set(fs.map((f) => findCrdKind(f.doc.apiVersion, f.doc.kind)?.kind));
  const valid = kinds(validFixtures);
  const invalid = kinds(invalidFixtures);
  expect([...valid].sort()).toEqual([...invalid].sort());
  expect(valid.size).toBe(13);
});

describe('defaults are filled in as the apiserver does', () => {
  it.each([
    ['hostrule-v1alpha1-minimal.yaml', 'spec', { virtualhost: { fqdn: '*.wild.example.com', fqdnType: 'Wildcard' } }],
    [
      'l4rule.yaml',
      'spec.analyticsPolicy',
      { fullClientLogs: { enabled: true, throttle: 10, duration: 30 } },
    ],
    ['globaldeploymentpolicy.yaml', 'spec.trafficSplit', [
      { cluster: 'cluster1-admin', weight: 8, priority: 20 },
      { cluster: 'cluster2-admin', weight: 1, priority: 10 },
    ]],
    ['gslbhostrule.yaml', 'spec.trafficSplit', [
      { cluster: 'cluster1-admin', weight: 15, priority: 1 },
      { cluster: 'non-avi-site', weight: 5, priority: 3 },
    ]],
  ] as const)('%s %s', (file, path, expected) => {
    const f = validFixtures.find((v) => v.file === file)!;
    const res = parseCustomResource(f.doc);
    if (!res.ok) throw new Error(res.error);
    const got = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], res.value);
    expect(got).toEqual(expected);
  });
});

describe('parseCustomResource on things that are not our CRs', () => {
  it.each([
    ['null', null, 'must be an object'],
    ['array', [], 'must be an object'],
    ['no kind', { apiVersion: 'ako.vmware.com/v1beta1' }, 'apiVersion and kind must be strings'],
    ['other group', { apiVersion: 'v1', kind: 'Service' }, 'unknown custom resource v1 Service'],
    ['unserved version', { apiVersion: 'ako.vmware.com/v1', kind: 'HostRule' }, 'unknown custom resource'],
    ['kind of the other group', { apiVersion: 'amko.vmware.com/v1alpha1', kind: 'HostRule' }, 'unknown custom resource'],
  ])('%s', (_name, input, message) => {
    const res = parseCustomResource(input);
    expect(res).toEqual({ ok: false, error: expect.stringContaining(message) });
  });
});
