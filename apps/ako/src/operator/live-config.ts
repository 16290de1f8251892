// The keys of ConfigMap avi-k8s-config that AKO applies while running (spec §5.2): logLevel, enableEvents,
// deleteConfig. Other keys need a restart, as in the Go AKO.
import type * as k8s from '@kubernetes/client-node';
import { resourceInformers, type Informer, type Logger, type KubeConfig } from '@avi-k8s/kube';
import { CONFIGMAP_NAME } from '../config/load.js';
import { parseSettings, type AkoSettings } from '../config/settings.js';

export type LiveKeys = Pick<AkoSettings, 'logLevel' | 'enableEvents' | 'deleteConfig'>;

/**
 * Watches the ConfigMap in `namespace` (that one only: a field selector, so the chart's Role names it); an invalid
 * change is logged and ignored. Call start() on the result.
 */
export function watchLiveKeys(o: {
  kubeConfig: KubeConfig;
  namespace: string;
  settings: AkoSettings;
  logger: Logger;
  onChange: (live: LiveKeys) => void;
}): Informer<k8s.V1ConfigMap> {
  return resourceInformers({
    kubeConfig: o.kubeConfig,
    logger: o.logger,
    onEvent: (event, obj) => {
      if (obj.metadata?.name !== CONFIGMAP_NAME || event === 'delete') return;
      const data = (obj as k8s.V1ConfigMap).data ?? {};
      try {
        // The boot keys are not re-validated here: only the live ones are read.
        const { logLevel, enableEvents, deleteConfig } = parseSettings({ ...data, controllerIP: o.settings.controllerHost, clusterName: o.settings.clusterName }, {});
        o.onChange({ logLevel, enableEvents, deleteConfig });
      } catch (err) {
        o.logger.error('ignoring invalid live ConfigMap change', { key: `${o.namespace}/${CONFIGMAP_NAME}`, error: (err as Error).message });
      }
    },
  }).configMapsIn(o.namespace, CONFIGMAP_NAME);
}
