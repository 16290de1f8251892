#!/usr/bin/env node
// npm run images [-- ako amko avi-controller]: builds dist/images/<app>.tar and prints what was built.
import { join } from 'node:path';
import { buildImages } from './build.js';
import { APPS, type AppName } from './images.js';

const root = join(import.meta.dirname, '../../..');
const wanted = process.argv.slice(2);
for (const a of wanted) {
  if (a === '--help' || a === '-h') {
    process.stdout.write(`Usage: npm run images [-- ${APPS.join(' ')}]\nWrites dist/images/<app>.tar (OCI image archives for ctr images import / docker load).\n`);
    process.exit(0);
  }
  if (!(APPS as readonly string[]).includes(a)) {
    process.stderr.write(`images: unknown app "${a}" (one of ${APPS.join(', ')})\n`);
    process.exit(2);
  }
}
try {
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  for (const img of buildImages(root, wanted.length ? { apps: wanted as AppName[] } : {})) {
    const unpacked = img.layers.reduce((s, l) => s + l.uncompressedBytes, 0);
    process.stdout.write(`${img.reference}  ${img.file}  archive ${mib(img.bytes)}, unpacked ${mib(unpacked)}, ${img.packages.length} npm packages, ${img.manifestDigest}\n`);
  }
} catch (err) {
  process.stderr.write(`images: ${(err as Error).message}\n`);
  process.exit(1);
}
