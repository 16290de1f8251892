// An OCI image archive (image-layout 1.0 in a tar: oci-layout, index.json, blobs/sha256/...) that also carries the
// manifest.json of `docker save`, so that `ctr images import`, `docker load`, podman and skopeo all read it.
// Layers are gzip-compressed tars; the image config lists their uncompressed digests (diff_ids).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tarArchive } from './tar.js';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface Layer {
  /** The uncompressed tar. */
  tar: Buffer;
  /** The gzip-compressed blob. */
  blob: Buffer;
  diffId: string;
  digest: string;
  /** What made it, for the config history. */
  createdBy: string;
}

/** A layer from its uncompressed tar (gzip level 9; the same tar always gives the same blob). */
export function layerOf(tar: Buffer, createdBy: string): Layer {
  const blob = gzipSync(tar, { level: 9 });
  return { tar, blob, diffId: sha256(tar), digest: sha256(blob), createdBy };
}

export interface ImageConfig {
  user: string;
  entrypoint: string[];
  cmd?: string[];
  env: string[];
  workingDir: string;
  exposedPorts?: string[];
  labels: Record<string, string>;
}

export interface ImageSpec {
  /** Full reference as containerd names it, e.g. docker.io/avi-k8s/ako:0.1.0. */
  reference: string;
  layers: Layer[];
  config: ImageConfig;
  /** Seconds since the epoch: the config's `created` and every tar mtime. */
  created: number;
}

export interface ImageArchive {
  archive: Buffer;
  manifestDigest: string;
  configDigest: string;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The image archive for SPEC: the same spec always gives the same bytes. */
export function imageArchive(spec: ImageSpec): ImageArchive {
  const created = new Date(spec.created * 1000).toISOString().replace('.000Z', 'Z');
  const c = spec.config;
  const config = json({
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      User: c.user,
      Entrypoint: c.entrypoint,
      ...(c.cmd ? { Cmd: c.cmd } : {}),
      Env: c.env,
      WorkingDir: c.workingDir,
      ...(c.exposedPorts?.length ? { ExposedPorts: Object.fromEntries(c.exposedPorts.map((p) => [p, {}])) } : {}),
      Labels: c.labels,
    },
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
    history: spec.layers.map((l) => ({ created, created_by: l.createdBy })),
  });
  const configDigest = sha256(config);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, digest: configDigest, size: config.length },
    layers: spec.layers.map((l) => ({ mediaType: MEDIA.layer, digest: l.digest, size: l.blob.length })),
    annotations: { 'org.opencontainers.image.created': created },
  });
  const manifestDigest = sha256(manifest);
  const tag = spec.reference.slice(spec.reference.lastIndexOf(':') + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [
      {
        mediaType: MEDIA.manifest,
        digest: manifestDigest,
        size: manifest.length,
        // containerd (ctr images import) names the image by io.containerd.image.name; others by the ref name.
        annotations: { 'io.containerd.image.name': spec.reference, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  });
  const blobPath = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  // docker load (before Docker 25 reads OCI layouts) takes this list; RepoTags without the docker.io/ prefix.
  const dockerManifest = json([
    { Config: blobPath(configDigest), RepoTags: [spec.reference.replace(/^docker\.io\//, '')], Layers: spec.layers.map((l) => blobPath(l.digest)) },
  ]);
  const blobs = new Map<string, Buffer>([
    [configDigest, config],
    [manifestDigest, manifest],
    ...spec.layers.map((l) => [l.digest, l.blob] as [string, Buffer]),
  ]);
  const archive = tarArchive(
    [
      { type: 'dir', path: 'blobs' },
      { type: 'dir', path: 'blobs/sha256' },
      ...[...blobs.keys()].sort().map((d) => ({ type: 'file' as const, path: blobPath(d), data: blobs.get(d)! })),
      { type: 'file', path: 'index.json', data: index },
      { type: 'file', path: 'manifest.json', data: dockerManifest },
      { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    ],
    spec.created,
  );
  return { archive, manifestDigest, configDigest };
}
