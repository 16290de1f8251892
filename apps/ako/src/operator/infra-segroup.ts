// The SE group an AviInfraSetting names gets AKO's `clustername` label, as AKO's own SE group does at boot (ClusterIP
// mode, static routes on): its service engines then use this cluster's static routes. As the Go AKO (addSeGroupLabel
// when it accepts a setting): only a group without labels is labelled, by a PUT of the whole object (in AKO's tenant,
// then as admin on 403/400); a group labelled otherwise is left alone, with a warning.
import { AviError, type AviClient } from '@avi-k8s/avi-sdk';
import type { Logger } from '@avi-k8s/kube';

type Obj = Record<string, unknown>;

export async function labelInfraSeGroup(client: AviClient, o: { cluster: string; cloud: string; tenant: string }, segName: string, logger: Logger): Promise<void> {
  const key = `serviceenginegroup/${segName}`;
  const found = (await client.list('serviceenginegroup', { tenant: o.tenant, includeName: true, params: { name: segName, 'cloud_ref.name': o.cloud }, pageSize: 2 })).results[0] as Obj | undefined;
  if (!found) return;
  const labels = Array.isArray(found.labels) ? (found.labels as Obj[]) : [];
  if (labels.some((l) => l.key === 'clustername' && l.value === o.cluster)) return;
  if (labels.length > 0) {
    logger.warn('the SE group an AviInfraSetting names has other labels: not labelled for this cluster', { key, labels });
    return;
  }
  const uuid = String(found.uuid ?? '');
  const body = { ...found, labels: [{ key: 'clustername', value: o.cluster }] };
  const put = (tenant: string) => client.update('serviceenginegroup', uuid, body as never, { tenant, validate: false });
  try {
    await put(o.tenant);
  } catch (err) {
    if (!(err instanceof AviError) || (err.status !== 403 && err.status !== 400) || o.tenant === 'admin') throw err;
    await put('admin');
  }
  logger.info('SE group labelled for this cluster (AviInfraSetting)', { key });
}
