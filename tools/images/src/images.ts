// The three images: what runs, as whom, on which ports. Every image is the shared base layer plus one app layer.
import { NONROOT } from './base.js';
import type { ImageConfig } from './oci.js';

export const APPS = ['ako', 'amko', 'avi-controller'] as const;
export type AppName = (typeof APPS)[number];

/** Repository of each image; the tag is the app's package.json version (the charts' appVersion). */
export const REPOSITORY_PREFIX = 'docker.io/avi-k8s/';

export interface AppImage {
  app: AppName;
  dir: string;
  /** Extra directories in the app layer (owned by the non-root user). */
  writableDirs: string[];
  config: Omit<ImageConfig, 'labels' | 'user' | 'env' | 'workingDir'>;
}

const node = '/usr/local/bin/node';

export const IMAGES: Record<AppName, AppImage> = {
  ako: {
    app: 'ako',
    dir: 'apps/ako',
    writableDirs: ['log'],
    // In a cluster AKO reads ConfigMap avi-k8s-config and Secret avi-secret of POD_NAMESPACE (the chart's StatefulSet).
    config: { entrypoint: [node, '/app/apps/ako/dist/bundle.js'], exposedPorts: ['8080/tcp'] },
  },
  amko: {
    app: 'amko',
    dir: 'apps/amko',
    writableDirs: [],
    config: { entrypoint: [node, '/app/apps/amko/dist/bundle.js'], cmd: ['--api-port', '8080'], exposedPorts: ['8080/tcp'] },
  },
  'avi-controller': {
    app: 'avi-controller',
    dir: 'apps/avi-controller',
    writableDirs: ['data'],
    config: {
      entrypoint: [node, '/app/apps/avi-controller/dist/bundle.js'],
      cmd: ['serve', '--listen', '0.0.0.0:8443', '--data-dir', '/data'],
      exposedPorts: ['8443/tcp'],
    },
  },
};

export const IMAGE_USER = `${NONROOT.uid}:${NONROOT.gid}`;
export const IMAGE_ENV = ['PATH=/usr/local/bin', 'NODE_ENV=production', `HOME=${NONROOT.home}`];
