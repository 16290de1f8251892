// AMKO-created federated health monitors (spec amko.md §4.4): one per (path, protocol) of an Ingress GslbService,
// or one TCP/UDP monitor for a LoadBalancer Service GslbService.
import type { AviBody } from '@avi-k8s/avi-sync';
import type { HostMeta } from './members.js';
import type { HealthMonitorFact } from './types.js';
import { createdBy, pathHmName, serviceHmName, tenantRef } from './names.js';

export interface HmSpec {
  name: string;
  body: AviBody;
}

function common(name: string, tenant: string, amkoUuid: string, description: string): AviBody {
  return {
    name,
    is_federated: true,
    send_interval: 10,
    receive_timeout: 4,
    successful_checks: 3,
    failed_checks: 3,
    allow_duplicate_monitors: true,
    markers: [{ key: 'created-by', values: [createdBy(amkoUuid)] }],
    tenant_ref: tenantRef(tenant),
    description,
  };
}

export interface HmTemplate {
  name: string;
  fact: HealthMonitorFact;
}

/** The request line for `path`: the template's with its second token replaced, else HEAD <path> HTTP/1.0. */
function requestLine(path: string, template: HmTemplate | undefined): string {
  const tokens = template?.fact.httpRequest?.trim().split(/\s+/);
  return tokens?.length === 3 ? `${tokens[0]} ${path} ${tokens[2]}` : `HEAD ${path} HTTP/1.0`;
}

/**
 * The monitors AMKO owns for one GslbService built from `metas` (all the same kind of source). A template (an
 * HTTP/HTTPS federated monitor) shapes the path monitors of Ingress GslbServices: its request line and codes.
 */
export function defaultHealthMonitors(gsName: string, tenant: string, amkoUuid: string, metas: readonly HostMeta[], template?: HmTemplate): HmSpec[] {
  const ingresses = metas.filter((m) => m.kind === 'INGRESS');
  if (ingresses.length > 0) {
    const protocol = ingresses.some((m) => m.tls) ? 'https' : 'http';
    const paths = [...new Set(ingresses.flatMap((m) => m.paths))].sort();
    return paths.map((path) => {
      const name = pathHmName(protocol, gsName, path);
      const monitor = { http_request: requestLine(path, template), http_response_code: [...(template?.fact.httpResponseCodes ?? ['HTTP_2XX', 'HTTP_3XX'])] };
      const from = template ? `, created from: ${template.name}` : '';
      return {
        name,
        body: {
          ...common(name, tenant, amkoUuid, `created by: amko, gsname: ${gsName}, path: ${path}, protocol: ${protocol}${from}`),
          type: protocol === 'https' ? 'HEALTH_MONITOR_HTTPS' : 'HEALTH_MONITOR_HTTP',
          monitor_port: protocol === 'https' ? 443 : 80,
          ...(protocol === 'https' ? { https_monitor: monitor } : { http_monitor: monitor }),
        },
      };
    });
  }
  const services = metas.filter((m) => m.kind === 'LBSVC');
  if (services.length === 0) return [];
  const port = Math.min(...services.map((m) => m.port ?? 0));
  const udp = services.find((m) => m.port === port)?.protocol === 'UDP';
  const name = serviceHmName(gsName);
  return [
    {
      name,
      body: {
        ...common(name, tenant, amkoUuid, `created by: amko, gsname: ${gsName}`),
        type: udp ? 'HEALTH_MONITOR_UDP' : 'HEALTH_MONITOR_TCP',
        monitor_port: port,
        ...(udp ? { udp_monitor: { udp_request: 'created_by: amko, request string not required' } } : { tcp_monitor: { tcp_half_open: false } }),
      },
    },
  ];
}
