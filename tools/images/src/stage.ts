#!/usr/bin/env node
// node tools/images/dist/stage.js APP DIR: writes APP's run-time files (the app layer of its image, under DIR/app)
// to a directory, for the Dockerfiles (apps/<app>/Dockerfile) that build the image with Docker or Buildah.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appFiles } from './app-files.js';
import { APPS, IMAGES, type AppName } from './images.js';

const [app, out] = process.argv.slice(2);
if (!app || !out || !(APPS as readonly string[]).includes(app)) {
  process.stderr.write(`Usage: node tools/images/dist/stage.js ${APPS.join('|')} DIR\n`);
  process.exit(2);
}
const root = join(import.meta.dirname, '../../..');
const spec = IMAGES[app as AppName];
for (const e of appFiles(root, spec.dir).entries) {
  const path = join(out, e.path);
  mkdirSync(dirname(path), { recursive: true });
  if (e.type === 'file') {
    writeFileSync(path, e.data);
    chmodSync(path, e.mode ?? 0o644);
  } else if (e.type === 'dir') mkdirSync(path, { recursive: true });
  else symlinkSync(e.target, path);
}
for (const d of spec.writableDirs) mkdirSync(join(out, d), { recursive: true });
process.stdout.write(`${app}: staged in ${out}\n`);
