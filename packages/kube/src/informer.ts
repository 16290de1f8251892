import * as k8s from '@kubernetes/client-node';
import { backoffDelay } from './backoff.js';
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
  logger?: Logger;
  onEvent?: (event: InformerEvent, obj: T) => void;
  /**
   * Applied to every object as it arrives (list and watch), before the cache keeps it: keep only the fields the
   * operator reads (no managedFields, no Secret data it never uses), so the cache holds little. Must keep
   * metadata.name, namespace and resourceVersion.
   */
  transform?: (obj: T) => T;
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
 * Wraps client-node's ListWatch: restarts the watch after an error with backoff (the client stops on errors other
 * than 410 and timeouts), and reports errors to the log with the resource path.
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
  const source = transform
    ? ({
        watch: (path: string, params: Record<string, string | number | boolean | undefined>, cb: (phase: string, obj: T, raw: unknown) => void, done: (err: unknown) => void) =>
          watch.watch(path, params, (phase: string, obj: T, raw: unknown) => cb(phase, phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? transform(obj) : obj, raw), done),
      } as unknown as k8s.Watch)
    : watch;
  const lw = new k8s.ListWatch<T>(options.path, source, list, false, options.labelSelector);
  let synced = false;
  let stopped = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  if (options.onEvent) {
    const onEvent = options.onEvent;
    lw.on('add', (obj) => onEvent('add', obj));
    lw.on('update', (obj) => onEvent('update', obj));
    lw.on('delete', (obj) => onEvent('delete', obj));
  }
  lw.on('connect', () => {
    failures = 0;
  });
  lw.on('error', (err: unknown) => {
    if (stopped) return;
    const delay = backoffDelay(failures++, 500, 30000);
    options.logger?.warn('watch failed; restarting', {
      resource: options.path,
      error: err instanceof Error ? err.message : String(err),
      retryInMs: delay,
    });
    restartTimer = setTimeout(() => {
      if (!stopped) lw.start().catch(() => undefined);
    }, delay);
    restartTimer.unref();
  });

  return {
    path: options.path,
    async start() {
      stopped = false;
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
