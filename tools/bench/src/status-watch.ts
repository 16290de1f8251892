// Counts the Services (type LoadBalancer) and Ingresses that have status.loadBalancer.ingress, from one watch per
// resource: the benchmark then costs the apiserver nothing per check (listing every object twice a second did).
import * as k8s from '@kubernetes/client-node';

export interface StatusWatch {
  readonly services: number;
  readonly ingresses: number;
  stop(): void;
}

export async function watchStatuses(kc: k8s.KubeConfig): Promise<StatusWatch> {
  const watch = new k8s.Watch(kc);
  const services = new Set<string>();
  const ingresses = new Set<string>();
  const aborts: AbortController[] = [];
  let stopped = false;
  const start = async (path: string, done: Set<string>, counts: (o: k8s.V1Service & k8s.V1Ingress) => boolean): Promise<void> => {
    // A watch without a resourceVersion first sends every existing object as ADDED: no list needed.
    const req = await watch.watch(
      path,
      {},
      (phase: string, o: k8s.V1Service & k8s.V1Ingress) => {
        const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
        if (phase !== 'DELETED' && counts(o) && (o.status?.loadBalancer?.ingress?.length ?? 0) > 0) done.add(key);
        else done.delete(key);
      },
      () => {
        if (!stopped) void start(path, done, counts);
      },
    );
    aborts.push(req);
  };
  await start('/api/v1/services', services, (o) => o.spec?.type === 'LoadBalancer');
  await start('/apis/networking.k8s.io/v1/ingresses', ingresses, () => true);
  return {
    get services() {
      return services.size;
    },
    get ingresses() {
      return ingresses.size;
    },
    stop() {
      stopped = true;
      for (const a of aborts) a.abort();
    },
  };
}
