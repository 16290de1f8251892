// Which sockets the data plane should hold, pure: one listener per (protocol, VIP, port) of every enabled virtual
// service with a VsVip address, HTTP(S) for HTTP application profiles, raw TCP/UDP otherwise. A VS that cannot be
// served (non-loopback VIP, a port another VS holds, a huge port range) gets an issue instead.

import { isLoopback } from './balance.js';
import { deref, type Lookup, type Obj } from './routing.js';

export interface ListenerSpec {
  /** `tcp:127.100.0.10:80` */
  readonly key: string;
  readonly proto: 'tcp' | 'udp';
  readonly ip: string;
  readonly port: number;
  readonly vsUuid: string;
  readonly vsName: string;
  readonly mode: 'http' | 'l4';
  readonly tls: boolean;
}

export interface ListenerPlan {
  readonly listeners: ListenerSpec[];
  /** VS uuid -> why (part of) it is not served. */
  readonly issues: Map<string, string[]>;
}

/** More ports than this in one `services[]` entry are not bound. */
export const MAX_PORT_RANGE = 64;

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function vipAddresses(lookup: Lookup, vs: Obj): string[] {
  const vsvip = deref(lookup, vs.vsvip_ref);
  const vips = list(vsvip?.vip ?? vs.vip);
  const out: string[] = [];
  for (const v of vips) {
    if (v.enabled === false) continue;
    const a = (v.ip_address as Obj | undefined)?.addr;
    if (typeof a === 'string' && a !== '' && !out.includes(a)) out.push(a);
  }
  return out;
}

function isHttp(lookup: Lookup, vs: Obj): boolean {
  const prof = deref(lookup, vs.application_profile_ref);
  // No profile: the controller's default is System-HTTP.
  return prof === undefined ? vs.application_profile_ref === undefined : prof.type === 'APPLICATION_PROFILE_TYPE_HTTP';
}

function isUdp(lookup: Lookup, ref: unknown): boolean {
  const prof = deref(lookup, ref);
  const t = (prof?.profile as Obj | undefined)?.type;
  return typeof t === 'string' && t.includes('UDP');
}

export function planListeners(vses: readonly Obj[], lookup: Lookup): ListenerPlan {
  const listeners = new Map<string, ListenerSpec>();
  const issues = new Map<string, string[]>();
  const issue = (vs: Obj, msg: string) => {
    const u = String(vs.uuid);
    issues.set(u, [...(issues.get(u) ?? []), msg]);
  };
  for (const vs of vses) {
    if (vs.enabled === false || vs.traffic_enabled === false || vs.type === 'VS_TYPE_VH_CHILD') continue;
    const ips = vipAddresses(lookup, vs);
    if (ips.length === 0) continue;
    const http = isHttp(lookup, vs);
    for (const ip of ips) {
      if (!isLoopback(ip)) {
        issue(vs, `VIP ${ip} is not a loopback address; the local data plane does not serve it`);
        continue;
      }
      for (const svc of list(vs.services)) {
        const port = Number(svc.port);
        const end = svc.port_range_end === undefined ? port : Number(svc.port_range_end);
        if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(end) || end < port || end > 65535) {
          issue(vs, `service port ${String(svc.port)}-${String(svc.port_range_end)} is not a valid port range`);
          continue;
        }
        if (end - port + 1 > MAX_PORT_RANGE) {
          issue(vs, `service ports ${port}-${end}: more than ${MAX_PORT_RANGE} ports are not bound by the local data plane`);
          continue;
        }
        const proto: 'tcp' | 'udp' = !http && isUdp(lookup, svc.override_network_profile_ref ?? vs.network_profile_ref) ? 'udp' : 'tcp';
        for (let p = port; p <= end; p++) {
          const key = `${proto}:${ip}:${p}`;
          const holder = listeners.get(key);
          if (holder) {
            if (holder.vsUuid !== vs.uuid) issue(vs, `${proto} ${ip}:${p} is already served by virtual service ${holder.vsName}`);
            continue;
          }
          listeners.set(key, { key, proto, ip, port: p, vsUuid: String(vs.uuid), vsName: String(vs.name), mode: http ? 'http' : 'l4', tls: http && svc.enable_ssl === true });
        }
      }
    }
  }
  return { listeners: [...listeners.values()], issues };
}
