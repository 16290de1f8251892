// NodePortLocal mode: Antrea allocates node ports only for the Pods of Services annotated
// `nodeportlocal.antrea.io/enabled: "true"`, so AKO (as the Go AKO 2.2.1 does) puts that annotation on the Services
// it needs NPL ports for: the LoadBalancer Services it serves and the backend Services of the Ingresses it serves
// (never on a Service of type NodePort, which NPL does not serve). It removes it again from a Service it needed that
// it no longer needs (the Ingress went, changed class, dropped the backend; the Service became NodePort; deleteConfig).
// Env AUTO_ANNOTATE_SERVICE "false" (any case) turns all of it off, as in the Go AKO (users annotate by hand then).
// Fed from the Store only; writes are merge patches of that one annotation, on the leader only (started after the
// lease is held; the write KubeConfig is fenced), and only where the Store shows a different value.
import type * as k8s from '@kubernetes/client-node';
import { forEachLimit, KubeRequestError, LeaseNotHeldError, patchAnnotations, type EventRecorder, type KubeConfig, type Logger } from '@avi-k8s/kube';
import type { AkoConfig } from '../translate/index.js';
import { namespaceSynced } from '../translate/common.js';
import { isOurIngress } from '../translate/ingress.js';
import { isOurLoadBalancer } from '../translate/l4.js';
import { EMPTY_SNAPSHOT, indexSnapshot } from '../translate/snapshot.js';
import { serialPasses } from './serial-passes.js';

export const NPL_SERVICE_ANNOTATION = 'nodeportlocal.antrea.io/enabled';
/** The Go AKO's switch (lib.AutoAnnotateNPLSvc): only an explicit "false" turns auto-annotation off. */
export const AUTO_ANNOTATE_ENV = 'AUTO_ANNOTATE_SERVICE';

/** Whether AKO annotates Services for NodePortLocal: NPL mode, unless env AUTO_ANNOTATE_SERVICE is "false". */
export function nplAutoAnnotate(serviceType: string, env: Record<string, string | undefined>): boolean {
  return serviceType === 'NodePortLocal' && (env[AUTO_ANNOTATE_ENV] ?? '').trim().toLowerCase() !== 'false';
}

export interface NplInput {
  services: readonly k8s.V1Service[];
  ingresses: readonly k8s.V1Ingress[];
  ingressClasses: readonly k8s.V1IngressClass[];
  namespaces: readonly k8s.V1Namespace[];
}

const keyOf = (o: k8s.KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function backendsOf(ing: k8s.V1Ingress): string[] {
  const ns = ing.metadata?.namespace ?? '';
  const names = [ing.spec?.defaultBackend?.service?.name, ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service?.name))];
  return [...new Set(names.filter((n): n is string => !!n).map((n) => `${ns}/${n}`))];
}

/**
 * Which Services (`ns/name`) need the annotation (`needed`), and which backends of served Ingresses are of type
 * NodePort (`nodePort`: the Go AKO removes the annotation from those), and whether a namespace is synced (nothing
 * outside those is written). Pure.
 */
export function nplNeeds(input: NplInput, c: AkoConfig): { needed: Set<string>; nodePort: Set<string>; synced: (namespace: string) => boolean } {
  const idx = indexSnapshot({ ...EMPTY_SNAPSHOT, ingressClasses: input.ingressClasses, namespaces: input.namespaces });
  const backends = new Set<string>();
  for (const ing of input.ingresses) if (isOurIngress(idx, c, ing)) for (const b of backendsOf(ing)) backends.add(b);
  const needed = new Set<string>();
  const nodePort = new Set<string>();
  for (const svc of input.services) {
    const k = keyOf(svc);
    if (svc.spec?.type === 'NodePort') {
      if (backends.has(k)) nodePort.add(k);
      continue;
    }
    if (backends.has(k) || isOurLoadBalancer(idx, c, svc)) needed.add(k);
  }
  return { needed, nodePort, synced: (ns) => namespaceSynced(idx, c, ns) };
}

export interface NplChange {
  key: string;
  namespace: string;
  name: string;
  /** "true" adds, null removes. */
  value: 'true' | null;
}

/**
 * The patches that bring the Services to `needed`: add where needed and not "true"; remove where present from the
 * Services in `removable` (needed before, NodePort backends, everything under deleteConfig) that are not needed. Pure.
 */
export function nplChanges(services: readonly k8s.V1Service[], needed: ReadonlySet<string>, removable: ReadonlySet<string>): NplChange[] {
  const out: NplChange[] = [];
  for (const svc of services) {
    const k = keyOf(svc);
    const have = svc.metadata?.annotations?.[NPL_SERVICE_ANNOTATION];
    const at = { key: k, namespace: svc.metadata?.namespace ?? '', name: svc.metadata?.name ?? '' };
    if (needed.has(k)) {
      if (have !== 'true') out.push({ ...at, value: 'true' });
    } else if (removable.has(k) && have !== undefined) out.push({ ...at, value: null });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface NplAnnotatorOptions {
  /** The fenced write KubeConfig. */
  kubeConfig: KubeConfig;
  config: AkoConfig;
  /** The Store's current objects. */
  read: () => NplInput;
  deleteConfig: () => boolean;
  logger: Logger;
  events: () => EventRecorder | undefined;
  /** Patches in flight at once (default 4). */
  concurrency?: number;
  /** How long a change waits for the rest of its burst before the pass (default 100 ms). */
  debounceMs?: number;
}

const RETRY_MS = 5000;
const DEBOUNCE_MS = 100;

/** The stage: one pass at a time over the Store, a change during a pass runs one more; failures retry in 5 s. */
export function nplAnnotator(o: NplAnnotatorOptions) {
  let started = false;
  let retry: NodeJS.Timeout | undefined;
  // Services needed in an earlier pass (their annotation goes when they are no longer needed); in memory, as the
  // Go AKO's Service-Ingress mappings are.
  let known = new Set<string>();
  // Patches sent whose result the Store has not shown yet: `key` -> value and the resourceVersion seen then.
  const sent = new Map<string, { value: 'true' | null; rv: string | undefined }>();

  const pass = async (): Promise<void> => {
    const input = o.read();
    const off = o.deleteConfig();
    const { needed, nodePort, synced } = nplNeeds(input, o.config);
    const target = off ? new Set<string>() : needed;
    const removable = new Set([...known, ...nodePort, ...(off ? needed : [])].filter((k) => synced(k.slice(0, k.indexOf('/')))));
    const byKey = new Map(input.services.map((s) => [keyOf(s), s]));
    const wanted = nplChanges(input.services, target, removable);
    // A patch already sent, the Store still showing the version it was sent on: not sent again.
    const wantedKeys = new Set(wanted.map((ch) => ch.key));
    for (const k of [...sent.keys()]) if (!wantedKeys.has(k)) sent.delete(k);
    const changes = wanted.filter((ch) => {
      const s = sent.get(ch.key);
      return !(s && s.value === ch.value && s.rv === byKey.get(ch.key)?.metadata?.resourceVersion);
    });
    let failed = false;
    const kept = new Set<string>();
    await forEachLimit(changes, o.concurrency ?? 4, async (ch) => {
      try {
        await patchAnnotations(o.kubeConfig, { apiVersion: 'v1', kind: 'Service', namespace: ch.namespace, name: ch.name }, { [NPL_SERVICE_ANNOTATION]: ch.value });
        sent.set(ch.key, { value: ch.value, rv: byKey.get(ch.key)?.metadata?.resourceVersion });
        o.logger.info(ch.value ? 'NodePortLocal annotation added to the Service' : 'NodePortLocal annotation removed from the Service', { key: ch.key, annotation: NPL_SERVICE_ANNOTATION });
      } catch (err) {
        if (err instanceof KubeRequestError && err.statusCode === 404) return; // deleted meanwhile: its delete event follows
        if (ch.value === null) kept.add(ch.key);
        if (err instanceof LeaseNotHeldError) return; // no longer leading: this instance stops writing
        failed = true;
        const message = `could not ${ch.value ? 'add' : 'remove'} annotation ${NPL_SERVICE_ANNOTATION}: ${(err as Error).message}`;
        o.logger.error('NodePortLocal annotation write failed', { key: ch.key, error: (err as Error).message });
        const svc = byKey.get(ch.key);
        await o
          .events()
          ?.record({ apiVersion: 'v1', kind: 'Service', metadata: { name: ch.name, namespace: ch.namespace, ...(svc?.metadata?.uid ? { uid: svc.metadata.uid } : {}) } }, 'Warning', 'NPLAnnotationFailed', message)
          .catch(() => undefined);
      }
    });
    // Still to remove later: those whose removal failed; a Service needed now is removable when it no longer is.
    known = new Set([...target, ...kept]);
    if (failed && started && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        kick();
      }, RETRY_MS);
      retry.unref();
    }
  };

  const passes = serialPasses(async () => {
    try {
      await pass();
    } catch (err) {
      o.logger.error('NodePortLocal annotation pass failed', { key: NPL_SERVICE_ANNOTATION, error: (err as Error).message });
    }
  }, () => started);
  const kick = passes.kick;
  // A pass reads every Service and Ingress: the events of a burst (AKO's own status writes on thousands of Services)
  // wait a moment and share one pass.
  let soon: NodeJS.Timeout | undefined;
  let soonDone: Promise<void> | undefined;
  let resolveSoon: (() => void) | undefined;
  const changed = (): void => {
    if (!started || soon) return;
    soonDone = new Promise((r) => (resolveSoon = r));
    soon = setTimeout(() => {
      soon = undefined;
      kick();
      resolveSoon?.();
    }, o.debounceMs ?? DEBOUNCE_MS);
    soon.unref();
  };

  return {
    /** Starts (when this instance leads) with one pass over every Service. */
    start(): void {
      started = true;
      kick();
    },
    /** A Service, Ingress, IngressClass or Namespace changed, or deleteConfig did. */
    changed,
    stop(): void {
      started = false;
      if (retry) clearTimeout(retry);
      retry = undefined;
      if (soon) clearTimeout(soon);
      soon = undefined;
      resolveSoon?.();
    },
    async idle(): Promise<void> {
      while (soon || passes.running()) await (soon ? soonDone : passes.running());
    },
  };
}
