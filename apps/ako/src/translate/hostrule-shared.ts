/**
 * A HostRule on a shared parent VS (an SNI shard or an EVH parent), as the Go AKO 2.2.1 applies one (its
 * docs/crds/hostrule.md "Configure TCP Settings", internal/nodes: `BuildL7HostRule` called with the shared VS's
 * FQDN, or its name when it has none): a rule whose fqdn matches the shard's FQDN (Exact, Wildcard, or Contains
 * with e.g. the shard name) sets its tcpSettings (listeners in place of ports 80/443, loadBalancerIP as the VIP) and
 * its VS fields, HTTP policy sets, datascripts and Avi certificates on the parent.
 *
 * Ours: only a rule of AKO's own namespace applies to a shared VS (every team's hosts are on it); a rule of another
 * namespace matching it gets a NotApplied warning, as does a Secret certificate (not built for a shared VS).
 */
import type { AkoConfig } from './config.js';
import { autoFqdnFormat, autoFqdnSubdomain } from './fqdn.js';
import { hostRuleFor, hostRulesMatching, ruleRef, tcpServices, type AppliedHostRule, type VsService } from './hostrule.js';
import type { SnapshotIndex } from './snapshot.js';
import { warning, type ObjectWarning } from './warnings.js';
import { withHostRule } from './l7-host.js';
import { serviceMetadata } from './common.js';

/** The shared VS's own FQDN in its VsVip (autoFQDN), if any. */
export function sharedVsFqdn(c: AkoConfig, tenant: string, vsName: string): string | undefined {
  const sub = autoFqdnSubdomain(c);
  const fmt = autoFqdnFormat(c.autoFQDN);
  if (sub === undefined || fmt === 'disabled') return undefined;
  const dnsTenant = tenant.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return fmt === 'flat' ? `${vsName}-${dnsTenant}.${sub}` : `${vsName}.${dnsTenant}.${sub}`;
}

/** The accepted HostRule of AKO's namespace for a shared VS, and warnings for the rules matching it that do not apply. */
export function sharedVsRule(idx: SnapshotIndex, c: AkoConfig, vsName: string, ruleTenant = c.tenant): { rule?: AppliedHostRule; warnings: ObjectWarning[] } {
  const fqdn = sharedVsFqdn(c, c.tenant, vsName) ?? vsName;
  const warnings: ObjectWarning[] = [];
  for (const r of hostRulesMatching(idx, fqdn)) {
    const rns = r.metadata?.namespace ?? '';
    if (rns !== c.akoNamespace) {
      warnings.push(warning('HostRule', rns, r.metadata?.name ?? '', 'NotApplied', `the shared virtual service ${vsName} (${fqdn}) takes a HostRule of AKO's namespace ${c.akoNamespace} only`));
    }
  }
  // As the Go AKO: a rule applies to a VS of its namespace's tenant only (`ruleTenant`: AKO's namespace's tenant).
  if (ruleTenant !== c.tenant) {
    for (const r of hostRulesMatching(idx, fqdn).filter((x) => x.metadata?.namespace === c.akoNamespace)) {
      warnings.push(warning('HostRule', c.akoNamespace, r.metadata?.name ?? '', 'NotApplied', `the shared virtual service ${vsName} is in tenant ${c.tenant}, the HostRule's namespace in tenant ${ruleTenant}`));
    }
    return { warnings };
  }
  const rule = hostRuleFor(idx, fqdn, (n) => n === c.akoNamespace, c.akoNamespace, c.enableEVH);
  if (rule?.certSecret) {
    const [ns, name] = rule.key.split('/');
    warnings.push(warning('HostRule', ns ?? '', name ?? '', 'NotApplied', `tls.sslKeyCertificate of type secret is not applied to the shared virtual service ${vsName}`));
  }
  return { ...(rule ? { rule } : {}), warnings };
}

/** A shared parent VS with its HostRule applied: services, VS fields, policies, datascripts, Avi certificates, crd_status. */
export function withSharedVsRule(rule: AppliedHostRule | undefined, vs: Record<string, unknown>): Record<string, unknown> {
  if (!rule) return vs;
  const out = withHostRule({ host: '', entries: [], rule }, vs);
  out.services = tcpServices(rule, (vs.services as VsService[] | undefined) ?? []);
  // Beside the certificates the parent already holds (an EVH parent's children's).
  const own = (vs.ssl_key_and_certificate_refs as string[] | undefined) ?? [];
  if (rule.certRefs) out.ssl_key_and_certificate_refs = [...new Set([...own, ...rule.certRefs.map((n) => ruleRef('sslkeyandcertificate', n))])];
  out.service_metadata = serviceMetadata({ crd_status: { type: 'HostRule', value: rule.key, status: 'ACTIVE' } });
  return out;
}

/**
 * A HostRule with tcpSettings or a networkSecurityPolicy applied to a host on a child VS (SNI or EVH): the Go AKO sets
 * neither there (docs: "does not have any effect on child VSes"; it warns for the policy); a NotApplied warning each.
 */
export function childParentOnlyWarnings(plans: readonly { readonly host: string; readonly rule?: AppliedHostRule }[]): ObjectWarning[] {
  return plans.flatMap((p) => {
    const r = p.rule;
    if (!r) return [];
    const [ns, name] = r.key.split('/');
    const fields = [...(r.tcp ? ['tcpSettings'] : []), ...(r.vsFields.network_security_policy_ref !== undefined ? ['networkSecurityPolicy'] : [])];
    return fields.map((f) => warning('HostRule', ns ?? '', name ?? '', 'NotApplied', `${f} applies to a shared or dedicated virtual service only: not applied to the child virtual service of ${p.host}`));
  });
}
