// The dependency rule of design.md (apps -> packages, never the reverse; tools only from tests) is enforced by
// eslint's @nx/enforce-module-boundaries, which silently skips itself when Nx has no project graph. This checks
// that it really fires, on code that is linted but never written to disk.
import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';
import { workspaceRoot } from '../src/index.js';

let eslint: ESLint;

beforeAll(() => {
  // What `npm run lint` does first: make sure the project graph exists.
  execFileSync(process.execPath, [`${workspaceRoot}/node_modules/.bin/nx`, 'show', 'projects'], { cwd: workspaceRoot, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
  eslint = new ESLint({ cwd: workspaceRoot });
}, 60000);

const boundaryErrors = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: `${workspaceRoot}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
};

test.each([
  // The probe package must not already be reachable from the app (through test imports too), or the rule reports
  // the cycle instead of the tags.
  ['a package importing an app', 'packages/avi-sync/src/probe.ts', "import { startController } from '@avi-k8s/avi-controller';\nexport const x = startController;\n", 'type:package'],
  ['a package importing a tool', 'packages/avi-sync/src/probe.ts', "import { up } from '@avi-k8s/kube-local';\nexport const x = up;\n", 'type:package'],
  ['an app importing another app', 'apps/amko/src/probe.ts', "import { startController } from '@avi-k8s/avi-controller';\nexport const x = startController;\n", 'type:app'],
])('%s is refused', async (_what, file, code, tag) => {
  const errors = await boundaryErrors(file, code);
  expect(errors).toEqual([expect.stringContaining(`A project tagged with "${tag}" can only depend on libs tagged with`)]);
});

test.each([
  ['an app importing packages', 'apps/ako/src/probe.ts', "import { plan } from '@avi-k8s/avi-sync';\nimport { createAviClient } from '@avi-k8s/avi-sdk';\nexport const x = [plan, createAviClient];\n"],
  ["a package's test using a tool", 'packages/kube/test/probe.test.ts', "import { testCluster } from '@avi-k8s/kube-local/testing';\nexport const x = testCluster;\n"],
])('%s is allowed', async (_what, file, code) => {
  expect(await boundaryErrors(file, code)).toEqual([]);
});
