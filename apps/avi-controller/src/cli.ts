#!/usr/bin/env node
// avi-controller serve --listen HOST:PORT --data-dir DIR [...]: see USAGE in cli-args.ts.

import { readFileSync } from 'node:fs';
import { startController, StartError, type RunningController } from './controller.js';
import { DataCorruptError } from './store/persist.js';
import { SeedError } from './seed.js';
import { CliError, USAGE, parseCliArgs } from './cli-args.js';

async function main(argv: string[]): Promise<void> {
  let cmd;
  try {
    cmd = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(`avi-controller: ${e.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (cmd.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (cmd.kind === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`avi-controller ${pkg.version}\n`);
    return;
  }
  let ctl: RunningController;
  try {
    ctl = await startController(cmd.options);
  } catch (e) {
    const known = e instanceof StartError || e instanceof DataCorruptError || e instanceof SeedError;
    process.stderr.write(`avi-controller: ${known ? (e as Error).message : `failed to start: ${(e as Error).stack ?? String(e)}`}\n`);
    process.exit(1);
  }
  process.stderr.write(`avi-controller listening on ${ctl.url} (data dir ${ctl.dataDir})\n`);
  if (ctl.caPath) process.stderr.write(`CA certificate: ${ctl.caPath}\n`);
  if (ctl.dnsServer) process.stderr.write(`DNS on ${ctl.dnsServer.host}:${ctl.dnsServer.port} (udp${ctl.dnsServer.tcp ? ', tcp' : ''})\n`);
  if (ctl.dataplane) process.stderr.write(`data plane on: ${ctl.dataplane.status().listeners.length} listeners\n`);
  if (ctl.passwordGenerated) process.stderr.write(`generated admin password (stored in ${ctl.dataDir}/admin-password): ${ctl.adminPassword}\n`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`avi-controller: ${sig}, shutting down\n`);
    ctl.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`avi-controller: error during shutdown: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main(process.argv.slice(2));
