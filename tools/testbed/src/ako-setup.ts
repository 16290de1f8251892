// What a platform team installs before AKO runs: its namespace, Secret avi-secret, and a values.yaml.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ControllerProcess } from './controller-process.js';

/** The VIP network the avi-controller seeds (loopback addresses, so VIPs can carry traffic on this machine). */
export const SEED_VIP_NETWORK = { networkName: 'vip-network', cidr: '127.100.0.0/24' };

/** Creates NAMESPACE (if missing) and Secret avi-secret in it with the controller's admin credentials and CA. */
export async function createAviSecret(kc: k8s.KubeConfig, namespace: string, ctl: Pick<ControllerProcess, 'username' | 'password' | 'caPem'>): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: 'avi-secret' },
      stringData: { username: ctl.username, password: ctl.password, certificateAuthorityData: ctl.caPem },
    },
  });
}

/** A values.yaml for AKO against this controller; `overrides` are merged per section. */
export function akoValuesYaml(controllerUrl: string, clusterName: string, overrides: Record<string, Record<string, unknown>> = {}): string {
  const values: Record<string, Record<string, unknown>> = {
    AKOSettings: { clusterName, logLevel: 'INFO', fullSyncFrequency: '0' },
    ControllerSettings: { controllerHost: controllerUrl, cloudName: 'Default-Cloud', serviceEngineGroupName: 'Default-Group', tenantName: 'admin' },
    NetworkSettings: { vipNetworkList: [SEED_VIP_NETWORK] },
    L7Settings: { shardVSSize: 'SMALL' },
    L4Settings: { autoFQDN: 'default' },
  };
  for (const [section, fields] of Object.entries(overrides)) values[section] = { ...values[section], ...fields };
  return JSON.stringify(values, null, 2); // JSON is YAML
}

/** Writes the values to a temporary file and returns its path. */
export function writeValuesFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ako-values-'));
  const path = join(dir, 'values.yaml');
  writeFileSync(path, yaml);
  return path;
}

/**
 * A controller seed object that gives the cloud's DNS profile (`avi-dns`) these sub-domains besides avi.internal:
 * AKO, as the Go AKO, serves only Ingress hosts in one of them.
 */
export function dnsDomainsSeed(domains: readonly string[]): { type: string; data: Record<string, unknown> } {
  const all = ['avi.internal', ...domains.filter((d) => d !== 'avi.internal')];
  return {
    type: 'ipamdnsproviderprofile',
    data: { name: 'avi-dns', type: 'IPAMDNS_TYPE_INTERNAL_DNS', internal_profile: { dns_service_domain: all.map((domain_name) => ({ domain_name, pass_through: true })), ttl: 30 } },
  };
}

/**
 * A loopback /24 of a test's own (its first three octets, e.g. "127.61.7"), the second octet in [from, from + span):
 * the data plane binds each VIP, so runs at the same time must not share VIP networks.
 */
export function randomLoopbackNet(from: number, span: number): string {
  return `127.${from + Math.floor(Math.random() * span)}.${Math.floor(Math.random() * 250)}`;
}

/** A controller seed object for VIP network NAME on NET.0/24 (VIPs .10-.250), replacing the seeded one by name. */
export function vipNetworkSeed(net: string, name = 'vip-network'): { type: string; data: Record<string, unknown> } {
  return {
    type: 'network',
    data: {
      name,
      dhcp_enabled: false,
      configured_subnets: [
        { prefix: { ip_addr: { addr: `${net}.0`, type: 'V4' }, mask: 24 }, static_ip_ranges: [{ range: { begin: { addr: `${net}.10`, type: 'V4' }, end: { addr: `${net}.250`, type: 'V4' } }, type: 'STATIC_IPS_FOR_VIP' }] },
      ],
    },
  };
}

/** Writes a controller seed file (`--seed`) with these objects and returns its path. */
export function writeSeedFile(objects: readonly { type: string; data: Record<string, unknown> }[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'avi-seed-')), 'seed.json');
  writeFileSync(path, JSON.stringify({ objects }));
  return path;
}
