// The Avi objects AKO's CRs name (HostRule wafPolicy, sslProfile, policy sets, ...), looked up on the controller by
// name in AKO's tenant, so translate can check them (Snapshot.aviRefs) without I/O. Looked up when a rule changes,
// before the store sees it, so a rule is never judged on names not yet read. For application and network profiles the
// type is read too (Snapshot.aviRefTypes: an L4Rule's SSL checks need it, as the Go AKO reads `type` / `profile.type`).
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

/** The field holding an object's type, for the Avi types whose type translate checks. */
const TYPE_FIELD: Record<string, { fields: string; typeOf: (o: Record<string, unknown>) => unknown }> = {
  applicationprofile: { fields: 'name,type', typeOf: (o) => o.type },
  networkprofile: { fields: 'name,profile', typeOf: (o) => (o.profile as { type?: unknown } | undefined)?.type },
};

/** Known `type/name` -> exists on the controller; and the type of those of TYPE_FIELD's types. */
export function createAviRefs(client: AviClient, tenant: string, logger: Logger) {
  const known = new Map<string, boolean>();
  const types = new Map<string, string>();
  /** Whether `type/name` exists (its type noted); throws when it cannot be read. */
  async function read(type: string, name: string): Promise<boolean> {
    const tf = TYPE_FIELD[type];
    // Raw GET: the SDK's typed objects do not cover every type a CR may name (wafpolicy, icapprofile, ...).
    const res = (await client.request('GET', `/api/${type}`, { tenant, query: { name, fields: tf?.fields ?? 'name', page_size: '1' } })) as { results?: Record<string, unknown>[] };
    const first = (res.results ?? [])[0];
    const t = first && tf ? tf.typeOf(first) : undefined;
    if (typeof t === 'string') types.set(`${type}/${name}`, t);
    else types.delete(`${type}/${name}`);
    return first !== undefined;
  }
  return {
    /** Looks up the names `obj` uses that were not looked up yet (or all of them again with `again`). */
    async lookUp(obj: k8s.KubernetesObject, again = true): Promise<void> {
      for (const [type, name] of refsOf(obj)) {
        const k = `${type}/${name}`;
        if (known.has(k) && !again) continue;
        try {
          known.set(k, await read(type, name));
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
          if (await read(k.slice(0, i), k.slice(i + 1))) {
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
    /** `type/name` -> the type read for the application and network profiles found (Snapshot.aviRefTypes). */
    types(): Record<string, string> {
      return Object.fromEntries([...types].filter(([k]) => known.get(k) === true));
    },
  };
}
