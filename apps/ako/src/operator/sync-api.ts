// What AKO adds to avi-sync's SDK adapter: a VsVip rewrite keeps the addresses the controller allocated.
import type { AviBody } from '@avi-k8s/avi-sync';

type Obj = Record<string, unknown>;

/** Keeps the addresses the controller allocated when a VsVip is rewritten (a PUT must not move a VIP). */
export function keepAllocatedAddresses(desired: AviBody, current: AviBody): AviBody {
  const currentVips = Array.isArray(current.vip) ? (current.vip as Obj[]) : [];
  if (!Array.isArray(desired.vip)) return desired;
  const vip = (desired.vip as Obj[]).map((v) => {
    const now = currentVips.find((c) => String(c.vip_id ?? '0') === String(v.vip_id ?? '0'));
    if (!now || !v.auto_allocate_ip) return v;
    const kept: Obj = { ...v };
    // Only the families the vip asks for (auto_allocate_ip_type, default V4_ONLY): a v6cidr removed drops the IPv6 VIP.
    const type = (v.auto_allocate_ip_type as string | undefined) ?? 'V4_ONLY';
    if (!kept.ip_address && now.ip_address && type !== 'V6_ONLY') kept.ip_address = now.ip_address;
    if (!kept.ip6_address && now.ip6_address && type !== 'V4_ONLY') kept.ip6_address = now.ip6_address;
    return kept;
  });
  return { ...desired, vip };
}
