// The small images of kube-local's real node, built from the Go programs in tools/images/go (no registry, no
// container engine): `pause` (the Pod sandbox, containerd's sandbox_image) and `echo` (the backend Pods of the
// real-node tests, answering which Pod served a request). Each is one static binary in one layer, run as the
// non-root user; the binaries are cached by the hash of their sources.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, NONROOT } from './base.js';
import { imageArchive, layerOf } from './oci.js';
import { tarArchive, withParentsSorted } from './tar.js';

export const GO_IMAGES = {
  pause: { reference: 'docker.io/avi-k8s/pause:1.0', entrypoint: ['/pause'], exposedPorts: [] as string[] },
  echo: { reference: 'docker.io/avi-k8s/echo:1.0', entrypoint: ['/echo'], exposedPorts: ['8080/tcp'] },
} as const;
export type GoImageName = keyof typeof GO_IMAGES;

const GO_DIR = fileURLToPath(new URL('../go', import.meta.url));
/** A fixed timestamp: the images depend only on their sources and the Go toolchain. */
const EPOCH = 1_700_000_000;

function sourceHash(name: GoImageName): string {
  const h = createHash('sha256').update(readFileSync(join(GO_DIR, 'go.mod')));
  for (const f of readdirSync(join(GO_DIR, name)).sort()) h.update(f).update(readFileSync(join(GO_DIR, name, f)));
  return h.digest('hex').slice(0, 16);
}

/** The static binary of tools/images/go/NAME (built with Go once per source version). */
export function goBinary(name: GoImageName): string {
  const out = join(cacheDir(), 'go', `${name}-${sourceHash(name)}`);
  if (existsSync(out)) return out;
  mkdirSync(join(cacheDir(), 'go'), { recursive: true });
  try {
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', `${out}.tmp`, `./${name}`], {
      cwd: GO_DIR,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`the Go toolchain (go) is needed to build the ${name} image; install Go`);
    throw new Error(`building tools/images/go/${name} failed: ${e.stderr?.toString() ?? String(err)}`);
  }
  renameSync(`${out}.tmp`, out);
  return out;
}

/** Writes OUT_DIR/NAME.tar (an OCI archive for `ctr images import`) and returns its path and reference. */
export function buildGoImage(name: GoImageName, outDir: string): { file: string; reference: string } {
  const spec = GO_IMAGES[name];
  const binary = readFileSync(goBinary(name));
  const entries = withParentsSorted([
    { type: 'file', path: name, data: binary, mode: 0o755 },
    { type: 'file', path: 'etc/passwd', data: Buffer.from(`root:x:0:0:root:/:/sbin/nologin\n${NONROOT.name}:x:${NONROOT.uid}:${NONROOT.gid}::/:/sbin/nologin\n`) },
    { type: 'file', path: 'etc/group', data: Buffer.from(`root:x:0:\n${NONROOT.name}:x:${NONROOT.gid}:\n`) },
  ]);
  const layer = layerOf(tarArchive(entries, EPOCH), `${name}: tools/images/go/${name} (static Go binary)`);
  const { archive } = imageArchive({
    reference: spec.reference,
    layers: [layer],
    created: EPOCH,
    config: {
      user: `${NONROOT.uid}:${NONROOT.gid}`,
      entrypoint: [...spec.entrypoint],
      env: ['PATH=/'],
      workingDir: '/',
      exposedPorts: [...spec.exposedPorts],
      labels: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.licenses': 'Apache-2.0' },
    },
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.tar`);
  writeFileSync(file, archive);
  return { file, reference: spec.reference };
}
