// Older field spellings still sent by clients (AKO mocks, pre-20.1.3 controllers), rewritten to the
// current model before unknown fields are dropped (spec pitfall 14).

type Obj = Record<string, unknown>;

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Obj[]) : [];
}

export function migrateLegacy(type: string, obj: Obj): void {
  if (type === 'network') {
    for (const s of list(obj.configured_subnets)) {
      if (s.static_ranges !== undefined && s.static_ip_ranges === undefined) {
        s.static_ip_ranges = list(s.static_ranges).map((r) => ({ range: { begin: r.begin, end: r.end }, type: 'STATIC_IPS_FOR_VIP_AND_SE' }));
      }
      delete s.static_ranges;
    }
  }
  if (type === 'ipamdnsproviderprofile') {
    const internal = obj.internal_profile as Obj | undefined;
    if (internal && Array.isArray(internal.usable_network_refs)) {
      if (internal.usable_networks === undefined) internal.usable_networks = internal.usable_network_refs.map((nw_ref) => ({ nw_ref }));
      delete internal.usable_network_refs;
    }
  }
}
