/**
 * autoFQDN for L4 Services (spec ako.md §1 "autoFQDN for L4"): `default` -> `<svc>.<ns>.<subdomain>`,
 * `flat` -> `<svc>-<ns>.<subdomain>` (shortened to one 63-char DNS label), anything else disables it.
 * Labels that are not RFC 1035 get the prefix `s` (service) or `n` (namespace) when that makes them valid.
 */
import type { AkoConfig } from './config.js';

export const EXTERNAL_DNS_ANNOTATION = 'external-dns.alpha.kubernetes.io/hostname';
const DNS_LABEL_LENGTH = 63;
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const isRfc1035Label = (s: string): boolean => s.length <= DNS_LABEL_LENGTH && RFC1035.test(s);

/** `CorrectLabelToSatisfyRFC1035`: prefix the label only if that makes it valid; otherwise leave it as is. */
export function correctLabel(label: string, prefix: string): string {
  if (isRfc1035Label(label)) return label;
  return isRfc1035Label(prefix + label) ? prefix + label : label;
}

/** `CheckAndShortenLabelToFollowRFC1035`: fit `<name>-<namespace>` into one 63-char label. */
export function shortenFlat(name: string, namespace: string): [string, string] {
  if (name.length + namespace.length + 1 <= DNS_LABEL_LENGTH) return [name, namespace];
  let ns = namespace;
  let forName = DNS_LABEL_LENGTH - ns.length - 1;
  if (forName <= 0) {
    const forNs = DNS_LABEL_LENGTH - name.length - 1;
    ns = forNs <= 0 ? ns.slice(0, 48) : ns.slice(0, forNs);
    while (ns.endsWith('-')) ns = ns.slice(0, -1);
    forName = DNS_LABEL_LENGTH - ns.length - 1;
  }
  return [name.length > forName ? name.slice(0, forName) : name, ns];
}

/** The sub-domain for autoFQDN: defaultDomain if the DNS profile has it, else the first (sorted); leading '.' dropped. */
export function autoFqdnSubdomain(c: Pick<AkoConfig, 'dnsDomains' | 'defaultDomain'>): string | undefined {
  if (c.dnsDomains.length === 0) return undefined;
  const sorted = [...c.dnsDomains].sort();
  const chosen = c.defaultDomain && sorted.includes(c.defaultDomain) ? c.defaultDomain : sorted[0]!;
  return chosen.startsWith('.') ? chosen.slice(1) : chosen;
}

export type AutoFqdnFormat = 'default' | 'flat' | 'disabled';

export function autoFqdnFormat(value: string): AutoFqdnFormat {
  return value === 'default' || value === 'flat' ? value : 'disabled';
}

/** The FQDNs of an L4 Service's VsVip `dns_info` (external-dns annotation wins over autoFQDN, both need autoFQDN on). */
export function l4Fqdns(c: AkoConfig, namespace: string, name: string, annotations: Readonly<Record<string, string>>): string[] {
  const format = autoFqdnFormat(c.autoFQDN);
  if (format === 'disabled') return [];
  const external = annotations[EXTERNAL_DNS_ANNOTATION];
  if (external !== undefined) return [external];
  const sub = autoFqdnSubdomain(c);
  if (sub === undefined) return [];
  const svc = correctLabel(name, 's');
  const ns = correctLabel(namespace, 'n');
  if (format === 'default') return [`${svc}.${ns}.${sub}`];
  const [s, n] = shortenFlat(svc, ns);
  return [`${s}-${n}.${sub}`];
}
