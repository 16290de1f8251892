#!/usr/bin/env node
// Copies AMKO's CRDs from packages/crds/manifests/amko (their one source) into the chart's crds/ directory, named
// amko.vmware.com_<plural>.yaml. Run after changing a CRD; the chart tests fail while the copies differ.
// Usage: node apps/amko/chart/scripts/sync-crds.mjs
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const chart = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(chart, '../../../packages/crds/manifests/amko');
const target = join(chart, 'crds');
mkdirSync(target, { recursive: true });
for (const f of readdirSync(target)) if (f.endsWith('.yaml')) rmSync(join(target, f));
for (const f of readdirSync(source).filter((f) => f.endsWith('.yaml')).sort()) {
  copyFileSync(join(source, f), join(target, `amko.vmware.com_${f}`));
  console.log(`crds/amko.vmware.com_${f}`);
}
