/**
 * Warnings of a served host (l7-host.ts HostPlan): its certificate's (expired, not yet valid, host not covered,
 * text outside the PEM blocks) on each Ingress that names the Secret, and per host/path entry a backend that cannot
 * serve (backend-check.ts) on the entry's Ingress. Pure.
 */
import { backendProblem } from './backend-check.js';
import type { AkoConfig } from './config.js';
import type { HostPlan } from './l7-host.js';
import type { SnapshotIndex } from './snapshot.js';
import { warning, type ObjectWarning } from './warnings.js';

export function planWarnings(idx: SnapshotIndex, c: AkoConfig, plan: HostPlan): ObjectWarning[] {
  const out: ObjectWarning[] = [];
  const tls = plan.tls;
  // A HostRule certificate replaces the Secret's: the Secret's warnings do not matter then.
  if (tls && !plan.rule?.certRefs && !plan.rule?.certSecret) {
    for (const e of plan.entries) {
      if (e.secret !== tls.secret) continue;
      for (const m of tls.material.warnings ?? []) out.push(warning('Ingress', e.namespace, e.ingress, 'CertificateWarning', `host ${plan.host}: ${m}`));
    }
  }
  for (const e of plan.entries) {
    const problem = backendProblem(idx, c, e.namespace, e.service, e.port);
    if (!problem) continue;
    const where = e.defaultBackend ? 'defaultBackend' : e.host ? `host ${e.host} path ${e.path || '/'}` : `host-less rule path ${e.path || '/'}`;
    out.push(warning('Ingress', e.namespace, e.ingress, 'BackendWarning', `${where}: ${problem}`));
  }
  return out;
}
