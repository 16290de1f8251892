/**
 * HostRule `useRegex` and `applicationRootPath` on the HTTP policy sets of a host's VS (an SNI child, a secure
 * dedicated VS, an EVH child; never a shared parent), as the Go AKO 2.2.1 builds them (facts from its
 * docs/crds/hostrule.md and internal/nodes/crd_translator.go `BuildRegexAppRootForHostRule`):
 *  - useRegex: each path rule matches `REGEX_MATCH`, case-insensitive, against a string group of its own named
 *    `<akoUser>-<sha1(host + path)>` (type SG_TYPE_STRING, longest_match, one key: the path); in SNI mode the path's
 *    pool and pool group are named `<cluster>--<sha1(name)>` (a regex is not a valid part of an Avi name).
 *  - applicationRootPath: the rule of the path `/` matches the root path instead, and `/` (EQUALS) is redirected
 *    there on each port of the VS (302; HTTPS on an SSL port, HTTP otherwise; host and query kept).
 * Neither applies when the rule overwrites AKO's HTTP policy sets.
 */
import { createHash } from 'node:crypto';
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { tenantRef } from './common.js';
import type { AkoConfig } from './config.js';
import type { AppliedHostRule } from './hostrule.js';
import type { HostPath } from './ingress.js';
import { buildMarkers } from './markers.js';
import { akoUser, namePrefix, nameRefNoSlash } from './names.js';

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/** Whether the rule's useRegex/applicationRootPath apply to the host's policy sets. */
const applies = (r: AppliedHostRule | undefined): r is AppliedHostRule => r !== undefined && !r.overwritePolicies;

const isRoot = (e: HostPath): boolean => e.path === '/' || e.path === '';

/** The path an entry's rules match: the root path for `/` under applicationRootPath, else its own. */
export function effectivePath(r: AppliedHostRule | undefined, e: HostPath): HostPath {
  return applies(r) && r.applicationRootPath && isRoot(e) ? { ...e, path: r.applicationRootPath } : e;
}

/** The Go AKO's regex string group name (lib.GetEncodedStringGroupName). */
export const regexStringGroupName = (c: AkoConfig, host: string, path: string): string => `${akoUser(c)}-${sha1(host + path)}`;

/** SNI-mode pool and pool-group names under useRegex (lib.GetEncodedSniPGPoolNameforRegex). */
export const regexPoolName = (c: AkoConfig, name: string): string => `${namePrefix(c)}${sha1(name)}`;

export const usesRegex = (r: AppliedHostRule | undefined): boolean => applies(r) && r.useRegex;

/**
 * The path matches of an entry under useRegex: one rule matching the string group of its path (created here), or
 * undefined when useRegex does not apply.
 */
export function regexMatch(
  c: AkoConfig,
  tenant: string,
  host: string,
  r: AppliedHostRule | undefined,
  e: HostPath,
): { match: Record<string, unknown>; stringGroup: DesiredObject } | undefined {
  if (!usesRegex(r)) return undefined;
  const path = e.path || '/';
  const name = regexStringGroupName(c, host, path);
  const stringGroup = desiredObject(tenant, 'stringgroup', name, {
    name,
    tenant_ref: tenantRef(tenant),
    type: 'SG_TYPE_STRING',
    longest_match: true,
    kv: [{ key: path }],
    // The Go AKO's string group markers: the cluster's and created_by (how it finds its string groups).
    markers: [...buildMarkers(c.clusterName, {}), { key: 'created_by', values: [akoUser(c)] }],
  });
  return { match: { match_criteria: 'REGEX_MATCH', match_case: 'INSENSITIVE', string_group_refs: [nameRefNoSlash('stringgroup', name)] }, stringGroup };
}

/** The ports of a VS as (port, ssl), for the root redirects. */
export type VsPorts = readonly { readonly port: number; readonly ssl: boolean }[];

/** The ports the Go AKO gives a host's VS (80, and 443 with SSL), before a HostRule's listeners. */
export const DEFAULT_VS_PORTS: VsPorts = [
  { port: 80, ssl: false },
  { port: 443, ssl: true },
];

/**
 * The applicationRootPath redirects of one HTTP policy set having a `/` path: per VS port, `/` (EQUALS) on that port
 * to the root path, as rules numbered from `first`.
 */
export function rootRedirectRules(r: AppliedHostRule | undefined, entries: readonly HostPath[], ports: VsPorts, setName: string, first: number): Record<string, unknown>[] {
  if (!applies(r) || !r.applicationRootPath || !entries.some(isRoot)) return [];
  return ports.map((p, i) => ({
    name: `${setName}-${first + i}`,
    index: first + i,
    enable: true,
    match: { path: { match_criteria: 'EQUALS', match_case: 'SENSITIVE', match_str: ['/'] }, vs_port: { match_criteria: 'IS_IN', ports: [p.port] } },
    redirect_action: {
      protocol: p.ssl ? 'HTTPS' : 'HTTP',
      port: p.port,
      status_code: 'HTTP_REDIRECT_STATUS_CODE_302',
      path: { type: 'URI_PARAM_TYPE_TOKENIZED', tokens: [{ type: 'URI_TOKEN_TYPE_STRING', str_value: r.applicationRootPath!.slice(1) }] },
    },
  }));
}
