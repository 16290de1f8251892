/**
 * Loads a recorded Go AKO 2.2.1 case from test/parity/<case>/ (see its README): the inputs as our translate reads
 * them, and what the Go AKO sent (the last POST/PUT body per object) and owned afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parseSettings } from '../src/config/settings.js';
import { translateConfig } from '../src/operator/translate-config.js';
import type { AkoConfig } from '../src/index.js';
import { snapshotOf, type K8sObject } from './translate-fixtures.js';
import { hostRuleAviRefs, httpRuleAviRefs, l4RuleAviRefs, type Snapshot } from '../src/index.js';

export const PARITY_DIR = join(import.meta.dirname, 'parity');

/** The corpus cases translate reproduces (c21 and later use ako.vmware.com CRDs). */
export const PARITY_CASES = [
  'c01-l4-tcp',
  'c02-l4-multiport',
  'c03-l4-lbip',
  'c05-l4-shared-vip',
  'c06-autofqdn-flat',
  'c08-lbclass',
  'c09-clusterip-nodes',
  'c10-nodeport-l4',
  'c11-ingress-multi',
  'c13-tls-two-hosts',
  'c14-tls-missing',
  'c15-dedicated',
  'c17-ingclass',
  'c18-nodeport-l7',
  'c20-update-seq',
  'c21-hostrule',
  'c22-httprule',
  'c23-aviinfrasetting',
  'c24-l4rule',
  'c26-ssorule',
  'c26b-ssorule-evh',
  'c27-evh',
  'c28-tenant',
] as const;

export interface GoRequest {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  stripped_by_proxy?: string[];
}

export interface GoWrite {
  type: string;
  name: string;
  body: Record<string, unknown>;
  /** `"<field>_ref": ""` keys the recording proxy removed (the Go AKO's "not set"). */
  stripped: string[];
}

export interface GoObject {
  _type: string;
  name: string;
  _written_not_owned?: boolean;
  [k: string]: unknown;
}

const file = (c: string, f: string): string => join(PARITY_DIR, c, f);

export function caseObjects(c: string, manifest = 'manifests.yaml'): K8sObject[] {
  return parseAllDocuments(readFileSync(file(c, manifest), 'utf8'))
    .map((d) => d.toJSON() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && typeof o.kind === 'string')
    .map(asStored);
}

/** What the apiserver stores: a Secret's stringData becomes base64 data. */
function asStored(o: K8sObject): K8sObject {
  const stringData = o.stringData as Record<string, string> | undefined;
  if (o.kind !== 'Secret' || !stringData) return o;
  const { stringData: _, ...rest } = o;
  const data = { ...((o.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...rest, data } as K8sObject;
}

/**
 * The snapshot of a case: its manifests, and as `aviRefs` the objects of its controller seed (what a CRD may name;
 * the default seed's System-* objects are not named by any case).
 */
export function caseSnapshot(objects: readonly K8sObject[], c?: string): Snapshot {
  const s = snapshotOf(objects);
  const seed = c ? caseFile(c, 'controller-seed.json') : undefined;
  if (!seed) return s;
  const objs = (JSON.parse(seed) as { objects?: { type: string; data: { name: string } }[] }).objects ?? [];
  // The corpus controller also had the default seed: every System-* object a case's CRs name was there.
  const named = [...(s.hostRules ?? []).flatMap((r) => hostRuleAviRefs(r.spec?.virtualhost ?? {})), ...(s.l4Rules ?? []).flatMap((r) => l4RuleAviRefs(r.spec ?? {})), ...(s.httpRules ?? []).flatMap((r) => httpRuleAviRefs(r.spec))];
  const system = named.filter(([, n]) => n.startsWith('System-')).map(([t, n]) => `${t}/${n}`);
  return { ...s, aviRefs: [...objs.map((o) => `${o.type}/${o.data.name}`), ...system] };
}

/** `status` of the AKO CRs as the Go AKO wrote them (go-k8s.json). */
export function goCrStatus(c: string): { kind: string; namespace: string; name: string; status: { status: string; error: string } }[] {
  const all = JSON.parse(readFileSync(file(c, 'go-k8s.json'), 'utf8')) as { kind: string; namespace: string; name: string; status?: { status: string; error: string } }[];
  return all.filter((o) => o.status !== undefined && o.kind !== 'Service' && o.kind !== 'Ingress') as ReturnType<typeof goCrStatus>;
}

/** DNS sub-domains of the corpus controller: the default seed's avi.internal plus par.test (parity README step 1). */
export const CORPUS_DNS_DOMAINS = ['avi.internal', 'par.test'];

export function caseConfig(c: string): AkoConfig {
  const cm = parse(readFileSync(file(c, 'configmap.yaml'), 'utf8')) as { data: Record<string, string> };
  const s = parseSettings(cm.data, {});
  return translateConfig(s, { dnsDomains: CORPUS_DNS_DOMAINS, licenseTier: 'ENTERPRISE', vrfName: s.vrfName || 'global', clusterUuid: '' }, 'avi-system');
}

export function goRequests(c: string, f = 'go-requests.jsonl'): GoRequest[] {
  return readFileSync(file(c, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GoRequest);
}

const TYPE_OF_PATH = /^\/+api\/([a-z0-9]+)/;

/** The last POST/PUT body the Go AKO sent for each (type, name), in the order first written. */
export function goWrites(reqs: readonly GoRequest[]): Map<string, GoWrite> {
  const out = new Map<string, GoWrite>();
  for (const r of reqs) {
    if ((r.method !== 'POST' && r.method !== 'PUT') || r.status >= 300) continue;
    const type = TYPE_OF_PATH.exec(r.path)?.[1];
    const body = r.body as Record<string, unknown> | undefined;
    if (!type || !body || typeof body.name !== 'string') continue;
    out.set(`${type}/${body.name}`, { type, name: body.name, body, stripped: r.stripped_by_proxy ?? [] });
  }
  return out;
}

export function goObjects(c: string, f = 'go-objects.json'): GoObject[] {
  return JSON.parse(readFileSync(file(c, f), 'utf8')) as GoObject[];
}

export const caseFile = (c: string, f: string): string | undefined => (existsSync(file(c, f)) ? readFileSync(file(c, f), 'utf8') : undefined);

/** A Go AKO HTTP policy set with a `BEGINS_WITH <path other than />` rule: a Prefix path we match by path element. */
export function hasPrefixRule(o: { _type: string; http_request_policy?: unknown }): boolean {
  const rules = (o.http_request_policy as { rules?: { match?: { path?: { match_criteria?: string; match_str?: string[] } } }[] } | undefined)?.rules ?? [];
  return o._type === 'httppolicyset' && rules.some((r) => r.match?.path?.match_criteria === 'BEGINS_WITH' && (r.match.path.match_str ?? []).some((x) => x !== '/'));
}
