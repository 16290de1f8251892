// npm run images, checked with the tools a user has (GNU tar, gzip, sha256sum) and by running what is inside:
// each archive is an OCI layout (plus docker's manifest.json) naming docker.io/avi-k8s/<app>:<version>, every blob
// is stored under its digest, the config's diff_ids are the digests of the unpacked layers, the image runs as a
// non-root user with node as entrypoint, has no shell, its node uses only the libraries in the image, and the
// app starts from its one-file bundle, with no node_modules, the bundled packages' licenses beside it. Two builds
// give the same bytes.
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImages, type BuiltImage } from '../src/build.js';

const root = join(import.meta.dirname, '../../..');
const APPS = [
  { app: 'ako', main: '/app/apps/ako/dist/bundle.js' },
  { app: 'amko', main: '/app/apps/amko/dist/bundle.js' },
  { app: 'avi-controller', main: '/app/apps/avi-controller/dist/bundle.js' },
] as const;
const version = (app: string) => (JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')) as { version: string }).version;
const sh = (cmd: string) => execSync(cmd, { encoding: 'utf8', shell: '/bin/sh' }).trim();

// The commit time and hash are fixed here: on a shared working tree a commit may land between the two builds.
const FIXED = { epoch: 1767225600, revision: 'test' };

let built: BuiltImage[];
const unpacked = new Map<string, string>();

// Everything this suite writes (archives, unpacked images: about 1 GB) is under one directory, removed afterwards.
const work = mkdtempSync(join(tmpdir(), 'images-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  built = buildImages(root, { outDir: mkdtempSync(join(work, 'a-')), ...FIXED });
  for (const img of built) {
    const dir = mkdtempSync(join(work, `image-${img.app}-`));
    execFileSync('tar', ['-xf', img.file, '-C', dir]);
    unpacked.set(img.app, dir);
  }
}, 180_000);

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
// The base layer is the same blob in all three archives: sha256sum and gzip read it once, cmp checks the copies.
const verified: { file: string; sha: string; diffId: string }[] = [];
function blobDigests(file: string): { sha: string; diffId: string } {
  const same = verified.find((v) => statSync(v.file).size === statSync(file).size && spawnSync('cmp', ['-s', v.file, file]).status === 0);
  if (same) return same;
  const result = { file, sha: sh(`sha256sum '${file}' | cut -d' ' -f1`), diffId: sh(`gzip -dc '${file}' | sha256sum | cut -d' ' -f1`) };
  verified.push(result);
  return result;
}
const blob = (dir: string, digest: string) => join(dir, 'blobs/sha256', digest.replace('sha256:', ''));

describe.each(APPS)('$app image', ({ app, main }) => {
  const dir = () => unpacked.get(app)!;
  const manifest = () => {
    const index = readJson<{ manifests: Descriptor[] }>(join(dir(), 'index.json'));
    expect(index.manifests).toHaveLength(1);
    return { desc: index.manifests[0]!, body: readJson<{ config: Descriptor; layers: Descriptor[] }>(blob(dir(), index.manifests[0]!.digest)) };
  };
  const config = () => readJson<{ config: { User: string; Entrypoint: string[]; Env: string[] }; rootfs: { diff_ids: string[] }; os: string; architecture: string }>(blob(dir(), manifest().body.config.digest));

  test('an OCI layout naming docker.io/avi-k8s/<app>:<version>, with docker load\'s manifest.json', () => {
    expect(readJson(join(dir(), 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const { desc, body } = manifest();
    expect(desc.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(desc.annotations?.['io.containerd.image.name']).toBe(`docker.io/avi-k8s/${app}:${version(app)}`);
    const docker = readJson<{ Config: string; RepoTags: string[]; Layers: string[] }[]>(join(dir(), 'manifest.json'));
    expect(docker).toEqual([{ Config: `blobs/sha256/${body.config.digest.slice(7)}`, RepoTags: [`avi-k8s/${app}:${version(app)}`], Layers: body.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`) }]);
  });

  test('every blob is stored under its sha256 and has the size its descriptor says', () => {
    const { desc, body } = manifest();
    for (const d of [desc, body.config, ...body.layers]) {
      const file = blob(dir(), d.digest);
      expect(d.mediaType.endsWith('+gzip') ? blobDigests(file).sha : sh(`sha256sum '${file}' | cut -d' ' -f1`)).toBe(d.digest.slice(7));
      expect(readFileSync(blob(dir(), d.digest)).length).toBe(d.size);
    }
  });

  test('the config: linux/amd64, a non-root user, node running the app, and diff_ids of the unpacked layers', () => {
    const c = config();
    expect([c.os, c.architecture]).toEqual(['linux', 'amd64']);
    const [uid, gid] = c.config.User.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(c.config.Entrypoint).toEqual(['/usr/local/bin/node', main]);
    const layers = manifest().body.layers;
    expect(layers.map((l) => l.mediaType)).toEqual(layers.map(() => 'application/vnd.oci.image.layer.v1.tar+gzip'));
    expect(c.rootfs.diff_ids).toEqual(layers.map((l) => `sha256:${blobDigests(blob(dir(), l.digest)).diffId}`));
  });

  test('unpacked: no shell, the user in /etc/passwd, node linked only against the image\'s libraries, and the app starts', () => {
    const rootfs = join(dir(), 'rootfs');
    mkdirSync(rootfs);
    for (const l of manifest().body.layers) execFileSync('tar', ['-xzf', blob(dir(), l.digest), '-C', rootfs]);
    for (const shell of ['bin/sh', 'bin/bash', 'usr/bin/sh', 'bin/busybox']) expect(existsSync(join(rootfs, shell))).toBe(false);
    const uid = config().config.User.split(':')[0];
    expect(readFileSync(join(rootfs, 'etc/passwd'), 'utf8')).toMatch(new RegExp(`^[a-z]+:x:${uid}:`, 'm'));
    // The image's own dynamic loader, with only the image's library directory and no ld.so cache.
    const libdir = join(rootfs, 'lib/x86_64-linux-gnu');
    const loader = [join(libdir, 'ld-linux-x86-64.so.2'), '--inhibit-cache', '--library-path', libdir];
    const libs = execFileSync(loader[0]!, [...loader.slice(1), '--list', join(rootfs, 'usr/local/bin/node')], { encoding: 'utf8' });
    const resolved = [...libs.matchAll(/=> (\S+)/g)].map((m) => m[1]!);
    expect(resolved.length).toBeGreaterThan(3);
    for (const path of resolved) expect(path.startsWith(rootfs) || path.startsWith('./lib/')).toBe(true);
    const out = execFileSync(loader[0]!, [...loader.slice(1), join(rootfs, 'usr/local/bin/node'), join(rootfs, main), '--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(out).toBe(`${app} ${version(app)}\n`);
    // One bundle and no node_modules; the notices name what was bundled (zod and prom-client are in every app) with
    // their license texts (both are MIT/Apache-2.0 packages shipping a LICENSE file).
    expect(existsSync(join(rootfs, 'app/node_modules'))).toBe(false);
    expect(readdirSync(join(rootfs, 'app/apps', app, 'dist')).sort()).toEqual(['THIRD_PARTY_LICENSES.txt', 'bundle.js']);
    const notices = readFileSync(join(rootfs, 'app/apps', app, 'dist/THIRD_PARTY_LICENSES.txt'), 'utf8');
    expect(notices).toMatch(/^ {2}zod@\S+ {2}MIT$/m);
    expect(notices).toMatch(/^ {2}prom-client@\S+ {2}Apache-2\.0$/m);
    expect(notices).toContain('Permission is hereby granted, free of charge');
    expect(notices).toContain('Apache License');
  });
});

test('the images share the base layer, and a second build gives the same bytes', () => {
  const bases = new Set(built.map((b) => b.layers[0]!.digest));
  expect(bases.size).toBe(1);
  const [again] = buildImages(root, { apps: ['ako'], outDir: mkdtempSync(join(work, 'b-')), ...FIXED });
  expect(readFileSync(again!.file).equals(readFileSync(built.find((b) => b.app === 'ako')!.file))).toBe(true);
}, 120_000);
