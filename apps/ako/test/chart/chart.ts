// The AKO chart (apps/ako/chart) rendered with the workspace helm; the helpers are shared in testbed.
import { join } from 'node:path';
import type { TemplateOptions } from '@avi-k8s/helm';
import { findManifest, renderChart, type Manifest } from '@avi-k8s/testbed';

export { inOrder, RBAC_KINDS, type Manifest } from '@avi-k8s/testbed';
export const CHART_DIR = join(import.meta.dirname, '../../chart');
export const FIXTURES = join(import.meta.dirname, 'fixtures');

export const render = (options: TemplateOptions = {}): Promise<Manifest[]> => renderChart(CHART_DIR, options);
export const find = findManifest;
