import * as k8s from '@kubernetes/client-node';
import type { Logger } from './logger.js';

export type InformerEvent = 'add' | 'update' | 'delete';

export interface InformerOptions<T extends k8s.KubernetesObject> {
  kubeConfig: k8s.KubeConfig;
  /** The watch path, e.g. /api/v1/services or /api/v1/namespaces/NS/secrets. */
  path: string;
  /** Lists the resource; with `page` set, one page of it (the informer then lists page by page). */
  list: (page?: { limit: number; _continue?: string }) => Promise<k8s.KubernetesListObject<T>>;
  /** Page size of the initial list when `transform` is set (each page is transformed before the next arrives). */
  pageSize?: number;
  labelSelector?: string;
  /** A field selector for the watch (e.g. `metadata.name=x`); `list` must apply the same one. */
  fieldSelector?: string;
  logger?: Logger;
  onEvent?: (event: InformerEvent, obj: T) => void;
  /**
   * Applied to every object as it arrives (list and watch), before the cache keeps it: keep only the fields the
   * operator reads (no managedFields, no Secret data it never uses), so the cache holds little. Must keep
   * metadata.name, namespace and resourceVersion.
   */
  transform?: (obj: T) => T;
  /** Re-list/watch retry after a failure: the first delay (ms), doubled on each failure in a row, up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** A watch that ran this long before failing counts as healthy: the next retry starts from the base delay again. */
const HEALTHY_RUN_MS = 30000;

/**
 * Delay before retry number `failures` (0-based): in [ceiling/2, ceiling] with ceiling = min(max, base * 2^failures),
 * so the delay grows with every failure in a row (half of it random, to spread many informers) and stays capped.
 */
export function watchRetryDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures, 30)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A read-only, always-current cache of one resource. */
export interface Informer<T extends k8s.KubernetesObject> {
  readonly path: string;
  /** Lists and starts watching; resolves once the first list is in the cache. */
  start(): Promise<void>;
  stop(): Promise<void>;
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  readonly synced: boolean;
}

/**
 * Wraps client-node's ListWatch: restarts the list and watch after an error with a growing, capped backoff (the
 * client stops on errors other than 410 and timeouts), and reports errors to the log with the resource path. The
 * failure count is reset by a watch event or by a run that lasted HEALTHY_RUN_MS, not by a mere (re)connect: the
 * ListWatch says `connect` before each list, so a list that fails at once (a CRD not served, RBAC) would otherwise
 * be retried at the base delay forever.
 */
export function createInformer<T extends k8s.KubernetesObject>(options: InformerOptions<T>): Informer<T> {
  const watch = new k8s.Watch(options.kubeConfig);
  const transform = options.transform;
  // The transform sits between the apiserver and the ListWatch's cache: on the list, and on each watch event.
  // Page by page, so the full objects of one page at most are in memory at once.
  const list = transform
    ? async () => {
        const items: T[] = [];
        let page: k8s.KubernetesListObject<T>;
        let next: string | undefined;
        do {
          page = await options.list({ limit: options.pageSize ?? 500, ...(next ? { _continue: next } : {}) });
          for (const o of page.items) items.push(transform(o));
          next = page.metadata?._continue || undefined;
        } while (next);
        return { ...page, items };
      }
    : () => options.list();
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 30000;
  let failures = 0;
  let runningSince = Date.now();
  // Between the apiserver and the ListWatch: objects transformed, and any event from the watch proves it healthy.
  const source = {
    watch: (path: string, params: Record<string, string | number | boolean | undefined>, cb: (phase: string, obj: T, raw: unknown) => void, done: (err: unknown) => void) =>
      watch.watch(
        path,
        params,
        (phase: string, obj: T, raw: unknown) => {
          if (phase !== 'ERROR') failures = 0;
          cb(phase, transform && (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') ? transform(obj) : obj, raw);
        },
        done,
      ),
  } as unknown as k8s.Watch;
  const lw = new k8s.ListWatch<T>(options.path, source, list, false, options.labelSelector, options.fieldSelector);
  let synced = false;
  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;

  if (options.onEvent) {
    const onEvent = options.onEvent;
    lw.on('add', (obj) => onEvent('add', obj));
    lw.on('update', (obj) => onEvent('update', obj));
    lw.on('delete', (obj) => onEvent('delete', obj));
  }
  lw.on('error', (err: unknown) => {
    if (stopped) return;
    if (Date.now() - runningSince >= HEALTHY_RUN_MS) failures = 0;
    const delay = watchRetryDelay(failures++, retryBaseMs, retryMaxMs);
    options.logger?.warn('watch failed; restarting', {
      resource: options.path,
      error: err instanceof Error ? err.message : String(err),
      failures,
      retryInMs: delay,
    });
    restartTimer = setTimeout(() => {
      runningSince = Date.now();
      if (!stopped) lw.start().catch(() => undefined);
    }, delay);
    restartTimer.unref();
  });

  return {
    path: options.path,
    async start() {
      stopped = false;
      runningSince = Date.now();
      await lw.start();
      synced = true;
    },
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      await lw.stop();
    },
    list: (namespace?: string) => lw.list(namespace),
    get: (name: string, namespace?: string) => lw.get(name, namespace),
    get synced() {
      return synced;
    },
  };
}
