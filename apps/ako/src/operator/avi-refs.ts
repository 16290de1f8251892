// The Avi objects AKO's CRs name (HostRule wafPolicy, sslProfile, policy sets, ...), looked up on the controller by
// name in AKO's tenant, so translate can check them (Snapshot.aviRefs) without I/O. Looked up when a rule changes,
// before the store sees it, so a rule is never judged on names not yet read.
import type * as k8s from '@kubernetes/client-node';
import type { AviClient } from '@avi-k8s/avi-sdk';
import type { Logger } from '@avi-k8s/kube';
import { hostRuleAviRefs, httpRuleAviRefs, l4RuleAviRefs, l7RuleAviRefs, ssoRuleAviRefs, type HostRuleObject, type HttpRuleObject, type L4RuleObject, type L7RuleObject, type SsoRuleObject } from '../translate/index.js';
import { infraSettingAviRefs, type AviInfraSettingObject } from '../translate/infra-setting.js';

/** (Avi type, name) of the Avi objects a CR names. */
function refsOf(obj: k8s.KubernetesObject): [string, string][] {
  if (obj.kind === 'L4Rule') return l4RuleAviRefs((obj as L4RuleObject).spec ?? {});
  if (obj.kind === 'HTTPRule') return httpRuleAviRefs((obj as HttpRuleObject).spec);
  if (obj.kind === 'SSORule') return ssoRuleAviRefs((obj as SsoRuleObject).spec);
  if (obj.kind === 'L7Rule') return l7RuleAviRefs((obj as L7RuleObject).spec);
  if (obj.kind === 'AviInfraSetting') return infraSettingAviRefs((obj as AviInfraSettingObject).spec);
  return hostRuleAviRefs((obj as HostRuleObject).spec?.virtualhost ?? {});
}

/** Known `type/name` -> exists on the controller. */
export function createAviRefs(client: AviClient, tenant: string, logger: Logger) {
  const known = new Map<string, boolean>();
  return {
    /** Looks up the names `obj` uses that were not looked up yet (or all of them again with `again`). */
    async lookUp(obj: k8s.KubernetesObject, again = true): Promise<void> {
      for (const [type, name] of refsOf(obj)) {
        const k = `${type}/${name}`;
        if (known.has(k) && !again) continue;
        try {
          // Raw GET: the SDK's typed objects do not cover every type a CR may name (wafpolicy, icapprofile, ...).
          const res = (await client.request('GET', `/api/${type}`, { tenant, query: { name, fields: 'name', page_size: '1' } })) as { count?: number; results?: unknown[] };
          known.set(k, (res.results ?? []).length > 0);
        } catch (err) {
          // A failed read counts as missing for now; recheckMissing() reads it again.
          if (!known.has(k)) known.set(k, false);
          logger.warn('could not look up an Avi object a CR names', { key: k, error: (err as Error).message });
        }
      }
    },
    /**
     * Looks up again the names that were missing (or could not be read): an Avi object created after the rule that
     * names it. True when any of them is found now.
     */
    async recheckMissing(): Promise<boolean> {
      const missing = [...known].filter(([, v]) => !v).map(([k]) => k);
      let found = false;
      for (const k of missing) {
        const i = k.indexOf('/');
        try {
          const res = (await client.request('GET', `/api/${k.slice(0, i)}`, { tenant, query: { name: k.slice(i + 1), fields: 'name', page_size: '1' } })) as { results?: unknown[] };
          if ((res.results ?? []).length > 0) {
            known.set(k, true);
            found = true;
          }
        } catch (err) {
          logger.warn('could not look up an Avi object a CR names', { key: k, error: (err as Error).message });
        }
      }
      return found;
    },
    /** The names found (Snapshot.aviRefs). */
    found(): string[] {
      return [...known].filter(([, v]) => v).map(([k]) => k);
    },
  };
}
