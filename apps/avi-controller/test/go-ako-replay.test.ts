// Replay of every request the real Go AKO 2.2.1 sent (test/fixtures/go-ako-requests, copied from the parity corpus;
// see its README): per case, a fresh controller with the case's seed, the recorded requests in order (paths as
// recorded, `//api/` included; bodies as the Go AKO sent them, with the `<field>_ref: ""` keys the recording proxy
// had to strip), recorded uuids and `_last_modified` values mapped to what this controller assigned. Each answer
// must be what the Go AKO got: a 2xx where it got a 2xx, the same status where it got an error, and the top-level
// shape the Go AKO reads (collection `{count, results}`, object with its uuid, the special endpoints' keys).
//
// Documented exceptions (answers that depended on timing or state outside the replay): none so far.

import type { RunningController } from '../src/index.js';
import { raw, removeDir, setCookies, start, type Res } from './helpers.js';
import { loadCases, nameRecordedUuids, pathParts, refsOf, uuidsIn, type Case, type Recorded } from './go-ako-replay.js';

const PASSWORD = 'Test-Passw0rd';
/** Requests that may answer differently from the recording, with the reason ("case#line"). */
const EXCEPTIONS = new Map<string, string>();

interface Replayer {
  ctl: RunningController;
  cookies: Map<string, string>;
}

const cases = loadCases();

test('the corpus is complete: every case has requests, its seed holds the par.test DNS domain, stripped keys are in the bodies', () => {
  expect(cases.length).toBeGreaterThanOrEqual(23);
  for (const c of cases) {
    expect(c.requests.length).toBeGreaterThan(30);
    expect(c.dnsDomains).toEqual(expect.arrayContaining(['avi.internal', 'par.test']));
    for (const r of c.requests.filter((x) => x.stripped_by_proxy)) {
      for (const k of r.stripped_by_proxy!) expect((r.body as Record<string, unknown>)[k]).toBe('');
    }
  }
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkShape(c: Case, r: Recorded, res: Res, mappedPath: string, where: string): void {
  const { segs, query } = pathParts(mappedPath);
  const body = res.json as unknown;
  if (r.path === '/login') {
    expect([where, isObject(body)]).toEqual([where, true]);
    expect([where, (res.headers['set-cookie'] ?? []).some((x) => x.startsWith('csrftoken='))]).toEqual([where, true]);
    return;
  }
  if (r.method === 'DELETE') {
    expect([where, res.status, res.text]).toEqual([where, 204, '']);
    return;
  }
  if (!isObject(body)) throw new Error(`${where}: answer is not a JSON object: ${res.text.slice(0, 200)}`);
  const rest = segs.slice(1).join('/');
  if (rest === 'initial-data') {
    expect([where, typeof (body.version as Record<string, unknown> | undefined)?.Version]).toEqual([where, 'string']);
  } else if (rest === 'cluster/runtime') {
    expect([where, ['CLUSTER_UP_NO_HA', 'CLUSTER_UP_HA_ACTIVE', 'CLUSTER_UP_HA_COMPROMISED'].includes(String((body.cluster_state as Record<string, unknown> | undefined)?.state))]).toEqual([where, true]);
    const leader = (body.node_states as Array<Record<string, unknown>> | undefined)?.find((n) => n.role === 'CLUSTER_LEADER');
    expect([where, typeof leader?.name, typeof leader?.up_since]).toEqual([where, 'string', 'string']);
  } else if (rest === 'cluster') {
    expect([where, typeof body.uuid]).toEqual([where, 'string']);
  } else if (rest === 'systemconfiguration') {
    expect([where, 'results' in body, typeof body.uuid]).toEqual([where, false, 'string']);
  } else if (segs[1] === 'ipamdnsproviderprofiledomainlist') {
    expect([where, body.domains]).toEqual([where, expect.arrayContaining(c.dnsDomains)]);
  } else if (r.method === 'GET' && segs.length === 2) {
    // A collection: {count, results}, each result an object with uuid, url and name.
    expect([where, typeof body.count, Array.isArray(body.results)]).toEqual([where, 'number', true]);
    const results = body.results as Array<Record<string, unknown>>;
    expect([where, results.length <= (body.count as number)]).toEqual([where, true]);
    for (const o of results) expect([where, typeof o.uuid, typeof o.url, typeof o.name]).toEqual([where, 'string', 'string', 'string']);
    // The seed's objects (CRD ref validation: `?name=<seeded>&fields=...`) are found.
    const name = query.get('name');
    if (name !== null && c.seedNames.has(name) && segs[1] !== 'ipamdnsproviderprofile') {
      expect([where, body.count, results[0]?.name]).toEqual([where, 1, name]);
    }
  } else if (r.method === 'GET') {
    expect([where, body.uuid]).toEqual([where, segs[2]]);
  } else if (r.method === 'POST') {
    expect([where, typeof body.uuid, body.name]).toEqual([where, 'string', (r.body as Record<string, unknown>).name]);
  } else if (r.method === 'PUT') {
    expect([where, body.uuid, body.name]).toEqual([where, segs[2], (r.body as Record<string, unknown>).name]);
  }
}

async function replayCase(c: Case): Promise<void> {
  const ctl = await start({ seedFile: c.seedFile, adminPassword: PASSWORD });
  const rp: Replayer = { ctl, cookies: new Map() };
  const named = nameRecordedUuids(c.requests);
  const uuidMap = new Map<string, string>();
  const lastModifiedSeen = new Map<string, string>();
  const lastModifiedMap = new Map<string, string>();
  const heldRefs = new Map<string, Set<string>>();
  const released: string[] = [];
  const adminAfter403 = new Set<string>();
  const recordedBase = /https?:\/\/127\.0\.0\.1:\d+/g;

  const byName = (type: string, name: string): string | undefined => {
    const hit = ctl.state.list(type).find((o) => o.name === name);
    return typeof hit?.uuid === 'string' ? hit.uuid : undefined;
  };
  const mapUuid = (recorded: string, r: Recorded): string => {
    const known = uuidMap.get(recorded);
    if (known) return known;
    const type = recorded.slice(0, recorded.indexOf('-'));
    let found: string | undefined;
    const n = named.get(recorded);
    if (n) found = byName(n.type, n.name);
    if (!found && r.method === 'DELETE') {
      // The object a write just stopped referencing (how the Go AKO knew this uuid).
      const i = released.findIndex((k) => k.startsWith(`${type}/`) && byName(type, k.slice(type.length + 1)) !== undefined);
      if (i >= 0) found = byName(type, released.splice(i, 1)[0]!.slice(type.length + 1));
    }
    if (!found) {
      const all = ctl.state.list(type);
      if (all.length === 1 && typeof all[0]!.uuid === 'string') found = all[0]!.uuid;
    }
    if (!found) throw new Error(`${c.name}: cannot map recorded uuid ${recorded} (${r.method} ${r.path})`);
    uuidMap.set(recorded, found);
    return found;
  };
  const mapText = (text: string, r: Recorded): string => {
    let out = text.replace(recordedBase, ctl.url);
    for (const u of new Set(uuidsIn(text))) out = out.split(u).join(mapUuid(u, r));
    return out;
  };
  const remember = (json: unknown) => {
    const objs = isObject(json) && Array.isArray(json.results) ? (json.results as unknown[]) : [json];
    for (const o of objs) if (isObject(o) && typeof o.uuid === 'string' && typeof o._last_modified === 'string') lastModifiedSeen.set(o.uuid, o._last_modified);
  };

  try {
    for (const [i, r] of c.requests.entries()) {
      const where = `${c.name}#${i + 1} ${r.method} ${r.path}`;
      if (r.path === '/login') {
        const res = await raw(ctl, 'POST', '/login', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
        expect([where, res.status]).toEqual([where, r.status]);
        setCookies(rp.cookies, res);
        checkShape(c, r, res, r.path, where);
        continue;
      }
      const path = mapText(r.path, r);
      const { segs } = pathParts(path);
      let bodyText: string | undefined;
      if (r.body !== undefined) {
        const body = JSON.parse(mapText(JSON.stringify(r.body), r)) as Record<string, unknown>;
        // `_last_modified` the Go AKO read from an earlier answer: the value this controller answered then.
        if (typeof body._last_modified === 'string' && segs[2]) {
          const key = `${segs[2]}|${body._last_modified}`;
          if (!lastModifiedMap.has(key)) lastModifiedMap.set(key, lastModifiedSeen.get(segs[2]) ?? String(ctl.state.get(segs[2])?.obj._last_modified));
          body._last_modified = lastModifiedMap.get(key);
        }
        bodyText = JSON.stringify(body);
        if (typeof (r.body as Record<string, unknown>).name === 'string' && segs[1]) {
          const key = `${segs[1]}/${String((r.body as Record<string, unknown>).name)}`;
          const now = refsOf(r.body, named);
          for (const old of heldRefs.get(key) ?? []) if (!now.has(old)) released.push(old);
          heldRefs.set(key, now);
        }
      }
      const tenant = adminAfter403.has(`${r.method} ${r.path}`) ? 'admin' : c.tenant;
      const res = await raw(ctl, r.method, path, {
        headers: {
          'Content-Type': 'application/json',
          'X-Avi-Version': '30.2.1',
          'X-Avi-Tenant': tenant,
          Referer: ctl.url,
          'X-CSRFToken': rp.cookies.get('csrftoken') ?? '',
          Cookie: [...rp.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        ...(bodyText !== undefined ? { body: bodyText } : {}),
      });
      setCookies(rp.cookies, res);
      if (r.status === 403) adminAfter403.add(`${r.method} ${r.path}`);
      if (EXCEPTIONS.has(`${c.name}#${i + 1}`)) continue;
      if (r.status >= 200 && r.status < 300) {
        if (res.status < 200 || res.status >= 300) throw new Error(`${where}: the Go AKO got ${r.status}, this controller answered ${res.status} ${res.text.slice(0, 300)}`);
        remember(res.json);
        checkShape(c, r, res, path, where);
      } else {
        expect([where, res.status]).toEqual([where, r.status]);
        expect([where, typeof (res.json as Record<string, unknown> | undefined)?.error]).toEqual([where, 'string']);
      }
    }
  } finally {
    await ctl.close();
    removeDir(ctl.dataDir);
  }
}

describe.each(cases.map((c) => [c.name, c] as const))('replay %s', (_name, c) => {
  test(`every recorded request gets the answer the Go AKO got (${c.requests.length} requests, tenant ${c.tenant})`, async () => {
    await replayCase(c);
  });
});

