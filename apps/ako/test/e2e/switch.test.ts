// Switching from the Go AKO with nothing changed, against real peers: the avi-controller is seeded with what the Go
// AKO 2.2.1 owned in a recorded corpus case (test/parity/<case>/go-objects.json, as if it had written them), our AKO
// starts on the same manifests and values on a real kube-apiserver, and the controller counts the writes: none but
// the shard datascripts (their Lua is ours), and every VIP stays. Runs on kube-local cluster c2, in namespace `red`
// (the corpus' names carry it), one case after the other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { AKO_TYPE_ORDER, type AviBody } from '@avi-k8s/avi-sync';
import { controllerWritesByType, countsDiff, writeSeedFile } from '@avi-k8s/testbed';
import { parse } from 'yaml';
import { caseObjects, goObjects, hasPrefixRule, PARITY_DIR, type GoObject } from '../parity-case.js';
import { harness, type Harness } from './harness.js';

/** go-objects.json renders refs `<type>:<name>`; a seed takes `/api/<type>?name=<name>`. */
function asSeedRefs(v: unknown, isRef = false): unknown {
  if (typeof v === 'string') {
    const m = isRef ? /^([a-z0-9]+):(.+)$/.exec(v) : null;
    return m ? `/api/${m[1]}?name=${m[2]}` : v;
  }
  if (Array.isArray(v)) return v.map((x) => asSeedRefs(x, isRef));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asSeedRefs(x, k.endsWith('_ref') || k.endsWith('_refs'))]));
  return v;
}

const rank = (o: GoObject): number => {
  const t = AKO_TYPE_ORDER.indexOf(o._type);
  return (t < 0 ? -1 : t) * 2 + (o.type === 'VS_TYPE_VH_CHILD' ? 1 : 0);
};

/** The case's controller seed, then the Go AKO's objects in dependency order (parents before SNI children). */
function seedFor(c: string): string {
  const base = (JSON.parse(readFileSync(join(PARITY_DIR, c, 'controller-seed.json'), 'utf8')) as { objects: { type: string; data: Record<string, unknown> }[] }).objects;
  const go = [...goObjects(c)].sort((a, b) => rank(a) - rank(b));
  return writeSeedFile([
    ...base,
    ...go.map((o) => {
      const { _type, _written_not_owned: _, ...data } = o;
      return { type: _type, data: asSeedRefs(data) as Record<string, unknown> };
    }),
  ]);
}

/** The case's values.yaml as harness overrides (our controller, no fixed API port). */
function caseValues(c: string): Record<string, Record<string, unknown>> {
  const v = parse(readFileSync(join(PARITY_DIR, c, 'values.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const { ControllerSettings, AKOSettings, ...rest } = v;
  const { controllerHost: _h, ...ctl } = ControllerSettings ?? {};
  const { apiServerPort: _p, ...ako } = AKOSettings ?? {};
  return { ...rest, ControllerSettings: ctl, AKOSettings: ako };
}

const vips = async (h: Harness) =>
  Object.fromEntries(
    (await h.avi.list('vsvip', {})).results.map((v) => [String((v as AviBody).name), JSON.stringify(((v as AviBody).vip as AviBody[]).map((x) => x.ip_address))]),
  );

describe.each(['c01-l4-tcp', 'c11-ingress-multi', 'c13-tls-two-hosts', 'c27-evh'])('switch from the Go AKO, nothing changed: %s', (c) => {
  let h: Harness;
  const created: k8s.KubernetesObject[] = [];

  beforeAll(async () => {
    h = await harness('switch', 'c2', ['--seed', seedFor(c)]);
    const client = k8s.KubernetesObjectApi.makeApiClient(h.kc);
    await h.core.createNamespace({ body: { metadata: { name: 'red' } } }).catch(() => undefined);
    await h.core.patchNamespace({ name: 'red', body: { metadata: { labels: { 'ako-test': h.clusterName } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    for (const o of caseObjects(c)) {
      if (o.kind === 'Namespace') continue;
      const obj = o as unknown as k8s.KubernetesObject;
      try {
        created.push(await client.create(obj));
      } catch (err) {
        if (o.kind !== 'IngressClass') throw err; // cluster-scoped, made by an earlier case
      }
    }
  }, 120000);

  afterAll(async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(h.kc);
    for (const o of created.reverse()) await client.delete(o).catch(() => undefined);
    await h?.close();
  });

  it('writes nothing but the shard datascripts (and Prefix-path policy sets), and no VIP changes', async () => {
    const shardScripts = goObjects(c).filter((o) => o._type === 'vsdatascriptset').length;
    const vipsBefore = await vips(h);
    expect(Object.keys(vipsBefore).length).toBeGreaterThan(0);
    const before = await controllerWritesByType(h.ctl);
    const ako = await h.start(caseValues(c));
    const summary = await ako.ready;
    await ako.idle();
    expect(summary?.failed).toBe(0);
    // Prefix paths other than / are matched by path element (README "Differences"): their HTTP policy sets are rewritten.
    const prefixSets = goObjects(c).filter((o) => !o._written_not_owned && hasPrefixRule(o)).length;
    expect(countsDiff(before, await controllerWritesByType(h.ctl))).toEqual({
      ...(shardScripts > 0 ? { 'PUT vsdatascriptset': shardScripts } : {}),
      ...(prefixSets > 0 ? { 'PUT httppolicyset': prefixSets } : {}),
    });
    expect(await vips(h)).toEqual(vipsBefore);
    await ako.stop();
  }, 90000);
});

/**
 * Switch back: what the Go AKO 2.2.1 dereferences when it reads its objects at boot (internal/cache/
 * controller_obj_cache.go, read for facts): an object without the fields it skips on is ignored (and so later
 * re-created), a missing dereferenced field panics it (the nil service_metadata of issue 10). Per type: fields that
 * must be present, and for list entries the field each entry must have.
 */
const GO_BOOT_READS: Record<string, { required: string[]; each?: [list: string, field: string][] }> = {
  pool: { required: ['name', 'uuid', 'cloud_config_cksum', 'service_metadata', '_last_modified'] },
  poolgroup: { required: ['name', 'uuid', 'cloud_config_cksum', '_last_modified'], each: [['members', 'pool_ref']] },
  vsvip: { required: ['name', 'uuid', '_last_modified'], each: [['dns_info', 'fqdn']] },
  vsdatascriptset: { required: ['name', 'uuid'], each: [['datascript', 'script']] },
  sslkeyandcertificate: { required: ['name', 'uuid', 'certificate.certificate'] },
  httppolicyset: { required: ['name', 'uuid', 'cloud_config_cksum', '_last_modified'] },
  l4policyset: { required: ['name', 'uuid', '_last_modified'], each: [['l4_connection_policy.rules', 'match.protocol.protocol'], ['l4_connection_policy.rules', 'action.select_pool.pool_ref'], ['l4_connection_policy.rules', 'match.port.ports']] },
  // A VS without cloud_config_cksum is not taken as the Go AKO's; service_metadata is parsed when present.
  virtualservice: { required: ['name', 'uuid', 'cloud_config_cksum', 'service_metadata'] },
};

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

describe.each(['c01-l4-tcp', 'c11-ingress-multi', 'c13-tls-two-hosts', 'c27-evh'])('switch back to the Go AKO: our objects carry what its boot reads: %s', (c) => {
  let h: Harness;
  const created: k8s.KubernetesObject[] = [];

  beforeAll(async () => {
    h = await harness('back', 'c2', ['--seed', writeSeedFile((JSON.parse(readFileSync(join(PARITY_DIR, c, 'controller-seed.json'), 'utf8')) as { objects: { type: string; data: Record<string, unknown> }[] }).objects)]);
    const client = k8s.KubernetesObjectApi.makeApiClient(h.kc);
    await h.core.createNamespace({ body: { metadata: { name: 'red' } } }).catch(() => undefined);
    await h.core.patchNamespace({ name: 'red', body: { metadata: { labels: { 'ako-test': h.clusterName } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    for (const o of caseObjects(c)) {
      if (o.kind === 'Namespace') continue;
      try {
        created.push(await client.create(o as unknown as k8s.KubernetesObject));
      } catch (err) {
        if (o.kind !== 'IngressClass') throw err;
      }
    }
  }, 120000);

  afterAll(async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(h.kc);
    for (const o of created.reverse()) await client.delete(o).catch(() => undefined);
    await h?.close();
  });

  it('every stored object of a type the Go AKO caches has the fields it dereferences', async () => {
    const ako = await h.start(caseValues(c));
    await ako.ready;
    await ako.idle();
    const missing: string[] = [];
    let checked = 0;
    for (const [type, reads] of Object.entries(GO_BOOT_READS)) {
      // The Go AKO's own queries: created_by for most types, the name prefix for VsVips.
      const params: Record<string, string> = type === 'vsvip' ? { 'name.contains': 'par--' } : { created_by: 'ako-par' };
      for (const o of (await h.avi.list(type as 'pool', { params, includeName: true })).results as Record<string, unknown>[]) {
        checked += 1;
        for (const f of reads.required) if (at(o, f) === undefined || at(o, f) === null) missing.push(`${type}/${String(o.name)}: ${f}`);
        for (const [listPath, f] of reads.each ?? []) {
          for (const [i, e] of ((at(o, listPath) as unknown[] | undefined) ?? []).entries()) if (at(e, f) === undefined) missing.push(`${type}/${String(o.name)}: ${listPath}[${i}].${f}`);
        }
      }
    }
    expect(checked).toBe(goObjects(c).filter((o) => !o._written_not_owned).length);
    expect(missing).toEqual([]);
    await ako.stop();
  }, 90000);
});
