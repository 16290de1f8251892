// Helpers of the Go AKO replay test: reading a recorded case, naming the uuids the recording controller assigned
// (from `<ref>#<name>` refs, PUT paths with the body's name, bodies with uuid + name), and tracking the references
// each written object holds (a DELETE of a uuid the recording never names is the object a write just stopped
// referencing: that is how the Go AKO knew it).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Recorded {
  method: string;
  path: string;
  status: number;
  t: string;
  body?: unknown;
  response?: string;
  stripped_by_proxy?: string[];
}

export interface Case {
  name: string;
  dir: string;
  requests: Recorded[];
  tenant: string;
  seedFile: string;
  seedNames: Set<string>;
  dnsDomains: string[];
}

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'go-ako-requests');

export function loadCases(): Case[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = join(FIXTURES, name);
      const requests = readFileSync(join(dir, 'go-requests.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Recorded);
      const tenant = /^\s*tenantName:\s*'?([^'\s]+)'?\s*$/m.exec(readFileSync(join(dir, 'configmap.yaml'), 'utf8'))?.[1] ?? 'admin';
      const seed = JSON.parse(readFileSync(join(dir, 'controller-seed.json'), 'utf8')) as { objects: Array<{ type: string; data: Record<string, unknown> }> };
      const dns = seed.objects.find((o) => o.type === 'ipamdnsproviderprofile' && o.data.name === 'avi-dns');
      const domains = ((dns?.data.internal_profile as { dns_service_domain?: Array<{ domain_name: string }> } | undefined)?.dns_service_domain ?? []).map((d) => d.domain_name);
      return { name, dir, requests, tenant, seedFile: join(dir, 'controller-seed.json'), seedNames: new Set(seed.objects.map((o) => String(o.data.name))), dnsDomains: domains };
    });
}

/** Object types whose uuids (`<type>-<uuid4>`) the replay maps; other `x-<uuid>` strings (route ids) stay. */
export const TYPES = new Set([
  'tenant', 'cloud', 'serviceenginegroup', 'vrfcontext', 'network', 'ipamdnsproviderprofile', 'virtualservice', 'vsvip', 'pool',
  'poolgroup', 'httppolicyset', 'l4policyset', 'vsdatascriptset', 'sslkeyandcertificate', 'pkiprofile', 'stringgroup', 'healthmonitor',
  'applicationprofile', 'networkprofile', 'applicationpersistenceprofile', 'sslprofile', 'analyticsprofile', 'errorpageprofile', 'wafpolicy',
  'authprofile', 'ssopolicy',
]);

export const UUID_RE = /\b([a-z0-9]+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

export function uuidsIn(text: string): string[] {
  return [...text.matchAll(UUID_RE)].filter((m) => TYPES.has(m[1]!)).map((m) => m[0]);
}

/** `/api/<type>/...` of a recorded path (leading slashes, trailing slash and query ignored). */
export function pathParts(path: string): { segs: string[]; query: URLSearchParams } {
  const qi = path.indexOf('?');
  const segs = (qi < 0 ? path : path.slice(0, qi)).split('/').filter(Boolean);
  return { segs, query: new URLSearchParams(qi < 0 ? '' : path.slice(qi + 1)) };
}

/** Recorded uuid -> (type, name), from everything the recording shows about it. */
export function nameRecordedUuids(requests: readonly Recorded[]): Map<string, { type: string; name: string }> {
  const out = new Map<string, { type: string; name: string }>();
  for (const r of requests) {
    const text = JSON.stringify(r.body ?? '');
    for (const m of text.matchAll(/\/api\/([a-z]+)\/([a-z0-9]+-[0-9a-f-]{36})#([^"\\]+)/g)) out.set(m[2]!, { type: m[1]!, name: m[3]! });
    const { segs } = pathParts(r.path);
    const body = r.body as Record<string, unknown> | undefined;
    if (segs[0] === 'api' && segs[2] && typeof body === 'object' && body && typeof body.name === 'string' && r.method === 'PUT') {
      out.set(segs[2], { type: segs[1]!, name: body.name });
    }
    if (typeof body === 'object' && body && typeof body.uuid === 'string' && typeof body.name === 'string' && segs[1]) {
      out.set(body.uuid, { type: segs[1], name: body.name });
    }
  }
  return out;
}

/** The (type, name) pairs a recorded body refers to: `/api/<t>?name=<n>`, `/api/<t>/?name=<n>`, `/api/<t>/<uuid>#<n>`. */
export function refsOf(body: unknown, named: Map<string, { type: string; name: string }>): Set<string> {
  const text = JSON.stringify(body ?? '');
  const out = new Set<string>();
  for (const m of text.matchAll(/\/api\/([a-z]+)\/?\?name=([^"&\\]+)/g)) out.add(`${m[1]!}/${m[2]!}`);
  for (const u of uuidsIn(text)) {
    const n = named.get(u);
    if (n) out.add(`${n.type}/${n.name}`);
  }
  return out;
}
