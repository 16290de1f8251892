// Objects present on a fresh controller (spec §4), created through the normal write path at first start,
// plus objects from a seed file (JSON or YAML: `{defaults?: boolean, objects: [{type, data}]}`), created or,
// when the name exists, merged into the existing object.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Ctl } from './context.js';
import type { Obj, Tx } from './store/store.js';
import { create, update } from './objects/write.js';
import { findRef } from './objects/resolve.js';
import { parseRef } from './objects/refs.js';
import { defaultRoles } from './seed-roles.js';

export interface SeedObject {
  type: string;
  data: Obj;
  uuid?: string;
}

export interface SeedFile {
  /** Create the default objects too (default true). */
  defaults?: boolean;
  objects?: SeedObject[];
}

export interface VipNetwork {
  name: string;
  /** e.g. 127.100.0.0/24 */
  subnet: string;
  begin: string;
  end: string;
}

export const DEFAULT_VIP_NETWORK: VipNetwork = { name: 'vip-network', subnet: '127.100.0.0/24', begin: '127.100.0.10', end: '127.100.0.250' };
export const DEFAULT_DNS_DOMAIN = 'avi.internal';

export interface SeedContext {
  clusterUuid: string;
  clusterName: string;
  nodeAddress: string;
  certPem: string;
  caPem: string;
  vipNetwork: VipNetwork;
  dnsDomain: string;
}

const v4 = (addr: string) => ({ addr, type: 'V4' });

export class SeedError extends Error {}

export function readSeedFile(path: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(`cannot read seed file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SeedError(`seed file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SeedError(`seed file ${path}: expected an object with "objects"`);
  const f = parsed as SeedFile;
  if (f.objects !== undefined && !Array.isArray(f.objects)) throw new SeedError(`seed file ${path}: "objects" must be a list`);
  for (const [i, o] of (f.objects ?? []).entries()) {
    if (typeof o?.type !== 'string' || typeof o.data !== 'object' || o.data === null || typeof o.data.name !== 'string') {
      throw new SeedError(`seed file ${path}: objects[${i}] must be {type: string, data: {name: string, ...}}`);
    }
  }
  return f;
}

export function defaultSeed(c: SeedContext): SeedObject[] {
  const [netAddr, mask] = c.vipNetwork.subnet.split('/');
  const cloud = { cloud_ref: '/api/cloud?name=Default-Cloud' };
  const hm = (name: string, type: string, extra: Obj, timing: [number, number, number, number], federated = false): SeedObject => ({
    type: 'healthmonitor',
    data: { name, type, send_interval: timing[0], receive_timeout: timing[1], successful_checks: timing[2], failed_checks: timing[3], is_federated: federated, ...extra },
  });
  const httpMon = { http_request: 'HEAD / HTTP/1.0', http_response_code: ['HTTP_2XX', 'HTTP_3XX'], exact_http_request: false };
  const app = (name: string, type: string, extra: Obj = {}): SeedObject => ({ type: 'applicationprofile', data: { name, type, ...extra } });
  const net = (name: string, type: string): SeedObject => ({ type: 'networkprofile', data: { name, profile: { type } } });
  const persist = (name: string, persistence_type: string): SeedObject => ({ type: 'applicationpersistenceprofile', data: { name, persistence_type } });
  const cert = (name: string, type = 'SSL_CERTIFICATE_TYPE_SYSTEM', pem = c.certPem): SeedObject => ({
    type: 'sslkeyandcertificate',
    data: { name, type, certificate: { certificate: pem }, format: 'SSL_PEM', status: 'SSL_CERTIFICATE_FINISHED' },
  });
  return [
    { type: 'tenant', uuid: 'admin', data: { name: 'admin', local: true, description: 'Default tenant' } },
    {
      type: 'systemconfiguration',
      uuid: 'default',
      data: {
        name: 'default',
        default_license_tier: 'ENTERPRISE',
        portal_configuration: { allow_basic_authentication: false, api_force_timeout: 24, use_uuid_from_input: false },
      },
    },
    { type: 'controllerproperties', uuid: 'controllerproperties', data: { name: 'controllerproperties', api_idle_timeout: 15 } },
    {
      type: 'cluster',
      uuid: c.clusterUuid,
      data: { name: c.clusterName, nodes: [{ name: c.nodeAddress, ip: v4(c.nodeAddress), vm_hostname: 'avi-controller' }] },
    },
    { type: 'user', uuid: 'user-1', data: { name: 'admin', username: 'admin', full_name: 'System Administrator', is_superuser: true, local: true, default_tenant_ref: '/api/tenant/admin' } },
    ...defaultRoles(),
    { type: 'cloud', data: { name: 'Default-Cloud', vtype: 'CLOUD_NONE' } },
    { type: 'vrfcontext', data: { name: 'global', system_default: true, ...cloud } },
    { type: 'vrfcontext', data: { name: 'management', system_default: true, ...cloud } },
    { type: 'serviceenginegroup', data: { name: 'Default-Group', ...cloud } },
    {
      type: 'network',
      data: {
        name: c.vipNetwork.name,
        ...cloud,
        dhcp_enabled: false,
        configured_subnets: [
          {
            prefix: { ip_addr: v4(netAddr!), mask: Number(mask) },
            static_ip_ranges: [{ range: { begin: v4(c.vipNetwork.begin), end: v4(c.vipNetwork.end) }, type: 'STATIC_IPS_FOR_VIP' }],
          },
        ],
      },
    },
    {
      type: 'ipamdnsproviderprofile',
      data: { name: 'avi-ipam', type: 'IPAMDNS_TYPE_INTERNAL', internal_profile: { usable_networks: [{ nw_ref: `/api/network?name=${c.vipNetwork.name}` }] } },
    },
    {
      type: 'ipamdnsproviderprofile',
      data: { name: 'avi-dns', type: 'IPAMDNS_TYPE_INTERNAL_DNS', internal_profile: { dns_service_domain: [{ domain_name: c.dnsDomain, pass_through: true }], ttl: 30 } },
    },
    {
      type: 'cloud',
      data: { name: 'Default-Cloud', vtype: 'CLOUD_NONE', ipam_provider_ref: '/api/ipamdnsproviderprofile?name=avi-ipam', dns_provider_ref: '/api/ipamdnsproviderprofile?name=avi-dns' },
    },
    app('System-HTTP', 'APPLICATION_PROFILE_TYPE_HTTP', { http_profile: {} }),
    app('System-Secure-HTTP', 'APPLICATION_PROFILE_TYPE_HTTP', { http_profile: { http_to_https: true, secure_cookie_enabled: true } }),
    app('System-Secure-HTTP-No-Secure-Cookies', 'APPLICATION_PROFILE_TYPE_HTTP', { http_profile: { http_to_https: true } }),
    app('System-Secure-HTTP-VDI', 'APPLICATION_PROFILE_TYPE_HTTP', { http_profile: { http_to_https: true } }),
    app('System-HTTP-Multiplex-Disabled', 'APPLICATION_PROFILE_TYPE_HTTP', { http_profile: { connection_multiplexing_enabled: false } }),
    app('System-L4-Application', 'APPLICATION_PROFILE_TYPE_L4'),
    app('System-L4-Application-UDP', 'APPLICATION_PROFILE_TYPE_L4'),
    app('System-SSL-Application', 'APPLICATION_PROFILE_TYPE_SSL'),
    app('System-SSL-Bridge', 'APPLICATION_PROFILE_TYPE_SSL'),
    app('System-DNS', 'APPLICATION_PROFILE_TYPE_DNS'),
    app('System-Syslog', 'APPLICATION_PROFILE_TYPE_SYSLOG'),
    net('System-TCP-Proxy', 'PROTOCOL_TYPE_TCP_PROXY'),
    net('System-TCP-Fast-Path', 'PROTOCOL_TYPE_TCP_FAST_PATH'),
    net('System-UDP-Fast-Path', 'PROTOCOL_TYPE_UDP_FAST_PATH'),
    net('System-UDP-Fast-Path-VDI', 'PROTOCOL_TYPE_UDP_FAST_PATH'),
    net('System-UDP-Per-Pkt', 'PROTOCOL_TYPE_UDP_FAST_PATH'),
    net('System-UDP-No-SNAT', 'PROTOCOL_TYPE_UDP_FAST_PATH'),
    net('System-SCTP-Proxy', 'PROTOCOL_TYPE_SCTP_PROXY'),
    hm('System-HTTP', 'HEALTH_MONITOR_HTTP', { http_monitor: httpMon }, [10, 4, 3, 3]),
    hm('System-HTTPS', 'HEALTH_MONITOR_HTTPS', { https_monitor: httpMon }, [10, 4, 3, 3]),
    hm('System-Ping', 'HEALTH_MONITOR_PING', {}, [10, 4, 2, 2]),
    hm('System-TCP', 'HEALTH_MONITOR_TCP', { tcp_monitor: { tcp_half_open: false } }, [10, 4, 2, 2]),
    hm('System-UDP', 'HEALTH_MONITOR_UDP', { udp_monitor: { udp_request: 'EnterYourRequestDataHere' } }, [4, 2, 2, 2]),
    hm('System-DNS', 'HEALTH_MONITOR_DNS', {}, [6, 4, 2, 2]),
    hm('System-SCTP', 'HEALTH_MONITOR_SCTP', {}, [10, 4, 2, 2]),
    hm('System-Xternal-Perl', 'HEALTH_MONITOR_EXTERNAL', {}, [30, 10, 2, 2]),
    hm('System-Xternal-Shell', 'HEALTH_MONITOR_EXTERNAL', {}, [30, 10, 2, 2]),
    hm('System-Xternal-Python', 'HEALTH_MONITOR_EXTERNAL', {}, [30, 10, 2, 2]),
    hm('System-PingAccessAgent', 'HEALTH_MONITOR_HTTP', { http_monitor: httpMon }, [10, 4, 2, 2]),
    hm('System-GSLB-Ping', 'HEALTH_MONITOR_PING', {}, [10, 4, 2, 2], true),
    hm('System-GSLB-TCP', 'HEALTH_MONITOR_TCP', { monitor_port: 80, tcp_monitor: { tcp_half_open: false } }, [10, 4, 2, 2], true),
    hm('System-GSLB-HTTP', 'HEALTH_MONITOR_HTTP', { monitor_port: 80, http_monitor: httpMon }, [10, 4, 3, 3], true),
    hm('System-GSLB-HTTPS', 'HEALTH_MONITOR_HTTPS', { monitor_port: 443, https_monitor: httpMon }, [10, 4, 3, 3], true),
    hm('System-GSLB-UDP', 'HEALTH_MONITOR_UDP', { monitor_port: 443, udp_monitor: { udp_request: 'EnterYourRequestDataHere' } }, [4, 2, 2, 2], true),
    persist('System-Persistence-Client-IP', 'PERSISTENCE_TYPE_CLIENT_IP_ADDRESS'),
    persist('System-Persistence-Http-Cookie', 'PERSISTENCE_TYPE_HTTP_COOKIE'),
    persist('System-Persistence-Custom-Http-Header', 'PERSISTENCE_TYPE_CUSTOM_HTTP_HEADER'),
    persist('System-Persistence-App-Cookie', 'PERSISTENCE_TYPE_APP_COOKIE'),
    persist('System-Persistence-TLS', 'PERSISTENCE_TYPE_TLS'),
    { type: 'sslprofile', data: { name: 'System-Standard' } },
    { type: 'sslprofile', data: { name: 'System-Standard-PFS' } },
    { type: 'analyticsprofile', data: { name: 'System-Analytics-Profile' } },
    cert('System-Default-Root-CA', 'SSL_CERTIFICATE_TYPE_CA', c.caPem),
    cert('System-Default-Cert'),
    cert('System-Default-Cert-EC'),
    cert('System-Default-Portal-Cert'),
    cert('System-Default-Portal-Cert-EC256'),
    cert('System-Default-Secure-Channel-Cert'),
    { type: 'wafpolicy', data: { name: 'System-WAF-Policy' } },
    { type: 'protocolparser', data: { name: 'Default-TLS' } },
    {
      type: 'gslb',
      data: {
        name: 'Default',
        leader_cluster_uuid: c.clusterUuid,
        sites: [
          {
            name: c.clusterName,
            cluster_uuid: c.clusterUuid,
            username: 'admin',
            ip_addresses: [v4(c.nodeAddress)],
            member_type: 'GSLB_ACTIVE_MEMBER',
            enabled: true,
          },
        ],
        dns_configs: [{ domain_name: c.dnsDomain }],
      },
    },
  ];
}

/** Creates (or merges by name into) each seed object, in order, within `tx`. */
export function applySeed(ctl: Ctl, tx: Tx, objects: readonly SeedObject[]): void {
  for (const o of objects) {
    const meta = ctl.registry.get(o.type);
    if (!meta) throw new SeedError(`seed object ${o.data.name as string}: unknown type ${o.type}`);
    const cloudRef = typeof o.data.cloud_ref === 'string' ? parseRef(o.data.cloud_ref) : undefined;
    const cloud = cloudRef ? findRef(ctl, cloudRef, 'admin', undefined) : undefined;
    const cloudUuid = cloud?.obj.uuid as string | undefined;
    const existing =
      (o.uuid ? ctl.store.get(o.uuid) : undefined) ??
      findRef(ctl, { type: o.type, name: o.data.name as string }, 'admin', meta.cloudScoped ? (cloudUuid ?? defaultCloud(ctl)) : undefined);
    try {
      if (existing && existing.type === o.type) update(ctl, tx, meta, existing, { ...existing.obj, ...o.data }, { tenant: 'admin' });
      else create(ctl, tx, meta, o.data, { tenant: 'admin', ...(o.uuid ? { forceUuid: o.uuid } : {}) });
    } catch (e) {
      throw new SeedError(`seed object ${o.type} ${o.data.name as string}: ${(e as Error).message}`);
    }
  }
}

function defaultCloud(ctl: Ctl): string | undefined {
  return ctl.store.findByName('cloud', 'admin', 'Default-Cloud')?.obj.uuid as string | undefined;
}
