/**
 * HTTPRule (ako.vmware.com v1beta1/v1alpha1, spec ako.md "CRD HTTPRule"): per host (fqdn) and path (target, the
 * longest target that prefixes a pool's Ingress path wins) pool settings: load-balancing algorithm and hash, health
 * monitors, persistence, re-encryption to the backend (SSL profile; a PKI profile by name, or one made from
 * destinationCA), HTTP/2. Pure: rules and Snapshot.aviRefs in; verdicts, pool fields and PKI profiles out.
 */
import type { DesiredObject } from '@avi-k8s/avi-sync';
import { desiredObject } from './checksum.js';
import { accepted, rejected, tenantRef, type Verdict } from './common.js';
import type { AkoConfig } from './config.js';
import { ruleRef } from './hostrule.js';
import { akoUser } from './names.js';
import { cmp, type SnapshotIndex } from './snapshot.js';

export interface HttpRulePath {
  readonly target?: string;
  readonly loadBalancerPolicy?: { readonly algorithm?: string; readonly hash?: string; readonly hostHeader?: string };
  readonly healthMonitors?: readonly string[];
  readonly applicationPersistence?: string;
  readonly tls?: { readonly type?: string; readonly sslProfile?: string; readonly destinationCA?: string; readonly pkiProfile?: string };
  readonly enableHTTP2?: boolean;
}

export interface HttpRuleObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly creationTimestamp?: string | Date };
  readonly spec?: { readonly fqdn?: string; readonly paths?: readonly HttpRulePath[] };
}

/** The SSL profile of a re-encrypting path without one (as the Go AKO). */
const DEFAULT_SSL_PROFILE = 'System-Standard';
const ns = (r: HttpRuleObject): string => r.metadata?.namespace ?? '';
const name = (r: HttpRuleObject): string => r.metadata?.name ?? '';

/** (Avi type, name) of the Avi objects a rule names. */
export function httpRuleAviRefs(spec: HttpRuleObject['spec']): [string, string][] {
  const out: [string, string][] = [];
  for (const p of spec?.paths ?? []) {
    for (const hm of p.healthMonitors ?? []) out.push(['healthmonitor', hm]);
    if (p.applicationPersistence) out.push(['applicationpersistenceprofile', p.applicationPersistence]);
    if (p.tls) out.push(['sslprofile', p.tls.sslProfile ?? DEFAULT_SSL_PROFILE]);
    if (p.tls?.pkiProfile) out.push(['pkiprofile', p.tls.pkiProfile]);
  }
  return out;
}

export function httpRuleProblem(idx: SnapshotIndex, r: HttpRuleObject): string | undefined {
  if (!r.spec?.fqdn) return 'fqdn is empty';
  for (const p of r.spec.paths ?? []) {
    if (p.tls?.pkiProfile && p.tls.destinationCA) return 'PKIProfile and DestinationCA fields are set in the HTTPRule. Only one of the field should be set.';
    if (p.tls && p.tls.type !== 'reencrypt') return `tls.type ${String(p.tls.type)} is not supported (reencrypt only)`;
  }
  const known = idx.snapshot.aviRefs ? new Set(idx.snapshot.aviRefs) : undefined;
  if (known) for (const [t, n] of httpRuleAviRefs(r.spec)) if (!known.has(`${t}/${n}`)) return `${t} "${n}" not found on controller`;
  return undefined;
}

export function httpRuleVerdict(idx: SnapshotIndex, r: HttpRuleObject): Verdict {
  const p = httpRuleProblem(idx, r);
  return p ? rejected('HTTPRule', ns(r), name(r), p) : accepted('HTTPRule', ns(r), name(r));
}

/** The accepted rule path for a host's Ingress path: the longest target prefixing it, of the oldest rule. */
export function httpRulePathFor(idx: SnapshotIndex, host: string, path: string): (HttpRulePath & { readonly ruleKey: string }) | undefined {
  const rules = (idx.snapshot.httpRules ?? [])
    .filter((r) => r.spec?.fqdn === host && httpRuleProblem(idx, r) === undefined)
    .sort((a, b) => cmp(String(a.metadata?.creationTimestamp ?? ''), String(b.metadata?.creationTimestamp ?? '')) || cmp(`${ns(a)}/${name(a)}`, `${ns(b)}/${name(b)}`));
  const p = path || '/';
  let best: HttpRulePath | undefined;
  for (const r of rules) {
    for (const rp of r.spec?.paths ?? []) {
      const t = rp.target ?? '';
      if (t && p.startsWith(t) && (!best || t.length > (best.target ?? '').length)) best = rp;
    }
    if (best) return { ...best, ruleKey: `${ns(r)}/${name(r)}` };
  }
  return undefined;
}

export const pkiProfileName = (poolName: string): string => `${poolName}-pkiprofile`;

/** Pool fields of a rule path (the PKI profile of destinationCA named after the pool). */
export function httpRulePoolFields(rp: HttpRulePath & { readonly ruleKey: string }, poolName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lb = rp.loadBalancerPolicy;
  if (lb?.algorithm) out.lb_algorithm = lb.algorithm;
  if (lb?.hash) out.lb_algorithm_hash = lb.hash;
  if (lb?.hostHeader) out.lb_algorithm_consistent_hash_hdr = lb.hostHeader;
  if ((rp.healthMonitors ?? []).length > 0) out.health_monitor_refs = rp.healthMonitors!.map((h) => ruleRef('healthmonitor', h));
  if (rp.applicationPersistence) out.application_persistence_profile_ref = ruleRef('applicationpersistenceprofile', rp.applicationPersistence);
  if (rp.tls) {
    out.sni_enabled = true;
    out.ssl_profile_ref = ruleRef('sslprofile', rp.tls.sslProfile ?? DEFAULT_SSL_PROFILE);
    if (rp.tls.pkiProfile) out.pki_profile_ref = ruleRef('pkiprofile', rp.tls.pkiProfile);
    else if (rp.tls.destinationCA) out.pki_profile_ref = ruleRef('pkiprofile', pkiProfileName(poolName));
  }
  if (rp.enableHTTP2) out.enable_http2 = true;
  return out;
}

/** The PKI profile AKO makes from a rule path's destinationCA. */
export function httpRulePki(c: AkoConfig, tenant: string, rp: HttpRulePath, poolName: string, markers: unknown): DesiredObject[] {
  if (!rp.tls?.destinationCA || rp.tls.pkiProfile) return [];
  const n = pkiProfileName(poolName);
  return [
    desiredObject(tenant, 'pkiprofile', n, {
      name: n,
      tenant_ref: tenantRef(tenant),
      created_by: akoUser(c),
      ca_certs: [{ certificate: rp.tls.destinationCA }],
      crl_check: false,
      markers,
    }),
  ];
}
