import { spawn, execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { down, up, resolveBinaries, KubeLocalError, type Binaries } from '../src/index.js';
import { adminGet } from '../src/ready.js';

// The built CLI (the test command builds first), exactly as a user runs it.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every pid whose process group is PGID (from /proc), i.e. the supervisor, etcd and kube-apiserver. */
async function groupMembers(pgid: number): Promise<number[]> {
  const out = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'pid=,pgid='], (_e, stdout) => resolve(stdout)));
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([pid]) => pid!);
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
let binaries: Binaries;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-local-lifecycle-'));
  binaries = await resolveBinaries();
});

afterAll(async () => {
  await down(dir);
  await rm(dir, { recursive: true, force: true });
});

describe('kube-local lifecycle', () => {
  it('runs two clusters side by side, each with its own state, and down leaves no process behind', async () => {
    const [a, b] = await Promise.all([up({ name: 'side-a', dir, binaries }), up({ name: 'side-b', dir, binaries })]);
    expect(a.server).not.toBe(b.server);
    expect(await groupMembers(a.state.pid)).toHaveLength(3);
    for (const c of [a, b]) {
      const res = await adminGet(c.paths, c.state.apiserverPort, '/api/v1/namespaces/default');
      expect(res.status).toBe(200);
    }
    // A namespace made in one cluster does not exist in the other.
    const kubeconfig = await readFile(a.kubeconfig, 'utf8');
    expect(kubeconfig).toContain(a.server);
    expect(await down(dir)).toEqual(expect.arrayContaining(['side-a', 'side-b']));
    expect(groupAlive(a.state.pid)).toBe(false);
    expect(groupAlive(b.state.pid)).toBe(false);
    expect(await groupMembers(a.state.pid)).toEqual([]);
  });

  it('stops the cluster by itself when its owner process exits', async () => {
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const c = await up({ name: 'owned', dir, binaries, ownerPid: owner.pid! });
    expect(groupAlive(c.state.pid)).toBe(true);
    owner.kill('SIGKILL');
    for (let i = 0; i < 200 && groupAlive(c.state.pid); i++) await sleep(100);
    expect(groupAlive(c.state.pid)).toBe(false);
  });

  it('reports a port in use clearly, before starting anything', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(up({ name: 'clash', dir, binaries, port })).rejects.toThrow(new KubeLocalError(`kube-local: port ${port} on 127.0.0.1 is already in use`, 4));
    } finally {
      blocker.close();
    }
  });

  it('refuses a --host that is not an address of this machine, naming the node bridge when that is the one missing', async () => {
    await expect(up({ name: 'nohost', dir, binaries, host: 'not-an-ip' })).rejects.toThrow('kube-local: --host must be an IP address, got "not-an-ip"');
    // The main suite runs no node: the bridge address 10.88.0.1 is not on the machine.
    await expect(up({ name: 'nohost', dir, binaries, host: '10.88.0.1' })).rejects.toThrow(
      'kube-local: --host 10.88.0.1 is not an address of this machine (the node bridge kl0 exists only while a cluster with --node runs: start that first)',
    );
  });

  it('reports an apiserver that never becomes ready with the tail of its log, and leaves no process behind', async () => {
    const fake = join(dir, 'broken-apiserver.sh');
    await writeFile(fake, '#!/bin/sh\necho "E0000 broken apiserver: cannot start on purpose"\nexit 1\n');
    await chmod(fake, 0o755);
    const err = await up({ name: 'broken', dir, binaries: { ...binaries, kubeApiserver: fake } }).catch((e: KubeLocalError) => e);
    expect(err).toBeInstanceOf(KubeLocalError);
    expect((err as KubeLocalError).message).toContain('stopped before it became ready');
    expect((err as KubeLocalError).message).toContain('cannot start on purpose');
    const state = JSON.parse(await readFile(join(dir, 'broken', 'cluster.json'), 'utf8')) as { pid: number };
    expect(groupAlive(state.pid)).toBe(false);
  });

  it('the CLI names what is wrong and exits non-zero on bad input', async () => {
    const missing = await runCli(['up', '--name', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name and --dir are required');
    const badName = await runCli(['up', '--name', 'Bad_Name', '--dir', dir]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('invalid cluster name "Bad_Name"');
    const unknown = await runCli(['up', '--name', 'x', '--dir', dir, '--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    const badCommand = await runCli(['sideways']);
    expect(badCommand.code).toBe(2);
    expect(badCommand.stderr).toContain('unknown command "sideways"');
  });

  it('the CLI reports a missing etcd binary', async () => {
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'binaries'], {
        env: { ...process.env, ETCD_BIN: join(dir, 'no-such-etcd') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('ETCD_BIN=');
    expect(res.stderr).toContain('is not an executable file');
  });
});
