// A list + watch cache of one resource on the raw transport (raw.ts, watch.ts), without @kubernetes/client-node:
// list page by page (each page transformed before the next), watch from the list's resourceVersion with bookmarks,
// follow resourceVersion on every event, re-list on 410 Gone, and back off on failures.
import type { KubeConfig } from './kubeconfig.js';
import type { Logger } from './logger.js';
import { rawKube } from './raw.js';
import { watchStream, type WatchHandle } from './watch.js';

export type InformerEvent = 'add' | 'update' | 'delete';

/** The object shape the informer needs (client-node's KubernetesObject has it). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; _continue?: string; continue?: string };
  items: T[];
}

export interface InformerOptions<T extends KubeObject> {
  kubeConfig: KubeConfig;
  /** The collection path, e.g. /api/v1/services or /api/v1/namespaces/NS/secrets; listed and watched raw. */
  path: string;
  /**
   * Lists the resource instead of a raw GET of `path` (tests pass a client of their own); with `page` set, one
   * page of it. Paged only when `transform` is set.
   */
  list?: (page?: { limit: number; _continue?: string }) => Promise<KubeList<T>>;
  /** Page size of the initial list (each page is transformed before the next arrives). */
  pageSize?: number;
  labelSelector?: string;
  /** A field selector for the list and the watch (e.g. `metadata.name=x`). */
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
  /** The server ends each watch after a random time in [min, 2 min] seconds (default 300: client-go's 5-10 min). */
  watchTimeoutSeconds?: number;
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
export interface Informer<T extends KubeObject> {
  readonly path: string;
  /** Lists and starts watching; resolves once the first list is in the cache (or failed: it is then retried). */
  start(): Promise<void>;
  stop(): Promise<void>;
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  readonly synced: boolean;
}

const status = (err: unknown) => (err as { statusCode?: number; code?: number }).statusCode ?? (err as { code?: unknown }).code;

/**
 * The failure count (for the backoff) is reset by a watch event or by a run that lasted HEALTHY_RUN_MS, not by a
 * mere (re)connect: a list that fails at once (a CRD not served, RBAC) is retried with a growing delay.
 */
export function createInformer<T extends KubeObject>(options: InformerOptions<T>): Informer<T> {
  const kc = options.kubeConfig;
  const transform = options.transform;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 30000;
  const watchTimeout = options.watchTimeoutSeconds ?? 300;
  const selectors: Record<string, string> = {
    ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
    ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
  };
  const objects = new Map<string, Map<string, T>>();
  let resourceVersion = '';
  let failures = 0;
  let runningSince = Date.now();
  let synced = false;
  let stopped = true;
  let generation = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let current: WatchHandle | undefined;

  const emit = (event: InformerEvent, obj: T) => options.onEvent?.(event, obj);
  const nsOf = (o: T) => o.metadata?.namespace || '';
  const nameOf = (o: T) => o.metadata?.name || '';

  function put(obj: T): void {
    const ns = nsOf(obj);
    let inNs = objects.get(ns);
    if (!inNs) objects.set(ns, (inNs = new Map()));
    const found = inNs.get(nameOf(obj));
    if (!found) {
      inNs.set(nameOf(obj), obj);
      emit('add', obj);
    } else if (found.metadata?.resourceVersion === undefined || found.metadata.resourceVersion !== obj.metadata?.resourceVersion) {
      inNs.set(nameOf(obj), obj);
      emit('update', obj);
    }
  }

  function remove(obj: T): void {
    const inNs = objects.get(nsOf(obj));
    if (!inNs?.delete(nameOf(obj))) return;
    if (inNs.size === 0) objects.delete(nsOf(obj));
    emit('delete', obj);
  }

  async function listPage(page: { limit: number; _continue?: string }): Promise<KubeList<T>> {
    if (options.list) return transform ? options.list(page) : options.list();
    const qs = new URLSearchParams({ ...selectors, limit: String(page.limit), ...(page._continue ? { continue: page._continue } : {}) });
    return (await rawKube(kc).request('GET', `${options.path}?${qs}`)) as KubeList<T>;
  }

  /** Lists everything; the cache then holds exactly the list (missing objects deleted, changed ones updated). */
  async function relist(): Promise<void> {
    const items: T[] = [];
    let next: string | undefined;
    let listVersion = '';
    do {
      const page = await listPage({ limit: options.pageSize ?? 500, ...(next ? { _continue: next } : {}) });
      for (const o of page.items ?? []) items.push(transform ? transform(o) : o);
      next = page.metadata?.continue || page.metadata?._continue || undefined;
      listVersion = page.metadata?.resourceVersion ?? '';
      // A custom list that ignores the page asks for no more.
      if (options.list && !transform) next = undefined;
    } while (next);
    const listed = new Map<string, Set<string>>();
    for (const o of items) (listed.get(nsOf(o)) ?? listed.set(nsOf(o), new Set()).get(nsOf(o))!).add(nameOf(o));
    for (const [ns, inNs] of [...objects]) {
      for (const [name, o] of [...inNs]) if (!listed.get(ns)?.has(name)) remove(o);
    }
    for (const o of items) put(o);
    resourceVersion = listVersion;
  }

  /** Watches from resourceVersion until the server ends the watch; throws on a failure. */
  async function watchOnce(gen: number): Promise<void> {
    const seconds = watchTimeout + Math.floor(Math.random() * watchTimeout);
    let gone = false;
    let failure: Error | undefined;
    const handle = watchStream(
      kc,
      options.path,
      { ...selectors, resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(seconds) },
      (event) => {
        if (gen !== generation) return;
        if (event.type === 'ERROR') {
          // A Status: 410 Gone (our resourceVersion is too old) means list again; anything else is a failure.
          if (event.object.code === 410) gone = true;
          else failure = new Error(`watch ${options.path}: ${event.object.message ?? JSON.stringify(event.object)}`);
          handle.abort();
          return;
        }
        failures = 0;
        const obj = event.object as unknown as T;
        try {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') put(transform ? transform(obj) : obj);
          else if (event.type === 'DELETED') remove(transform ? transform(obj) : obj);
        } catch (err) {
          // A transform or handler that throws loses this event, never the watch.
          options.logger?.error('informer event handler failed', { resource: options.path, error: (err as Error).message });
        }
        resourceVersion = obj.metadata?.resourceVersion || resourceVersion;
      },
      (seconds + 60) * 1000,
    );
    current = handle;
    try {
      await handle.done;
    } finally {
      if (current === handle) current = undefined;
    }
    if (failure) throw failure;
    if (gone) resourceVersion = '';
  }

  /** One run: list if needed, then watch over and over; returns (to be retried) on a failure. */
  async function run(gen: number, first?: () => void): Promise<void> {
    try {
      if (!resourceVersion) await relist();
      first?.();
      first = undefined;
      while (gen === generation && !stopped) {
        const started = Date.now();
        await watchOnce(gen);
        if (gen !== generation || stopped) return;
        if (!resourceVersion) await relist();
        // A watch the server ends at once, again and again, must not spin: that counts as a failure.
        else if (Date.now() - started < 1000) throw new Error(`watch ${options.path} ended at once`);
      }
    } catch (err) {
      first?.();
      if (gen !== generation || stopped) return;
      if (status(err) === 410) {
        resourceVersion = '';
        void run(gen);
        return;
      }
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
        if (gen === generation && !stopped) void run(gen);
      }, delay);
      restartTimer.unref();
    }
  }

  return {
    path: options.path,
    async start() {
      if (!stopped) return;
      stopped = false;
      runningSince = Date.now();
      const gen = ++generation;
      await new Promise<void>((resolve) => void run(gen, resolve));
      synced = true;
    },
    async stop() {
      stopped = true;
      generation++;
      if (restartTimer) clearTimeout(restartTimer);
      current?.abort();
      current = undefined;
    },
    list(namespace?: string) {
      if (namespace) return [...(objects.get(namespace)?.values() ?? [])];
      const all: T[] = [];
      for (const inNs of objects.values()) for (const o of inNs.values()) all.push(o);
      return all;
    },
    get: (name: string, namespace?: string) => objects.get(namespace || '')?.get(name),
    get synced() {
      return synced;
    },
  };
}
