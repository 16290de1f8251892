// Boot-time validation of the controller side (spec ako.md §3.1 steps 6-9 and 12): what must exist before AKO syncs.
import { AviError, nameFromRef, uuidFromRef, type AviClient } from '@avi-k8s/avi-sdk';
import type { AkoSettings } from '../config/settings.js';
import { staticRoutesEnabled } from './static-routes.js';
import type { ControllerFacts } from './translate-config.js';

/**
 * A failed check. `shutdown`: AKO cannot run (the Go AKO restarts; we exit non-zero). `disable-sync`: AKO stays up,
 * reports the problem and creates nothing.
 */
export class BootError extends Error {
  constructor(
    message: string,
    readonly action: 'shutdown' | 'disable-sync',
    readonly reason = action === 'shutdown' ? 'AKOShutdown' : 'SyncDisabled',
  ) {
    super(message);
    this.name = 'BootError';
  }
}

const HEALTHY_CLUSTER_STATES = ['CLUSTER_UP_NO_HA', 'CLUSTER_UP_HA_ACTIVE', 'CLUSTER_UP_HA_COMPROMISED'];
const PUBLIC_CLOUDS = ['CLOUD_AWS', 'CLOUD_AZURE', 'CLOUD_GCP', 'CLOUD_OPENSTACK'];

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);

async function one(client: AviClient, type: 'tenant' | 'cloud' | 'serviceenginegroup' | 'network' | 'vrfcontext', params: Record<string, string>, tenant: string): Promise<Obj | undefined> {
  const res = await client.list(type, { tenant, includeName: true, params, pageSize: 2 });
  return res.results[0] as Obj | undefined;
}

/** Logs in and checks the controller; returns the facts translate needs. Throws BootError. */
export async function checkController(client: AviClient, s: AkoSettings): Promise<ControllerFacts> {
  try {
    await client.login();
  } catch (err) {
    throw new BootError(`cannot log in to the Avi controller ${s.controllerHost}: ${(err as Error).message}`, 'shutdown');
  }
  const runtime = await client.request('GET', '/api/cluster/runtime');
  const state = String(get(runtime, 'cluster_state', 'state') ?? '');
  if (!HEALTHY_CLUSTER_STATES.includes(state)) throw new BootError(`Avi controller cluster is not up (state ${state || 'unknown'})`, 'shutdown');
  const sysconf = (await client.getSingleton('systemconfiguration')) as Obj;
  const licenseTier = String(sysconf.default_license_tier ?? 'ENTERPRISE');
  const clusterUuid = String(((await client.getSingleton('cluster')) as Obj).uuid ?? '');

  const tenant = s.tenantName;
  if (!(await one(client, 'tenant', { name: tenant }, 'admin'))) {
    throw new BootError(`tenant ${tenant} not found on the controller`, 'disable-sync');
  }
  const cloud = await one(client, 'cloud', { name: s.cloudName }, tenant);
  if (!cloud) throw new BootError(`cloud ${s.cloudName} not found on the controller`, 'shutdown');
  const vtype = String(cloud.vtype ?? '');
  if (!cloud.ipam_provider_ref && !PUBLIC_CLOUDS.includes(vtype)) {
    throw new BootError(`cloud ${s.cloudName} has no IPAM profile (ipam_provider_ref); AKO needs one to allocate VIPs`, 'shutdown');
  }
  // The Go AKO's IsValidV6Config: a v6cidr in vipNetworkList needs a cloud that takes IPv6 VIPs.
  if (s.vipNetworkList.some((n) => n.v6cidr) && !['CLOUD_VCENTER', 'CLOUD_NONE', 'CLOUD_NSXT'].includes(vtype)) {
    throw new BootError('IPv6 CIDR is only supported for vCenter Clouds', 'disable-sync');
  }
  if (s.nsxtT1LR && vtype !== 'CLOUD_NSXT') throw new BootError(`nsxtT1LR is set but cloud ${s.cloudName} is not an NSX-T cloud`, 'shutdown');
  const seg = await one(client, 'serviceenginegroup', { name: s.seGroupName, 'cloud_ref.name': s.cloudName }, tenant);
  if (!seg) throw new BootError(`service engine group ${s.seGroupName} not found in cloud ${s.cloudName}`, 'shutdown');
  if (staticRoutesEnabled(s)) await labelSeGroup(client, s, seg, tenant);

  if (s.vipNetworkList.length === 0) throw new BootError('No user input detected for vipNetworkList.', 'disable-sync');
  let derivedVrf: string | undefined;
  for (const net of s.vipNetworkList) {
    const found = net.networkUUID
      ? await one(client, 'network', { uuid: net.networkUUID }, tenant)
      : await one(client, 'network', { name: net.networkName ?? '', 'cloud_ref.name': s.cloudName }, tenant);
    if (!found) throw new BootError(`VIP network ${net.networkName ?? net.networkUUID} not found in cloud ${s.cloudName}`, 'disable-sync');
    derivedVrf ??= typeof found.vrf_context_ref === 'string' ? nameFromRef(found.vrf_context_ref) : undefined;
  }
  let vrfName = s.vrfName;
  if (vrfName) {
    if (!(await one(client, 'vrfcontext', { name: vrfName, 'cloud_ref.name': s.cloudName }, tenant))) {
      throw new BootError(`VRF ${vrfName} not found in cloud ${s.cloudName}`, 'shutdown');
    }
  } else {
    vrfName = s.serviceType === 'NodePort' ? 'global' : (derivedVrf ?? 'global');
  }

  const dnsDomains: string[] = [];
  if (typeof cloud.dns_provider_ref === 'string') {
    const uuid = uuidFromRef(cloud.dns_provider_ref);
    if (uuid) {
      const profile = (await client.get('ipamdnsproviderprofile', uuid, { tenant })) as Obj;
      for (const d of (get(profile, 'internal_profile', 'dns_service_domain') as Obj[] | undefined) ?? []) {
        if (typeof d.domain_name === 'string') dnsDomains.push(d.domain_name);
      }
    }
  }
  return { dnsDomains, licenseTier, vrfName, clusterUuid, cloudType: vtype };
}

const hasLabel = (seg: Obj, cluster: string): boolean | undefined => {
  const labels = Array.isArray(seg.labels) ? (seg.labels as Obj[]) : [];
  if (labels.length === 0) return undefined;
  return labels.some((l) => l.key === 'clustername' && l.value === cluster);
};

/**
 * ClusterIP mode: the SE group carries `labels: [{key: clustername, value: <cluster>}]` (the static routes of the VRF
 * are labelled the same, so its service engines use this cluster's routes). An unlabelled group is labelled by a PUT
 * of the whole object (a non-admin tenant may not write it: 403/400, then as admin; 412: read again and accept the
 * label if another writer set it); a group labelled for another cluster stops AKO, as the Go AKO.
 */
async function labelSeGroup(client: AviClient, s: AkoSettings, seg: Obj, tenant: string): Promise<void> {
  const cluster = s.clusterName;
  const state = hasLabel(seg, cluster);
  if (state === true) return;
  if (state === false) throw new BootError(`Labels do not match with cluster name for SE group ${s.seGroupName}: it is labelled for another cluster`, 'shutdown');
  const uuid = String(seg.uuid ?? '');
  const body = { ...seg, labels: [{ key: 'clustername', value: cluster }] };
  const put = (t: string) => client.update('serviceenginegroup', uuid, body as never, { tenant: t, validate: false });
  try {
    try {
      await put(tenant);
    } catch (err) {
      if (!(err instanceof AviError) || (err.status !== 403 && err.status !== 400) || tenant === 'admin') throw err;
      await put('admin');
    }
  } catch (err) {
    if (err instanceof AviError && err.status === 412) {
      const now = (await client.get('serviceenginegroup', uuid, { tenant: 'admin' })) as Obj;
      if (hasLabel(now, cluster) === true) return;
    }
    throw new BootError(`cannot label SE group ${s.seGroupName} with clustername=${cluster}: ${(err as Error).message}`, 'shutdown');
  }
}
