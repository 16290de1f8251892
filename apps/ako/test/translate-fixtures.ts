/** Loads translate fixture cases: test/fixtures/translate/<case>/{input.yaml,expected.json}. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { CHECKSUM_FIELD, DEFAULT_AKO_CONFIG, type AkoConfig, type Snapshot, type Verdict } from '../src/index.js';

export const CASES_DIR = join(import.meta.dirname, 'fixtures/translate');

export interface K8sObject {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  [k: string]: unknown;
}

export interface Change {
  description: string;
  /** Replaces the object with the same kind/namespace/name (or adds it). */
  object?: K8sObject;
  /** Deletes the object with this kind/namespace/name. */
  delete?: K8sObject;
}

export interface TranslateCase {
  name: string;
  config: AkoConfig;
  objects: K8sObject[];
  expectedPath: string;
  /** Optional changes.yaml: modifications for the incremental-equals-full property. */
  changes: Change[];
}

export const sameObject = (a: K8sObject, b: K8sObject): boolean =>
  a.kind === b.kind && (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '') && a.metadata?.name === b.metadata?.name;

/** The objects after a change. */
export function applyChange(objects: readonly K8sObject[], ch: Change): K8sObject[] {
  const target = ch.object ?? ch.delete;
  if (!target) throw new Error(`fixture error: change ${ch.description} has neither object nor delete`);
  const rest = objects.filter((o) => !sameObject(o, target));
  return ch.object ? [...rest, ch.object] : rest;
}

const KIND_TO_FIELD: Record<string, keyof Snapshot> = {
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Ingress: 'ingresses',
  IngressClass: 'ingressClasses',
  Secret: 'secrets',
  Node: 'nodes',
  Namespace: 'namespaces',
  Pod: 'pods',
  HostRule: 'hostRules',
  L4Rule: 'l4Rules',
  HTTPRule: 'httpRules',
  SSORule: 'ssoRules',
  L7Rule: 'l7Rules',
  AviInfraSetting: 'aviInfraSettings',
};

export function loadCases(): TranslateCase[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const input = parse(readFileSync(join(CASES_DIR, name, 'input.yaml'), 'utf8')) as { config?: Partial<AkoConfig>; objects?: K8sObject[] };
      const changesPath = join(CASES_DIR, name, 'changes.yaml');
      const changes = existsSync(changesPath) ? (parse(readFileSync(changesPath, 'utf8')) as Change[]) : [];
      return { name, config: { ...DEFAULT_AKO_CONFIG, ...(input.config ?? {}) }, objects: input.objects ?? [], expectedPath: join(CASES_DIR, name, 'expected.json'), changes };
    });
}

export function snapshotOf(objects: readonly K8sObject[]): Snapshot {
  const s: Record<string, unknown[]> = { services: [], endpointSlices: [], ingresses: [], ingressClasses: [], secrets: [], nodes: [], namespaces: [], pods: [], hostRules: [], l4Rules: [], httpRules: [], ssoRules: [], l7Rules: [], unsupportedCrs: [], aviInfraSettings: [] };
  for (const o of objects) {
    const field = KIND_TO_FIELD[o.kind];
    if (!field) throw new Error(`fixture error: unsupported kind ${o.kind}`);
    s[field]!.push(o);
  }
  return s as unknown as Snapshot;
}

export interface ExpectedOutput {
  objects: { tenant: string; type: string; name: string; body: Record<string, unknown> }[];
  verdicts: Verdict[];
}

/** The comparable form of a result: bodies without their checksum field (checked separately). */
export function normalise(result: { objects: readonly DesiredObject[]; verdicts: readonly Verdict[] }): ExpectedOutput {
  return {
    objects: result.objects.map((o) => {
      const body = { ...o.body };
      const field = CHECKSUM_FIELD[o.type];
      if (field) delete body[field];
      return { tenant: o.tenant, type: o.type, name: o.name, body };
    }),
    verdicts: [...result.verdicts],
  };
}

export function readExpected(c: TranslateCase, actual: ExpectedOutput): ExpectedOutput {
  // Regenerate with UPDATE_FIXTURES=1 (then review the diff by hand: the fixtures are the specification).
  if (process.env.UPDATE_FIXTURES === '1' || !existsSync(c.expectedPath)) {
    if (process.env.UPDATE_FIXTURES !== '1') throw new Error(`missing ${c.expectedPath} (run with UPDATE_FIXTURES=1 to create it)`);
    writeFileSync(c.expectedPath, JSON.stringify(actual, null, 2) + '\n');
  }
  return JSON.parse(readFileSync(c.expectedPath, 'utf8')) as ExpectedOutput;
}
