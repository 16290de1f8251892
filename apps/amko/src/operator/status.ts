// Status of the leader's AMKO objects (GSLBConfig status.state, GDP status.errorStatus, GSLBHostRule status.status
// and .error), written only when it differs from what the object carries, each change with an Event.
// Our CRDs have a status subresource; the Go chart's do not (and helm never upgrades crds/), so a 404 of /status is
// answered by writing status with a merge patch of the object itself, remembered per kind. When that patch comes
// back without the status (the CRD gained the subresource since), the subresource is used again.
import { KubeRequestError, MERGE_PATCH, rawKube, type EventRecorder, type Logger, type KubeConfig } from '@avi-k8s/kube';
import type { RawObject, Verdict } from '../translate/index.js';

const GROUP = 'amko.vmware.com';
const KINDS = {
  GSLBConfig: { version: 'v1alpha1', plural: 'gslbconfigs' },
  GlobalDeploymentPolicy: { version: 'v1alpha2', plural: 'globaldeploymentpolicies' },
  GSLBHostRule: { version: 'v1alpha1', plural: 'gslbhostrules' },
} as const;
type Kind = keyof typeof KINDS;

export interface StatusWriter {
  /** Writes `status` (merged) if any of its fields differ from the object's; true when written. */
  write(kind: Kind, obj: RawObject, status: Record<string, string>, event: { type: 'Normal' | 'Warning'; reason: string; message: string }): Promise<boolean>;
}

export function createStatusWriter(kc: KubeConfig, recorder: EventRecorder, log: Logger, allowed: () => Promise<boolean> = async () => true): StatusWriter {
  const raw = rawKube(kc);
  /** Kinds whose installed CRD has no status subresource (learnt from a 404 of /status). */
  const noSubresource = new Set<Kind>();
  const path = (kind: Kind, ns: string, name: string) =>
    `/apis/${GROUP}/${KINDS[kind].version}/namespaces/${encodeURIComponent(ns)}/${KINDS[kind].plural}/${encodeURIComponent(name)}`;
  const notFound = (err: unknown) => err instanceof KubeRequestError && err.statusCode === 404;

  async function writeStatus(kind: Kind, ns: string, name: string, status: Record<string, string>): Promise<void> {
    if (!noSubresource.has(kind)) {
      try {
        await raw.request('PATCH', `${path(kind, ns, name)}/status`, { status }, MERGE_PATCH);
        return;
      } catch (err) {
        if (!notFound(err)) throw err;
      }
      // The object may be gone, or the CRD has no status subresource: the object itself says which.
    }
    const back = (await raw.request('PATCH', path(kind, ns, name), { status }, MERGE_PATCH)) as { status?: Record<string, unknown> };
    const kept = Object.entries(status).every(([k, v]) => back.status?.[k] === v);
    if (kept && !noSubresource.has(kind)) {
      noSubresource.add(kind);
      log.info('the installed CRD has no status subresource: status is written on the object', { key: `${ns}/${name}`, kind });
    } else if (!kept && noSubresource.has(kind)) {
      // The CRD has a status subresource now (upgraded): the object update dropped the status.
      noSubresource.delete(kind);
      log.info('the installed CRD has a status subresource again', { key: `${ns}/${name}`, kind });
      await raw.request('PATCH', `${path(kind, ns, name)}/status`, { status }, MERGE_PATCH);
    }
  }

  return {
    async write(kind, obj, status, event) {
      const current = (obj.status ?? {}) as Record<string, unknown>;
      if (Object.entries(status).every(([k, v]) => current[k] === v)) return false;
      const ns = obj.metadata?.namespace ?? '';
      const name = obj.metadata?.name ?? '';
      // Fenced: only the lease holder writes (HA).
      if (!(await allowed())) return false;
      try {
        await writeStatus(kind, ns, name, status);
      } catch (err) {
        log.warn('could not write status', { key: `${ns}/${name}`, kind, error: (err as Error).message });
        return false;
      }
      obj.status = { ...current, ...status }; // the informer will bring the same; avoids a second write meanwhile
      await recorder.record({ apiVersion: `${GROUP}/${KINDS[kind].version}`, kind, metadata: obj.metadata ?? {} }, event.type, event.reason, event.message);
      return true;
    },
  };
}

/** GDP and GSLBHostRule statuses from the translate verdicts. */
export async function writePolicyStatuses(w: StatusWriter, verdicts: readonly Verdict[], gdps: readonly RawObject[], hostRules: readonly RawObject[]): Promise<number> {
  let writes = 0;
  const find = (objs: readonly RawObject[], v: Verdict) => objs.find((o) => o.metadata?.namespace === v.namespace && o.metadata?.name === v.name);
  // Indexed: AMKO runs node --jitless, where each step of a for-of allocates (one verdict per member object).
  for (let i = 0; i < verdicts.length; i++) {
    const v = verdicts[i]!;
    if (v.kind === 'GlobalDeploymentPolicy') {
      const obj = find(gdps, v);
      if (!obj) continue;
      const status = { errorStatus: v.accepted ? 'success' : v.reason };
      if (await w.write('GlobalDeploymentPolicy', obj, status, v.accepted ? { type: 'Normal', reason: 'Accepted', message: 'GDP accepted' } : { type: 'Warning', reason: 'Rejected', message: v.reason })) writes++;
    } else if (v.kind === 'GSLBHostRule') {
      const obj = find(hostRules, v);
      if (!obj) continue;
      const status = { status: v.accepted ? 'Accepted' : 'Rejected', error: v.accepted ? '' : v.reason };
      if (await w.write('GSLBHostRule', obj, status, v.accepted ? { type: 'Normal', reason: 'Accepted', message: 'GSLBHostRule accepted' } : { type: 'Warning', reason: 'Rejected', message: v.reason })) writes++;
    }
  }
  return writes;
}
