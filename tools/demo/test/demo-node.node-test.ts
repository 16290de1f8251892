// The demo with --node (root; npm run jest:node): cluster 'demo' has a real node and its samples are Pods of the
// echo image; the HTTP :80 column shows which Pod answered through the avi-controller's data plane (NodePort mode:
// the node's port, then kube-proxy). 'demo-2' keeps its local backends.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../dist/main.js', import.meta.url));

test('demo --node: every sample is served; in the cluster with the node the VIPs reach real Pods', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [demo, '--check', '--node', '--timeout', '240'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (c) => resolve({ code: c, stdout: out }));
  });
  expect(stdout).toContain('demo with a real node');
  expect(stdout).toContain('All samples are served by the Avi controller.');
  // A Pod of the web / shop Deployment answered (its name: <deployment>-<hash>-<suffix>).
  expect(stdout).toMatch(/^demo\s+Service demo\/web\s+demo--demo-web\s+127\.100\.0\.\d+\s+\S+\s+200 web-[a-z0-9]+-[a-z0-9]{5}\s+yes\s*$/m);
  expect(stdout).toMatch(/^demo\s+Ingress demo\/shop\s+\S+\s+127\.100\.0\.\d+\s+shop\.demo\.example\.com\s+200 shop-[a-z0-9]+-[a-z0-9]{5}\s+yes\s*$/m);
  expect(stdout).toMatch(/^demo\s+Ingress demo\/pay\s+demo--pay\.demo\.example\.com\s+127\.100\.0\.\d+\s+pay\.demo\.example\.com\s+302\s+yes\s*$/m);
  // The other cluster as before: its local backends.
  expect(stdout).toMatch(/^demo-2\s+Service demo\/web\s+demo-2--demo-web\s+127\.100\.0\.\d+\s+\S+\s+200 web\s+yes\s*$/m);
  expect(stdout).toContain('Every global FQDN has a GslbService with a member in each cluster and a DNS answer');
  expect(code).toBe(0);
}, 330000);
