// What a node changes on the machine, recorded at up and undone at down (also after a crash of the supervisor):
// the sysctls kubelet and kube-proxy set (kernel.panic_on_oops=1 and kernel.panic=10 would turn a kernel oops
// into a reboot), the bridge, kube-proxy's nftables tables, any iptables chain that appeared, the mounts and
// cgroups under the node's own paths, and the processes of its Pods. Only what the node made is touched: rules,
// tables and chains that existed before are left alone, and nothing is ever flushed as a whole.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cgroupRoot, NODE_NET } from './node-layout.js';

/** Sysctls that kubelet (setupKernelTunables), kube-proxy or the CNI bridge plugin may set. */
export const WATCHED_SYSCTLS = [
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
  'vm.overcommit_memory',
  'vm.panic_on_oom',
  'net.ipv4.ip_forward',
  'net.ipv4.conf.all.route_localnet',
  'net.ipv6.conf.all.forwarding',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.netfilter.nf_conntrack_max',
  'net.netfilter.nf_conntrack_tcp_timeout_established',
  'net.netfilter.nf_conntrack_tcp_timeout_close_wait',
  'net.netfilter.nf_conntrack_tcp_be_liberal',
];
/** Restored as soon as kubelet has set them (it does so once at start), not only at down. */
export const SAFETY_SYSCTLS = ['kernel.panic', 'kernel.panic_on_oops', 'vm.overcommit_memory', 'vm.panic_on_oom', 'kernel.keys.root_maxkeys', 'kernel.keys.root_maxbytes'];

const IPTABLES_TABLES = ['filter', 'nat', 'mangle', 'raw'];
/**
 * Machine paths the node's programs use whatever they are told: kubelet's device-plugin socket and container log
 * links, the CNI result cache, containerd's shim sockets. What appears in them is removed at down.
 */
const HOST_DIRS = ['/var/lib/kubelet', '/var/lib/kubelet/device-plugins', '/var/lib/cni', '/var/lib/cni/results', '/var/log/containers', '/run/containerd', '/run/containerd/s'];
/** kube-proxy's tables, kube-local's own, and the NodePortLocal agent's (npl-agent.ts). */
const NFT_TABLES = ['ip kube-proxy', 'ip6 kube-proxy', 'ip kube-local', `ip ${NODE_NET.nplTable}`];
/**
 * kube-local's own table: traffic to loopback addresses is not tracked, so never NATed. kube-proxy takes a
 * LoadBalancer Service's status IP as its own (ipMode VIP) and would DNAT a loopback VIP (a local load
 * balancer's, like the avi-controller data plane's 127.100.0.0/24) from 127.0.0.1 to a Pod, which the kernel drops
 * as a martian: on a kube-local node the load balancer stands outside the node, as in a real cluster.
 */
const LOOPBACK_NOTRACK = `table ip kube-local {
  chain output {
    type filter hook output priority raw; policy accept;
    ip daddr 127.0.0.0/8 notrack
  }
}
`;

export interface HostState {
  cluster: string;
  sysctls: Record<string, string>;
  /** iptables/ip6tables chains per table that existed before the node started. */
  chains: Record<string, string[]>;
  bridgeCreated: boolean;
  /** The cgroup v1 hierarchies (mount points) where the node's cgroup root was made. */
  cgroupDirs: string[];
  /** HOST_DIRS before the node started: their entries, or null when the directory did not exist. */
  hostDirs: Record<string, string[] | null>;
}

const sysctlPath = (key: string) => join('/proc/sys', ...key.split('.'));

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    return run(cmd, args);
  } catch {
    return undefined;
  }
}

export function readSysctls(keys: readonly string[] = WATCHED_SYSCTLS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    try {
      out[key] = readFileSync(sysctlPath(key), 'utf8').trim();
    } catch {
      /* not on this kernel (or module not loaded) */
    }
  }
  return out;
}

/** Writes back the saved values that differ now; returns what was restored as key: now -> saved. */
export function restoreSysctls(saved: Record<string, string>, keys: readonly string[] = Object.keys(saved)): string[] {
  const restored: string[] = [];
  for (const key of keys) {
    const want = saved[key];
    if (want === undefined) continue;
    const now = readSysctls([key])[key];
    if (now === undefined || now === want) continue;
    try {
      writeFileSync(sysctlPath(key), want);
      restored.push(`${key}: ${now} -> ${want}`);
    } catch {
      /* read-only here */
    }
  }
  return restored;
}

function iptablesChains(): Record<string, string[]> {
  const chains: Record<string, string[]> = {};
  for (const bin of ['iptables', 'ip6tables']) {
    for (const table of IPTABLES_TABLES) {
      const out = tryRun(bin, ['-w', '5', '-t', table, '-S']);
      if (out === undefined) continue;
      chains[`${bin}/${table}`] = out.split('\n').filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim());
    }
  }
  return chains;
}

const bridgeExists = () => existsSync(`/sys/class/net/${NODE_NET.bridge}`);

function cgroupHierarchies(): string[] {
  if (!existsSync('/sys/fs/cgroup')) return [];
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return ['/sys/fs/cgroup'];
  return readdirSync('/sys/fs/cgroup', { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join('/sys/fs/cgroup', e.name, 'cgroup.procs')))
    .map((e) => join('/sys/fs/cgroup', e.name));
}

/** Which cluster's node runs on this machine (its directory and supervisor), so a crashed one can be cleaned up. */
export const NODE_OWNER_FILE = '/run/kube-local-node.json';

export function readNodeOwner(): { root: string; pid: number } | undefined {
  try {
    return JSON.parse(readFileSync(NODE_OWNER_FILE, 'utf8')) as { root: string; pid: number };
  } catch {
    return undefined;
  }
}

export function writeNodeOwner(owner: { root: string; pid: number }): void {
  writeFileSync(NODE_OWNER_FILE, JSON.stringify(owner));
}

/** Refuses to start a second node on this machine (the bridge and kube-proxy's tables are per machine). */
export function nodeInUse(): string | undefined {
  if (bridgeExists()) return `the bridge ${NODE_NET.bridge} exists: another kube-local node runs on this machine (stop it with kube-local down --dir DIR)`;
  const tables = tryRun('nft', ['list', 'tables']) ?? '';
  for (const t of NFT_TABLES) if (tables.includes(`table ${t}\n`) || tables.trimEnd().endsWith(`table ${t}`)) return `nftables table "${t}" exists: another kube-proxy runs on this machine`;
  return undefined;
}

/** Records the host's state, then makes the bridge (its gateway address is the node IP) and the node's cgroup root. */
export function prepareHost(cluster: string, stateFile: string): HostState {
  const hostDirs = Object.fromEntries(HOST_DIRS.map((d) => [d, existsSync(d) ? readdirSync(d) : null]));
  const state: HostState = { cluster, sysctls: readSysctls(), chains: iptablesChains(), bridgeCreated: false, cgroupDirs: [], hostDirs };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  run('ip', ['link', 'add', NODE_NET.bridge, 'type', 'bridge']);
  state.bridgeCreated = true;
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  run('ip', ['addr', 'add', `${NODE_NET.nodeIp}/${NODE_NET.prefix}`, 'dev', NODE_NET.bridge]);
  run('ip', ['link', 'set', NODE_NET.bridge, 'up']);
  execFileSync('nft', ['-f', '-'], { input: LOOPBACK_NOTRACK, stdio: ['pipe', 'pipe', 'pipe'] });
  for (const h of cgroupHierarchies()) {
    mkdirSync(join(h, cgroupRoot(cluster)), { recursive: true });
    state.cgroupDirs.push(h);
  }
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return state;
}

export function readHostState(stateFile: string): HostState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as HostState;
  } catch {
    return undefined;
  }
}

/** Every cgroup directory under DIR, deepest first. */
function cgroupTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...cgroupTree(join(dir, e.name)));
  out.push(dir);
  return out;
}

function pidsIn(dirs: string[]): number[] {
  const pids = new Set<number>();
  for (const d of dirs) {
    try {
      for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l.trim()) pids.add(Number(l));
    } catch {
      /* gone */
    }
  }
  return [...pids];
}

/** PIDs of processes whose command line names PATH (containerd's shims carry its socket path). */
export function processesNaming(path: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').some((a) => a.includes(path))) out.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return out;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Mount points under ROOT (from /proc/self/mountinfo), deepest first. */
export function mountsUnder(root: string): string[] {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => unescape(l.split(' ')[4] ?? ''))
    .filter((m) => m.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/**
 * Undoes what the node did to the host (idempotent; every step runs even when one fails). ROOT is the node's
 * directory, SHIM_MARK the path that names this node's containerd in its shims' command lines.
 */
export async function cleanupHost(state: HostState, root: string, shimMark: string): Promise<string[]> {
  const notes: string[] = [];
  const step = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      notes.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  // 1. The Pods' processes (by the node's cgroups) and the containerd shims of this node.
  const cgroups = state.cgroupDirs.flatMap((h) => cgroupTree(join(h, cgroupRoot(state.cluster))));
  for (let i = 0; i < 20; i++) {
    const pids = [...pidsIn(cgroups), ...processesNaming(shimMark)];
    if (pids.length === 0) break;
    killAll(pids);
    await sleep(100);
  }
  // 2. Mounts under the node's directory (rootfs overlays, shm, network namespaces, volumes).
  for (let i = 0; i < 3; i++) {
    const mounts = mountsUnder(root);
    if (mounts.length === 0) break;
    for (const m of mounts) {
      step(`umount ${m}`, () => {
        if (tryRun('umount', [m]) === undefined) run('umount', ['-l', m]);
      });
    }
  }
  for (const m of mountsUnder(root)) notes.push(`still mounted: ${m}`);
  // 3. Cgroups (deepest first; a cgroup goes once it has no processes).
  for (const d of cgroups) step(`rmdir ${d}`, () => existsSync(d) && rmdirSync(d));
  // 4. Network: veths left on the bridge, the bridge, kube-proxy's tables, new iptables chains.
  if (state.bridgeCreated && bridgeExists()) {
    for (const l of (tryRun('ip', ['-o', 'link', 'show', 'master', NODE_NET.bridge]) ?? '').split('\n')) {
      const dev = /^\d+: ([^@:]+)/.exec(l)?.[1];
      if (dev) step(`ip link del ${dev}`, () => run('ip', ['link', 'del', dev]));
    }
    step(`ip link del ${NODE_NET.bridge}`, () => run('ip', ['link', 'del', NODE_NET.bridge]));
  }
  const tables = tryRun('nft', ['list', 'tables']) ?? '';
  for (const t of NFT_TABLES) if (tables.split('\n').includes(`table ${t}`)) step(`nft delete table ${t}`, () => run('nft', ['delete', 'table', ...t.split(' ')]));
  for (const [key, before] of Object.entries(state.chains)) {
    const [bin, table] = key.split('/') as [string, string];
    const rules = (tryRun(bin, ['-w', '5', '-t', table, '-S']) ?? '').split('\n');
    const added = rules.filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim()).filter((c) => !before.includes(c));
    if (added.length === 0) continue;
    // Rules elsewhere that jump to a new chain, then the new chains themselves (their own rules first).
    for (const rule of rules) {
      const m = /^-A (\S+) (.*)$/.exec(rule);
      if (!m || added.includes(m[1]!)) continue;
      if (added.some((c) => m[2]!.split(' ').includes(c))) step(`${bin} -t ${table} -D ${m[1]}`, () => run('sh', ['-c', `${bin} -w 5 -t ${table} -D ${m[1]} ${m[2]}`]));
    }
    for (const c of added) step(`${bin} -t ${table} -F ${c}`, () => run(bin, ['-w', '5', '-t', table, '-F', c]));
    for (const c of added) step(`${bin} -t ${table} -X ${c}`, () => run(bin, ['-w', '5', '-t', table, '-X', c]));
    notes.push(`removed ${bin} ${table} chains ${added.join(', ')}`);
  }
  // 5. What appeared in the machine paths the programs use regardless (deepest first; directories they made).
  for (const d of [...HOST_DIRS].reverse()) {
    const before = state.hostDirs?.[d];
    if (before === undefined || !existsSync(d)) continue;
    for (const e of readdirSync(d)) {
      if (before?.includes(e) || HOST_DIRS.includes(join(d, e))) continue;
      step(`rm ${join(d, e)}`, () => rmSync(join(d, e), { recursive: true, force: true }));
    }
    if (before === null) step(`rmdir ${d}`, () => readdirSync(d).length === 0 && rmdirSync(d));
  }
  // 6. Sysctls back to what they were.
  const restored = restoreSysctls(state.sysctls);
  if (restored.length) notes.push(`restored sysctls ${restored.join(', ')}`);
  return notes;
}
