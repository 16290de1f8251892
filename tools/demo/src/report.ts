// What the demo prints: for each sample, its virtual service, VIP, hostnames and Kubernetes status.
import { request } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { createAviClient } from '@avi-k8s/avi-sdk';
import type { ControllerProcess } from '@avi-k8s/testbed';
import type { Sample } from './manifests.js';
import { formatTable } from './table.js';

export interface Row {
  cluster: string;
  object: string;
  virtualService: string;
  vip: string;
  hosts: string;
  traffic: string;
  ok: boolean;
}

function podOf(body: string): string | undefined {
  try {
    const pod = (JSON.parse(body) as { pod?: unknown }).pod;
    return typeof pod === 'string' ? pod : undefined;
  } catch {
    return undefined;
  }
}

/** One GET to http://VIP:80 with a Host header: whether the controller's data plane answers. */
function probe(ip: string, host: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: ip, port: 80, path: '/', headers: host ? { host } : {}, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      // A local backend answers "<name> served ...", a Pod of the echo image JSON naming the Pod.
      res.on('end', () => resolve(`${res.statusCode} ${podOf(body) ?? body.trim().split(' ')[0] ?? ''}`));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve('-'));
    req.end();
  });
}

export async function collectRows(cluster: string, kc: k8s.KubeConfig, ctl: ControllerProcess, namespace: string, samples: Sample[]): Promise<Row[]> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const networking = kc.makeApiClient(k8s.NetworkingV1Api);
  const avi = createAviClient({ controller: ctl.url, username: ctl.username, password: ctl.password, caPem: ctl.caPem });
  try {
    const rows: Row[] = [];
    for (const s of samples) {
      const obj = s.kind === 'Service' ? await core.readNamespacedService({ name: s.name, namespace }) : await networking.readNamespacedIngress({ name: s.name, namespace });
      const ingress = obj.status?.loadBalancer?.ingress ?? [];
      const map = JSON.parse(obj.metadata?.annotations?.['ako.vmware.com/host-fqdn-vs-uuid-map'] ?? '{}') as Record<string, string>;
      const vsNames: string[] = [];
      for (const uuid of new Set(Object.values(map))) {
        const vs = await avi.get('virtualservice', uuid).catch(() => undefined);
        if (vs?.name) vsNames.push(vs.name);
      }
      const ip = ingress[0]?.ip ?? '';
      const hosts = ingress.map((i) => i.hostname).filter((h): h is string => !!h);
      const traffic = ip ? await probe(ip, hosts[0]) : '-';
      const expectedHosts = s.hosts.every((h) => hosts.includes(h));
      rows.push({
        cluster,
        object: `${s.kind} ${namespace}/${s.name}`,
        virtualService: vsNames.join(', ') || '-',
        vip: ip || '-',
        hosts: hosts.join(', ') || '-',
        traffic,
        ok: ip !== '' && vsNames.length > 0 && expectedHosts,
      });
    }
    return rows;
  } finally {
    await avi.close();
  }
}

export function renderTable(rows: Row[]): string {
  const header = ['CLUSTER', 'OBJECT', 'VIRTUAL SERVICE', 'VIP', 'HOSTNAMES', 'HTTP :80', 'OK'];
  return formatTable(header, rows.map((r) => [r.cluster, r.object, r.virtualService, r.vip, r.hosts, r.traffic, r.ok ? 'yes' : 'NO']));
}
