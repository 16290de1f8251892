// Command-line parsing for `avi-controller serve`, separate from the process wiring so it can be tested.

import { parseArgs } from 'node:util';
import type { ControllerOptions } from './controller.js';
import { parseDnsListen } from './dns-server.js';
import { parseDialNetworks } from './dataplane/balance.js';

export const USAGE = `usage: avi-controller serve --listen HOST:PORT --data-dir DIR [--plain-http] [--seed FILE]
                           [--admin-password-file FILE] [--cert FILE --key FILE]
                           [--log stdout|silent|FILE] [--session-idle-timeout SECONDS]
                           [--dataplane [--dataplane-dial CIDR,...]] [--dns-listen HOST:PORT]
       avi-controller [serve] --help | --version

--dataplane serves the virtual services' traffic on their (loopback) VIPs, to loopback pool servers only;
--dataplane-dial also lets it dial TCP/HTTP pool servers in these networks (e.g. a node's pod network).
--dns-listen answers DNS (UDP and TCP) for the VsVip and GslbService names the controller holds.

The admin password comes from AVI_ADMIN_PASSWORD, --admin-password-file, or is generated at first start,
stored in DIR/admin-password (mode 0600) and printed once.`;

export class CliError extends Error {}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; options: ControllerOptions };

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [cmd, ...rest] = argv;
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') return { kind: 'help' };
  if (cmd === '--version' || cmd === 'version') return { kind: 'version' };
  if (cmd === 'serve' && (rest.includes('--help') || rest.includes('-h'))) return { kind: 'help' };
  if (cmd === 'serve' && rest.includes('--version')) return { kind: 'version' };
  if (cmd !== 'serve') throw new CliError(cmd === undefined ? 'missing command' : `unknown command "${cmd}"`);
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string' },
        'data-dir': { type: 'string' },
        'plain-http': { type: 'boolean' },
        seed: { type: 'string' },
        'admin-password-file': { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        log: { type: 'string' },
        'session-idle-timeout': { type: 'string' },
        dataplane: { type: 'boolean' },
        'dataplane-dial': { type: 'string' },
        'dns-listen': { type: 'string' },
      },
    }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (!values.listen) throw new CliError('--listen HOST:PORT is required');
  if (!/^(\[[^\]]+\]|[^:]*):\d{1,5}$/.test(values.listen)) throw new CliError(`--listen must be HOST:PORT, got "${values.listen}"`);
  if (!values['data-dir']) throw new CliError('--data-dir DIR is required');
  if ((values.cert === undefined) !== (values.key === undefined)) throw new CliError('--cert and --key must be given together');
  if (values['plain-http'] && values.cert) throw new CliError('--plain-http cannot be combined with --cert/--key');
  if (values['dns-listen'] !== undefined) {
    try {
      parseDnsListen(values['dns-listen']);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  const dial = values['dataplane-dial']?.split(',').filter(Boolean);
  if (dial !== undefined) {
    if (!values.dataplane) throw new CliError('--dataplane-dial needs --dataplane');
    try {
      parseDialNetworks(dial);
    } catch (e) {
      throw new CliError(`--dataplane-dial: ${(e as Error).message}`);
    }
  }
  let idle: number | undefined;
  if (values['session-idle-timeout'] !== undefined) {
    idle = Number(values['session-idle-timeout']);
    if (!Number.isFinite(idle) || idle <= 0) throw new CliError('--session-idle-timeout must be a positive number of seconds');
  }
  return {
    kind: 'serve',
    options: {
      listen: values.listen,
      dataDir: values['data-dir'],
      plainHttp: values['plain-http'] ?? false,
      ...(values.seed ? { seedFile: values.seed } : {}),
      ...(values['admin-password-file'] ? { adminPasswordFile: values['admin-password-file'] } : {}),
      ...(values.cert ? { certFile: values.cert, keyFile: values.key! } : {}),
      log: values.log ?? 'stdout',
      ...(idle !== undefined ? { sessionIdleTimeoutMs: idle * 1000 } : {}),
      processMetrics: true,
      ...(values.dataplane ? { dataplane: true } : {}),
      ...(dial?.length ? { dataplaneDialNetworks: dial } : {}),
      ...(values['dns-listen'] ? { dnsListen: values['dns-listen'] } : {}),
    },
  };
}
