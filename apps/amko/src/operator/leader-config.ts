// The leader cluster's inputs: which GSLBConfig is in force, its controller credentials and the members kubeconfig.
import type * as k8s from '@kubernetes/client-node';
import { kubeConfigFromString, type LeanKubeConfig } from '@avi-k8s/kube';
import { gslbConfigSpecSchema, parseWith, type GSLBConfigSpec } from '@avi-k8s/crds';
import type { RawObject } from '../translate/index.js';

export const MEMBERS_SECRET = 'gslb-config-secret';
export const MEMBERS_KEY = 'gslb-members';
export const UUID_ANNOTATION = 'amko.vmware.com/amko-uuid';
export const ACCEPTED = 'success: gslb config accepted';

export interface GslbConfigChoice {
  obj: RawObject;
  spec: GSLBConfigSpec;
  /** Other GSLBConfigs, each rejected. */
  others: RawObject[];
}

/** The GSLBConfig in force: the one already accepted, else the oldest; undefined if none. */
export function chooseGslbConfig(objs: readonly RawObject[]): { choice?: GslbConfigChoice; invalid?: { obj: RawObject; error: string } } {
  if (objs.length === 0) return {};
  const sorted = [...objs].sort((a, b) => {
    const acc = (o: RawObject) => ((o.status as { state?: string } | undefined)?.state?.startsWith('success') ? 0 : 1);
    if (acc(a) !== acc(b)) return acc(a) - acc(b);
    const ta = String(a.metadata?.creationTimestamp ?? '');
    const tb = String(b.metadata?.creationTimestamp ?? '');
    return ta < tb ? -1 : ta > tb ? 1 : String(a.metadata?.name) < String(b.metadata?.name) ? -1 : 1;
  });
  const obj = sorted[0]!;
  const parsed = parseWith(gslbConfigSpecSchema, obj.spec ?? {});
  if (!parsed.ok) return { invalid: { obj, error: `error: invalid gslb config: ${parsed.error}` } };
  const spec = parsed.value;
  if (!spec.gslbLeader?.controllerIP) return { invalid: { obj, error: 'error: invalid gslb config with controller IP' } };
  if (!spec.gslbLeader.credentials) return { invalid: { obj, error: 'error: invalid gslb config: spec.gslbLeader.credentials is required' } };
  return { choice: { obj, spec, others: sorted.slice(1) } };
}

export interface Credentials {
  username: string;
  password: string;
  caPem?: string;
}

const decode = (v: string | undefined) => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));

/** Keys username and password (and optionally certificateAuthorityData, the controller's CA in PEM). */
export function credentialsFrom(secret: k8s.V1Secret | undefined, name: string): { ok: true; value: Credentials } | { ok: false; error: string } {
  if (!secret) return { ok: false, error: `error: secret object doesn't exist ${name}` };
  const username = decode(secret.data?.username);
  const password = decode(secret.data?.password);
  if (!username || !password) return { ok: false, error: `error: secret ${name} needs the keys username and password` };
  const caPem = decode(secret.data?.certificateAuthorityData);
  return { ok: true, value: { username, password, ...(caPem ? { caPem } : {}) } };
}

/** The members kubeconfig text from Secret gslb-config-secret. */
export function membersKubeconfig(secret: k8s.V1Secret | undefined): { ok: true; value: string } | { ok: false; error: string } {
  if (!secret) return { ok: false, error: `error: secret object doesn't exist ${MEMBERS_SECRET}` };
  const text = decode(secret.data?.[MEMBERS_KEY]);
  if (!text) return { ok: false, error: `error: secret ${MEMBERS_SECRET} has no key ${MEMBERS_KEY}` };
  try {
    kubeConfigFromString(text);
  } catch (err) {
    return { ok: false, error: `error: provided kubeconfig has an error: ${(err as Error).message}` };
  }
  return { ok: true, value: text };
}

/** A client configuration for one context of the members kubeconfig; undefined if the context is not there. */
export function memberKubeConfig(text: string, context: string): LeanKubeConfig | undefined {
  const kc = kubeConfigFromString(text);
  if (!kc.getContextObject(context)) return undefined;
  kc.setCurrentContext(context);
  return kc;
}

/** The controller URL: controllerIP may be host[:port] or a full https URL. */
export const controllerUrl = (ip: string) => (/^https?:\/\//.test(ip) ? ip : `https://${ip}`);
