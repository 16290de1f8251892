import type { KubeConfig } from './kubeconfig.js';
import type { Logger } from './logger.js';
import { MERGE_PATCH, rawKube } from './raw.js';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export type EventType = 'Normal' | 'Warning';

/** The apiserver's answer to an Event write is not read. */
const NO_ANSWER = { answer: false };

export interface EventRecorder {
  /** Records an Event on the object; repeats of the same reason and message bump its count. Never throws. */
  record(target: EventTarget, type: EventType, reason: string, message: string): Promise<void>;
}

/**
 * Core v1 Events, as client-go's recorder writes them: named `<object>.<hex time>`, with source.component and
 * reportingController set, and repeats of one (object, type, reason, message) aggregated into a count.
 */
export function createEventRecorder(options: {
  kubeConfig: KubeConfig;
  component: string;
  instance?: string;
  logger?: Logger;
  /** Repeats within this window update the existing Event (default 10 minutes). */
  aggregateWindowMs?: number;
}): EventRecorder {
  // Raw writes (raw.ts): an operator records Events by the thousand and never reads the answer.
  const kube = rawKube(options.kubeConfig);
  const seen = new Map<string, { name: string; namespace: string; count: number; first: Date; last: number }>();
  const window = options.aggregateWindowMs ?? 10 * 60 * 1000;
  let sequence = 0;

  return {
    async record(target, type, reason, message) {
      const namespace = target.metadata?.namespace || 'default';
      const objName = target.metadata?.name ?? '';
      const key = [target.kind, namespace, objName, target.metadata?.uid, type, reason, message].join('\u0000');
      const now = new Date();
      const previous = seen.get(key);
      try {
        if (previous && now.getTime() - previous.last < window) {
          previous.count++;
          previous.last = now.getTime();
          await kube.request(
            'PATCH',
            `/api/v1/namespaces/${encodeURIComponent(previous.namespace)}/events/${encodeURIComponent(previous.name)}`,
            { count: previous.count, lastTimestamp: now.toISOString() },
            MERGE_PATCH,
            NO_ANSWER,
          );
          return;
        }
        const name = `${objName}.${(now.getTime() * 1000 + (sequence++ % 1000)).toString(16)}`;
        await kube.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name, namespace },
            involvedObject: {
              apiVersion: target.apiVersion,
              kind: target.kind,
              name: objName,
              namespace: target.metadata?.namespace,
              uid: target.metadata?.uid,
              resourceVersion: target.metadata?.resourceVersion,
            },
            type,
            reason,
            message: message.slice(0, 1024),
            source: { component: options.component },
            reportingComponent: options.component,
            reportingInstance: options.instance ?? options.component,
            firstTimestamp: now.toISOString(),
            lastTimestamp: now.toISOString(),
            count: 1,
        }, 'application/json', NO_ANSWER);
        seen.set(key, { name, namespace, count: 1, first: now, last: now.getTime() });
        if (seen.size > 10000) seen.delete(seen.keys().next().value!);
      } catch (err) {
        seen.delete(key);
        options.logger?.warn('could not record event', {
          key: objName ? `${namespace}/${objName}` : namespace,
          reason,
          error: (err as Error).message,
        });
      }
    },
  };
}
