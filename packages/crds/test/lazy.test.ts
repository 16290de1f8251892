// Importing the package builds no schema; a kind's schemas are built when one of them is first used, and using one
// kind builds none of the others (issue 15: AMKO reads 4 of the 13 kinds). zod 4 keeps a z.lazy's built schema on
// its def as `_cachedInner` (zod/v4/core/schemas.js, $ZodLazy): the check below reads it, and fails (rather than
// passes) if zod ever keeps it elsewhere, since the first case expects it set after a parse.
import type { z } from 'zod';
import { CRD_KINDS, globalDeploymentPolicySpecSchema, gslbConfigSpecSchema, hostRuleSchema, parseWith } from '../src/index.js';

function built(schema: z.ZodType): boolean {
  const def = schema._zod.def as { type: string; _cachedInner?: unknown };
  expect(def.type).toBe('lazy');
  return def._cachedInner !== undefined;
}

// One file, one module registry (jest): nothing else in this process has used the schemas before these tests.
test('no schema is built at import', () => {
  for (const k of CRD_KINDS) {
    expect([k.kind, built(k.schema), built(k.specSchema)]).toEqual([k.kind, false, false]);
  }
});

test('parsing a GSLBConfig spec builds it and leaves the other kinds unbuilt', () => {
  const res = parseWith(gslbConfigSpecSchema, { gslbLeader: { controllerIP: '10.10.10.10', credentials: 'gslb-avi-secret' }, memberClusters: [{ clusterContext: 'c1' }], refreshInterval: 'x' });
  expect(res).toEqual({ ok: false, error: 'refreshInterval: Invalid input: expected number, received string' });
  expect(built(gslbConfigSpecSchema)).toBe(true);
  for (const k of CRD_KINDS.filter((c) => c.kind !== 'GSLBConfig')) expect([k.kind, built(k.specSchema)]).toEqual([k.kind, false]);
});

test('a schema built through an embedding one parses as it did built alone (defaults, nested lazies)', () => {
  const hr = parseWith(hostRuleSchema, {
    apiVersion: 'ako.vmware.com/v1beta1',
    kind: 'HostRule',
    metadata: { name: 'h' },
    spec: { virtualhost: { fqdn: 'a.example.com', gslb: {}, tcpSettings: { listeners: [{ port: 70000 }] } } },
  });
  expect(hr).toEqual({ ok: false, error: 'spec.virtualhost.tcpSettings.listeners[0].port: Too big: expected number to be <=65535' });
  const gdp = parseWith(globalDeploymentPolicySpecSchema, { trafficSplit: [{ cluster: 'c1' }] });
  expect(gdp).toEqual({ ok: true, value: { trafficSplit: [{ cluster: 'c1', weight: 1, priority: 10 }] } });
});
