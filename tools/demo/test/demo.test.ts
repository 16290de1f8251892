// The README's main job, run the way CI and a user run it: the built demo with --check must exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../dist/main.js', import.meta.url));

test('the demo brings up two clusters with AKO and AMKO: every sample gets a VS, a VIP and its hostnames, every global FQDN a GslbService and a DNS answer', async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [demo, '--check', '--timeout', '120'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (c) => resolve({ code: c, stdout: out }));
  });
  expect(stdout).toContain('All samples are served by the Avi controller.');
  expect(stdout).toMatch(/Service demo\/web\s+demo--demo-web\s+127\.100\.0\.\d+/);
  expect(stdout).toMatch(/Ingress demo\/pay\s+demo--pay\.demo\.example\.com\s+127\.100\.0\.\d+\s+pay\.demo\.example\.com/);
  // The controller runs with --dataplane: the HTTP :80 column is a real answer from the sample's own backend
  // (web: L4 VS; shop: the shared L7 VS's host rule; pay: redirected to HTTPS by its redirect policy), in each cluster.
  for (const cluster of ['demo', 'demo-2']) {
    expect(stdout).toMatch(new RegExp(`${cluster}\\s+Service demo/web\\s+${cluster}--demo-web\\s+127\\.100\\.0\\.\\d+\\s+\\S+\\s+200 web\\s+yes`));
    expect(stdout).toMatch(new RegExp(`${cluster}\\s+Ingress demo/shop\\s+\\S+\\s+127\\.100\\.0\\.\\d+\\s+shop\\.demo\\.example\\.com\\s+200 shop\\s+yes`));
    expect(stdout).toMatch(new RegExp(`${cluster}\\s+Ingress demo/pay\\s+${cluster}--pay\\.demo\\.example\\.com\\s+127\\.100\\.0\\.\\d+\\s+pay\\.demo\\.example\\.com\\s+302\\s+yes`));
  }

  // GSLB: per global FQDN a GslbService whose two members are the Ingress VIPs of the two clusters, with the GDP's
  // trafficSplit as ratios, and the controller's DNS server answering with those VIPs.
  expect(stdout).toContain('Every global FQDN has a GslbService with a member in each cluster and a DNS answer');
  for (const fqdn of ['shop.demo.example.com', 'pay.demo.example.com']) {
    const name = fqdn.replace(/\./g, '\\.');
    const row = new RegExp(`^${name}\\s+${name}\\s+demo: (\\S+) \\(ratio 2\\), demo-2: (\\S+) \\(ratio 1\\)\\s+OPER_UP\\s+(.+?)\\s+yes$`, 'm').exec(stdout);
    expect(row).not.toBeNull();
    const [, vip1, vip2, dns] = row!;
    const ingressVip = (cluster: string) => new RegExp(`^${cluster}\\s+Ingress demo/${fqdn.split('.')[0]}\\s+\\S+\\s+(\\S+)`, 'm').exec(stdout)?.[1];
    expect([vip1, vip2]).toEqual([ingressVip('demo'), ingressVip('demo-2')]);
    expect(dns!.split(', ')).toEqual(expect.arrayContaining([vip1, vip2]));
  }
  expect(code).toBe(0);
}, 220000);
