// The README's main job, run the way CI and a user run it: the built demo with --check must exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../dist/main.js', import.meta.url));

test('the demo brings up a cluster, the controller and AKO, and every sample gets a VS, a VIP and its hostnames', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [demo, '--check', '--timeout', '90'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (c) => resolve({ code: c, stdout: out }));
  });
  expect(stdout).toContain('All samples are served by the Avi controller.');
  expect(stdout).toMatch(/Service demo\/web\s+demo--demo-web\s+127\.100\.0\.\d+/);
  expect(stdout).toMatch(/Ingress demo\/pay\s+demo--pay\.demo\.example\.com\s+127\.100\.0\.\d+\s+pay\.demo\.example\.com/);
  // The controller runs with --dataplane: the HTTP :80 column is a real answer from the sample's own backend
  // (web: L4 VS; shop: the shared L7 VS's host rule; pay: redirected to HTTPS by its redirect policy).
  expect(stdout).toMatch(/Service demo\/web\s+demo--demo-web\s+127\.100\.0\.\d+\s+\S+\s+200 web\s+yes/);
  expect(stdout).toMatch(/Ingress demo\/shop\s+\S+\s+127\.100\.0\.\d+\s+shop\.demo\.example\.com\s+200 shop\s+yes/);
  expect(stdout).toMatch(/Ingress demo\/pay\s+\S+\s+127\.100\.0\.\d+\s+pay\.demo\.example\.com\s+302\s+yes/);
  expect(code).toBe(0);
}, 180000);
