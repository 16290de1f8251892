// Which file of an app a test, the demo or a benchmark runs: the one-file bundle its build writes (dist/bundle.js),
// as the bin scripts and the images run it. AVI_K8S_ENTRY=dist runs tsc's unbundled output instead (dist/main.js,
// dist/cli.js), to compare the two (the bundle's footprint) or to debug without the bundler in between.
import { join } from 'node:path';

const UNBUNDLED = { ako: 'dist/main.js', amko: 'dist/main.js', 'avi-controller': 'dist/cli.js' } as const;

export function appEntry(workspaceRoot: string, app: keyof typeof UNBUNDLED): string {
  const entry = process.env.AVI_K8S_ENTRY;
  if (entry !== undefined && entry !== '' && entry !== 'bundle' && entry !== 'dist') throw new Error(`AVI_K8S_ENTRY=${entry}: expected bundle (the default) or dist`);
  return join(workspaceRoot, 'apps', app, entry === 'dist' ? UNBUNDLED[app] : 'dist/bundle.js');
}
