// Table-driven tests of the leader's input handling (which GSLBConfig is in force, Secrets), cases in a YAML file.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as k8s from '@kubernetes/client-node';
import { parse } from 'yaml';
import { chooseGslbConfig, controllerUrl, credentialsFrom, memberKubeConfig, membersKubeconfig } from '../../src/operator/leader-config.js';
import type { RawObject } from '../../src/translate/index.js';

interface Cases {
  choose: { description: string; objects: RawObject[]; expect: { chosen?: string; others?: string[]; error?: string } }[];
  credentials: { description: string; data?: Record<string, string>; expect: unknown }[];
  members: { description: string; data: Record<string, string>; expect?: unknown; expectErrorPrefix?: string; contexts?: Record<string, boolean> }[];
}

const cases = parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'leader-config.yaml'), 'utf8')) as Cases;
const secret = (data: Record<string, string> | undefined): k8s.V1Secret | undefined =>
  data && { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };

test.each(cases.choose)('chooseGslbConfig: $description', (c) => {
  const r = chooseGslbConfig(c.objects);
  const got = r.invalid ? { error: r.invalid.error } : r.choice ? { chosen: r.choice.obj.metadata?.name, others: r.choice.others.map((o) => o.metadata?.name) } : {};
  expect(got).toEqual(c.expect);
});

test.each(cases.credentials)('credentialsFrom: $description', (c) => {
  expect(credentialsFrom(secret(c.data), 'gslb-avi-secret')).toEqual(c.expect);
});

test.each(cases.members)('membersKubeconfig: $description', (c) => {
  const r = membersKubeconfig(secret(c.data));
  if (c.expect) expect(r).toEqual(c.expect);
  if (c.expectErrorPrefix) expect(r.ok ? '' : r.error.startsWith(c.expectErrorPrefix)).toBe(true);
  for (const [ctx, present] of Object.entries(c.contexts ?? {})) {
    expect(r.ok).toBe(true);
    const kc = memberKubeConfig(r.ok ? r.value : '', ctx);
    expect(kc !== undefined).toBe(present);
    if (kc) expect(kc.getCurrentContext()).toBe(ctx);
  }
});

test.each([
  ['10.0.0.1', 'https://10.0.0.1'],
  ['ctl.example.com:8443', 'https://ctl.example.com:8443'],
  ['https://127.0.0.1:9443', 'https://127.0.0.1:9443'],
])('controllerUrl(%s)', (ip, url) => {
  expect(controllerUrl(ip)).toBe(url);
});
